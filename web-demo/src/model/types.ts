// The topology format (core/schemas/topology.schema.json) as far as the designer reads it. The
// engine owns validation; these types only say which references the canvas draws, so
// every other property is carried through untouched.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface Listener extends JsonObject {
  port: number;
  protocol: string;
  forward: string;
}

export interface Target extends JsonObject {
  id: string;
}

export interface Integration extends JsonObject {
  type: string;
}

export interface Route extends JsonObject {
  integration: Integration;
}

/** A topology document: flat maps keyed by id, references by id. */
export interface Topology {
  version: number;
  region: string;
  account?: string;
  vpcs?: Record<string, JsonObject>;
  subnets?: Record<string, JsonObject>;
  security_groups?: Record<string, JsonObject>;
  network_acls?: Record<string, JsonObject>;
  instances?: Record<string, JsonObject>;
  load_balancers?: Record<string, JsonObject>;
  target_groups?: Record<string, JsonObject>;
  vpc_links?: Record<string, JsonObject>;
  rest_apis?: Record<string, JsonObject>;
  http_apis?: Record<string, JsonObject>;
  alarms?: Record<string, JsonObject>;
  observed?: JsonObject;
  origin?: JsonObject;
}

/** The maps of the topology that hold resources, in the order the format lists them. */
export const MAP_KINDS = [
  "vpcs",
  "subnets",
  "security_groups",
  "network_acls",
  "instances",
  "load_balancers",
  "target_groups",
  "vpc_links",
  "rest_apis",
  "http_apis",
  "alarms",
] as const;
export type MapKind = (typeof MAP_KINDS)[number];

/** Everything the canvas shows as a card: the map kinds plus the nested routes and listeners. */
export type CardKind = MapKind | "routes" | "listeners";

/** Where a card lives in the topology. Routes and listeners are nested in their parent. */
export type CardRef =
  | { kind: MapKind; id: string }
  | { kind: "routes"; api: "rest_apis" | "http_apis"; apiId: string; key: string }
  | { kind: "listeners"; lb: string; index: number };

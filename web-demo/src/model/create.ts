// New resources dropped from the palette: where each kind may be dropped, and the
// defaults it starts with. Required references come from the container it lands in.

import type { CardKind, CardRef, JsonObject, Topology } from "./types";
import { asObject, objectList, resource, setCardValue, setResource, uniqueId, updateResource } from "./edit";

/** Where a drop landed: the innermost container and card under the pointer. */
export interface DropPlace {
  vpc?: string;
  az?: string;
  subnet?: string;
  /** The card under the pointer, for kinds that live inside another card. */
  card?: CardRef;
}

export type Created = { ok: true; topology: Topology; ref: CardRef } | { ok: false; reason: string };

export const PALETTE: readonly { kind: CardKind; label: string }[] = [
  { kind: "rest_apis", label: "API" },
  { kind: "routes", label: "Route" },
  { kind: "vpc_links", label: "VPC link" },
  { kind: "load_balancers", label: "NLB" },
  { kind: "listeners", label: "Listener" },
  { kind: "target_groups", label: "Target group" },
  { kind: "instances", label: "Instance" },
  { kind: "vpcs", label: "VPC" },
  { kind: "subnets", label: "Subnet" },
  { kind: "security_groups", label: "Security group" },
  { kind: "network_acls", label: "Network ACL" },
  { kind: "alarms", label: "Alarm" },
];

function ipv4Base(cidr: unknown): [number, number] | null {
  const m = typeof cidr === "string" ? /^(\d+)\.(\d+)\.\d+\.\d+\/(\d+)$/.exec(cidr) : null;
  return m && Number(m[3]) <= 16 ? [Number(m[1]), Number(m[2])] : null;
}

/** A /24 of the VPC's /16 (or wider) block that no subnet of the VPC uses yet. */
export function freeSubnetCidr(t: Topology, vpc: string): string {
  const base = ipv4Base(resource(t, "vpcs", vpc)?.["cidr"]);
  if (!base) return "10.0.0.0/24";
  const used = new Set(Object.values(t.subnets ?? {}).filter((s) => s["vpc"] === vpc).map((s) => s["cidr"]));
  for (let n = 1; n < 256; n++) {
    const c = `${base[0]}.${base[1]}.${n}.0/24`;
    if (!used.has(c)) return c;
  }
  return `${base[0]}.${base[1]}.0.0/24`;
}

function freeVpcCidr(t: Topology): string {
  const used = new Set(Object.values(t.vpcs ?? {}).map((v) => v["cidr"]));
  for (let n = 0; n < 256; n++) {
    const c = `10.${n}.0.0/16`;
    if (!used.has(c)) return c;
  }
  return "10.0.0.0/16";
}

const needVpc = (what: string) => ({ ok: false as const, reason: `Drop the ${what} inside a VPC.` });

/** Adds a new resource of `kind` where it was dropped. */
export function createAt(t: Topology, kind: CardKind, place: DropPlace): Created {
  const add = (k: Exclude<CardKind, "routes" | "listeners">, base: string, value: JsonObject): Created => {
    const id = uniqueId(t, k, base);
    return { ok: true, topology: setResource(t, k, id, value), ref: { kind: k, id } };
  };
  switch (kind) {
    case "vpcs":
      return add("vpcs", "vpc", { cidr: freeVpcCidr(t) });
    case "subnets": {
      if (!place.vpc) return needVpc("subnet");
      return add("subnets", "subnet", { vpc: place.vpc, az: place.az ?? `${t.region}a`, cidr: freeSubnetCidr(t, place.vpc) });
    }
    case "instances":
      if (!place.subnet) return { ok: false, reason: "Drop the instance inside a subnet." };
      return add("instances", "instance", { subnet: place.subnet, security_groups: [], instance_type: "t3.small" });
    case "security_groups":
      if (!place.vpc) return needVpc("security group");
      return add("security_groups", "sg", { vpc: place.vpc, ingress: [] });
    case "network_acls":
      if (!place.vpc) return needVpc("network ACL");
      return add("network_acls", "acl", { vpc: place.vpc, ingress: [], egress: [] });
    case "load_balancers":
      if (!place.vpc) return needVpc("load balancer");
      return add("load_balancers", "nlb", { type: "network", scheme: "internal", subnets: [], security_groups: [], listeners: [] });
    case "target_groups":
      if (!place.vpc) return needVpc("target group");
      return add("target_groups", "tg", { vpc: place.vpc, protocol: "TCP", port: 8080, target_type: "instance", targets: [] });
    case "vpc_links":
      return add("vpc_links", "link", { targets: [] });
    case "rest_apis":
      return add("rest_apis", "api", { endpoint_type: "REGIONAL", routes: {}, stages: { prod: {} } });
    case "http_apis":
      return add("http_apis", "http-api", { routes: {}, stages: { $default: {} } });
    case "alarms":
      return add("alarms", "alarm", { metric: "UnHealthyHostCount", threshold: 0 });
    case "routes": {
      const card = place.card;
      if (!card || (card.kind !== "rest_apis" && card.kind !== "http_apis")) return { ok: false, reason: "Drop the route on an API card." };
      const routes = asObject(resource(t, card.kind, card.id)?.["routes"]) ?? {};
      let key = "GET /items";
      for (let n = 2; key in routes; n++) key = `GET /items${n}`;
      const ref: CardRef = { kind: "routes", api: card.kind, apiId: card.id, key };
      const integration: JsonObject =
        card.kind === "rest_apis" ? { type: "HTTP_PROXY", method: "GET", timeout_ms: 29000 } : { type: "HTTP_PROXY", method: "GET" };
      return { ok: true, topology: setCardValue(t, ref, { integration }), ref };
    }
    case "listeners": {
      const card = place.card;
      if (!card || card.kind !== "load_balancers") return { ok: false, reason: "Drop the listener on a load balancer card." };
      const lb = resource(t, "load_balancers", card.id);
      const tg = Object.keys(t.target_groups ?? {})[0];
      if (!tg) return { ok: false, reason: "A listener forwards to a target group: add a target group first." };
      const listeners = objectList(lb?.["listeners"]);
      const ports = new Set(listeners.map((l) => l["port"]));
      let port = 80;
      while (ports.has(port)) port++;
      const next = updateResource(t, "load_balancers", card.id, (b) => ({ ...b, listeners: [...listeners, { port, protocol: "TCP", forward: tg }] }));
      return { ok: true, topology: next, ref: { kind: "listeners", lb: card.id, index: listeners.length } };
    }
  }
}

// Immutable edits of a topology: each returns a new document sharing every untouched
// map, so undo history stays cheap on large topologies.

import type { CardRef, Json, JsonObject, MapKind, Topology } from "./types";

export function resource(t: Topology, kind: MapKind, id: string): JsonObject | undefined {
  return t[kind]?.[id];
}

export function setResource(t: Topology, kind: MapKind, id: string, value: JsonObject): Topology {
  return { ...t, [kind]: { ...(t[kind] ?? {}), [id]: value } };
}

export function deleteFromMap(t: Topology, kind: MapKind, id: string): Topology {
  const map = { ...(t[kind] ?? {}) };
  delete map[id];
  const next: Topology = { ...t, [kind]: map };
  if (Object.keys(map).length === 0) delete next[kind];
  return next;
}

export function updateResource(
  t: Topology,
  kind: MapKind,
  id: string,
  fn: (r: JsonObject) => JsonObject,
): Topology {
  const r = resource(t, kind, id);
  return r ? setResource(t, kind, id, fn(r)) : t;
}

export function stringList(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function objectList(v: Json | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter((x): x is JsonObject => !!x && typeof x === "object" && !Array.isArray(x)) : [];
}

export function asObject(v: Json | undefined): JsonObject | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? v : undefined;
}

/** The value a card stands for: a resource, a route, or a listener. */
export function cardValue(t: Topology, ref: CardRef): JsonObject | undefined {
  switch (ref.kind) {
    case "routes":
      return asObject(asObject(t[ref.api]?.[ref.apiId]?.["routes"])?.[ref.key]);
    case "listeners":
      return objectList(t.load_balancers?.[ref.lb]?.["listeners"])[ref.index];
    default:
      return resource(t, ref.kind, ref.id);
  }
}

export function setCardValue(t: Topology, ref: CardRef, value: JsonObject): Topology {
  switch (ref.kind) {
    case "routes":
      return updateResource(t, ref.api, ref.apiId, (api) => ({
        ...api,
        routes: { ...(asObject(api["routes"]) ?? {}), [ref.key]: value },
      }));
    case "listeners":
      return updateResource(t, "load_balancers", ref.lb, (lb) => {
        const listeners = [...objectList(lb["listeners"])];
        listeners[ref.index] = value;
        return { ...lb, listeners };
      });
    default:
      return setResource(t, ref.kind, ref.id, value);
  }
}

/** `base`, or `base-2`, `base-3`, ... whichever is free in the map. */
export function uniqueId(t: Topology, kind: MapKind, base: string): string {
  const map = t[kind] ?? {};
  if (!(base in map)) return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (!(id in map)) return id;
  }
}

/** The VPC a card belongs to, when it belongs to one. */
export function vpcOf(t: Topology, ref: CardRef): string | undefined {
  const str = (v: Json | undefined) => (typeof v === "string" ? v : undefined);
  switch (ref.kind) {
    case "vpcs":
      return ref.id;
    case "subnets":
    case "security_groups":
    case "network_acls":
    case "target_groups":
      return str(resource(t, ref.kind, ref.id)?.["vpc"]);
    case "instances": {
      const subnet = str(resource(t, "instances", ref.id)?.["subnet"]);
      return subnet ? str(t.subnets?.[subnet]?.["vpc"]) : undefined;
    }
    case "load_balancers": {
      const lb = resource(t, "load_balancers", ref.id);
      for (const s of stringList(lb?.["subnets"])) {
        const v = str(t.subnets?.[s]?.["vpc"]);
        if (v) return v;
      }
      for (const g of stringList(lb?.["security_groups"])) {
        const v = str(t.security_groups?.[g]?.["vpc"]);
        if (v) return v;
      }
      return undefined;
    }
    case "listeners":
      return vpcOf(t, { kind: "load_balancers", id: ref.lb });
    case "vpc_links": {
      const link = resource(t, "vpc_links", ref.id);
      for (const s of stringList(link?.["subnets"])) {
        const v = str(t.subnets?.[s]?.["vpc"]);
        if (v) return v;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

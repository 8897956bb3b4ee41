// Deleting a card, and every reference to it, so the topology stays well-formed: the
// engine would otherwise report each dangling id as a broken reference.

import type { CardRef, Json, JsonObject, MapKind, Topology } from "./types";
import { asObject, deleteFromMap, objectList, stringList, updateResource } from "./edit";

function without(list: Json | undefined, id: string): string[] {
  return stringList(list).filter((x) => x !== id);
}

function mapAll(t: Topology, kind: MapKind, fn: (r: JsonObject) => JsonObject): Topology {
  const map = t[kind];
  if (!map) return t;
  const next: Record<string, JsonObject> = {};
  let changed = false;
  for (const [id, r] of Object.entries(map)) {
    const n = fn(r);
    changed ||= n !== r;
    next[id] = n;
  }
  return changed ? { ...t, [kind]: next } : t;
}

function dropField(r: JsonObject, field: string, id: string): JsonObject {
  if (r[field] !== id) return r;
  const n = { ...r };
  delete n[field];
  return n;
}

function dropFromList(r: JsonObject, field: string, id: string): JsonObject {
  return stringList(r[field]).includes(id) ? { ...r, [field]: without(r[field], id) } : r;
}

/** Removes one resource and the references other resources hold to it. */
export function removeCard(t: Topology, ref: CardRef): Topology {
  switch (ref.kind) {
    case "routes":
      return updateResource(t, ref.api, ref.apiId, (api) => {
        const routes = { ...(asObject(api["routes"]) ?? {}) };
        delete routes[ref.key];
        return { ...api, routes };
      });
    case "listeners":
      return updateResource(t, "load_balancers", ref.lb, (lb) => ({
        ...lb,
        listeners: objectList(lb["listeners"]).filter((_, i) => i !== ref.index),
      }));
    default:
      break;
  }
  const id = ref.id;
  let next = deleteFromMap(t, ref.kind, id);
  switch (ref.kind) {
    case "vpcs": {
      // Everything inside the VPC goes with it.
      for (const kind of ["subnets", "security_groups", "network_acls", "target_groups"] as const) {
        for (const [rid, r] of Object.entries(t[kind] ?? {})) if (r["vpc"] === id) next = removeCard(next, { kind, id: rid });
      }
      break;
    }
    case "subnets":
      for (const [iid, inst] of Object.entries(t.instances ?? {})) if (inst["subnet"] === id) next = removeCard(next, { kind: "instances", id: iid });
      next = mapAll(next, "load_balancers", (r) => dropFromList(r, "subnets", id));
      next = mapAll(next, "vpc_links", (r) => dropFromList(r, "subnets", id));
      break;
    case "security_groups":
      for (const k of ["instances", "load_balancers", "vpc_links"] as const) next = mapAll(next, k, (r) => dropFromList(r, "security_groups", id));
      next = mapAll(next, "security_groups", (sg) => {
        const refersTo = (rule: JsonObject, side: string) => asObject(rule[side])?.["security_group"] === id;
        const ingress = objectList(sg["ingress"]);
        const egress = sg["egress"] === undefined ? undefined : objectList(sg["egress"]);
        const ni = ingress.filter((r) => !refersTo(r, "source"));
        const ne = egress?.filter((r) => !refersTo(r, "destination"));
        if (ni.length === ingress.length && ne?.length === egress?.length) return sg;
        return ne === undefined ? { ...sg, ingress: ni } : { ...sg, ingress: ni, egress: ne };
      });
      break;
    case "network_acls":
      next = mapAll(next, "subnets", (r) => dropField(r, "network_acl", id));
      break;
    case "instances":
      next = mapAll(next, "target_groups", (tg) => {
        const targets = objectList(tg["targets"]);
        const kept = targets.filter((x) => x["id"] !== id);
        return kept.length === targets.length ? tg : { ...tg, targets: kept };
      });
      break;
    case "target_groups":
      next = mapAll(next, "load_balancers", (lb) => {
        const listeners = objectList(lb["listeners"]);
        const kept = listeners.filter((l) => l["forward"] !== id);
        return kept.length === listeners.length ? lb : { ...lb, listeners: kept };
      });
      next = mapAll(next, "alarms", (a) => dropField(a, "target_group", id));
      break;
    case "load_balancers":
      next = mapAll(next, "vpc_links", (r) => dropFromList(r, "targets", id));
      next = mapAll(next, "alarms", (a) => dropField(a, "load_balancer", id));
      break;
    case "vpc_links":
      for (const api of ["rest_apis", "http_apis"] as const) {
        next = mapAll(next, api, (a) => {
          const routes = asObject(a["routes"]);
          if (!routes) return a;
          let changed = false;
          const nr: JsonObject = {};
          for (const [k, route] of Object.entries(routes)) {
            const r = asObject(route);
            const integration = asObject(r?.["integration"]);
            if (r && integration?.["vpc_link"] === id) {
              const ni = { ...integration };
              delete ni["vpc_link"];
              delete ni["connection_type"];
              nr[k] = { ...r, integration: ni };
              changed = true;
            } else nr[k] = route;
          }
          return changed ? { ...a, routes: nr } : a;
        });
      }
      break;
    case "rest_apis":
    case "http_apis":
      next = mapAll(next, "alarms", (a) => dropField(a, "api", id));
      break;
    case "alarms":
      break;
  }
  return next;
}


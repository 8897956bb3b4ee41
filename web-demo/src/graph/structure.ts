// The topology as the canvas shows it: cards, the containers they sit in (VPC →
// Availability Zone → subnet), and the edges the references draw. Positions come later
// from the layout; this part is pure and unit-tested.

import type { CardKind, CardRef, Topology } from "../model/types";
import { MAP_KINDS } from "../model/types";
import { cardPointer } from "../model/pointer";
import { asObject, objectList, vpcOf } from "../model/edit";
import { edgesOf } from "../model/connections";

export type NodeRole = "card" | "vpc" | "az" | "subnet";

export interface GraphNode {
  id: string;
  role: NodeRole;
  /** The resource behind the node; absent for Availability Zone groups. */
  ref?: CardRef;
  kind: CardKind | "az";
  /** The id of the containing node, if any. Parents come before children in `nodes`. */
  parent?: string;
  /** What the card is called: its `name` when it has one, else its id (text only). */
  title: string;
  /** Its id or key, when the title is a name. */
  subtitle?: string;
}

export interface GraphEdge {
  id: string;
  relation: string;
  label: string;
  source: string;
  target: string;
}

export interface GraphStructure {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function azGroupId(vpc: string, az: string): string {
  return `az:${vpc}:${az}`;
}

export function edgeId(relation: string, from: CardRef, to: CardRef): string {
  return `${relation}|${cardPointer(from)}|${cardPointer(to)}`;
}

function titled(id: string, value: unknown): { title: string; subtitle?: string } {
  const name = asObject(value as never)?.["name"];
  return typeof name === "string" && name !== "" && name !== id ? { title: name, subtitle: id } : { title: id };
}

export function buildStructure(t: Topology): GraphStructure {
  const vpcs: GraphNode[] = [];
  const azs: GraphNode[] = [];
  const subnets: GraphNode[] = [];
  const cards: GraphNode[] = [];
  const vpcNode = (vpc: string | undefined) => (vpc && t.vpcs?.[vpc] ? cardPointer({ kind: "vpcs", id: vpc }) : undefined);

  for (const [id, v] of Object.entries(t.vpcs ?? {})) {
    vpcs.push({ id: cardPointer({ kind: "vpcs", id }), role: "vpc", ref: { kind: "vpcs", id }, kind: "vpcs", ...titled(id, v) });
  }
  const seenAz = new Set<string>();
  for (const [id, s] of Object.entries(t.subnets ?? {})) {
    const vpc = typeof s["vpc"] === "string" ? s["vpc"] : undefined;
    const az = typeof s["az"] === "string" ? s["az"] : "?";
    const parentVpc = vpcNode(vpc);
    let parent = parentVpc;
    if (parentVpc && vpc) {
      const gid = azGroupId(vpc, az);
      if (!seenAz.has(gid)) {
        seenAz.add(gid);
        azs.push({ id: gid, role: "az", kind: "az", parent: parentVpc, title: az });
      }
      parent = gid;
    }
    subnets.push({ id: cardPointer({ kind: "subnets", id }), role: "subnet", ref: { kind: "subnets", id }, kind: "subnets", parent, ...titled(id, s) });
  }
  for (const kind of MAP_KINDS) {
    if (kind === "vpcs" || kind === "subnets") continue;
    for (const [id, r] of Object.entries(t[kind] ?? {})) {
      const ref: CardRef = { kind, id };
      let parent: string | undefined;
      if (kind === "instances") {
        const s = r["subnet"];
        parent = typeof s === "string" && t.subnets?.[s] ? cardPointer({ kind: "subnets", id: s }) : undefined;
      } else if (kind !== "rest_apis" && kind !== "http_apis" && kind !== "alarms") {
        parent = vpcNode(vpcOf(t, ref));
      }
      cards.push({ id: cardPointer(ref), role: "card", ref, kind, parent, ...titled(id, r) });
      if (kind === "load_balancers") {
        objectList(r["listeners"]).forEach((l, index) => {
          const lref: CardRef = { kind: "listeners", lb: id, index };
          cards.push({
            id: cardPointer(lref),
            role: "card",
            ref: lref,
            kind: "listeners",
            parent,
            title: `${String(l["protocol"] ?? "?")} ${String(l["port"] ?? "?")}`,
            subtitle: `listener of ${id}`,
          });
        });
      }
      if (kind === "rest_apis" || kind === "http_apis") {
        for (const key of Object.keys(asObject(r["routes"]) ?? {})) {
          const rref: CardRef = { kind: "routes", api: kind, apiId: id, key };
          cards.push({ id: cardPointer(rref), role: "card", ref: rref, kind: "routes", title: key, subtitle: `route of ${id}` });
        }
      }
    }
  }
  const edges: GraphEdge[] = edgesOf(t).map((e) => ({
    id: edgeId(e.relation, e.from, e.to),
    relation: e.relation,
    label: e.label,
    source: cardPointer(e.from),
    target: cardPointer(e.to),
  }));
  return { nodes: [...vpcs, ...azs, ...subnets, ...cards], edges };
}

/** A key that changes only when cards, containers or edges come or go. */
export function structureKey(s: GraphStructure): string {
  return s.nodes.map((n) => `${n.id}<${n.parent ?? ""}`).join("\n") + "\n--\n" + s.edges.map((e) => e.id).join("\n");
}

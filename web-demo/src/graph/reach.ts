// Reachability on the canvas: each path from a route to a target colours the edges it
// runs along (green when every path through an edge gets through, red when none does,
// amber when some do), and the card that blocks a path carries the explanation.

import type { CardRef, Topology } from "../model/types";
import type { ReachPath, ReachReport } from "../engine/types";
import { objectList } from "../model/edit";
import { cardPointer, nodeIdOfPointer } from "../model/pointer";
import { edgeId } from "./structure";

export type EdgeStatus = "reachable" | "blocked" | "mixed" | "unknown";

export interface EdgeReach {
  status: EdgeStatus;
  /** One line per path through the edge, for the hover text. */
  lines: string[];
}

export interface ReachColours {
  edges: Map<string, EdgeReach>;
  /** Cards that block at least one path, with why. */
  blockers: Map<string, string[]>;
}

function describe(p: ReachPath): string {
  const to = p.target ? `${p.target}${p.target_port ? `:${p.target_port}` : ""}` : "no target";
  const head = `${p.route_key} → ${to}: ${p.verdict.status}`;
  return p.verdict.explanation ? `${head}. ${p.verdict.explanation}` : head;
}

/** The edges one path runs along, as edge ids of the canvas. */
export function pathEdges(t: Topology, p: ReachPath): string[] {
  const route: CardRef = { kind: "routes", api: p.api_kind === "http" ? "http_apis" : "rest_apis", apiId: p.api_id, key: p.route_key };
  const out: string[] = [];
  if (p.vpc_link) out.push(edgeId("integration", { kind: "vpc_links", id: p.vpc_link }, route));
  if (p.vpc_link && p.load_balancer) out.push(edgeId("link-target", { kind: "load_balancers", id: p.load_balancer }, { kind: "vpc_links", id: p.vpc_link }));
  if (p.load_balancer && p.listener_port !== undefined) {
    const index = objectList(t.load_balancers?.[p.load_balancer]?.["listeners"]).findIndex((l) => l["port"] === p.listener_port);
    if (index >= 0) {
      const listener: CardRef = { kind: "listeners", lb: p.load_balancer, index };
      out.push(edgeId("listener-of", listener, { kind: "load_balancers", id: p.load_balancer }));
      if (p.target_group) out.push(edgeId("forward", { kind: "target_groups", id: p.target_group }, listener));
    }
  }
  if (p.target_group && p.target && t.instances?.[p.target]) {
    out.push(edgeId("target", { kind: "instances", id: p.target }, { kind: "target_groups", id: p.target_group }));
  }
  return out;
}

function merge(a: EdgeStatus | undefined, b: EdgeStatus): EdgeStatus {
  if (a === undefined || a === b) return b;
  return "mixed";
}

export function reachColours(t: Topology, report: ReachReport | null): ReachColours {
  const edges = new Map<string, EdgeReach>();
  const blockers = new Map<string, string[]>();
  if (!report) return { edges, blockers };
  for (const p of report.paths) {
    const line = describe(p);
    for (const id of pathEdges(t, p)) {
      const cur = edges.get(id);
      edges.set(id, { status: merge(cur?.status, p.verdict.status), lines: [...(cur?.lines ?? []), line] });
    }
    if (p.verdict.status === "blocked") {
      const node =
        (p.verdict.path ? nodeIdOfPointer(t, p.verdict.path) : null) ??
        (p.verdict.component ? nodeIdOfPointer(t, cardPointer({ kind: p.verdict.component.kind as never, id: p.verdict.component.id })) : null);
      if (node) blockers.set(node, [...(blockers.get(node) ?? []), line]);
    }
  }
  return { edges, blockers };
}

// Automatic layout with elkjs: layered, right to left along the request path (the
// backend sits right of the API), with VPC → zone → subnet containers laid out as nested
// graphs. The app runs ELK in its own worker; tests use the bundled build.

import type { ELK, ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { GraphStructure } from "./structure";

export const CARD_WIDTH = 200;
export const CARD_HEIGHT = 64;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Above this many nodes, containers are laid out one by one, which ELK does far faster. */
const HIERARCHICAL_LIMIT = 300;

const CONTAINER_OPTIONS = {
  "elk.padding": "[top=40,left=16,bottom=16,right=16]",
};

export function elkGraph(s: GraphStructure): ElkNode {
  const large = s.nodes.length > HIERARCHICAL_LIMIT;
  const root: ElkNode = {
    id: "__root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "LEFT",
      "elk.hierarchyHandling": large ? "SEPARATE_CHILDREN" : "INCLUDE_CHILDREN",
      "elk.spacing.nodeNode": "24",
      "elk.layered.spacing.nodeNodeBetweenLayers": "48",
      "elk.spacing.componentComponent": "40",
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    },
    children: [],
    edges: [],
  };
  const byId = new Map<string, ElkNode>([["__root", root]]);
  const containers = new Set(s.nodes.filter((n) => n.role !== "card").map((n) => n.id));
  const parentOf = new Map<string, string>();
  for (const n of s.nodes) {
    const isContainer = containers.has(n.id);
    const node: ElkNode = isContainer
      ? { id: n.id, layoutOptions: { ...CONTAINER_OPTIONS, "elk.direction": n.role === "az" ? "DOWN" : "LEFT" }, children: [], edges: [] }
      : { id: n.id, width: CARD_WIDTH, height: CARD_HEIGHT };
    byId.set(n.id, node);
    const parent = byId.get(n.parent ?? "__root") ?? root;
    parentOf.set(n.id, n.parent && byId.has(n.parent) ? n.parent : "__root");
    parent.children?.push(node);
  }
  // Empty containers still need a size to be seen and dropped into.
  for (const id of containers) {
    const node = byId.get(id);
    if (node && node.children?.length === 0) {
      node.width = CARD_WIDTH + 32;
      node.height = CARD_HEIGHT + 56;
    }
  }
  for (const e of s.edges) {
    const ps = parentOf.get(e.source);
    const pt = parentOf.get(e.target);
    if (ps === undefined || pt === undefined) continue;
    const edge: ElkExtendedEdge = { id: e.id, sources: [e.source], targets: [e.target] };
    if (ps === pt) byId.get(ps)?.edges?.push(edge);
    else if (!large) root.edges?.push(edge);
  }
  return root;
}

/** Each node's box, relative to its parent (as React Flow positions children). */
export async function layout(elk: ELK, s: GraphStructure): Promise<Map<string, Box>> {
  const result = await elk.layout(elkGraph(s));
  const boxes = new Map<string, Box>();
  const walk = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      boxes.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? CARD_WIDTH, height: c.height ?? CARD_HEIGHT });
      walk(c);
    }
  };
  walk(result);
  return boxes;
}

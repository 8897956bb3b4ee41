// React Flow nodes and edges from the structure, the layout and the engine's findings.

import type { Edge } from "@xyflow/react";
import type { Topology } from "../model/types";
import type { Diagnostic } from "../engine/types";
import { nodeIdOfPointer, cardPointer } from "../model/pointer";
import type { Box } from "./layout";
import { CARD_HEIGHT, CARD_WIDTH } from "./layout";
import type { GraphStructure } from "./structure";
import type { CardNodeType, Decoration } from "./CardNode";
import type { ReachColours } from "./reach";
import type { ReachEdgeData } from "./ReachEdge";

export const EMPTY_DECORATION: Decoration = { errors: [], warnings: [], infos: [], blocks: [] };

/** The card a finding belongs to: the one its path points into, else its resource. */
export function nodeOfDiagnostic(t: Topology, d: Diagnostic): string | null {
  return nodeIdOfPointer(t, d.path) ?? (d.resource ? nodeIdOfPointer(t, cardPointer({ kind: d.resource.kind as never, id: d.resource.id })) : null);
}

export function decorations(t: Topology, diagnostics: readonly Diagnostic[], reach: ReachColours): Map<string, Decoration> {
  const out = new Map<string, Decoration>();
  const get = (id: string) => {
    let d = out.get(id);
    if (!d) {
      d = { errors: [], warnings: [], infos: [], blocks: [] };
      out.set(id, d);
    }
    return d;
  };
  for (const d of diagnostics) {
    const id = nodeOfDiagnostic(t, d);
    if (!id) continue;
    const deco = get(id);
    (d.severity === "error" ? deco.errors : d.severity === "warning" ? deco.warnings : deco.infos).push(d.code);
  }
  for (const [id, lines] of reach.blockers) get(id).blocks.push(...lines);
  return out;
}

export function sameDecoration(a: Decoration, b: Decoration): boolean {
  const eq = (x: string[], y: string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return eq(a.errors, b.errors) && eq(a.warnings, b.warnings) && eq(a.infos, b.infos) && eq(a.blocks, b.blocks);
}

export function buildNodes(s: GraphStructure, boxes: Map<string, Box>, deco: Map<string, Decoration>, selected: string | null): CardNodeType[] {
  return s.nodes.map((n) => {
    const box = boxes.get(n.id) ?? { x: 0, y: 0, width: CARD_WIDTH, height: CARD_HEIGHT };
    const container = n.role !== "card";
    return {
      id: n.id,
      type: container ? "container" : "card",
      position: { x: box.x, y: box.y },
      parentId: n.parent,
      width: box.width,
      height: box.height,
      style: { width: box.width, height: box.height },
      selected: n.id === selected,
      selectable: n.role !== "az",
      draggable: n.role !== "az",
      // Cards above every edge, so an edge's hit area never covers a card.
      zIndex: container ? 0 : 1000,
      data: { kind: n.kind, title: n.title, subtitle: n.subtitle, deco: deco.get(n.id) ?? EMPTY_DECORATION, container },
    };
  });
}

export function buildEdges(s: GraphStructure, reach: ReachColours, selectedEdge: string | null): Edge<ReachEdgeData, "reach">[] {
  return s.edges.map((e) => {
    const r = reach.edges.get(e.id);
    return {
      id: e.id,
      type: "reach",
      source: e.source,
      target: e.target,
      selected: e.id === selectedEdge,
      data: { relation: e.relation, label: e.label, status: r?.status, lines: r?.lines ?? [] },
    };
  });
}

// The canvas: React Flow over the structure and its layout. Edits go out as callbacks
// (connect, drop a kind, move an instance to another subnet); the app owns the topology.

import {
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesState,
  useReactFlow,
  type Connection,
  type Node,
  type XYPosition,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { CardKind } from "../model/types";
import type { DropPlace } from "../model/create";
import type { GraphStructure } from "./structure";
import { structureKey } from "./structure";
import { layout, type Box } from "./layout";
import { applyPins, pinOf, type Pin, type Placed } from "./pins";
import { elk } from "./elk";
import { buildEdges, buildNodes, EMPTY_DECORATION, sameDecoration } from "./flow";
import { CardNode, type CardNodeType, type Decoration } from "./CardNode";
import { ReachEdge } from "./ReachEdge";
import type { ReachColours } from "./reach";
import { DRAG_TYPE } from "../panels/Palette";

const nodeTypes = { card: CardNode, container: CardNode };
const edgeTypes = { reach: ReachEdge };

export interface CanvasProps {
  structure: GraphStructure;
  decorations: Map<string, Decoration>;
  reach: ReachColours;
  selected: string | null;
  selectedEdge: string | null;
  layoutEpoch: number;
  fitEpoch: number;
  focus: { id: string; seq: number } | null;
  onSelect: (id: string | null) => void;
  onSelectEdge: (id: string | null) => void;
  onConnect: (source: string, target: string) => void;
  onDropKind: (kind: CardKind, place: DropPlace) => void;
  onMoveInstance: (instanceNode: string, subnetNode: string | null) => void;
  onLayout: (ms: number, nodes: number) => void;
  /** Positions placed by hand earlier in the document the canvas starts with (autosave). */
  initialPins?: ReadonlyMap<string, Pin>;
  /** Called whenever the positions placed by hand change, so that they can be saved. */
  onPinsChange?: (pins: ReadonlyMap<string, Pin>) => void;
}

interface AbsBox {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export function Canvas(props: CanvasProps) {
  const { structure, decorations, reach, selected, selectedEdge } = props;
  const flow = useReactFlow();
  // Stable handlers: React Flow hands them to every node and edge wrapper, so a new
  // function on each render would re-render a thousand cards on every drag frame.
  const handlers = useRef(props);
  handlers.current = props;
  const [nodes, setNodes, onNodesChange] = useNodesState<CardNodeType>([]);
  const [boxes, setBoxes] = useState<{ key: string; epoch: number; boxes: Map<string, Box> } | null>(null);
  const key = useMemo(() => structureKey(structure), [structure]);
  const byId = useMemo(() => new Map(structure.nodes.map((n) => [n.id, n])), [structure]);
  const latest = useRef({ structure, decorations, selected, fitEpoch: props.fitEpoch });
  latest.current = { structure, decorations, selected, fitEpoch: props.fitEpoch };
  const fitDone = useRef(-1);
  // Nodes placed by hand, and the document (fit epoch) they were placed in: a new document
  // or an explicit auto-layout starts without them.
  const pins = useRef({ epoch: props.fitEpoch, at: new Map<string, Pin>(props.initialPins ?? []) });
  const currentPins = useCallback(() => {
    if (pins.current.epoch !== latest.current.fitEpoch) {
      pins.current = { epoch: latest.current.fitEpoch, at: new Map() };
      handlers.current.onPinsChange?.(pins.current.at);
    }
    return pins.current.at;
  }, []);
  const setPin = useCallback(
    (id: string, at: Pin | null) => {
      const all = currentPins();
      if (at) all.set(id, at);
      else all.delete(id);
      handlers.current.onPinsChange?.(all);
    },
    [currentPins],
  );
  // How the last placement shifted children of containers, to read drops back as pins.
  const shifts = useRef<Placed["shifts"]>(new Map());
  /** The nodes of a layout, with what was placed by hand where it was put. */
  const placeNodes = useCallback(
    (laidOut: Map<string, Box>) => {
      const cur = latest.current;
      const all = currentPins();
      // A card deleted and another added under the same id is laid out afresh.
      const gone = [...all.keys()].filter((id) => !laidOut.has(id));
      if (gone.length > 0) {
        for (const id of gone) all.delete(id);
        handlers.current.onPinsChange?.(all);
      }
      const placed = applyPins(cur.structure, laidOut, all);
      shifts.current = placed.shifts;
      setNodes(buildNodes(cur.structure, placed.boxes, cur.decorations, cur.selected));
    },
    [currentPins, setNodes],
  );

  // Lay out again when cards, containers or edges come or go, or on demand.
  useEffect(() => {
    let live = true;
    const started = performance.now();
    layout(elk(), structure).then(
      (b) => {
        if (!live) return;
        props.onLayout(performance.now() - started, structure.nodes.length);
        setBoxes({ key, epoch: props.layoutEpoch, boxes: b });
      },
      (e: unknown) => console.error("layout failed", e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, props.layoutEpoch]);

  useEffect(() => {
    if (!boxes || boxes.key !== key) return;
    placeNodes(boxes.boxes);
    // A new document (or an explicit auto-layout) is fitted to the view once its own
    // layout is on the canvas, two frames later when React Flow has placed the nodes.
    if (fitDone.current !== latest.current.fitEpoch) {
      fitDone.current = latest.current.fitEpoch;
      requestAnimationFrame(() => requestAnimationFrame(() => void flow.fitView({ padding: 0.06, duration: 0 })));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [boxes]);

  // Titles, findings and selection change without moving anything.
  useEffect(() => {
    setNodes((prev) =>
      prev.map((n) => {
        const s = byId.get(n.id);
        const deco = decorations.get(n.id) ?? EMPTY_DECORATION;
        const isSel = n.id === selected;
        if (s && s.title === n.data.title && s.subtitle === n.data.subtitle && sameDecoration(deco, n.data.deco) && !!n.selected === isSel) return n;
        return { ...n, selected: isSel, data: { ...n.data, title: s?.title ?? n.data.title, subtitle: s?.subtitle, deco } };
      }),
    );
  }, [byId, decorations, selected, setNodes]);


  useEffect(() => {
    if (!props.focus) return;
    const n = flow.getInternalNode(props.focus.id);
    if (!n) return;
    const p = n.internals.positionAbsolute;
    void flow.setCenter(p.x + (n.measured.width ?? 200) / 2, p.y + (n.measured.height ?? 60) / 2, { zoom: Math.max(flow.getZoom(), 0.9), duration: 0 });
  }, [props.focus, flow]);

  const edges = useMemo(() => buildEdges(structure, reach, selectedEdge), [structure, reach, selectedEdge]);

  const absoluteBoxes = useCallback((): AbsBox[] => {
    return flow.getNodes().flatMap((n) => {
      const i = flow.getInternalNode(n.id);
      if (!i) return [];
      const p = i.internals.positionAbsolute;
      return [{ id: n.id, x: p.x, y: p.y, w: i.measured.width ?? n.width ?? 0, h: i.measured.height ?? n.height ?? 0 }];
    });
  }, [flow]);

  /** The innermost node of the given roles containing `p`. */
  const innermost = useCallback(
    (p: XYPosition, roles: string[], except?: string): string | null => {
      let best: AbsBox | null = null;
      for (const b of absoluteBoxes()) {
        if (b.id === except || !roles.includes(byId.get(b.id)?.role ?? "")) continue;
        if (p.x < b.x || p.y < b.y || p.x > b.x + b.w || p.y > b.y + b.h) continue;
        if (!best || b.w * b.h < best.w * best.h) best = b;
      }
      return best?.id ?? null;
    },
    [absoluteBoxes, byId],
  );

  const placeAt = useCallback(
    (p: XYPosition): DropPlace => {
      const place: DropPlace = {};
      const cardId = innermost(p, ["card"]);
      const card = cardId ? byId.get(cardId)?.ref : undefined;
      if (card) place.card = card;
      let id = innermost(p, ["subnet", "az", "vpc"]);
      while (id) {
        const n = byId.get(id);
        if (!n) break;
        if (n.role === "subnet" && n.ref?.kind === "subnets") place.subnet ??= n.ref.id;
        if (n.role === "az") place.az ??= n.title;
        if (n.role === "vpc" && n.ref?.kind === "vpcs") place.vpc ??= n.ref.id;
        id = n.parent ?? null;
      }
      return place;
    },
    [innermost, byId],
  );

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const kind = e.dataTransfer.getData(DRAG_TYPE) as CardKind;
      if (!kind) return;
      e.preventDefault();
      handlers.current.onDropKind(kind, placeAt(flow.screenToFlowPosition({ x: e.clientX, y: e.clientY })));
    },
    [flow, placeAt],
  );

  /** Keeps a dragged node where it was dropped; its container grows to hold it. */
  const pin = useCallback(
    (id: string, at: Pin) => {
      setPin(id, at);
      // While a layout is on its way, it will place the node; otherwise place it now.
      if (boxes && boxes.key === key) placeNodes(boxes.boxes);
    },
    [boxes, key, setPin, placeNodes],
  );

  const onNodeDragStop = useCallback(
    (_: unknown, node: Node) => {
      const n = byId.get(node.id);
      if (!n) return;
      const i = flow.getInternalNode(node.id);
      if (!i) return;
      if (n.ref?.kind === "instances") {
        const p = i.internals.positionAbsolute;
        const center = { x: p.x + (i.measured.width ?? 0) / 2, y: p.y + (i.measured.height ?? 0) / 2 };
        const subnet = innermost(center, ["subnet"], node.id);
        if (subnet !== n.parent) {
          // Dropped into another subnet: it stays where it was dropped in that subnet.
          const to = subnet ? flow.getInternalNode(subnet)?.internals.positionAbsolute : undefined;
          setPin(node.id, subnet && to ? pinOf(node.id, subnet, { x: p.x - to.x, y: p.y - to.y }, shifts.current) : null);
          handlers.current.onMoveInstance(node.id, subnet);
          return;
        }
      }
      pin(node.id, pinOf(node.id, n.parent, node.position, shifts.current));
    },
    [byId, flow, innermost, pin, setPin],
  );

  const onNodeClick = useCallback((_: unknown, n: Node) => handlers.current.onSelect(n.id), []);
  const onEdgeClick = useCallback((_: unknown, e: { id: string }) => handlers.current.onSelectEdge(e.id), []);
  const onPaneClick = useCallback(() => handlers.current.onSelect(null), []);
  const onConnect = useCallback((c: Connection) => {
    if (c.source && c.target) handlers.current.onConnect(c.source, c.target);
  }, []);

  const large = structure.nodes.length > 300;
  return (
    <div className="canvas" data-testid="canvas" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-nodes={nodes.length} data-layout-key-ready={boxes?.key === key ? "yes" : "no"} data-layout-epoch={boxes?.epoch ?? -1}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={onNodeClick}
        onEdgeClick={onEdgeClick}
        onPaneClick={onPaneClick}
        onConnect={onConnect}
        onNodeDragStop={onNodeDragStop}
        connectionMode={ConnectionMode.Loose}
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        onlyRenderVisibleElements={large}
        minZoom={0.02}
        maxZoom={2}
        elevateNodesOnSelect={false}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        {!large && <MiniMap pannable zoomable />}
      </ReactFlow>
    </div>
  );
}

// Cards and containers the user placed by hand keep their place when the automatic layout
// runs again after a structural edit (a card or connection added or removed). Only an
// explicit auto-layout, or another document, lets the layout move them again. Positions
// are the canvas's own: the topology format has no place for them.

import type { Box } from "./layout";
import type { GraphStructure } from "./structure";

/** Where a node was put, relative to the container it was put in (React Flow's `position`). */
export interface Pin {
  parent: string | undefined;
  x: number;
  y: number;
}

/** Room a container keeps around its children: its title on top (as the layout's padding). */
const PAD = { top: 40, left: 16, bottom: 16, right: 16 };

type Shift = { x: number; y: number };

/** The boxes to draw, and how far each container's children were shifted right and down. */
export interface Placed {
  boxes: Map<string, Box>;
  /**
   * A child put left of or above its container's inside shifts all the children right and
   * down by this much, and the container left and up by as much, so that nothing moves on
   * the canvas. Only containers that shifted are listed.
   */
  shifts: Map<string, Shift>;
}

/**
 * The layout with every pinned node where it was put (while it is still in the same
 * container), and containers grown so that each still holds its children. A container that
 * grows makes room beside it: the neighbours that were not placed by hand move aside by as
 * much as it grew.
 */
export function applyPins(s: GraphStructure, laidOut: ReadonlyMap<string, Box>, pins: ReadonlyMap<string, Pin>): Placed {
  const boxes = new Map(laidOut);
  const shifts = new Map<string, Shift>();
  const pinned = new Set<string>();
  for (const n of s.nodes) {
    const pin = pins.get(n.id);
    const box = boxes.get(n.id);
    if (pin && box && pin.parent === n.parent) {
      boxes.set(n.id, { ...box, x: pin.x, y: pin.y });
      pinned.add(n.id);
    }
  }
  if (pinned.size > 0) fitContainers(s, boxes, pinned, shifts);
  return { boxes, shifts };
}

/**
 * The pin of a node dropped at `position` (React Flow's, relative to its container as drawn),
 * in the terms `applyPins` reads: without the shift its container gave its children, and
 * with the shift the node itself gave its own (the container was drawn that far up and left).
 * Drawn again, the node is exactly where it was dropped.
 */
export function pinOf(id: string, parent: string | undefined, position: { x: number; y: number }, shifts: ReadonlyMap<string, Shift>): Pin {
  const byParent = (parent && shifts.get(parent)) || { x: 0, y: 0 };
  const own = shifts.get(id) ?? { x: 0, y: 0 };
  return { parent, x: position.x - byParent.x + own.x, y: position.y - byParent.y + own.y };
}

/** Grows each container (innermost first) to hold its children, shifting them when one sits left of or above its top-left corner. */
function fitContainers(s: GraphStructure, boxes: Map<string, Box>, pinned: ReadonlySet<string>, shifts: Map<string, Shift>): void {
  const children = new Map<string, string[]>();
  const siblings = new Map<string | undefined, string[]>();
  const depth = new Map<string, number>();
  const byId = new Map(s.nodes.map((n) => [n.id, n]));
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const parent = byId.get(id)?.parent;
    const d = parent && parent !== id ? depthOf(parent) + 1 : 0;
    depth.set(id, d);
    return d;
  };
  for (const n of s.nodes) {
    const level = siblings.get(n.parent) ?? [];
    level.push(n.id);
    siblings.set(n.parent, level);
    if (!n.parent) continue;
    const list = children.get(n.parent) ?? [];
    list.push(n.id);
    children.set(n.parent, list);
  }
  const containers = [...children.keys()].sort((a, b) => depthOf(b) - depthOf(a));
  for (const id of containers) {
    const box = boxes.get(id);
    const kids = (children.get(id) ?? []).flatMap((c) => {
      const b = boxes.get(c);
      return b ? [[c, b] as const] : [];
    });
    if (!box || kids.length === 0) continue;
    const dx = Math.max(0, PAD.left - Math.min(...kids.map(([, b]) => b.x)));
    const dy = Math.max(0, PAD.top - Math.min(...kids.map(([, b]) => b.y)));
    if (dx > 0 || dy > 0) {
      for (const [c, b] of kids) boxes.set(c, { ...b, x: b.x + dx, y: b.y + dy });
      shifts.set(id, { x: dx, y: dy });
    }
    const right = Math.max(...kids.map(([, b]) => b.x + dx + b.width)) + PAD.right;
    const bottom = Math.max(...kids.map(([, b]) => b.y + dy + b.height)) + PAD.bottom;
    // The container moves by what its children were shifted, so that they stay where they
    // were on the canvas.
    const grown = { x: box.x - dx, y: box.y - dy, width: Math.max(box.width + dx, right), height: Math.max(box.height + dy, bottom) };
    boxes.set(id, grown);
    // What was placed by hand stays where it was put, even in the way.
    const others = (siblings.get(byId.get(id)?.parent) ?? []).filter((o) => o !== id && !pinned.has(o));
    makeRoom(others, box, grown, boxes);
  }
}

/**
 * Moves the neighbours of a container that grew from `was` to `now` out of its way, as if
 * strips of space were inserted at its old edges: everything wholly right of its old right
 * edge moves right by the growth to the right, and likewise below, left and above. Nothing
 * else moves, so neighbours that did not overlap one another still do not, and none that
 * was clear of the container overlaps it now (each lay wholly beyond one of its old edges).
 * Neighbours pushed outside their own container's top-left are brought back when that
 * container is fitted.
 */
function makeRoom(neighbours: readonly string[], was: Box, now: Box, boxes: Map<string, Box>): void {
  const grow = {
    left: was.x - now.x,
    top: was.y - now.y,
    right: now.x + now.width - (was.x + was.width),
    bottom: now.y + now.height - (was.y + was.height),
  };
  if (grow.left <= 0 && grow.top <= 0 && grow.right <= 0 && grow.bottom <= 0) return;
  for (const id of neighbours) {
    const b = boxes.get(id);
    if (!b) continue;
    let { x, y } = b;
    if (b.x >= was.x + was.width) x += grow.right;
    else if (b.x + b.width <= was.x) x -= grow.left;
    if (b.y >= was.y + was.height) y += grow.bottom;
    else if (b.y + b.height <= was.y) y -= grow.top;
    if (x !== b.x || y !== b.y) boxes.set(id, { ...b, x, y });
  }
}

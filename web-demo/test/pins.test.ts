import { describe, expect, it } from "vitest";
import type { Box } from "../src/graph/layout";
import { applyPins, pinOf, type Pin } from "../src/graph/pins";
import type { GraphStructure } from "../src/graph/structure";

// A VPC holding a subnet holding an instance, and a security group beside the subnet.
const s: GraphStructure = {
  nodes: [
    { id: "/vpcs/app", role: "vpc", kind: "vpcs", title: "app" },
    { id: "/subnets/a", role: "subnet", kind: "subnets", parent: "/vpcs/app", title: "a" },
    { id: "/instances/web", role: "card", kind: "instances", parent: "/subnets/a", title: "web" },
    { id: "/security_groups/app", role: "card", kind: "security_groups", parent: "/vpcs/app", title: "app" },
  ],
  edges: [],
} as GraphStructure;

const laidOut = new Map<string, Box>([
  ["/vpcs/app", { x: 0, y: 0, width: 500, height: 300 }],
  ["/subnets/a", { x: 16, y: 40, width: 232, height: 120 }],
  ["/instances/web", { x: 16, y: 40, width: 200, height: 64 }],
  ["/security_groups/app", { x: 280, y: 40, width: 200, height: 64 }],
]);

describe("pins", () => {
  it("leave the layout as it is when nothing was placed by hand", () => {
    expect(applyPins(s, laidOut, new Map())).toEqual({ boxes: laidOut, shifts: new Map() });
  });

  it("put a pinned card where it was placed and grow its containers to hold it", () => {
    const pins = new Map<string, Pin>([["/instances/web", { parent: "/subnets/a", x: 300, y: 200 }]]);
    const b = applyPins(s, laidOut, pins).boxes;
    expect(b.get("/instances/web")).toEqual({ x: 300, y: 200, width: 200, height: 64 });
    // The subnet reaches to the card and its padding; the VPC to the subnet.
    expect(b.get("/subnets/a")).toEqual({ x: 16, y: 40, width: 516, height: 280 });
    // The subnet grew 284 to the right, so the security group beside it moves as far
    // (280 + 284), and the VPC reaches to it and its padding: 564 + 200 + 16.
    expect(b.get("/security_groups/app")).toEqual({ x: 564, y: 40, width: 200, height: 64 });
    expect(b.get("/vpcs/app")).toEqual({ x: 0, y: 0, width: 780, height: 336 });
  });

  it("make room around a grown container on every side it grew, and move nothing else", () => {
    // Four neighbours of subnet a inside the VPC: right, below, left and above it; and one
    // diagonal (right and below). A second VPC sits to the right at the top level.
    const wide: GraphStructure = {
      nodes: [
        { id: "/vpcs/app", role: "vpc", kind: "vpcs", title: "app" },
        { id: "/vpcs/other", role: "vpc", kind: "vpcs", title: "other" },
        { id: "/subnets/a", role: "subnet", kind: "subnets", parent: "/vpcs/app", title: "a" },
        { id: "/instances/web", role: "card", kind: "instances", parent: "/subnets/a", title: "web" },
        { id: "/instances/right", role: "card", kind: "instances", parent: "/vpcs/app", title: "right" },
        { id: "/instances/below", role: "card", kind: "instances", parent: "/vpcs/app", title: "below" },
        { id: "/instances/left", role: "card", kind: "instances", parent: "/vpcs/app", title: "left" },
        { id: "/instances/above", role: "card", kind: "instances", parent: "/vpcs/app", title: "above" },
        { id: "/instances/corner", role: "card", kind: "instances", parent: "/vpcs/app", title: "corner" },
      ],
      edges: [],
    } as GraphStructure;
    const card = { width: 100, height: 50 };
    const before = new Map<string, Box>([
      ["/vpcs/app", { x: 0, y: 0, width: 700, height: 500 }],
      ["/vpcs/other", { x: 800, y: 0, width: 300, height: 200 }],
      ["/subnets/a", { x: 200, y: 150, width: 232, height: 120 }],
      ["/instances/web", { x: 16, y: 40, width: 200, height: 64 }],
      ["/instances/right", { x: 450, y: 160, ...card }],
      ["/instances/below", { x: 250, y: 300, ...card }],
      ["/instances/left", { x: 60, y: 160, ...card }],
      ["/instances/above", { x: 250, y: 70, ...card }],
      ["/instances/corner", { x: 500, y: 400, ...card }],
    ]);
    // web is put 40 left of and 25 above the subnet's inside.
    const pins = new Map<string, Pin>([["/instances/web", { parent: "/subnets/a", x: -24, y: 15 }]]);
    const b = applyPins(wide, before, pins).boxes;
    // The subnet's children shift by (40, 25), the subnet moves by (-40, -25): web stays at
    // (176, 165) on the canvas. The subnet grew 40 left and 25 up, and not right or down
    // (its width 232 + 40 still holds web: 16 + 200 + 16 = 232).
    expect(b.get("/subnets/a")).toEqual({ x: 160, y: 125, width: 272, height: 145 });
    expect(b.get("/instances/web")).toEqual({ x: 16, y: 40, width: 200, height: 64 });
    expect(b.get("/instances/left")).toMatchObject({ x: 20, y: 160 });
    expect(b.get("/instances/above")).toMatchObject({ x: 250, y: 45 });
    expect(b.get("/instances/right")).toEqual(before.get("/instances/right"));
    expect(b.get("/instances/below")).toEqual(before.get("/instances/below"));
    expect(b.get("/instances/corner")).toEqual(before.get("/instances/corner"));
    // Nothing moved outside the VPC's padding, so it neither moves nor grows, and the other VPC stays.
    expect(b.get("/vpcs/app")).toEqual(before.get("/vpcs/app"));
    expect(b.get("/vpcs/other")).toEqual(before.get("/vpcs/other"));

    // Now web is put far right and below instead: the subnet grows 300 right and 200 down.
    const far = new Map<string, Pin>([["/instances/web", { parent: "/subnets/a", x: 316, y: 240 }]]);
    const c = applyPins(wide, before, far).boxes;
    expect(c.get("/subnets/a")).toEqual({ x: 200, y: 150, width: 532, height: 320 });
    expect(c.get("/instances/right")).toMatchObject({ x: 750, y: 160 });
    expect(c.get("/instances/below")).toMatchObject({ x: 250, y: 500 });
    expect(c.get("/instances/corner")).toMatchObject({ x: 800, y: 600 });
    expect(c.get("/instances/left")).toEqual(before.get("/instances/left"));
    expect(c.get("/instances/above")).toEqual(before.get("/instances/above"));
    // The VPC grows to the corner card (800 + 100 + 16, 600 + 50 + 16), by 216 and 166, and
    // so the other VPC, wholly right of it, moves right by 216.
    expect(c.get("/vpcs/app")).toEqual({ x: 0, y: 0, width: 916, height: 666 });
    expect(c.get("/vpcs/other")).toEqual({ x: 1016, y: 0, width: 300, height: 200 });
    // And no two boxes in the same container overlap.
    for (const parent of [undefined, "/vpcs/app"]) {
      const level = wide.nodes.filter((n) => n.parent === parent).map((n) => c.get(n.id)!);
      for (const [i, p] of level.entries())
        for (const q of level.slice(i + 1))
          expect(p.x + p.width <= q.x || q.x + q.width <= p.x || p.y + p.height <= q.y || q.y + q.height <= p.y).toBe(true);
    }
  });

  it("shift the other children and the container when a card is put above or left of it, so nothing moves on the canvas", () => {
    const pins = new Map<string, Pin>([["/security_groups/app", { parent: "/vpcs/app", x: -100, y: 10 }]]);
    const b = applyPins(s, laidOut, pins).boxes;
    // 116 to the right and 30 down inside the VPC, which moves 116 left and 30 up.
    expect(b.get("/security_groups/app")).toMatchObject({ x: 16, y: 40 });
    expect(b.get("/subnets/a")).toMatchObject({ x: 132, y: 70 });
    expect(b.get("/vpcs/app")).toMatchObject({ x: -116, y: -30, width: 616, height: 330 });
  });

  it("ignore a pin made in another container", () => {
    const pins = new Map<string, Pin>([["/instances/web", { parent: "/subnets/b", x: 300, y: 200 }]]);
    expect(applyPins(s, laidOut, pins).boxes.get("/instances/web")).toEqual(laidOut.get("/instances/web"));
  });

  it("leave a neighbour placed by hand where it was put, even in the way of a grown container", () => {
    const pins = new Map<string, Pin>([
      ["/instances/web", { parent: "/subnets/a", x: 300, y: 200 }],
      ["/security_groups/app", { parent: "/vpcs/app", x: 280, y: 40 }],
    ]);
    expect(applyPins(s, laidOut, pins).boxes.get("/security_groups/app")).toMatchObject({ x: 280, y: 40 });
  });

  // Where a node is on the canvas: its box plus the boxes of every container around it.
  const absolute = (boxes: Map<string, Box>, id: string | undefined): { x: number; y: number } => {
    if (!id) return { x: 0, y: 0 };
    const b = boxes.get(id)!;
    const up = absolute(boxes, s.nodes.find((n) => n.id === id)?.parent);
    return { x: up.x + b.x, y: up.y + b.y };
  };

  it("read a drop back as a pin that draws the node where it was dropped", () => {
    const drops: [string, Map<string, Pin>, string, { x: number; y: number }][] = [
      // A security group pushed aside by a grown subnet, dragged a little further.
      ["pushed neighbour", new Map([["/instances/web", { parent: "/subnets/a", x: 300, y: 200 }]]), "/security_groups/app", { x: 570, y: 45 }],
      // The subnet, drawn shifted because the security group sits left of the VPC's inside.
      ["shifted sibling", new Map([["/security_groups/app", { parent: "/vpcs/app", x: -100, y: 10 }]]), "/subnets/a", { x: 142, y: 70 }],
      // The subnet itself drawn up and left, around an instance put above and left of it.
      ["shifted container", new Map([["/instances/web", { parent: "/subnets/a", x: -24, y: 15 }]]), "/subnets/a", { x: 21, y: 40 }],
    ];
    for (const [what, pins, id, dropped] of drops) {
      const before = applyPins(s, laidOut, pins);
      const parent = s.nodes.find((n) => n.id === id)?.parent;
      const container = absolute(before.boxes, parent);
      const want = { x: container.x + dropped.x, y: container.y + dropped.y };
      const after = applyPins(s, laidOut, new Map([...pins, [id, pinOf(id, parent, dropped, before.shifts)]]));
      expect(absolute(after.boxes, id), what).toEqual(want);
    }
  });
});

import { describe, expect, it } from "vitest";
import type { Box } from "../src/graph/layout";
import { applyPins, type Pin } from "../src/graph/pins";
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
    expect(applyPins(s, laidOut, new Map())).toEqual(laidOut);
  });

  it("put a pinned card where it was placed and grow its containers to hold it", () => {
    const pins = new Map<string, Pin>([["/instances/web", { parent: "/subnets/a", x: 300, y: 200 }]]);
    const b = applyPins(s, laidOut, pins);
    expect(b.get("/instances/web")).toEqual({ x: 300, y: 200, width: 200, height: 64 });
    // The subnet reaches to the card and its padding; the VPC to the subnet.
    expect(b.get("/subnets/a")).toEqual({ x: 16, y: 40, width: 516, height: 280 });
    expect(b.get("/vpcs/app")).toEqual({ x: 0, y: 0, width: 548, height: 336 });
    // Nothing else moves.
    expect(b.get("/security_groups/app")).toEqual(laidOut.get("/security_groups/app"));
  });

  it("shift the other children and the container when a card is put above or left of it, so nothing moves on the canvas", () => {
    const pins = new Map<string, Pin>([["/security_groups/app", { parent: "/vpcs/app", x: -100, y: 10 }]]);
    const b = applyPins(s, laidOut, pins);
    // 116 to the right and 30 down inside the VPC, which moves 116 left and 30 up.
    expect(b.get("/security_groups/app")).toMatchObject({ x: 16, y: 40 });
    expect(b.get("/subnets/a")).toMatchObject({ x: 132, y: 70 });
    expect(b.get("/vpcs/app")).toMatchObject({ x: -116, y: -30, width: 616, height: 330 });
  });

  it("ignore a pin made in another container", () => {
    const pins = new Map<string, Pin>([["/instances/web", { parent: "/subnets/b", x: 300, y: 200 }]]);
    expect(applyPins(s, laidOut, pins).get("/instances/web")).toEqual(laidOut.get("/instances/web"));
  });
});

import { describe, expect, it } from "vitest";
import ELK from "elkjs/lib/elk.bundled.js";
import example from "../../examples/three-tier.json";
import reachFixture from "../../examples/three-tier.reach.json";
import type { Topology } from "../src/model/types";
import type { ReachReport } from "../src/engine/types";
import { buildStructure, edgeId, structureKey } from "../src/graph/structure";
import { layout } from "../src/graph/layout";
import { reachColours } from "../src/graph/reach";
import { removeCard } from "../src/model/remove";
import { createAt } from "../src/model/create";
import { nodeIdOfPointer } from "../src/model/pointer";

const t = example as unknown as Topology;

describe("topology → canvas structure", () => {
  const s = buildStructure(t);
  const node = (id: string) => s.nodes.find((n) => n.id === id);

  it("nests VPC → zone → subnet → instance, and keeps parents before children", () => {
    expect(node("/vpcs/app")?.role).toBe("vpc");
    expect(node("az:app:us-east-1a")?.parent).toBe("/vpcs/app");
    expect(node("/subnets/private-a")?.parent).toBe("az:app:us-east-1a");
    expect(node("/instances/web-1")?.parent).toBe("/subnets/private-a");
    expect(node("/load_balancers/nlb")?.parent).toBe("/vpcs/app");
    expect(node("/load_balancers/nlb/listeners/0")?.title).toBe("TCP 80");
    expect(node("/rest_apis/shop/routes/GET ~1products")?.parent).toBeUndefined();
    const index = new Map(s.nodes.map((n, i) => [n.id, i]));
    for (const n of s.nodes) if (n.parent) expect(index.get(n.parent)!).toBeLessThan(index.get(n.id)!);
  });

  it("titles a card by its name and keeps the id beside it", () => {
    expect(node("/vpcs/app")).toMatchObject({ title: "shop-vpc", subtitle: "app" });
    expect(node("/instances/web-1")).toMatchObject({ title: "web-1" });
  });

  it("changes the structure key only when cards or edges come or go", () => {
    const renamed = structuredClone(t);
    renamed.instances!["web-1"]!["name"] = "renamed";
    expect(structureKey(buildStructure(renamed))).toBe(structureKey(s));
    expect(structureKey(buildStructure(removeCard(t, { kind: "instances", id: "web-1" })))).not.toBe(structureKey(s));
  });

  it("lays out every node, children inside their containers", async () => {
    const boxes = await layout(new ELK(), s);
    for (const n of s.nodes) {
      const b = boxes.get(n.id);
      expect(b, n.id).toBeDefined();
      if (n.parent && b) {
        const p = boxes.get(n.parent)!;
        expect(b.x + b.width).toBeLessThanOrEqual(p.width);
        expect(b.y + b.height).toBeLessThanOrEqual(p.height);
      }
    }
  });
});

describe("reachability colours", () => {
  it("colours the example's three paths green along route → link → NLB → listener → TG → instance", () => {
    const c = reachColours(t, reachFixture as unknown as ReachReport);
    const listener = { kind: "listeners", lb: "nlb", index: 0 } as const;
    expect(c.edges.get(edgeId("target", { kind: "instances", id: "web-2" }, { kind: "target_groups", id: "backend" }))?.status).toBe("reachable");
    expect(c.edges.get(edgeId("forward", { kind: "target_groups", id: "backend" }, listener))?.lines).toHaveLength(3);
    expect(c.edges.get(edgeId("link-target", { kind: "load_balancers", id: "nlb" }, { kind: "vpc_links", id: "link" }))?.status).toBe("reachable");
    expect(c.blockers.size).toBe(0);
    const ids = new Set(buildStructure(t).edges.map((e) => e.id));
    for (const id of c.edges.keys()) expect(ids.has(id), id).toBe(true);
  });

  it("turns a path red and names the blocking card when one target is blocked", () => {
    const r = structuredClone(reachFixture) as unknown as ReachReport;
    r.paths[0]!.verdict = { status: "blocked", component: { kind: "security_groups", id: "app" }, path: "/security_groups/app/ingress", explanation: "no 8080" };
    const c = reachColours(t, r);
    const edge = (inst: string) => c.edges.get(edgeId("target", { kind: "instances", id: inst }, { kind: "target_groups", id: "backend" }));
    expect(edge(r.paths[0]!.target!)?.status).toBe("blocked");
    expect(edge(r.paths[0]!.target!)?.lines[0]).toMatch(/blocked\. no 8080$/);
    expect(c.edges.get(edgeId("link-target", { kind: "load_balancers", id: "nlb" }, { kind: "vpc_links", id: "link" }))?.status).toBe("mixed");
    expect([...c.blockers.keys()]).toEqual(["/security_groups/app"]);
  });
});

describe("create and delete", () => {
  it("an instance needs a subnet; dropped in one it lives there", () => {
    expect(createAt(t, "instances", { vpc: "app" })).toEqual({ ok: false, reason: "Drop the instance inside a subnet." });
    const out = createAt(t, "instances", { vpc: "app", subnet: "private-b" });
    expect(out.ok && out.topology.instances?.["instance"]).toEqual({ subnet: "private-b", security_groups: [], instance_type: "t3.small" });
  });

  it("a new subnet takes a free /24 of its VPC in the zone it was dropped in", () => {
    const out = createAt(t, "subnets", { vpc: "app", az: "us-east-1b" });
    expect(out.ok && out.topology.subnets?.["subnet"]).toEqual({ vpc: "app", az: "us-east-1b", cidr: "10.0.3.0/24" });
  });

  it("deleting a security group removes its attachments and the rules naming it", () => {
    const out = removeCard(t, { kind: "security_groups", id: "nlb" });
    expect(out.security_groups?.["nlb"]).toBeUndefined();
    expect(out.load_balancers?.["nlb"]?.["security_groups"]).toEqual([]);
    expect(out.security_groups?.["app"]?.["ingress"]).toEqual([]);
  });

  it("deleting an instance deregisters it; deleting a target group drops its listener and alarm link", () => {
    const a = removeCard(t, { kind: "instances", id: "web-3" });
    expect(a.target_groups?.["backend"]?.["targets"]).toEqual([{ id: "web-1" }, { id: "web-2" }]);
    const b = removeCard(t, { kind: "target_groups", id: "backend" });
    expect(b.load_balancers?.["nlb"]?.["listeners"]).toEqual([]);
    expect(b.alarms?.["unhealthy"]?.["target_group"]).toBeUndefined();
  });

  it("a diagnostic path leads to its card, or to the parent of a missing nested card", () => {
    expect(nodeIdOfPointer(t, "/security_groups/app/ingress")).toBe("/security_groups/app");
    expect(nodeIdOfPointer(t, "/rest_apis/shop/routes/GET ~1products/integration/uri")).toBe("/rest_apis/shop/routes/GET ~1products");
    expect(nodeIdOfPointer(t, "/load_balancers/nlb/listeners/7")).toBe("/load_balancers/nlb");
    expect(nodeIdOfPointer(t, "/region")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import example from "../../examples/three-tier.json";
import type { CardRef, Topology } from "../src/model/types";
import { connect, disconnect, edgesOf, findRelation } from "../src/model/connections";
import { createAt } from "../src/model/create";

const base = example as unknown as Topology;
const ref = (kind: string, id: string) => ({ kind, id }) as CardRef;

function connected(t: Topology, a: CardRef, b: CardRef): Topology {
  const out = connect(t, a, b);
  if (!out.ok) throw new Error(`refused: ${out.reason}`);
  return out.topology;
}

function withNewInstance(): Topology {
  const out = createAt(base, "instances", { vpc: "app", az: "us-east-1b", subnet: "private-b" });
  if (!out.ok) throw new Error(out.reason);
  return out.topology;
}

describe("connection semantics", () => {
  it("instance → target group registers a target, in either drag direction", () => {
    const t = withNewInstance();
    const a = connected(t, ref("instances", "instance"), ref("target_groups", "backend"));
    expect(a.target_groups?.["backend"]?.["targets"]).toEqual([{ id: "web-1" }, { id: "web-2" }, { id: "web-3" }, { id: "instance" }]);
    const b = connected(t, ref("target_groups", "backend"), ref("instances", "instance"));
    expect(b.target_groups?.["backend"]?.["targets"]).toEqual(a.target_groups?.["backend"]?.["targets"]);
    // The input is never changed.
    expect(base.target_groups?.["backend"]?.["targets"]).toHaveLength(3);
  });

  it("refuses registering an instance twice, with the reason", () => {
    const out = connect(base, ref("instances", "web-1"), ref("target_groups", "backend"));
    expect(out).toEqual({ ok: false, reason: "`web-1` is already a target of `backend`." });
  });

  it("refuses an instance into a target group of ip targets", () => {
    const t = structuredClone(base);
    t.target_groups!["backend"]!["target_type"] = "ip";
    const out = connect(t, ref("instances", "web-1"), ref("target_groups", "backend"));
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toMatch(/takes ip targets/);
  });

  it("refuses a cross-VPC registration", () => {
    const t = structuredClone(base);
    t.vpcs!["other"] = { cidr: "10.9.0.0/16" };
    t.target_groups!["far"] = { vpc: "other", protocol: "TCP", port: 80, targets: [] };
    const out = connect(t, ref("instances", "web-1"), ref("target_groups", "far"));
    expect(!out.ok && out.reason).toBe("A target group registers instances of its own VPC only: one is in VPC `app`, the other in `other`.");
  });

  it("target group → NLB adds a listener on a free port forwarding to it", () => {
    const t = structuredClone(base);
    t.target_groups!["admin"] = { vpc: "app", protocol: "TCP", port: 9090, targets: [] };
    const out = connected(t, ref("target_groups", "admin"), ref("load_balancers", "nlb"));
    expect(out.load_balancers?.["nlb"]?.["listeners"]).toEqual([
      { port: 80, protocol: "TCP", forward: "backend" },
      { port: 8080, protocol: "TCP", forward: "admin" },
    ]);
    expect(connect(out, ref("target_groups", "admin"), ref("load_balancers", "nlb")).ok).toBe(false);
  });

  it("NLB → VPC link sets the link's one target; an ALB is refused", () => {
    const t = structuredClone(base);
    t.vpc_links!["link"] = { targets: [] };
    expect(connected(t, ref("load_balancers", "nlb"), ref("vpc_links", "link")).vpc_links?.["link"]?.["targets"]).toEqual(["nlb"]);
    t.load_balancers!["nlb"]!["type"] = "application";
    const out = connect(t, ref("load_balancers", "nlb"), ref("vpc_links", "link"));
    expect(!out.ok && out.reason).toBe("A REST API VPC link targets a network load balancer only.");
  });

  it("VPC link → route sets the integration's connection and a URI on the listener port", () => {
    const t = structuredClone(base);
    t.rest_apis!["shop"]!["routes"] = { "GET /x": { integration: { type: "HTTP_PROXY" } } };
    const route: CardRef = { kind: "routes", api: "rest_apis", apiId: "shop", key: "GET /x" };
    const out = connected(t, ref("vpc_links", "link"), route);
    expect((out.rest_apis?.["shop"]?.["routes"] as Record<string, unknown>)["GET /x"]).toEqual({
      integration: { type: "HTTP_PROXY", vpc_link: "link", uri: "http://nlb.internal:80/" },
    });
    const back = disconnect(out, "integration", ref("vpc_links", "link"), route);
    expect(back.ok && (back.topology.rest_apis?.["shop"]?.["routes"] as Record<string, unknown>)["GET /x"]).toEqual({
      integration: { type: "HTTP_PROXY", uri: "http://nlb.internal:80/" },
    });
  });

  it("security group → card attaches it, once", () => {
    const t = withNewInstance();
    const out = connected(t, ref("security_groups", "app"), ref("instances", "instance"));
    expect(out.instances?.["instance"]?.["security_groups"]).toEqual(["app"]);
    expect(connect(out, ref("security_groups", "app"), ref("instances", "instance")).ok).toBe(false);
    const nlb = connect(base, ref("security_groups", "app"), ref("load_balancers", "nlb"));
    expect(nlb.ok && nlb.topology.load_balancers?.["nlb"]?.["security_groups"]).toEqual(["nlb", "app"]);
  });

  it("subnet → NLB keeps one subnet per zone", () => {
    const out = connect(base, ref("subnets", "private-a"), ref("load_balancers", "nlb"));
    expect(!out.ok && out.reason).toBe("`nlb` already has subnet `nlb-a` in us-east-1a: one subnet per zone.");
  });

  it("refuses pairs that mean nothing, with a short reason", () => {
    const cases: [CardRef, CardRef, string][] = [
      [ref("instances", "web-1"), ref("load_balancers", "nlb"), "An NLB forwards to a target group, not straight to instances: connect the instance to a target group."],
      [ref("target_groups", "backend"), ref("vpc_links", "link"), "A VPC link targets a network load balancer, not a target group."],
      [ref("vpcs", "app"), ref("alarms", "unhealthy"), "A VPC and an alarm have no reference between them."],
      [ref("instances", "web-1"), ref("instances", "web-2"), "Two instances have no reference between them."],
    ];
    for (const [a, b, reason] of cases) {
      expect(connect(base, a, b)).toEqual({ ok: false, reason });
      expect(connect(base, b, a)).toEqual({ ok: false, reason });
    }
  });

  it("every drawn edge's relation can be found again from its kinds", () => {
    for (const e of edgesOf(base)) expect(findRelation(e.from.kind, e.to.kind)?.relation.name).toBe(e.relation);
  });

  it("draws the example's references as edges", () => {
    const names = edgesOf(base).map((e) => e.relation);
    const count = (n: string) => names.filter((x) => x === n).length;
    expect(count("target")).toBe(3);
    expect(count("forward")).toBe(1);
    expect(count("listener-of")).toBe(1);
    expect(count("link-target")).toBe(1);
    expect(count("integration")).toBe(1);
    expect(count("route-of")).toBe(1);
    expect(count("sg-instances")).toBe(3);
    expect(count("sg-load_balancers")).toBe(1);
    expect(count("nacl")).toBe(4);
    expect(count("lb-subnet")).toBe(2);
    expect(count("alarm-target_groups")).toBe(1);
    expect(count("alarm-load_balancers")).toBe(1);
  });

  it("deleting an edge that stands for a required reference is refused", () => {
    const out = disconnect(base, "forward", ref("target_groups", "backend"), { kind: "listeners", lb: "nlb", index: 0 });
    expect(out.ok).toBe(false);
    const tgt = disconnect(base, "target", ref("instances", "web-1"), ref("target_groups", "backend"));
    expect(tgt.ok && tgt.topology.target_groups?.["backend"]?.["targets"]).toEqual([{ id: "web-2" }, { id: "web-3" }]);
  });
});

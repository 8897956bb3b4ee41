import { describe, expect, it } from "vitest";
import schemaDoc from "../../core/schemas/topology.schema.json";
import example from "../../examples/three-tier.json";
import type { Json } from "../src/model/types";
import { resolve, skeleton, unwrapOptional, validate, type Schema } from "../src/inspector/schema";

const root = schemaDoc as unknown as Schema;
const def = (name: string) => root.$defs![name]!;

describe("inspector validation from the topology schema", () => {
  it("accepts every resource of the example", () => {
    const t = example as unknown as Record<string, Record<string, Json>>;
    const kinds: Record<string, string> = { vpcs: "Vpc", subnets: "Subnet", security_groups: "SecurityGroup", network_acls: "NetworkAcl", instances: "Instance", load_balancers: "LoadBalancer", target_groups: "TargetGroup", vpc_links: "VpcLink", rest_apis: "RestApi", alarms: "Alarm" };
    for (const [kind, name] of Object.entries(kinds)) {
      for (const [id, r] of Object.entries(t[kind] ?? {})) expect(validate(def(name), r, root), `${kind}/${id}`).toEqual([]);
    }
  });

  it("rejects unknown fields, missing required fields, wrong enums and out-of-range ports", () => {
    expect(validate(def("Instance"), { subnet: "a", colour: "red" }, root)).toEqual([{ path: "/colour", message: "is not a known field" }]);
    expect(validate(def("Instance"), {}, root)).toEqual([{ path: "/subnet", message: "is required" }]);
    expect(validate(def("Listener"), { port: 70000, protocol: "TCP", forward: "x" }, root)[0]?.path).toBe("/port");
    expect(validate(def("Listener"), { port: 80, protocol: "SMTP", forward: "x" }, root)[0]?.message).toMatch(/^must be one of "TCP"/);
  });

  it("reads port ranges and peers as the format allows", () => {
    const rule = def("IngressRule");
    expect(validate(rule, { protocol: "tcp", ports: "8080", source: { security_group: "nlb" } }, root)).toEqual([]);
    expect(validate(rule, { protocol: "tcp", ports: 443, source: { cidr: "10.0.0.0/16" } }, root)).toEqual([]);
    expect(validate(rule, { protocol: "tcp", ports: "80-x", source: { cidr: "10.0.0.0/16" } }, root)[0]?.path).toBe("/ports");
    expect(validate(rule, { protocol: "tcp", source: { cidr: "10.0.0.0/16", security_group: "x" } }, root)[0]?.path).toBe("/source");
  });

  it("unwraps optional values and builds skeletons with the required fields", () => {
    const inst = resolve(def("Instance"), root);
    expect(unwrapOptional(inst.properties!["instance_type"]!, root)).toMatchObject({ nullable: true, schema: { type: "string" } });
    expect(unwrapOptional(inst.properties!["private_ip"]!, root).nullable).toBe(true);
    const s = skeleton(def("IngressRule"), root) as Record<string, Json>;
    expect(Object.keys(s).sort()).toEqual(["protocol", "source"]);
    expect(validate(def("NaclEntry"), skeleton(def("NaclEntry"), root), root)).toEqual([]);
  });
});

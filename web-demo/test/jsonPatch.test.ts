import { describe, expect, it } from "vitest";
import { applyPatch, PatchError } from "../src/model/jsonPatch";
import type { Json } from "../src/model/types";

describe("JSON Patch (RFC 6902)", () => {
  const doc: Json = { a: { b: [1, 2] }, "x/y": { "~k": 1 } };

  it("adds to the end of an array with -, and at an index", () => {
    expect(applyPatch(doc, [{ op: "add", path: "/a/b/-", value: 3 }])).toEqual({ a: { b: [1, 2, 3] }, "x/y": { "~k": 1 } });
    expect(applyPatch(doc, [{ op: "add", path: "/a/b/0", value: 0 }])).toEqual({ a: { b: [0, 1, 2] }, "x/y": { "~k": 1 } });
  });

  it("unescapes ~1 and ~0 in paths", () => {
    expect(applyPatch(doc, [{ op: "replace", path: "/x~1y/~0k", value: 2 }])).toEqual({ a: { b: [1, 2] }, "x/y": { "~k": 2 } });
  });

  it("removes, replaces, moves, copies and tests", () => {
    const out = applyPatch(doc, [
      { op: "test", path: "/a/b/1", value: 2 },
      { op: "copy", from: "/a/b", path: "/c" },
      { op: "move", from: "/a/b/0", path: "/d" },
      { op: "remove", path: "/x~1y" },
      { op: "replace", path: "/c/1", value: 9 },
    ]);
    expect(out).toEqual({ a: { b: [2] }, c: [1, 9], d: 1 });
  });

  it("never changes its input", () => {
    const before = JSON.stringify(doc);
    applyPatch(doc, [{ op: "remove", path: "/a" }]);
    expect(JSON.stringify(doc)).toBe(before);
  });

  it("fails on a missing target or a failed test, naming the path", () => {
    expect(() => applyPatch(doc, [{ op: "remove", path: "/nope" }])).toThrow(PatchError);
    expect(() => applyPatch(doc, [{ op: "replace", path: "/a/b/5", value: 1 }])).toThrow(/out of range at \/a\/b\/5/);
    expect(() => applyPatch(doc, [{ op: "test", path: "/a/b/0", value: 7 }])).toThrow(/test failed/);
  });

  it("applies the engine's fix for VL301 to the example", () => {
    const t = { security_groups: { app: { vpc: "app", ingress: [] as Json[] } } };
    const fixed = applyPatch(t as Json, [
      { op: "add", path: "/security_groups/app/ingress/-", value: { protocol: "tcp", ports: "8080", source: { security_group: "nlb" } } },
    ]);
    expect(fixed).toEqual({ security_groups: { app: { vpc: "app", ingress: [{ protocol: "tcp", ports: "8080", source: { security_group: "nlb" } }] } } });
  });
});

import { describe, expect, it } from "vitest";
import { push, redo, start, undo } from "../src/state/history";
import { initial, reducer } from "../src/state/store";
import type { Topology } from "../src/model/types";

describe("undo/redo history", () => {
  it("undoes and redoes in order, and a new edit drops the redo future", () => {
    let h = start("a");
    h = push(h, "b");
    h = push(h, "c");
    h = undo(h);
    expect(h.present).toBe("b");
    h = undo(h);
    expect(h.present).toBe("a");
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe("b");
    h = push(h, "d");
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(h.past).toEqual(["a", "b"]);
  });

  it("keeps at most `limit` past states", () => {
    let h = start(0);
    for (let i = 1; i <= 10; i++) h = push(h, i, 3);
    expect(h.past).toEqual([7, 8, 9]);
  });

  it("the store bumps the revision on edits, undo and redo, not on selection", () => {
    const t1: Topology = { version: 1, region: "us-east-1" };
    const t2: Topology = { version: 1, region: "eu-west-1" };
    let s = initial(t1);
    const r0 = s.revision;
    s = reducer(s, { type: "select", id: "/vpcs/app" });
    expect(s.revision).toBe(r0);
    s = reducer(s, { type: "edit", topology: t2 });
    expect(s.revision).toBe(r0 + 1);
    s = reducer(s, { type: "undo" });
    expect(s.history.present).toBe(t1);
    expect(s.revision).toBe(r0 + 2);
    s = reducer(s, { type: "redo" });
    expect(s.history.present).toBe(t2);
  });

  it("the store lays out afresh on opening a document, even the same one, and not on edits", () => {
    const t: Topology = { version: 1, region: "us-east-1" };
    let s = initial(t);
    const { layoutEpoch, fitEpoch } = s;
    s = reducer(s, { type: "edit", topology: { ...t, region: "eu-west-1" } });
    expect([s.layoutEpoch, s.fitEpoch]).toEqual([layoutEpoch, fitEpoch]);
    s = reducer(s, { type: "open", topology: t });
    s = reducer(s, { type: "open", topology: t });
    expect([s.layoutEpoch, s.fitEpoch]).toEqual([layoutEpoch + 2, fitEpoch + 2]);
  });
});

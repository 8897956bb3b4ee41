import { describe, expect, it } from "vitest";
import { clearSaved, loadPositions, loadSaved, save, savePositions } from "../src/state/autosave";

function memory(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: () => null,
    get length() {
      return m.size;
    },
  };
}

describe("autosave", () => {
  it("reads back what it wrote", () => {
    const s = memory();
    expect(loadSaved(s)).toBeNull();
    expect(save({ topology: { version: 1, region: "eu-west-1" } }, s)).toBe(true);
    expect(loadSaved(s)?.topology.region).toBe("eu-west-1");
    clearSaved(s);
    expect(loadSaved(s)).toBeNull();
  });

  it("ignores what is not a saved topology, and survives a full storage", () => {
    const s = memory();
    s.setItem("vpclink.designer.v1", "{not json");
    expect(loadSaved(s)).toBeNull();
    s.setItem("vpclink.designer.v1", JSON.stringify({ topology: { region: "x" } }));
    expect(loadSaved(s)).toBeNull();
    const full = { ...memory(), setItem: () => { throw new Error("QuotaExceededError"); } };
    expect(save({ topology: { version: 1, region: "x" } }, full)).toBe(false);
  });

  it("keeps hand-placed positions beside the topology, and clears them with it", () => {
    const s = memory();
    expect(loadPositions(s).size).toBe(0);
    const pins = new Map([
      ["/instances/web", { parent: "/subnets/a", x: 12.5, y: -40 }],
      ["/vpcs/app", { parent: undefined, x: 300, y: 0 }],
    ]);
    expect(savePositions(pins, s)).toBe(true);
    expect(loadPositions(s)).toEqual(pins);
    save({ topology: { version: 1, region: "eu-west-1" } }, s);
    clearSaved(s);
    expect(loadPositions(s).size).toBe(0);
    // No positions left is no entry at all.
    savePositions(pins, s);
    savePositions(new Map(), s);
    expect(s.getItem("vpclink.designer.v1.positions")).toBeNull();
  });

  it("skips stored positions of the wrong shape", () => {
    const s = memory();
    s.setItem("vpclink.designer.v1.positions", "{not json");
    expect(loadPositions(s).size).toBe(0);
    s.setItem("vpclink.designer.v1.positions", JSON.stringify({ id: "/vpcs/app", x: 1, y: 2 }));
    expect(loadPositions(s).size).toBe(0);
    s.setItem(
      "vpclink.designer.v1.positions",
      JSON.stringify([null, { id: "/a", x: "1", y: 2 }, { id: "/b", parent: 3, x: 1, y: 2 }, { x: 1, y: 2 }, { id: "/c", x: 1, y: null }, { id: "/ok", x: 1, y: 2 }]),
    );
    expect([...loadPositions(s)]).toEqual([["/ok", { parent: undefined, x: 1, y: 2 }]]);
  });
});

import { describe, expect, it } from "vitest";
import { clearSaved, loadSaved, save } from "../src/state/autosave";

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
});

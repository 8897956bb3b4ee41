// Autosave to localStorage: the topology and the traffic assumptions, written shortly
// after each edit and read back on the next visit. Nothing leaves the browser.

import type { Topology } from "../model/types";
import type { Traffic } from "../engine/types";

const KEY = "vpclink.designer.v1";

export interface Saved {
  topology: Topology;
  traffic?: Traffic;
}

export function loadSaved(storage: Pick<Storage, "getItem"> = localStorage): Saved | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<Saved>;
    if (!v.topology || typeof v.topology !== "object" || typeof v.topology.version !== "number") return null;
    return { topology: v.topology, traffic: v.traffic };
  } catch {
    return null;
  }
}

export function save(s: Saved, storage: Pick<Storage, "setItem"> = localStorage): boolean {
  try {
    storage.setItem(KEY, JSON.stringify(s));
    return true;
  } catch {
    // Quota exceeded or storage disabled: the designer keeps working unsaved.
    return false;
  }
}

export function clearSaved(storage: Pick<Storage, "removeItem"> = localStorage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    /* storage disabled */
  }
}

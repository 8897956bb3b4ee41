// Autosave to localStorage: the topology and the traffic assumptions, written shortly
// after each edit and read back on the next visit, and beside them the positions of cards
// placed by hand (the topology format has no place for those). Nothing leaves the browser.

import type { Topology } from "../model/types";
import type { Traffic } from "../engine/types";
import type { Pin } from "../graph/pins";

const KEY = "vpclink.designer.v1";
const POSITIONS_KEY = "vpclink.designer.v1.positions";

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
    storage.removeItem(POSITIONS_KEY);
  } catch {
    /* storage disabled */
  }
}

/** One card placed by hand, as stored: the canvas node's id and its pin. */
interface SavedPosition extends Pin {
  id: string;
}

/** Positions placed by hand in the autosaved topology; entries of the wrong shape are skipped. */
export function loadPositions(storage: Pick<Storage, "getItem"> = localStorage): Map<string, Pin> {
  const pins = new Map<string, Pin>();
  try {
    const raw = storage.getItem(POSITIONS_KEY);
    const list: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(list)) return pins;
    for (const e of list as Partial<SavedPosition>[]) {
      const parentOk = e?.parent === undefined || typeof e.parent === "string";
      if (typeof e?.id === "string" && parentOk && Number.isFinite(e.x) && Number.isFinite(e.y))
        pins.set(e.id, { parent: e.parent, x: e.x as number, y: e.y as number });
    }
  } catch {
    /* unreadable: start without positions */
  }
  return pins;
}

export function savePositions(pins: ReadonlyMap<string, Pin>, storage: Pick<Storage, "setItem" | "removeItem"> = localStorage): boolean {
  try {
    if (pins.size === 0) storage.removeItem(POSITIONS_KEY);
    else storage.setItem(POSITIONS_KEY, JSON.stringify([...pins].map(([id, p]): SavedPosition => ({ id, ...p }))));
    return true;
  } catch {
    return false;
  }
}

// The designer's state: the topology with its undo history, the selection, the traffic
// assumptions and the last notice. One reducer, so every edit goes through `push`.

import type { Topology } from "../model/types";
import type { Traffic } from "../engine/types";
import { push, redo, start, undo, type History } from "./history";

export const DEFAULT_TRAFFIC: Traffic = {
  requests_per_month: 1_000_000,
  request_bytes: 2048,
  response_bytes: 8192,
  new_connections_per_second: null,
  connection_seconds: 1,
  incremental: false,
};

export interface Notice {
  text: string;
  tone: "info" | "error";
  seq: number;
}

export interface State {
  history: History<Topology>;
  /** Bumped on every change of the present topology (undo and redo included). */
  revision: number;
  selected: string | null;
  selectedEdge: string | null;
  traffic: Traffic;
  notice: Notice | null;
  /** Bumped to lay out again from scratch / to fit the view to a new document. */
  layoutEpoch: number;
  fitEpoch: number;
}

export type Action =
  | { type: "edit"; topology: Topology; select?: string | null }
  | { type: "open"; topology: Topology; note?: string }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "select"; id: string | null }
  | { type: "selectEdge"; id: string | null }
  | { type: "traffic"; traffic: Traffic }
  | { type: "notice"; text: string; tone: "info" | "error" }
  | { type: "layout" };

export function initial(topology: Topology, traffic: Traffic = DEFAULT_TRAFFIC): State {
  return { history: start(topology), revision: 1, selected: null, selectedEdge: null, traffic, notice: null, layoutEpoch: 0, fitEpoch: 0 };
}

export function reducer(s: State, a: Action): State {
  switch (a.type) {
    case "edit": {
      const history = push(s.history, a.topology);
      if (history === s.history) return a.select !== undefined ? { ...s, selected: a.select } : s;
      return { ...s, history, revision: s.revision + 1, selected: a.select !== undefined ? a.select : s.selected, selectedEdge: null };
    }
    case "open":
      return {
        ...s,
        history: push(s.history, a.topology),
        revision: s.revision + 1,
        selected: null,
        selectedEdge: null,
        // Another document is laid out afresh, even one with the same cards (the example
        // opened over itself): nothing placed by hand carries over.
        layoutEpoch: s.layoutEpoch + 1,
        fitEpoch: s.fitEpoch + 1,
        notice: a.note ? { text: a.note, tone: "info", seq: (s.notice?.seq ?? 0) + 1 } : s.notice,
      };
    case "undo": {
      const history = undo(s.history);
      return history === s.history ? s : { ...s, history, revision: s.revision + 1, selectedEdge: null };
    }
    case "redo": {
      const history = redo(s.history);
      return history === s.history ? s : { ...s, history, revision: s.revision + 1, selectedEdge: null };
    }
    case "select":
      return { ...s, selected: a.id, selectedEdge: null };
    case "selectEdge":
      return { ...s, selectedEdge: a.id, selected: null };
    case "traffic":
      return { ...s, traffic: a.traffic, revision: s.revision + 1 };
    case "notice":
      return { ...s, notice: { text: a.text, tone: a.tone, seq: (s.notice?.seq ?? 0) + 1 } };
    case "layout":
      return { ...s, layoutEpoch: s.layoutEpoch + 1, fitEpoch: s.fitEpoch + 1 };
  }
}

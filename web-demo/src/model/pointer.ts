// JSON Pointers (RFC 6901) name every card: a card's node id is the pointer of its
// resource in the topology, so a diagnostic's `path` leads straight to its card.

import type { CardRef, MapKind, Topology } from "./types";
import { MAP_KINDS } from "./types";

export function escapeToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`JSON Pointer \`${pointer}\` must start with /`);
  return pointer.slice(1).split("/").map(unescapeToken);
}

export function toPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => "/" + escapeToken(String(t))).join("");
}

export function cardPointer(ref: CardRef): string {
  switch (ref.kind) {
    case "routes":
      return toPointer([ref.api, ref.apiId, "routes", ref.key]);
    case "listeners":
      return toPointer(["load_balancers", ref.lb, "listeners", ref.index]);
    default:
      return toPointer([ref.kind, ref.id]);
  }
}

function isMapKind(s: string | undefined): s is MapKind {
  return (MAP_KINDS as readonly string[]).includes(s ?? "");
}

/** The card a pointer names, when it names one (or something inside one). */
export function cardOfPointer(pointer: string): CardRef | null {
  let tokens: string[];
  try {
    tokens = parsePointer(pointer);
  } catch {
    return null;
  }
  const [kind, id, sub, key] = tokens;
  if (!isMapKind(kind) || id === undefined) return null;
  if ((kind === "rest_apis" || kind === "http_apis") && sub === "routes" && key !== undefined) {
    return { kind: "routes", api: kind, apiId: id, key };
  }
  if (kind === "load_balancers" && sub === "listeners" && key !== undefined && /^\d+$/.test(key)) {
    return { kind: "listeners", lb: id, index: Number(key) };
  }
  return { kind, id };
}

/** The node id of the card a pointer falls in, if that card exists in `topology`. */
export function nodeIdOfPointer(topology: Topology, pointer: string): string | null {
  const ref = cardOfPointer(pointer);
  if (!ref) return null;
  if (!cardExists(topology, ref)) {
    // A pointer into a missing route/listener still belongs to its parent card.
    if (ref.kind === "routes") return cardPointer({ kind: ref.api, id: ref.apiId });
    if (ref.kind === "listeners") return cardPointer({ kind: "load_balancers", id: ref.lb });
    return null;
  }
  return cardPointer(ref);
}

export function cardExists(topology: Topology, ref: CardRef): boolean {
  switch (ref.kind) {
    case "routes": {
      const api = topology[ref.api]?.[ref.apiId];
      const routes = api?.["routes"];
      return !!routes && typeof routes === "object" && !Array.isArray(routes) && ref.key in routes;
    }
    case "listeners": {
      const lb = topology.load_balancers?.[ref.lb];
      const listeners = lb?.["listeners"];
      return Array.isArray(listeners) && ref.index < listeners.length;
    }
    default:
      return !!topology[ref.kind]?.[ref.id];
  }
}

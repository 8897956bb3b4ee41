// RFC 6902 JSON Patch, applied immutably: the engine's fixes are patches against the
// topology, and the designer applies them as one undoable edit.

import type { Json } from "./types";
import { parsePointer } from "./pointer";

export type PatchOp =
  | { op: "add" | "replace" | "test"; path: string; value: Json }
  | { op: "remove"; path: string }
  | { op: "move" | "copy"; from: string; path: string };

export class PatchError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = "PatchError";
  }
}

function clone<T extends Json>(v: T): T {
  return structuredClone(v);
}

function getAt(doc: Json, tokens: string[], path: string): Json {
  let cur: Json = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length - 1, path);
      cur = cur[i] as Json;
    } else if (cur !== null && typeof cur === "object" && Object.prototype.hasOwnProperty.call(cur, t)) {
      cur = cur[t] as Json;
    } else {
      throw new PatchError(`nothing at ${path}`, path);
    }
  }
  return cur;
}

function arrayIndex(token: string, max: number, path: string): number {
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new PatchError(`\`${token}\` is not an array index at ${path}`, path);
  const i = Number(token);
  if (i > max) throw new PatchError(`index ${i} is out of range at ${path}`, path);
  return i;
}

/** Returns the container a path's last token lives in, copying along the way. */
function parentOf(root: Json, tokens: string[], path: string): Json {
  return getAt(root, tokens.slice(0, -1), path);
}

function add(root: Json, path: string, value: Json): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(root, tokens, path);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = last === "-" ? parent.length : arrayIndex(last, parent.length, path);
    parent.splice(i, 0, value);
  } else if (parent !== null && typeof parent === "object") {
    parent[last] = value;
  } else {
    throw new PatchError(`cannot add inside a scalar at ${path}`, path);
  }
  return root;
}

function remove(root: Json, path: string): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw new PatchError("cannot remove the whole document", path);
  const parent = parentOf(root, tokens, path);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length - 1, path), 1);
  } else if (parent !== null && typeof parent === "object" && Object.prototype.hasOwnProperty.call(parent, last)) {
    delete parent[last];
  } else {
    throw new PatchError(`nothing to remove at ${path}`, path);
  }
  return root;
}

function replace(root: Json, path: string, value: Json): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  getAt(root, tokens, path); // the target must exist
  const parent = parentOf(root, tokens, path);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) parent[arrayIndex(last, parent.length - 1, path)] = value;
  else if (parent !== null && typeof parent === "object") parent[last] = value;
  return root;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i] as Json));
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object" || Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k] as Json, b[k] as Json));
}

/** Applies `ops` in order to a copy of `doc`; the input is never changed. */
export function applyPatch<T extends Json>(doc: T, ops: readonly PatchOp[]): T {
  let root: Json = clone(doc);
  for (const op of ops) {
    switch (op.op) {
      case "add":
        root = add(root, op.path, clone(op.value));
        break;
      case "remove":
        root = remove(root, op.path);
        break;
      case "replace":
        root = replace(root, op.path, clone(op.value));
        break;
      case "move": {
        if (op.path.startsWith(op.from + "/")) throw new PatchError(`cannot move ${op.from} into itself`, op.path);
        const value = getAt(root, parsePointer(op.from), op.from);
        root = add(remove(root, op.from), op.path, value);
        break;
      }
      case "copy":
        root = add(root, op.path, clone(getAt(root, parsePointer(op.from), op.from)));
        break;
      case "test": {
        const actual = getAt(root, parsePointer(op.path), op.path);
        if (!deepEqual(actual, op.value)) throw new PatchError(`test failed at ${op.path}`, op.path);
        break;
      }
    }
  }
  return root as T;
}

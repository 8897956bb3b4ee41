// Written by hand: the argument types the core's schemas do not describe.
// bindings-wasm/tests/host.rs checks the format and schema names against the core.

/** What `plan` is asked for besides the desired topology. */
export interface PlanOptions {
  /** What exists now (a topology, template or live-state bundle); absent for a new deployment. */
  current?: Topology | string;
  /** Plan the deletion of `current` (or of the given topology) instead. */
  destroy?: boolean;
}

/** What `render` writes: a plan view (`text`, `json`, `cli`, `boto3`) or an export. */
export type RenderFormat = PlanFormat | "cloudformation" | "terraform" | "mermaid";

/** What `renderPlan` writes from a plan already made. */
export type PlanFormat = "text" | "json" | "cli" | "boto3";

/** The names `schema` knows; `"api"` holds every type at once. */
export type SchemaName =
  | "topology"
  | "plan"
  | "report"
  | "reach"
  | "diagnosis"
  | "symptom"
  | "cost"
  | "traffic"
  | "live_state"
  | "rule"
  | "exec_options"
  | "action"
  | "outcome"
  | "observation"
  | "event"
  | "exec_status"
  | "error"
  | "api";

/** A JSON Schema (draft 2020-12) document. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * What every function throws: a real `Error` whose own properties say what went wrong
 * (`kind`, a stable `code`) and where (`path`, a JSON Pointer; `file`, `line`, `column`).
 *
 * ```ts
 * try { validate(text) } catch (e) { if ((e as VpclinkError).code === "syntax") ... }
 * ```
 */
export interface VpclinkError extends Error {
  name: "VpclinkError";
  kind: ErrorKind;
  code: string;
  path: string | undefined;
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;
}

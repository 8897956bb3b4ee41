// The shapes of the engine's answers the designer reads (the npm package `vpclink`
// declares them all; these name only the fields used here).

import type { Json, Topology } from "../model/types";
import type { PatchOp } from "../model/jsonPatch";

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  code: string;
  severity: Severity;
  title: string;
  message: string;
  resource: { kind: string; id: string };
  path: string;
  help?: string;
  fix?: { description?: string; applicability?: string; patch: PatchOp[] };
  related?: Json;
  source?: { file?: string; line?: number; column?: number; name?: string };
}

export interface Report {
  diagnostics: Diagnostic[];
  summary: { errors: number; warnings: number; infos: number };
}

export interface Verdict {
  status: "reachable" | "blocked" | "unknown";
  component?: { kind: string; id: string };
  path?: string;
  explanation?: string;
  explanation_code?: string;
  rule_code?: string;
}

export interface ReachPath {
  api_kind: "rest" | "http";
  api_id: string;
  route_key: string;
  vpc_link?: string;
  load_balancer?: string;
  listener_port?: number;
  target_group?: string;
  target?: string;
  target_port?: number;
  verdict: Verdict;
}

export interface ReachReport {
  paths: ReachPath[];
  summary: { paths: number; reachable: number; blocked: number; unknown: number };
}

export interface PlanStep {
  id: string;
  action: string;
  resource: { kind: string; id: string; path: string };
  description: string;
  expected_seconds?: number;
}

export interface Plan {
  steps: PlanStep[];
  waves: { steps: string[]; expected_seconds: number }[];
  critical_path: { steps: string[]; expected_seconds: number };
  summary: Record<string, number>;
}

export interface Traffic {
  requests_per_month: number;
  request_bytes: number;
  response_bytes: number;
  new_connections_per_second?: number | null;
  connection_seconds: number;
  incremental: boolean;
}

export interface CostEstimate {
  currency: string;
  prices_as_of: string;
  monthly_usd: number;
  traffic: Traffic;
  resources: { resource: { kind: string; id: string }; monthly_usd: number; items: { item: string; monthly_usd: number; detail?: string }[]; note?: string }[];
  assumptions: string[];
  not_included: string[];
}

/** An error thrown by the engine, carried across the worker boundary. */
export interface EngineError {
  message: string;
  kind?: string;
  code?: string;
  path?: string;
  line?: number;
  column?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineError };

/** What one edit costs the engine, in milliseconds, per analysis. */
export interface Timings {
  validate: number;
  reach: number;
  plan: number;
  cost: number;
  total: number;
}

export interface Analysis {
  revision: number;
  report: Result<Report>;
  reach: Result<ReachReport>;
  plan: Result<Plan>;
  cost: Result<CostEstimate>;
  timings: Timings;
}

export type RenderFormat = "cloudformation" | "terraform" | "mermaid" | "cli" | "boto3" | "text" | "json";

export type EngineRequest =
  | { op: "analyse"; topology: Topology; traffic: Traffic; revision: number }
  | { op: "render"; topology: Topology; format: RenderFormat }
  | { op: "importCloudFormation"; text: string; file?: string }
  | { op: "importTerraform"; source: string | Record<string, string> }
  | { op: "schema"; name: string };

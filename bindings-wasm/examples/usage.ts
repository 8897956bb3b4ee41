// How a TypeScript app uses the npm package: typed inputs and results, thrown errors, and
// the Executor driven by a host. Type-checked by `tsc --noEmit --strict` against the
// installed package's typings in bindings-wasm/tests-node/run.mjs; the `@ts-expect-error`
// lines prove the declarations are precise types, not `any`.
import {
  diagnose,
  estimateCost,
  Executor,
  importAws,
  importCloudFormation,
  importTerraform,
  plan,
  reach,
  render,
  renderPlan,
  rules,
  schema,
  validate,
  version,
} from "vpclink";
import type {
  Action,
  CostEstimate,
  Diagnosis,
  Event,
  ExecStatus,
  LiveState,
  Observation,
  Outcome,
  Plan,
  ReachReport,
  Report,
  RuleMeta,
  Severity,
  Topology,
  VpclinkError,
} from "vpclink";

const topology: Topology = {
  version: 1,
  region: "us-east-1",
  vpcs: { app: { cidr: "10.0.0.0/16" } },
  subnets: {
    "private-a": { vpc: "app", az: "us-east-1a", cidr: "10.0.1.0/24" },
    "private-b": { vpc: "app", az: "us-east-1b", cidr: "10.0.2.0/24" },
  },
  load_balancers: {
    nlb: {
      type: "network",
      scheme: "internal",
      subnets: ["private-a", "private-b"],
      listeners: [{ port: 80, protocol: "TCP", forward: "backend" }],
    },
  },
  target_groups: {
    backend: { vpc: "app", protocol: "TCP", port: 8080, target_type: "instance", targets: [] },
  },
  vpc_links: { link: { targets: ["nlb"] } },
};

/** Findings as lines, most severe first. */
export function findings(input: Topology | string): string[] {
  const report: Report = validate(input);
  return report.diagnostics.map((d) => {
    const severity: Severity = d.severity;
    const fix = d.fix ? ` (fix: ${d.fix.patch.map((op) => `${op.op} ${op.path}`).join(", ")})` : "";
    return `${severity} ${d.code} at ${d.path}: ${d.message}${fix}`;
  });
}

/** The first thing to say about a broken input: its code and place. */
export function explain(text: string): string {
  try {
    validate(text);
    return "ok";
  } catch (e) {
    const err = e as VpclinkError;
    const where = err.line !== undefined ? `line ${err.line}, column ${err.column}` : err.path;
    return `${err.kind}/${err.code} at ${where ?? "?"}: ${err.message}`;
  }
}

export function overview(): string[] {
  const reachReport: ReachReport = reach(topology);
  const blocked = reachReport.paths.filter((p) => p.verdict.status === "blocked");
  const steps: Plan = plan(topology);
  const teardown: Plan = plan(topology, { current: "{}", destroy: true });
  const cli: string = render(topology, "cli");
  const cfn: string = render(topology, "cloudformation");
  const again: string = renderPlan(steps, "text");
  const cost: CostEstimate = estimateCost(topology, { requests_per_month: 1_000_000 });
  const why: Diagnosis = diagnose(topology, { kind: "503" });
  const catalogue: RuleMeta[] = rules();
  const imported: Topology = importCloudFormation(cfn, "stack.yaml");
  const fromTerraform: Topology = importTerraform({ "main.tf": 'resource "aws_vpc" "app" {}' });
  const bundle: LiveState = {
    format: "vpclink-aws-bundle",
    version: 1,
    region: "us-east-1",
    responses: {},
  };
  const live: Topology = importAws(bundle);
  const topologySchema = schema("topology");

  // @ts-expect-error: a report is not a string
  const wrong: string = validate(topology);
  // @ts-expect-error: "pulumi" is not a render format
  render(topology, "pulumi");
  // @ts-expect-error: renderPlan takes a plan, not a topology format
  renderPlan(steps, "cloudformation");
  // @ts-expect-error: `region` is required in a topology
  validate({ version: 1 });
  // @ts-expect-error: symptoms have known kinds
  diagnose(topology, { kind: "http_999" });

  return [
    `vpclink ${version()}: ${blocked.length} blocked path(s), ${steps.steps.length} steps`,
    `${teardown.steps.length} teardown steps, ${cli.length + again.length} characters of script`,
    `$${cost.monthly_usd.toFixed(2)} a month; ${why.causes.length} causes; ${catalogue.length} rules`,
    `${Object.keys(imported.vpcs ?? {}).length} + ${Object.keys(fromTerraform.vpcs ?? {}).length} + ` +
      `${Object.keys(live.vpcs ?? {}).length} VPCs imported; schema ${String(topologySchema.title)}`,
    wrong,
  ];
}

/** What the host does for one action: make the AWS call (here, a stand-in). */
type Host = (service: string, operation: string, params: unknown) => Promise<unknown>;

/** Runs a plan to its end, saving a checkpoint after every answer. */
export async function apply(
  steps: Plan,
  host: Host,
  save: (checkpoint: string) => void,
  saved?: string,
): Promise<ExecStatus> {
  const exec = saved ? Executor.resume(saved) : new Executor(steps, { max_attempts: 5 });
  for (;;) {
    const actions: Action[] = exec.poll(Date.now());
    for (const action of actions) {
      switch (action.type) {
        case "call": {
          const outcome: Outcome = await answer(host, action.call.service, action.call.operation, action.call.params);
          exec.complete(action.request_id, outcome);
          break;
        }
        case "check": {
          const out = await answer(host, action.call.service, action.call.operation, action.call.params);
          const observation: Observation =
            out.type === "success" ? { type: "response", response: out.response } : out;
          exec.observe(action.request_id, observation);
          break;
        }
        case "sleep":
          await new Promise((r) => setTimeout(r, Math.max(0, action.until_ms - Date.now())));
          break;
        case "done":
        case "failed":
          return exec.status();
      }
    }
    const events: Event[] = exec.events();
    for (const e of events) console.log(e.type);
    save(exec.checkpoint());
  }
}

async function answer(host: Host, service: string, operation: string, params: unknown): Promise<Outcome> {
  try {
    return { type: "success", response: await host(service, operation, params) };
  } catch (e) {
    const code = (e as { name?: string }).name ?? "Error";
    return { type: "error", code, message: String(e), retryable: code === "ThrottlingException" };
  }
}

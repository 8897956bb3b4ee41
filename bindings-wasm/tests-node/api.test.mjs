// The installed package's API as a Node consumer meets it: require and import, objects and
// strings, thrown Errors with code and path, the Executor's checkpoint round trip, and
// hostile inputs that must throw rather than trap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { esm, vpclink } from "./load.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const threeTierText = readFileSync(`${root}examples/three-tier.json`, "utf8");
const threeTier = () => JSON.parse(threeTierText);
const bundleText = readFileSync(`${root}tests/fixtures/live/three-tier.bundle.json`, "utf8");

/** Runs `fn`, which must throw a VpclinkError; returns it. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error, `threw a non-Error: ${e}`);
    assert.equal(e.name, "VpclinkError");
    for (const key of ["kind", "code", "path", "file", "line", "column"]) {
      assert.ok(Object.hasOwn(e, key), `the error has no own \`${key}\``);
    }
    return e;
  }
  assert.fail("expected a thrown Error");
}

test("require and import give the same functions", () => {
  const names = [
    "validate", "reach", "plan", "render", "renderPlan", "diagnose", "estimateCost",
    "importCloudFormation", "importAws", "importTerraform", "schema", "rules", "version",
    "Executor",
  ];
  for (const name of names) {
    assert.equal(typeof vpclink[name], "function", `require: ${name}`);
    assert.equal(typeof esm[name], "function", `import: ${name}`);
  }
  assert.equal(vpclink.version(), "0.1.0");
  assert.equal(esm.version(), vpclink.version());
});

test("objects and strings give the same plain-object report", () => {
  const fromText = vpclink.validate(threeTierText);
  const fromObject = vpclink.validate(threeTier());
  assert.deepStrictEqual(fromObject, fromText);
  assert.equal(Object.getPrototypeOf(fromText.summary), Object.prototype, "a plain object, not a Map");
  assert.equal(fromText.summary.errors, 0);
  assert.ok(Array.isArray(fromText.diagnostics));
  // Optional members left `undefined` are absent, as TypeScript callers write them.
  const t = threeTier();
  t.account = undefined;
  assert.deepStrictEqual(vpclink.validate(t), fromText);
});

test("YAML text is a topology", () => {
  const report = vpclink.validate("version: 1\nregion: us-east-1\nvpcs:\n  app: {cidr: 10.0.0.0/16}\n");
  assert.equal(report.rules_ran, true);
});

test("errors carry kind, code, path, line and column", () => {
  const t = threeTier();
  t.vpcs.app.cidr = "10.0.0.0/33";
  const shape = thrown(() => vpclink.validate(t));
  assert.deepStrictEqual([shape.kind, shape.code, shape.path], ["topology", "shape", "/vpcs/app/cidr"]);
  assert.match(shape.message, /\/vpcs\/app\/cidr/);
  const syntax = thrown(() => vpclink.validate('{\n  "version": 1,\n  oops\n}'));
  assert.deepStrictEqual([syntax.code, syntax.line], ["syntax", 3]);
  assert.equal(typeof syntax.column, "number");
  assert.equal(syntax.file, undefined);
  const cfn = thrown(() => vpclink.importCloudFormation("Resources: [", "stack.yaml"));
  assert.deepStrictEqual([cfn.kind, cfn.file], ["import", "stack.yaml"]);
  assert.equal(typeof cfn.line, "number");
});

test("plan, render and renderPlan agree", () => {
  const plan = vpclink.plan(threeTier());
  assert.ok(plan.steps.length > 10);
  const text = vpclink.render(threeTierText, "text");
  assert.equal(vpclink.renderPlan(plan, "text"), text);
  assert.equal(JSON.parse(vpclink.renderPlan(plan, "json")).steps.length, plan.steps.length);
  assert.match(vpclink.render(threeTier(), "cli"), / ec2 create-vpc /);
  assert.match(vpclink.render(threeTier(), "mermaid"), /flowchart|graph/);
  assert.equal(thrown(() => vpclink.render(threeTier(), "pulumi")).code, "unknown_format");
  assert.equal(thrown(() => vpclink.renderPlan(plan, "terraform")).code, "needs_topology");
  const bad = thrown(() => vpclink.renderPlan({ steps: 3 }, "cli"));
  assert.equal(bad.code, "bad_plan");
  assert.equal(typeof bad.path, "string");
});

test("plan options: current and destroy", () => {
  const missing = thrown(() => vpclink.plan(threeTier(), { destroy: true }));
  assert.deepStrictEqual([missing.kind, missing.code], ["plan", "missing_aws_id"]);
  assert.equal(thrown(() => vpclink.plan(threeTier(), { destroy: "yes" })).code, "bad_options");
  const teardown = vpclink.plan(threeTier(), { current: bundleText, destroy: true });
  assert.ok(teardown.steps.length > 10);
  assert.deepStrictEqual(vpclink.plan(threeTier(), {}), vpclink.plan(threeTier()));
});

test("exports import back", () => {
  const template = vpclink.render(threeTier(), "cloudformation");
  const imported = vpclink.importCloudFormation(template, "t.yaml");
  assert.deepStrictEqual(Object.keys(imported.vpcs).length, 1);
  assert.equal(vpclink.validate(template).summary.errors, 0);
  // Text adds source lines to `origin`; the resources are the same either way.
  const { origin: _o1, ...live } = vpclink.importAws(JSON.parse(bundleText));
  const { origin: _o2, ...liveFromText } = vpclink.importAws(bundleText);
  assert.deepStrictEqual(liveFromText, live);
  assert.ok(Object.keys(live.instances).length > 0);
  assert.equal(thrown(() => vpclink.importAws("[]")).kind, "import");
});

test("importTerraform takes files or text and names bad arguments", () => {
  assert.equal(thrown(() => vpclink.importTerraform({ "main.tf": 3 })).code, "bad_files");
  // Whatever the Terraform importer makes of these, it answers or throws a VpclinkError.
  for (const input of [{ "main.tf": 'resource "aws_vpc" "app" {\n  cidr_block = "10.0.0.0/16"\n}\n' }, "{}"]) {
    try {
      const t = vpclink.importTerraform(input);
      assert.equal(typeof t, "object");
    } catch (e) {
      assert.equal(e.name, "VpclinkError", String(e));
    }
  }
});

test("diagnose and estimateCost", () => {
  const d = vpclink.diagnose(threeTier(), { kind: "503" });
  assert.ok(Array.isArray(d.causes));
  const bad = thrown(() => vpclink.diagnose(threeTier(), { kind: "http_999" }));
  assert.deepStrictEqual([bad.code, bad.path], ["bad_symptom", "/kind"]);
  assert.equal(thrown(() => vpclink.diagnose(threeTier())).code, "bad_symptom");
  const cost = vpclink.estimateCost(threeTier());
  assert.ok(cost.monthly_usd > 0);
  assert.deepStrictEqual(vpclink.estimateCost(threeTier(), undefined), cost);
  const traffic = thrown(() => vpclink.estimateCost(threeTier(), { requests_per_month: "many" }));
  assert.deepStrictEqual([traffic.code, traffic.path], ["bad_traffic", "/requests_per_month"]);
});

test("schema, rules and version", () => {
  const api = vpclink.schema("api");
  assert.equal(typeof api.$defs.Topology, "object");
  assert.deepStrictEqual(vpclink.schema("topology").title !== undefined, true);
  assert.equal(thrown(() => vpclink.schema("nope")).code, "unknown_schema");
  const rules = vpclink.rules();
  assert.equal(rules[0].code, "VL001");
  assert.ok(rules.every((r) => typeof r.title === "string"));
});

test("the Executor runs, checkpoints to a string and resumes where it stopped", () => {
  const plan = vpclink.plan(threeTier());
  const exec = new vpclink.Executor(plan, { seed: 7 });
  const first = exec.poll(0);
  assert.equal(first[0].type, "call");
  const id = first[0].request_id;
  exec.complete(id, { type: "success", response: {} });
  const again = thrown(() => exec.complete(id, { type: "success", response: {} }));
  assert.deepStrictEqual([again.kind, again.code], ["executor", "not_in_flight"]);
  assert.equal(thrown(() => exec.complete(99, { type: "maybe" })).code, "bad_outcome");
  assert.equal(thrown(() => exec.poll(-1)).code, "bad_time_in_milliseconds");
  assert.equal(thrown(() => exec.observe(1.5, { type: "response", response: {} })).code, "bad_request_id");

  const checkpoint = exec.checkpoint();
  assert.equal(typeof checkpoint, "string");
  JSON.parse(checkpoint);
  const resumed = vpclink.Executor.resume(checkpoint);
  assert.deepStrictEqual(resumed.plan(), exec.plan());
  // What was answered stays answered; calls in flight at the checkpoint are made again.
  const [before, after] = [exec.status(), resumed.status()];
  assert.deepStrictEqual([after.done, after.failed, after.pending], [before.done, before.failed, before.pending]);
  assert.ok(resumed.poll(1000).length > 0, "the resumed run has something to do");
  assert.ok(exec.events().some((e) => e.type === "step_started"));
  assert.ok(thrown(() => vpclink.Executor.resume("{")).kind === "executor");
  assert.equal(thrown(() => new vpclink.Executor({}, { retries: 3 })).kind, "argument");
});

test("a run to the end: every call fails for good, the executor rolls back and stops", () => {
  const exec = new vpclink.Executor(vpclink.plan(threeTier()), { on_failure: "stop", max_attempts: 1 });
  let end;
  for (let now = 0; now < 1_000_000 && !end; now += 1000) {
    for (const a of exec.poll(now)) {
      if (a.type === "call" || a.type === "check") {
        const answer = { type: "error", code: "AccessDenied", message: "no", retryable: false };
        if (a.type === "call") exec.complete(a.request_id, answer);
        else exec.observe(a.request_id, answer);
      } else if (a.type === "done" || a.type === "failed") {
        end = a;
      }
    }
  }
  assert.equal(end?.type, "failed");
  assert.equal(end.code, "AccessDenied");
  assert.equal(exec.status().phase, "failed");
});

test("hostile inputs throw and the module lives on", () => {
  const cycle = {};
  cycle.self = cycle;
  const hostile = [
    undefined, null, NaN, true, 7, 7n, "", "[".repeat(100_000), "- ".repeat(50_000),
    "\u0000\ufeff\u{10ffff}", cycle, { toJSON() { throw null; } }, Symbol("x"), () => 1,
    { version: 1e308, region: [], vpcs: 7 }, new Array(10).fill({}),
    `{"version":1,"region":"us-east-1","vpcs":{"a":{"cidr":"${"9".repeat(10_000)}"}}}`,
    "a: &a [*a, *a, *a]\nb: *a\n",
  ];
  for (const value of hostile) {
    for (const fn of [vpclink.validate, vpclink.reach, vpclink.plan, vpclink.estimateCost]) {
      try {
        fn(value);
      } catch (e) {
        assert.equal(e?.name, "VpclinkError", `${fn.name}(${String(value).slice(0, 40)}): ${e}`);
      }
    }
    for (const fn of [vpclink.importAws, vpclink.importTerraform, vpclink.diagnose]) {
      try {
        fn(value, value);
      } catch (e) {
        assert.equal(e?.name, "VpclinkError", `${fn.name}: ${e}`);
      }
    }
  }
  for (const bad of [undefined, null, 7, "{", "[]", '{"steps":[{}]}']) {
    for (const fn of [() => new vpclink.Executor(bad), () => vpclink.Executor.resume(bad)]) {
      try {
        fn();
      } catch (e) {
        assert.equal(e?.name, "VpclinkError", String(e));
      }
    }
  }
  assert.equal(vpclink.validate(threeTierText).summary.errors, 0);
});

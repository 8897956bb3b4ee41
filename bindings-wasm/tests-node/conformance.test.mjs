// The cross-runtime conformance vectors (tests/conformance/cases), run against the installed
// npm package and compared exactly as tests/conformance.rs compares them: the whole
// expected.json, findings and reach verdicts in order, nothing missing, nothing extra.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { vpclink } from "./load.mjs";

const casesDir = fileURLToPath(new URL("../../tests/conformance/cases/", import.meta.url));

/** Case folders in name order; one without an input file is an error, not a skip. */
function cases() {
  return readdirSync(casesDir)
    .filter((name) => statSync(join(casesDir, name)).isDirectory())
    .sort()
    .map((name) => {
      const input = ["input.json", "input.yaml"]
        .map((f) => join(casesDir, name, f))
        .find((p) => existsSync(p));
      if (!input) throw new Error(`case \`${name}\` has neither input.json nor input.yaml`);
      return { name, input, expected: join(casesDir, name, "expected.json") };
    });
}

/** Drops null/undefined members, as the Rust side's `skip_serializing_if` does. */
function present(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null && v !== undefined));
}

/** What validate and reach say, in the vector format (vpclink_conformance::Expected). */
function actual(input) {
  const report = vpclink.validate(input);
  const out = {
    diagnostics: report.diagnostics.map((d) => ({ code: d.code, path: d.path, severity: d.severity })),
    rules_ran: report.rules_ran,
  };
  let reach;
  try {
    reach = vpclink.reach(input);
  } catch (e) {
    // The Rust runner keeps `reach` out when references do not resolve; anything else is
    // a failure here as there.
    assert.equal(e.code, "broken_references", `reach threw ${e.code}: ${e.message}`);
    return out;
  }
  out.reach = {
    paths: reach.paths.map((p) => {
      const block = p.verdict.status === "blocked" ? p.verdict : undefined;
      return present({
        route: `${p.api_id} ${p.route_key}`,
        target: p.target,
        status: p.verdict.status,
        explanation_code: block?.explanation_code,
        blocked_at: block?.path,
        rule_code: block?.rule_code,
      });
    }),
    health_checks: reach.health_checks.map((h) =>
      present({
        target_group: h.target_group,
        target: h.target,
        status: h.result.status,
        cause: h.result.status === "fails" ? h.result.cause : undefined,
      }),
    ),
  };
  return out;
}

const all = cases();

test("there are conformance cases", () => {
  assert.ok(all.length > 0, `no cases under ${casesDir}`);
});

for (const c of all) {
  test(`conformance: ${c.name}`, () => {
    assert.ok(existsSync(c.expected), `case \`${c.name}\` has no expected.json`);
    const expected = JSON.parse(readFileSync(c.expected, "utf8"));
    const text = readFileSync(c.input, "utf8");
    assert.deepStrictEqual(actual(text), expected);
    // The same document as an object gives the same answer.
    if (c.input.endsWith(".json")) {
      assert.deepStrictEqual(actual(JSON.parse(text)), expected);
    }
    // The report as text, byte for byte what `vpclink check` prints (report.txt).
    const printed = readFileSync(join(casesDir, c.name, "report.txt"), "utf8");
    assert.equal(vpclink.reportText(vpclink.validate(text)), printed);
  });
}

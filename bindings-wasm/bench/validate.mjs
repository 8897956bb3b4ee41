// `validate` in Node through the npm package, beside the native `check` bench
// (core/benches/engine.rs: JSON text → Topology → validate; docs/benchmarks.md).
//
//   node bindings-wasm/bench/validate.mjs [package dir]     (default: bindings-wasm/pkg)
//
// Inputs: examples/three-tier.json, and the generated topology of about 10,000 resources
// (vpclink_core::synth, printed by `cargo run -p vpclink-core --example render_export --
// topology synth:10000` and cached under target/bench/). Each is measured as JSON text (what
// the native bench measures) and as an object (JSON.stringify crosses the boundary first).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkgDir = resolve(process.argv[2] ?? join(root, "bindings-wasm", "pkg"));
const require = createRequire(import.meta.url);
const { validate, version } = require(pkgDir);

function synth(resources) {
  const dir = join(root, "target", "bench");
  const file = join(dir, `synth-${resources}.json`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const text = execFileSync(
      "cargo",
      ["run", "--quiet", "-p", "vpclink-core", "--example", "render_export", "--", "topology", `synth:${resources}`],
      { cwd: root, maxBuffer: 1 << 30 },
    );
    writeFileSync(file, text);
  }
  return readFileSync(file, "utf8");
}

/** Median and spread of `fn` over enough runs to fill about `budgetMs`. */
function measure(fn, budgetMs) {
  for (let i = 0; i < 3; i++) fn(); // warm-up: compilation tiers, allocator growth
  const times = [];
  const start = performance.now();
  while (times.length < 5 || (performance.now() - start < budgetMs && times.length < 2000)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { runs: times.length, median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

const inputs = [
  ["three-tier (24 resources)", readFileSync(join(root, "examples", "three-tier.json"), "utf8"), 2000],
  ["synth:10000 (10,008 resources)", synth(10000), 10000],
];

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
console.log(`vpclink ${version()} (WebAssembly) in Node ${process.version}, ${pkgDir}`);
console.log("| input | as | median | p10 | p90 | runs | findings |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
for (const [name, text, budget] of inputs) {
  const object = JSON.parse(text);
  for (const [as, arg] of [["JSON text", text], ["object", object]]) {
    const findings = validate(arg).diagnostics.length;
    const m = measure(() => validate(arg), budget);
    console.log(`| ${name} | ${as} | ${fmt(m.median)} | ${fmt(m.p10)} | ${fmt(m.p90)} | ${m.runs} | ${findings} |`);
  }
}

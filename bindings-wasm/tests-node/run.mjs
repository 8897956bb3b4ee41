// Packs bindings-wasm/pkg with `npm pack`, installs the tarball into a fresh temporary
// project (no network: the package has no dependencies), type-checks the TypeScript usage
// example against the installed typings with `tsc --noEmit --strict`, and runs the node:test
// suites in this folder against the installed package.
//
//   node bindings-wasm/tests-node/run.mjs            (after scripts/build-npm)
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const crate = join(here, "..");
const pkg = join(crate, "pkg");
const tsc = join(crate, "tools", "node_modules", "typescript", "bin", "tsc");

const run = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, { cwd, stdio: "inherit", env: { ...process.env, ...env } });

const work = mkdtempSync(join(tmpdir(), "vpclink-npm-"));
let failed = false;
try {
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: pkg })
    .toString()
    .trim()
    .split("\n")
    .pop();
  const tarball = join(work, packed);
  console.log(`packed ${packed}`);

  const project = join(work, "project");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "vpclink-consumer", private: true, type: "commonjs" }, null, 2),
  );
  writeFileSync(join(project, "esm-entry.mjs"), 'export * from "vpclink";\n');
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], project);

  // The usage example, type-checked as a consumer's code against the installed typings,
  // once with bundler resolution (browser apps) and once with Node's (nodenext).
  copyFileSync(join(crate, "examples", "usage.ts"), join(project, "usage.ts"));
  for (const resolution of [
    ["--module", "esnext", "--moduleResolution", "bundler"],
    ["--module", "nodenext", "--moduleResolution", "nodenext"],
  ]) {
    console.log(`tsc --noEmit --strict ${resolution.join(" ")} usage.ts`);
    run(process.execPath, [
      tsc, "--noEmit", "--strict", "--target", "es2022", "--lib", "es2022,dom,esnext.disposable",
      ...resolution, "usage.ts",
    ], project);
  }

  const tests = readdirSync(here).filter((f) => f.endsWith(".test.mjs")).map((f) => join(here, f));
  run(process.execPath, ["--test", ...tests], here, { VPCLINK_PROJECT: project });
} catch (e) {
  failed = true;
  console.error(e.message);
} finally {
  if (process.env.VPCLINK_KEEP_PROJECT === "1") console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

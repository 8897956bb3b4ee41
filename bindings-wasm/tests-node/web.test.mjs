// The browser build (`vpclink/web`, the glue behind the package's browser entry) loaded in
// Node from the installed package: initSync with the .wasm bytes, then the same answers as
// the Node build. Headless Chromium runs the module itself (wasm-bindgen-test, scripts/test-wasm).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { resolve, vpclink } from "./load.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const threeTier = readFileSync(`${root}examples/three-tier.json`, "utf8");

test("the web glue answers as the Node build does", async () => {
  const web = await import(pathToFileURL(resolve("vpclink/web")).href);
  web.initSync({ module: readFileSync(resolve("vpclink/vpclink.wasm")) });
  assert.deepStrictEqual(web.validate(threeTier), vpclink.validate(threeTier));
  assert.equal(web.render(threeTier, "cli"), vpclink.render(threeTier, "cli"));
  assert.throws(() => web.validate("{"), (e) => e.name === "VpclinkError" && e.code === "syntax");
});

test("the package's files and exports are what package.json promises", () => {
  const pkg = JSON.parse(readFileSync(resolve("vpclink/package.json"), "utf8"));
  assert.equal(pkg.name, "vpclink");
  assert.equal(pkg.version, vpclink.version());
  assert.equal(pkg.dependencies, undefined, "the package has no dependencies");
  for (const file of ["vpclink.d.ts", "README.md", "LICENSE", "web/index.js", "node/vpclink.js"]) {
    assert.ok(readFileSync(new URL(file, pathToFileURL(resolve("vpclink/package.json"))), "utf8").length > 0, file);
  }
  const types = readFileSync(new URL("vpclink.d.ts", pathToFileURL(resolve("vpclink/package.json"))), "utf8");
  assert.match(types, /export function validate\(topology: Topology \| string\): Report;/);
  assert.doesNotMatch(types, /: any\b/, "no `any` in the declarations");
});

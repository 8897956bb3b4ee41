// The package's browser entry (web/index.js: fetch the .wasm beside it, instantiate with
// top-level await) in headless Chromium, served from the installed package over 127.0.0.1
// the way a static site or a bundler's dev server serves it. The page reports back with a
// POST; nothing leaves the machine. Skipped when Chromium is missing or
// VPCLINK_SKIP_BROWSER=1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { once } from "node:events";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { resolve } from "./load.mjs";

const chromium = [process.env.CHROME_BIN, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p) => p && existsSync(p),
);
const skip =
  process.env.VPCLINK_SKIP_BROWSER === "1" ? "VPCLINK_SKIP_BROWSER=1" : chromium ? false : "no Chromium";

const root = fileURLToPath(new URL("../../", import.meta.url));
const threeTier = readFileSync(join(root, "examples", "three-tier.json"), "utf8");
const pkgDir = dirname(resolve("vpclink/package.json"));

const page = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">{ "imports": { "vpclink": "/pkg/web/index.js" } }</script>
<script type="module">
  const report = async (body) => fetch("/result", { method: "POST", body: JSON.stringify(body) });
  try {
    const vpclink = await import("vpclink");
    const topology = await (await fetch("/three-tier.json")).text();
    let thrown;
    try { vpclink.validate("{"); } catch (e) { thrown = { name: e.name, code: e.code, isError: e instanceof Error }; }
    await report({
      version: vpclink.version(),
      summary: vpclink.validate(JSON.parse(topology)).summary,
      steps: vpclink.plan(topology).steps.length,
      thrown,
    });
  } catch (e) {
    await report({ failure: String(e && e.stack || e) });
  }
</script>`;

const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

test("the browser entry loads and answers in headless Chromium", { skip, timeout: 120_000 }, async () => {
  let resolveResult;
  const result = new Promise((r) => (resolveResult = r));
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    if (req.method === "POST" && url.pathname === "/result") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        res.end("ok");
        resolveResult(JSON.parse(body));
      });
      return;
    }
    if (url.pathname === "/") return res.writeHead(200, { "content-type": "text/html" }).end(page);
    if (url.pathname === "/three-tier.json") return res.writeHead(200, types[".json"]).end(threeTier);
    const file = normalize(join(pkgDir, url.pathname.replace(/^\/pkg\//, "/")));
    if (url.pathname.startsWith("/pkg/") && file.startsWith(pkgDir) && existsSync(file)) {
      return res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const profile = mkdtempSync(join(tmpdir(), "vpclink-chromium-"));
  const browser = spawn(
    chromium,
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", `--user-data-dir=${profile}`, `http://127.0.0.1:${server.address().port}/`,
    ],
    { stdio: "ignore" },
  );
  try {
    const got = await Promise.race([
      result,
      // unref: a pending timer must not keep the test process alive once the page answered.
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error("no answer from the page in 90 s")), 90_000).unref(),
      ),
    ]);
    assert.equal(got.failure, undefined, got.failure);
    assert.equal(got.version, JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version);
    assert.equal(got.summary.errors, 0);
    assert.ok(got.steps > 10);
    assert.deepStrictEqual(got.thrown, { name: "VpclinkError", code: "syntax", isError: true });
  } finally {
    // The profile is removed once Chromium has exited and stopped writing to it.
    const exited = browser.exitCode === null ? once(browser, "exit") : Promise.resolve();
    browser.kill();
    await exited;
    server.close();
    // Chromium's helper processes can outlive the main one by a moment and still write
    // into the profile: retry, and leave a temporary directory behind rather than fail.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (e) {
      console.error(`could not remove ${profile}: ${e.message}`);
    }
  }
});

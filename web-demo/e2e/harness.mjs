// Shared by the end-to-end tests: a static server for the built app on 127.0.0.1 (a free
// port), Debian's Chromium through playwright-core (no browser download), and helpers
// that wait for the engine to have checked the latest edit.

import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, normalize, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = resolve(here, "../dist");
export const SCREENSHOTS = resolve(here, "screenshots");
export const FIXTURES = resolve(here, "fixtures");
export const REPO = resolve(here, "../..");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Serves `root` on 127.0.0.1 at a free port. */
export async function serve(root = DIST) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      let path = normalize(decodeURIComponent(url.pathname));
      if (path.endsWith("/")) path += "index.html";
      const file = join(root, path);
      if (!file.startsWith(root)) throw new Error("outside root");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
}

/**
 * A fresh page (empty localStorage) on the app. Records page errors, console errors and
 * any dialog (alert/confirm/prompt), which the app never opens.
 */
export async function openApp(browser, url, { width = 1600, height = 1000 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  const record = { dialogs: [], errors: [], requests: [] };
  page.on("dialog", async (d) => {
    record.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on("pageerror", (e) => record.errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && record.errors.push(m.text()));
  page.on("request", (r) => record.requests.push(r.url()));
  await page.goto(url);
  await settled(page);
  return { page, context, record };
}

/** Waits until the engine has checked the latest revision and the canvas shows it. */
export async function settled(page, timeout = 60_000) {
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="engine-status"]');
      const c = document.querySelector('[data-testid="canvas"]');
      return (
        s && c && s.getAttribute("data-revision") === s.getAttribute("data-analysed-revision") &&
        c.getAttribute("data-layout-key-ready") === "yes" && Number(c.getAttribute("data-nodes")) > 0
      );
    },
    null,
    { timeout, polling: 50 },
  );
}

/** The node element of a card by its node id (the resource's JSON Pointer). */
export function card(page, id) {
  return page.locator(`.react-flow__node[data-id=${JSON.stringify(id)}]`);
}

export function edge(page, relation, from, to) {
  return page.locator(`[data-testid=${JSON.stringify(`rf__edge-${relation}|${from}|${to}`)}] g.reach-edge`);
}

export async function shot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Saves the topology through the app's own "Save JSON" download and returns it parsed. */
export async function savedTopology(page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("save-json").click()]);
  const path = await download.path();
  return JSON.parse(await readFile(path, "utf8"));
}

/** Opens a topology through the app's "Open JSON…" file input. */
export async function openTopology(page, topology, name = "topology.json") {
  // The file is read asynchronously: until it is, the previous document is the settled one,
  // so wait for the revision the open makes before waiting for it to settle.
  const before = await page.getByTestId("engine-status").getAttribute("data-revision");
  await page.getByTestId("open-json-file").setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(topology)) });
  await page.waitForFunction(
    (previous) => document.querySelector('[data-testid="engine-status"]')?.getAttribute("data-revision") !== previous,
    before,
    { timeout: 60_000, polling: 50 },
  );
  await settled(page);
}

/** Drags between two screen points with intermediate mouse moves, as a person would. */
export async function mouseDrag(page, from, to, steps = 12) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 4, from.y + 4, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

export async function centre(locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error("element has no box");
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

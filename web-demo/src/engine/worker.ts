/// <reference lib="webworker" />
// The engine in a worker: the wasm package runs here, so validating, reaching, planning
// and pricing a large topology never blocks the canvas. The package's browser entry
// instantiates the module with top-level await; it is imported dynamically so that
// `onmessage` is set at once — messages that arrive while a module worker is still
// evaluating a static import graph would find no handler and be lost.

import type { Analysis, EngineError, EngineRequest, Result } from "./types";

function toError(e: unknown): EngineError {
  if (e && typeof e === "object") {
    const o = e as Record<string, unknown>;
    const str = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
    const num = (k: string) => (typeof o[k] === "number" ? (o[k] as number) : undefined);
    return { message: str("message") ?? String(e), kind: str("kind"), code: str("code"), path: str("path"), line: num("line"), column: num("column") };
  }
  return { message: String(e) };
}

function timed<T>(f: () => T): [Result<T>, number] {
  const start = performance.now();
  try {
    const value = f();
    return [{ ok: true, value }, performance.now() - start];
  } catch (e) {
    return [{ ok: false, error: toError(e) }, performance.now() - start];
  }
}

type Api = {
  validate(t: unknown): unknown;
  reach(t: unknown): unknown;
  plan(t: unknown, o?: unknown): unknown;
  estimateCost(t: unknown, traffic?: unknown): unknown;
  render(t: unknown, format: string): string;
  importCloudFormation(text: string, file?: string): unknown;
  importTerraform(filesOrText: string | Record<string, string>): unknown;
  schema(name: string): unknown;
};

const loaded: Promise<Api> = import("vpclink") as unknown as Promise<Api>;

function handle(api: Api, req: EngineRequest): unknown {
  switch (req.op) {
    case "analyse": {
      const start = performance.now();
      const [report, v] = timed(() => api.validate(req.topology));
      const [reach, r] = timed(() => api.reach(req.topology));
      const [plan, p] = timed(() => api.plan(req.topology));
      const [cost, c] = timed(() => api.estimateCost(req.topology, req.traffic));
      const analysis = {
        revision: req.revision,
        report,
        reach,
        plan,
        cost,
        timings: { validate: v, reach: r, plan: p, cost: c, total: performance.now() - start },
      };
      return analysis as Analysis;
    }
    case "render":
      return api.render(req.topology, req.format);
    case "importCloudFormation":
      return api.importCloudFormation(req.text, req.file);
    case "importTerraform":
      return api.importTerraform(req.source);
    case "schema":
      return api.schema(req.name);
  }
}

self.onmessage = async (ev: MessageEvent<{ id: number; req: EngineRequest }>) => {
  const { id, req } = ev.data;
  try {
    const api = await loaded;
    self.postMessage({ id, ok: true, value: handle(api, req) });
  } catch (e) {
    self.postMessage({ id, ok: false, error: toError(e) });
  }
};

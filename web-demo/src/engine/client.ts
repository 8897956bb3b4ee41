// The page's side of the engine worker: promise-based calls, and a debounced analysis
// loop that keeps at most one analysis in flight and always finishes on the latest edit.

import type { Topology } from "../model/types";
import type { Analysis, EngineError, EngineRequest, RenderFormat, Traffic } from "./types";

export class EngineCallError extends Error implements EngineError {
  kind?: string;
  code?: string;
  path?: string;
  line?: number;
  column?: number;
  constructor(e: EngineError) {
    super(e.message);
    this.name = "EngineCallError";
    Object.assign(this, { kind: e.kind, code: e.code, path: e.path, line: e.line, column: e.column });
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

export class Engine {
  private worker: Worker;
  private next = 1;
  private pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "vpclink-engine" });
    this.worker.onmessage = (ev: MessageEvent<{ id: number; ok: boolean; value?: unknown; error?: EngineError }>) => {
      const p = this.pending.get(ev.data.id);
      if (!p) return;
      this.pending.delete(ev.data.id);
      if (ev.data.ok) p.resolve(ev.data.value);
      else p.reject(new EngineCallError(ev.data.error ?? { message: "engine error" }));
    };
    this.worker.onerror = (ev) => {
      const err = new EngineCallError({ message: `the engine failed to start: ${ev.message}` });
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  call<T>(req: EngineRequest): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, req });
    });
  }

  render(topology: Topology, format: RenderFormat): Promise<string> {
    return this.call({ op: "render", topology, format });
  }

  importCloudFormation(text: string, file?: string): Promise<Topology> {
    return this.call({ op: "importCloudFormation", text, file });
  }

  /** HCL files (name → text, paths relative to the root module) or one text: HCL, or the JSON of `terraform show -json`. */
  importTerraform(source: string | Record<string, string>): Promise<Topology> {
    return this.call({ op: "importTerraform", source });
  }

  schema(name: string): Promise<Record<string, unknown>> {
    return this.call({ op: "schema", name });
  }
}

/** Runs the analyses after each burst of edits: `delayMs` after the last one, never two at once. */
export class Analyzer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  private latest: { topology: Topology; traffic: Traffic; revision: number } | null = null;

  constructor(
    private engine: Engine,
    private onResult: (a: Analysis) => void,
    private onError: (e: EngineError) => void,
    private delayMs = 120,
  ) {}

  schedule(topology: Topology, traffic: Traffic, revision: number): void {
    this.latest = { topology, traffic, revision };
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), this.delayMs);
  }

  private async run(): Promise<void> {
    this.timer = null;
    if (this.inFlight || !this.latest) return;
    const job = this.latest;
    this.latest = null;
    this.inFlight = true;
    try {
      const a = await this.engine.call<Analysis>({ op: "analyse", ...job });
      this.onResult(a);
    } catch (e) {
      this.onError(e as EngineError);
    } finally {
      this.inFlight = false;
      if (this.latest && !this.timer) void this.run();
    }
  }
}

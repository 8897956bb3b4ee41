// One ELK instance for the page, running in its own worker so laying out a thousand
// cards never freezes the canvas.

import ELK from "elkjs/lib/elk-api.js";
import elkWorkerUrl from "elkjs/lib/elk-worker.min.js?url";
import type { ELK as ElkApi } from "elkjs/lib/elk-api";

let instance: ElkApi | null = null;

export function elk(): ElkApi {
  instance ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl, { name: "elk-layout" }) });
  return instance;
}

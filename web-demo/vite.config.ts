import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";

// The engine is the wasm package; it runs in a module worker so a large topology never
// blocks the page. `fs.allow` lets the app import the repository's example topology.
// A strict Content-Security-Policy in the built page (the dev server's hot reload needs
// inline scripts, so it is added at build time only): no inline script, no remote
// anything; wasm may compile.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join("; ");

const csp: Plugin = {
  name: "vpclink-csp",
  apply: "build",
  transformIndexHtml: (html) =>
    html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
};

export default defineConfig({
  plugins: [react(), csp],
  base: "./",
  worker: { format: "es" },
  // The package fetches its .wasm next to its glue; pre-bundling would move the glue away.
  optimizeDeps: { exclude: ["vpclink"] },
  server: { host: "127.0.0.1", fs: { allow: [".."] } },
  preview: { host: "127.0.0.1", port: 5173, strictPort: true },
  build: { target: "es2022", chunkSizeWarningLimit: 4096 },
  test: { include: ["test/**/*.test.ts"], environment: "node" },
});

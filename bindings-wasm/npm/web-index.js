// The package's entry for browsers and bundlers: instantiates the WebAssembly module once,
// with top-level await, so every export is ready on import. Callers that cannot use
// top-level await import "vpclink/web" and call its default export (init) themselves.
import init from "./vpclink.js";

await init();

export * from "./vpclink.js";

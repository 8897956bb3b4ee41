// The installed package, as a consumer's project resolves it. run.mjs packs bindings-wasm/pkg,
// installs the tarball into a fresh temporary project and points VPCLINK_PROJECT at it.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const project = process.env.VPCLINK_PROJECT;
if (!project) {
  throw new Error(
    "VPCLINK_PROJECT is not set: run `node bindings-wasm/tests-node/run.mjs` " +
      "(it packs the package and installs it into a temporary project)",
  );
}

const require = createRequire(join(project, "index.js"));

/** `require("vpclink")` from the project: the `node` condition of the exports map. */
export const vpclink = require("vpclink");

/** `import * as m from "vpclink"` from an ES module in the project. */
export const esm = await import(pathToFileURL(join(project, "esm-entry.mjs")).href);

/** A file of the installed package, through its exports map. */
export const resolve = (specifier) => require.resolve(specifier);

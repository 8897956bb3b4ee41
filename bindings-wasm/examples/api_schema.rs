//! Prints the JSON Schemas the TypeScript declarations are generated from:
//! `{"api": schema("api"), "live_state": schema("live_state")}`. Used by
//! `scripts/build-npm --types`; the binding itself never generates anything.
#![allow(clippy::disallowed_methods, reason = "a build helper prints to stdout")]

fn main() -> Result<(), String> {
    let text = vpclink_wasm::typegen::schemas_text().map_err(|e| e.to_string())?;
    print!("{text}");
    Ok(())
}

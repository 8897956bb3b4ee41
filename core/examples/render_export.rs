//! Writes an export of a topology to stdout, for the external tests (cfn-lint, HCL
//! parsers) until `vpclink plan --format cloudformation|terraform FILE` does the same.
//!
//! ```text
//! cargo run -q -p vpclink-core --example render_export -- cloudformation examples/three-tier.json
//! cargo run -q -p vpclink-core --example render_export -- terraform synth:100
//! cargo run -q -p vpclink-core --example render_export -- topology synth:100
//! ```
//!
//! `synth:N` is the generated topology of about N resources (`vpclink_core::synth`).
#![allow(
    clippy::disallowed_methods,
    reason = "an example program reads the topology file it is given"
)]

use std::process::ExitCode;

use vpclink_core::Topology;

fn load(input: &str) -> Result<Topology, String> {
    if let Some(size) = input.strip_prefix("synth:") {
        let n: usize = size
            .parse()
            .map_err(|_| format!("`{size}` is not a size; write synth:100"))?;
        return vpclink_core::synth::topology(n);
    }
    let text = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
    vpclink_core::topology_from_str(&text).map_err(|e| format!("{input}: {e}"))
}

fn run(format: &str, input: &str) -> Result<String, String> {
    let topology = load(input)?;
    let text = match format {
        "cloudformation" => vpclink_core::render::cloudformation(&topology),
        "terraform" => vpclink_core::render::terraform(&topology),
        "topology" => return serde_json::to_string_pretty(&topology).map_err(|e| e.to_string()),
        other => {
            return Err(format!(
                "unknown format `{other}`; use cloudformation, terraform or topology"
            ))
        }
    };
    text.map_err(|e| match e.path {
        Some(p) => format!("{input}: at {}: {}", p.as_str(), e.message),
        None => format!("{input}: {}", e.message),
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [format, input] = args.as_slice() else {
        eprintln!("usage: render_export cloudformation|terraform|topology FILE|synth:N");
        return ExitCode::from(2);
    };
    match run(format, input) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

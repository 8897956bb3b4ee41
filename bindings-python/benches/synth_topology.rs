//! Writes a synthetic topology of about N resources (default 10,000) as JSON to stdout:
//! `vpclink_core::synth`, the generator the native benchmark uses, so the Python benchmark
//! (`benches/test_bench_validate.py`) times the very input docs/benchmarks.md reports on.
//!
//! `cargo run -q -p vpclink-python --example synth-topology -- 10000 > topology.json`

use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let size = match std::env::args().nth(1).map(|a| a.parse::<usize>()) {
        None => 10_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("synth-topology: the size must be a number of resources: {e}");
            return ExitCode::from(2);
        }
    };
    let text = vpclink_core::synth::topology(size)
        .map_err(|e| format!("cannot generate: {e}"))
        .and_then(|t| serde_json::to_string(&t).map_err(|e| format!("cannot serialise: {e}")));
    match text {
        Ok(text) => match std::io::stdout().lock().write_all(text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("synth-topology: cannot write: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("synth-topology: {e}");
            ExitCode::FAILURE
        }
    }
}

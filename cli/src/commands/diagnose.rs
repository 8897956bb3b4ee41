//! `vpclink diagnose [FILE] --symptom S`: likely causes, ranked, with evidence and commands.

use std::io;

use vpclink_core::diagnose::{diagnose, Symptom};

use crate::args::{DiagnoseArgs, Format};
use crate::outcome::{after_output, Outcome};
use crate::render::{self, json};

pub fn run(args: &DiagnoseArgs) -> io::Result<Outcome> {
    let Some(topology) = super::load_topology(&args.input, args.format, "diagnosing")? else {
        return Ok(Outcome::Unusable);
    };
    let symptom = Symptom {
        kind: args.symptom,
        detail: args.detail.clone(),
        reasons: args.reasons.clone(),
    };
    let diagnosis = diagnose(&topology, &symptom);
    let outcome = if diagnosis.configuration_looks_right {
        Outcome::Clean
    } else {
        Outcome::Findings
    };
    let written = match args.format {
        Format::Human => render::diagnose::text(&mut anstream::stdout().lock(), &diagnosis),
        Format::Json => json::write(&mut io::stdout().lock(), &diagnosis),
    };
    after_output(outcome, written)
}

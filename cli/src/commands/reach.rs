//! `vpclink reach [FILE]`: every route walked to every target, with the place that blocks it.

use std::io;

use vpclink_core::reach::ReachReport;

use crate::args::{Format, ReachArgs};
use crate::outcome::{after_output, Outcome};
use crate::render::{json, reach};

pub fn run(args: &ReachArgs) -> io::Result<Outcome> {
    let Some(topology) = super::load_topology(&args.input, args.format, "tracing")? else {
        return Ok(Outcome::Unusable);
    };
    match vpclink_core::reach::reach(&topology) {
        Ok(report) => {
            let outcome = outcome(&report);
            let written = match args.format {
                Format::Human => reach::report(&mut anstream::stdout().lock(), &report),
                Format::Json => json::write(&mut io::stdout().lock(), &report),
            };
            after_output(outcome, written)
        }
        Err(diagnostics) => super::broken_references(&diagnostics, args.format),
    }
}

/// A path that is blocked, or that the engine could not decide, is not known to work.
fn outcome(report: &ReachReport) -> Outcome {
    if report.summary.blocked > 0 || report.summary.unknown > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

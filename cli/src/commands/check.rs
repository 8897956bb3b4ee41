//! `vpclink check [FILE]`: validate a topology and print the report.

use std::io;

use crate::args::{CheckArgs, Format};
use crate::outcome::{after_output, Outcome};
use crate::render::{human, json};

pub fn run(args: &CheckArgs) -> io::Result<Outcome> {
    let Some(topology) = super::load_topology(&args.input, args.format, "checking")? else {
        return Ok(Outcome::Unusable);
    };
    let report = vpclink_core::validate(&topology);
    let failed = args
        .fail_on
        .threshold()
        .is_some_and(|s| report.has_at_least(s));
    let outcome = if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    let written = match args.format {
        Format::Human => human::report(&mut anstream::stdout().lock(), &report),
        Format::Json => json::write(&mut io::stdout().lock(), &report),
    };
    after_output(outcome, written)
}

//! `vpclink import FILE`: a template or live-state bundle, written out as a topology.

use std::io::{self, Write};

use vpclink_core::import::InputFormat;

use crate::args::{Format, ImportArgs, InputArg};
use crate::outcome::{after_output, Outcome};
use crate::render::{human, json};

pub fn run(args: &ImportArgs) -> io::Result<Outcome> {
    let input = InputArg {
        file: Some(args.file.clone()),
    };
    let Some(topology) = super::load_topology(&input, Format::Human, "importing")? else {
        return Ok(Outcome::Unusable);
    };
    let Some(origin) = &topology.origin else {
        human::error(
            &mut anstream::stderr(),
            &format!(
                "{} is already a vpclink topology; there is nothing to import ({}s, {}s, {} and {}s are imported)",
                args.file.display(),
                InputFormat::Cloudformation.as_str(),
                InputFormat::AwsBundle.as_str(),
                InputFormat::TerraformJson.as_str(),
                InputFormat::TerraformHcl.as_str()
            ),
        )?;
        return Ok(Outcome::Unusable);
    };
    // The summary goes to stderr so stdout stays the topology alone.
    let mut err = anstream::stderr().lock();
    writeln!(
        err,
        "imported {} resources from {}; {} skipped, {} unknown values",
        topology.resource_count(),
        args.file.display(),
        origin.skipped.len(),
        origin.unknowns.len()
    )?;
    for s in &origin.skipped {
        writeln!(err, "  skipped {} ({}): {}", s.name, s.kind, s.reason)?;
    }
    for u in &origin.unknowns {
        writeln!(err, "  unknown {} = {}: {}", u.path, u.expression, u.reason)?;
    }
    drop(err);
    let text = json::to_string(&topology);
    match &args.output {
        None => after_output(
            Outcome::Clean,
            io::stdout().lock().write_all(text.as_bytes()),
        ),
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => Ok(Outcome::Clean),
            Err(e) => {
                human::error(
                    &mut anstream::stderr(),
                    &format!("cannot write {}: {e}", path.display()),
                )?;
                Ok(Outcome::Unusable)
            }
        },
    }
}

//! `vpclink rules [CODE]`: the catalogue of diagnostic codes.

use std::io::{self, Write};

use crate::args::{Format, RulesArgs};
use crate::outcome::{after_output, Outcome};
use crate::render::{human, json, rules};

pub fn run(args: &RulesArgs) -> io::Result<Outcome> {
    let catalogue = vpclink_core::rules::catalogue();
    let Some(query) = &args.code else {
        let written = match args.format {
            Format::Human => rules::table(&mut anstream::stdout().lock(), &catalogue),
            Format::Json => json::write(&mut io::stdout().lock(), &catalogue),
        };
        return after_output(Outcome::Clean, written);
    };
    let Some(meta) = vpclink_core::rules::find(query.trim()) else {
        let mut err = anstream::stderr();
        human::error(
            &mut err,
            &format!("no diagnostic has the code or name `{query}`"),
        )?;
        writeln!(err, "  = help: `vpclink rules` lists every code")?;
        return Ok(Outcome::Unusable);
    };
    let written = match args.format {
        Format::Human => rules::entry(&mut anstream::stdout().lock(), meta),
        Format::Json => json::write(&mut io::stdout().lock(), meta),
    };
    after_output(Outcome::Clean, written)
}

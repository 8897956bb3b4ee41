//! `vpclink cost [FILE]`: the monthly estimate under a traffic assumption.

use std::io;

use vpclink_core::cost::{estimate_cost, CostError, Traffic};

use crate::args::{CostArgs, Format};
use crate::outcome::{after_output, Outcome};
use crate::render::{self, human, json};

pub fn run(args: &CostArgs) -> io::Result<Outcome> {
    let Some(topology) = super::load_topology(&args.input, args.format, "pricing")? else {
        return Ok(Outcome::Unusable);
    };
    let defaults = Traffic::default();
    let traffic = Traffic {
        requests_per_month: args
            .requests_per_month
            .unwrap_or(defaults.requests_per_month),
        request_bytes: args.request_bytes.unwrap_or(defaults.request_bytes),
        response_bytes: args.response_bytes.unwrap_or(defaults.response_bytes),
        new_connections_per_second: args.new_connections_per_second,
        connection_seconds: args
            .connection_seconds
            .unwrap_or(defaults.connection_seconds),
        incremental: args.incremental,
    };
    match estimate_cost(&topology, &traffic) {
        Ok(estimate) => {
            let written = match args.format {
                Format::Human => render::cost::text(&mut anstream::stdout().lock(), &estimate),
                Format::Json => json::write(&mut io::stdout().lock(), &estimate),
            };
            after_output(Outcome::Clean, written)
        }
        Err(CostError::BrokenReferences { diagnostics, .. }) => {
            super::broken_references(&diagnostics, args.format)
        }
        Err(e) => {
            human::error(&mut anstream::stderr(), &e.to_string())?;
            if args.format == Format::Json {
                let written =
                    json::write(&mut io::stdout().lock(), &serde_json::json!({ "error": e }));
                super::ignore_broken_pipe(written)?;
            }
            Ok(Outcome::Unusable)
        }
    }
}

//! One file per subcommand; each returns the outcome that becomes the exit code.

pub mod check;
pub mod cost;
pub mod diagnose;
pub mod import;
pub mod plan;
pub mod reach;
pub mod rules;
pub mod schema;

use std::io::{self, Write};

use serde::Serialize;
use vpclink_core::{Diagnostic, Topology};

use crate::args::{Format, InputArg};
use crate::input::{self, Source};
use crate::outcome::{after_output, Outcome};
use crate::render::{human, json};

/// Loads the topology named on the command line. On failure the person reads why on stderr
/// and, with `--format json`, a script reads it on stdout; `None` means exit 2.
fn load_topology(input: &InputArg, format: Format, verb: &str) -> io::Result<Option<Topology>> {
    let source = Source::from_arg(input.file.as_deref());
    if matches!(source, Source::BuiltIn) && format == Format::Human {
        // Without this a bare `vpclink check` would look like it checked something of yours.
        writeln!(
            anstream::stderr(),
            "{verb} the built-in example ({})",
            input::BUILT_IN_NAME
        )?;
    }
    match input::load(&source) {
        Ok(topology) => Ok(Some(topology)),
        Err(failure) => {
            human::input_failure(&mut anstream::stderr(), &failure)?;
            if format == Format::Json {
                let written = json::write(&mut io::stdout().lock(), &failure.to_json());
                ignore_broken_pipe(written)?;
            }
            Ok(None)
        }
    }
}

fn ignore_broken_pipe(written: io::Result<()>) -> io::Result<()> {
    match written {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(()),
    }
}

/// The same shape as `check`'s report, so one parser reads both.
#[derive(Serialize)]
struct Unresolved<'a> {
    diagnostics: &'a [Diagnostic],
}

/// References that do not resolve leave no graph to analyse: the input is unusable for
/// tracing, diagnosing or pricing. `check` reports the same problems as findings.
fn broken_references(diagnostics: &[Diagnostic], format: Format) -> io::Result<Outcome> {
    let written = match format {
        Format::Human => {
            let mut err = anstream::stderr().lock();
            diagnostics
                .iter()
                .try_for_each(|d| human::diagnostic(&mut err, d).and_then(|()| writeln!(err)))
                .and_then(|()| {
                    human::error(
                        &mut err,
                        "references do not resolve, so nothing can be analysed; `vpclink check` lists the same problems",
                    )
                })
        }
        Format::Json => json::write(&mut io::stdout().lock(), &Unresolved { diagnostics }),
    };
    after_output(Outcome::Unusable, written)
}

//! `vpclink`: check, trace and explain private API topologies from the terminal.
//!
//! The command line reads files and prints; every analysis is the core's.
#![forbid(unsafe_code)]

mod args;
mod commands;
mod input;
mod outcome;
mod render;
mod tfdir;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::outcome::Outcome;

fn main() -> ExitCode {
    // clap exits by itself: 0 for --help/--version, 2 for a bad command line.
    let cli = Cli::parse();
    cli.color.apply();
    let result = match &cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Reach(args) => commands::reach::run(args),
        Command::Diagnose(args) => commands::diagnose::run(args),
        Command::Cost(args) => commands::cost::run(args),
        Command::Import(args) => commands::import::run(args),
        Command::Plan(args) => commands::plan::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Schema => commands::schema::run(),
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(e) => {
            // Output could not be written (a full disk, a closed terminal); nothing was decided.
            let _ = render::human::error(
                &mut anstream::stderr(),
                &format!("cannot write output: {e}"),
            );
            Outcome::Unusable.into()
        }
    }
}

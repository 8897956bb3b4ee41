//! The three exit codes every command shares, so scripts can rely on them.

use std::io;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: nothing at or above the threshold; every path reachable.
    Clean,
    /// 1: findings at or above the threshold; a blocked path.
    Findings,
    /// 2: the input could not be used (also clap's code for a bad command line).
    Unusable,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Clean => ExitCode::SUCCESS,
            Outcome::Findings => ExitCode::from(1),
            Outcome::Unusable => ExitCode::from(2),
        }
    }
}

/// A reader that stops early (`vpclink check | head`) is not a failure of the check: the
/// verdict was decided before printing, so keep it.
pub fn after_output(outcome: Outcome, written: io::Result<()>) -> io::Result<Outcome> {
    match written {
        Ok(()) => Ok(outcome),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(outcome),
        Err(e) => Err(e),
    }
}

//! The check report and input errors as text, in the style of rustc. The report's layout
//! is the core's (`render::report_text`), shared with the packages; this adds colour.

use std::io::{self, Write};

use vpclink_core::render::{diagnostic_text, typed_report_text, Paint};
use vpclink_core::{Diagnostic, Report, Severity};

use super::style::{self, EMPHASIS, GUTTER};
use crate::input::InputFailure;

pub fn report(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let text = typed_report_text(report, &Ansi).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())
}

pub fn diagnostic(out: &mut dyn Write, d: &Diagnostic) -> io::Result<()> {
    let text = diagnostic_text(d, &Ansi).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())
}

/// The core's text, in the terminal's colours (anstream strips them when colour is off).
struct Ansi;

impl Paint for Ansi {
    fn severity(&self, severity: Severity, text: &str) -> String {
        let style = style::severity(severity);
        format!("{style}{text}{style:#}")
    }
    fn emphasis(&self, text: &str) -> String {
        format!("{EMPHASIS}{text}{EMPHASIS:#}")
    }
    fn gutter(&self, text: &str) -> String {
        format!("{GUTTER}{text}{GUTTER:#}")
    }
}

/// `error: file:line:column: at /path: message`.
pub fn input_failure(out: &mut dyn Write, failure: &InputFailure) -> io::Result<()> {
    error(out, &failure.located_message())
}

pub fn error(out: &mut dyn Write, message: &str) -> io::Result<()> {
    let sev = style::severity(Severity::Error);
    writeln!(out, "{sev}error{sev:#}: {message}")
}

//! The check report and input errors as text, in the style of rustc.

use std::io::{self, Write};

use vpclink_core::{Diagnostic, PatchOp, Report, Severity};

use super::style::{self, EMPHASIS, GUTTER};
use crate::input::InputFailure;

pub fn report(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    for d in &report.diagnostics {
        diagnostic(out, d)?;
        writeln!(out)?;
    }
    if !report.rules_ran {
        writeln!(
            out,
            "{EMPHASIS}note{EMPHASIS:#}: references do not resolve, so the rules did not run; fix these first"
        )?;
    }
    let s = &report.summary;
    writeln!(
        out,
        "{EMPHASIS}{}, {}, {}{EMPHASIS:#}",
        count(s.errors, "error"),
        count(s.warnings, "warning"),
        count(s.infos, "info")
    )
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub fn diagnostic(out: &mut dyn Write, d: &Diagnostic) -> io::Result<()> {
    let sev = style::severity(d.severity);
    writeln!(
        out,
        "{sev}{}[{}]{sev:#}{EMPHASIS}: {}{EMPHASIS:#}",
        d.severity, d.code, d.title
    )?;
    writeln!(
        out,
        "  {GUTTER}-->{GUTTER:#} {} ({} `{}`)",
        d.path, d.resource.kind, d.resource.id
    )?;
    if let Some(source) = &d.source {
        // Where the resource is declared in the imported source: `file:line:column (name)`.
        let mut place = source.file.clone().unwrap_or_default();
        if let Some(line) = source.line {
            if !place.is_empty() {
                place.push(':');
            }
            place.push_str(&line.to_string());
            if let Some(column) = source.column {
                place.push_str(&format!(":{column}"));
            }
        }
        writeln!(out, "  {GUTTER}-->{GUTTER:#} {place} ({})", source.name)?;
    }
    writeln!(out, "   {GUTTER}|{GUTTER:#}")?;
    for line in d.message.lines() {
        writeln!(out, "   {GUTTER}|{GUTTER:#} {line}")?;
    }
    writeln!(out, "   {GUTTER}|{GUTTER:#}")?;
    if let Some(help) = &d.help {
        writeln!(
            out,
            "   {GUTTER}={GUTTER:#} {EMPHASIS}help{EMPHASIS:#}: {help}"
        )?;
    }
    if let Some(fix) = &d.fix {
        // The serde name is the one JSON consumers see; showing the same word avoids two vocabularies.
        let applicability = serde_json::to_value(fix.applicability)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(
            out,
            "   {GUTTER}={GUTTER:#} {EMPHASIS}fix ({applicability}){EMPHASIS:#}: {}",
            fix.description
        )?;
        for op in &fix.patch {
            writeln!(out, "       {}", patch_op(op))?;
        }
    }
    for r in &d.related {
        writeln!(
            out,
            "   {GUTTER}={GUTTER:#} {EMPHASIS}note{EMPHASIS:#}: {}",
            r.message
        )?;
        writeln!(out, "       {GUTTER}-->{GUTTER:#} {}", r.path)?;
    }
    Ok(())
}

fn patch_op(op: &PatchOp) -> String {
    match op {
        PatchOp::Add { path, value } => format!("add {path}: {value}"),
        PatchOp::Remove { path } => format!("remove {path}"),
        PatchOp::Replace { path, value } => format!("replace {path}: {value}"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_plural_except_one() {
        assert_eq!(count(0, "info"), "0 infos");
        assert_eq!(count(1, "warning"), "1 warning");
        assert_eq!(count(2, "error"), "2 errors");
    }
}

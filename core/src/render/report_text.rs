//! The check report as text, in the style of rustc: what `vpclink check` prints and what
//! the packages' `report_text` / `reportText` return, from this one renderer.
//!
//! It reads the report in its JSON form, the shape all three runtimes hold: the command
//! line converts its typed report, the packages hand back what `validate` gave them.

use std::fmt::Write as _;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::SourceLocation;
use crate::Report;

/// How the text is decorated: the command line colours it, the packages leave it plain.
pub trait Paint {
    /// `error[VL001]`, in the severity's colour.
    fn severity(&self, _severity: Severity, text: &str) -> String {
        text.to_owned()
    }
    /// Titles and the summary line.
    fn emphasis(&self, text: &str) -> String {
        text.to_owned()
    }
    /// `-->`, `|` and `=`, as rustc draws them.
    fn gutter(&self, text: &str) -> String {
        text.to_owned()
    }
}

/// No decoration.
pub struct Plain;

impl Paint for Plain {}

/// The report (the JSON `validate` returns) as text: every finding, then the counts.
pub fn report_text(report: &Value, paint: &dyn Paint) -> Result<String, ReportTextError> {
    let doc: ReportDoc = read(report)?;
    let mut out = String::new();
    for d in &doc.diagnostics {
        diagnostic(&mut out, d, paint);
        out.push('\n');
    }
    if !doc.rules_ran {
        let _ = writeln!(
            out,
            "{}: references do not resolve, so the rules did not run; fix these first",
            paint.emphasis("note")
        );
    }
    let s = &doc.summary;
    let counts = format!(
        "{}, {}, {}",
        count(s.errors, "error"),
        count(s.warnings, "warning"),
        count(s.infos, "info")
    );
    let _ = writeln!(out, "{}", paint.emphasis(&counts));
    Ok(out)
}

/// A typed report as text.
pub fn typed_report_text(report: &Report, paint: &dyn Paint) -> Result<String, ReportTextError> {
    report_text(&to_json(report)?, paint)
}

/// One finding as text, as it appears in the report.
pub fn diagnostic_text(d: &Diagnostic, paint: &dyn Paint) -> Result<String, ReportTextError> {
    let doc: DiagnosticDoc = read(&to_json(d)?)?;
    let mut out = String::new();
    diagnostic(&mut out, &doc, paint);
    Ok(out)
}

/// The value given is not a report: what is wrong, and where in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}the report: {message}", where_in(path))]
pub struct ReportTextError {
    /// JSON Pointer into the report; empty for the report as a whole.
    pub path: String,
    pub message: String,
}

fn where_in(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("at {path} of ")
    }
}

fn read<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, ReportTextError> {
    crate::parse::json_path::from_json_value(value).map_err(|e| ReportTextError {
        path: e.pointer.as_str().to_owned(),
        message: e.message(),
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Value, ReportTextError> {
    serde_json::to_value(value).map_err(|e| ReportTextError {
        path: String::new(),
        message: e.to_string(),
    })
}

fn diagnostic(out: &mut String, d: &DiagnosticDoc, paint: &dyn Paint) {
    let arrow = paint.gutter("-->");
    let bar = paint.gutter("|");
    let equals = paint.gutter("=");
    let _ = writeln!(
        out,
        "{}{}",
        paint.severity(d.severity, &format!("{}[{}]", d.severity, d.code)),
        paint.emphasis(&format!(": {}", d.title))
    );
    let _ = writeln!(
        out,
        "  {arrow} {} ({} `{}`)",
        d.path, d.resource.kind, d.resource.id
    );
    if let Some(source) = &d.source {
        let _ = writeln!(out, "  {arrow} {} ({})", place(source), source.name);
    }
    let _ = writeln!(out, "   {bar}");
    for line in d.message.lines() {
        let _ = writeln!(out, "   {bar} {line}");
    }
    let _ = writeln!(out, "   {bar}");
    if let Some(help) = &d.help {
        let _ = writeln!(out, "   {equals} {}: {help}", paint.emphasis("help"));
    }
    if let Some(fix) = &d.fix {
        let label = paint.emphasis(&format!("fix ({})", fix.applicability));
        let _ = writeln!(out, "   {equals} {label}: {}", fix.description);
        for op in &fix.patch {
            // `add` and `replace` carry a value (even `null`); `remove` does not.
            let _ = if op.op == "remove" {
                writeln!(out, "       {} {}", op.op, op.path)
            } else {
                writeln!(out, "       {} {}: {}", op.op, op.path, op.value)
            };
        }
    }
    for r in &d.related {
        let _ = writeln!(out, "   {equals} {}: {}", paint.emphasis("note"), r.message);
        let _ = writeln!(out, "       {arrow} {}", r.path);
    }
}

/// Where the resource is declared in the imported source: `file:line:column`.
fn place(source: &SourceLocation) -> String {
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
    place
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

// The report as the renderer reads it: the JSON shape (schema `report`), owned, with only
// the fields the text shows.

#[derive(Deserialize)]
struct ReportDoc {
    diagnostics: Vec<DiagnosticDoc>,
    summary: SummaryDoc,
    rules_ran: bool,
}

#[derive(Deserialize)]
struct SummaryDoc {
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Deserialize)]
struct DiagnosticDoc {
    code: String,
    severity: Severity,
    title: String,
    message: String,
    resource: ResourceDoc,
    path: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    fix: Option<FixDoc>,
    #[serde(default)]
    related: Vec<RelatedDoc>,
    #[serde(default)]
    source: Option<SourceLocation>,
}

#[derive(Deserialize)]
struct ResourceDoc {
    kind: String,
    id: String,
}

#[derive(Deserialize)]
struct FixDoc {
    description: String,
    applicability: String,
    patch: Vec<PatchDoc>,
}

#[derive(Deserialize)]
struct PatchDoc {
    op: String,
    path: String,
    #[serde(default)]
    value: Value,
}

#[derive(Deserialize)]
struct RelatedDoc {
    path: String,
    message: String,
}

#[cfg(test)]
mod tests;

//! The rule catalogue as text: a table of every code, or one code in full.

use std::io::{self, Write};

use vpclink_core::diagnostic::Family;
use vpclink_core::RuleMeta;

use super::style::{self, EMPHASIS};

/// The short family key (`vpc_link`), the same word the JSON output uses.
fn family_key(f: Family) -> String {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub fn table(out: &mut dyn Write, metas: &[&RuleMeta]) -> io::Result<()> {
    let rows: Vec<[String; 4]> = metas
        .iter()
        .map(|m| {
            [
                m.code.to_owned(),
                m.severity.to_string(),
                family_key(m.family),
                m.title.to_owned(),
            ]
        })
        .collect();
    let header = ["CODE", "SEVERITY", "FAMILY", "TITLE"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain(std::iter::once(header[i].len()))
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    writeln!(
        out,
        "{EMPHASIS}{:w0$}  {:w1$}  {:w2$}  {}{EMPHASIS:#}",
        header[0], header[1], header[2], header[3]
    )?;
    for (row, meta) in rows.iter().zip(metas) {
        let sev = style::severity(meta.severity);
        // Padding is applied outside the style so escapes do not count towards the width.
        writeln!(
            out,
            "{:w0$}  {sev}{:w1$}{sev:#}  {:w2$}  {}",
            row[0], row[1], row[2], row[3]
        )?;
    }
    Ok(())
}

pub fn entry(out: &mut dyn Write, m: &RuleMeta) -> io::Result<()> {
    let sev = style::severity(m.severity);
    writeln!(
        out,
        "{sev}{}{sev:#} ({}): {EMPHASIS}{}{EMPHASIS:#}",
        m.code, m.name, m.title
    )?;
    writeln!(out)?;
    writeln!(out, "severity:  {sev}{}{sev:#}", m.severity)?;
    writeln!(
        out,
        "family:    {} ({})",
        m.family.title(),
        family_key(m.family)
    )?;
    writeln!(out, "rationale: {}", m.rationale)?;
    writeln!(out, "source:    {}", m.source)
}

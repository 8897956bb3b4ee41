//! A diagnosis as text: the summary, then each cause with its evidence, checks and fix.

use std::io::{self, Write};

use vpclink_core::diagnose::{Confidence, Diagnosis, EvidenceSource};

use super::style::{EMPHASIS, GOOD, GUTTER};

pub fn text(out: &mut dyn Write, d: &Diagnosis) -> io::Result<()> {
    writeln!(out, "{EMPHASIS}{}{EMPHASIS:#}", d.summary)?;
    for cause in &d.causes {
        writeln!(out)?;
        let confidence = match cause.confidence {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        };
        writeln!(
            out,
            "{EMPHASIS}{}. {}{EMPHASIS:#} ({confidence} confidence; cause `{}`)",
            cause.rank, cause.title, cause.id
        )?;
        writeln!(out, "   {GUTTER}|{GUTTER:#} {}", cause.explanation)?;
        for e in &cause.evidence {
            let source = match e.source {
                EvidenceSource::Finding => "finding",
                EvidenceSource::Path => "path",
                EvidenceSource::Observed => "observed",
            };
            let code = e
                .code
                .as_deref()
                .map(|c| format!(" {c}"))
                .unwrap_or_default();
            writeln!(
                out,
                "   {GUTTER}={GUTTER:#} {source}{code} at {}: {}",
                e.path, e.message
            )?;
        }
        for c in &cause.next_checks {
            writeln!(out, "   {GUTTER}={GUTTER:#} check ({}):", c.purpose)?;
            writeln!(out, "       {}", c.command)?;
        }
        writeln!(
            out,
            "   {GUTTER}={GUTTER:#} {GOOD}fix{GOOD:#}: {}",
            cause.fix
        )?;
        for p in &cause.patches {
            writeln!(
                out,
                "   {GUTTER}={GUTTER:#} patch ({}): {}",
                match p.applicability {
                    vpclink_core::Applicability::Safe => "safe",
                    vpclink_core::Applicability::Unsafe => "unsafe",
                },
                p.description
            )?;
        }
    }
    if !d.next_checks.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{EMPHASIS}Worth checking whatever the cause:{EMPHASIS:#}"
        )?;
        for c in &d.next_checks {
            writeln!(out, "   {GUTTER}={GUTTER:#} {}:", c.purpose)?;
            writeln!(out, "       {}", c.command)?;
        }
    }
    Ok(())
}

//! The reachability report as text: one line per path, then the health checks.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;
use vpclink_core::reach::{
    Block, HealthCheckVerdict, HealthResult, PathVerdict, ReachReport, Verdict,
};
use vpclink_core::Severity;

use super::style::{self, EMPHASIS, GUTTER};

pub fn report(out: &mut dyn Write, report: &ReachReport) -> io::Result<()> {
    // Route keys repeat across APIs; name the API only when the reader could confuse them.
    let apis: BTreeSet<&str> = report.paths.iter().map(|p| p.api_id.as_str()).collect();
    let name_api = apis.len() > 1;
    if report.paths.is_empty() {
        writeln!(out, "no route integrates through a VPC link")?;
    }
    for p in &report.paths {
        path(out, p, name_api)?;
    }
    if !report.health_checks.is_empty() {
        writeln!(out)?;
        writeln!(out, "{EMPHASIS}health checks{EMPHASIS:#}")?;
        for h in &report.health_checks {
            health_check(out, h)?;
        }
    }
    let s = &report.summary;
    writeln!(out)?;
    writeln!(
        out,
        "{EMPHASIS}{}: {} reachable, {} blocked, {} unknown; health checks: {} passing, {} failing, {} not run{EMPHASIS:#}",
        count(s.paths, "path"),
        s.reachable,
        s.blocked,
        s.unknown,
        s.health_checks_passing,
        s.health_checks_failing,
        s.health_checks_not_run
    )
}

/// `GET /products → link → nlb:80 → backend → web-1:8080  reachable`: the hops the path
/// got as far as naming, then its verdict.
fn path(out: &mut dyn Write, p: &PathVerdict, name_api: bool) -> io::Result<()> {
    let mut parts = Vec::new();
    parts.push(if name_api {
        format!("{} {}", p.api_id, p.route_key)
    } else {
        p.route_key.clone()
    });
    parts.extend(p.vpc_link.clone());
    parts.extend(
        p.load_balancer
            .as_ref()
            .map(|lb| with_port(lb, p.listener_port)),
    );
    parts.extend(p.target_group.clone());
    parts.extend(p.target.as_ref().map(|t| with_port(t, p.target_port)));
    let chain = parts.join(" → ");
    match &p.verdict {
        Verdict::Reachable => writeln!(out, "{chain}  {}reachable{:#}", style::GOOD, style::GOOD),
        Verdict::Unknown { reason } => {
            let warn = style::severity(Severity::Warning);
            writeln!(out, "{chain}  {warn}unknown{warn:#}: {reason}")
        }
        Verdict::Blocked(b) => {
            let bad = style::severity(Severity::Error);
            writeln!(
                out,
                "{chain}  {bad}BLOCKED{bad:#} by {} `{}` ({}): {}",
                b.component.kind, b.component.id, b.explanation_code, b.explanation
            )?;
            block_details(out, b, "   ")
        }
    }
}

fn health_check(out: &mut dyn Write, h: &HealthCheckVerdict) -> io::Result<()> {
    let mut subject = format!("{} → {}:{}", h.target_group, h.target, h.target_port);
    if h.health_check_port != h.target_port {
        subject.push_str(&format!(" (checked on port {})", h.health_check_port));
    }
    if let Some(lb) = &h.load_balancer {
        subject = format!("{lb} checks {subject}");
    }
    match &h.result {
        HealthResult::Passes => {
            writeln!(out, "  {subject}  {}passes{:#}", style::GOOD, style::GOOD)
        }
        HealthResult::NotChecked { reason } => writeln!(out, "  {subject}  not checked: {reason}"),
        HealthResult::Fails {
            cause,
            explanation,
            block,
            reason_code,
        } => {
            let bad = style::severity(Severity::Error);
            writeln!(
                out,
                "  {subject}  {bad}FAILS{bad:#} ({}): {explanation}",
                serde_name(cause)
            )?;
            if let Some(b) = block {
                block_details(out, b, "     ")?;
            }
            if let Some(code) = reason_code {
                writeln!(
                    out,
                    "     {GUTTER}={GUTTER:#} a live account would show `{code}`"
                )?;
            }
            Ok(())
        }
    }
}

/// Where the block is decided, and the diagnostic that reports it in `vpclink check`.
fn block_details(out: &mut dyn Write, b: &Block, indent: &str) -> io::Result<()> {
    writeln!(out, "{indent}{GUTTER}-->{GUTTER:#} {}", b.path)?;
    if let Some(code) = b.rule_code {
        writeln!(
            out,
            "{indent}{GUTTER}={GUTTER:#} also reported by {code}; see `vpclink rules {code}`"
        )?;
    }
    Ok(())
}

fn with_port(name: &str, port: Option<u16>) -> String {
    match port {
        Some(port) => format!("{name}:{port}"),
        None => name.to_owned(),
    }
}

/// The word JSON consumers see for an enum value, so both outputs share a vocabulary.
fn serde_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

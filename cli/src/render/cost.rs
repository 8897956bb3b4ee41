//! A cost estimate as a table per resource, with the price table's Region and date.

use std::io::{self, Write};

use vpclink_core::cost::CostEstimate;

use super::style::{EMPHASIS, GUTTER};

pub fn text(out: &mut dyn Write, e: &CostEstimate) -> io::Result<()> {
    writeln!(
        out,
        "{EMPHASIS}Monthly estimate: ${:.2} {}{EMPHASIS:#} ({} list prices as of {}, {} hours a month)",
        e.monthly_usd, e.currency, e.region, e.prices_as_of, e.hours_per_month
    )?;
    let t = &e.traffic;
    writeln!(
        out,
        "traffic: {} requests/month, {} B in, {} B out, new connections/s: {}, {} s per connection{}",
        t.requests_per_month,
        t.request_bytes,
        t.response_bytes,
        t.new_connections_per_second
            .map(|n| n.to_string())
            .unwrap_or_else(|| "one per request".into()),
        t.connection_seconds,
        if t.incremental { ", incremental" } else { "" }
    )?;
    for r in &e.resources {
        writeln!(out)?;
        writeln!(
            out,
            "{EMPHASIS}{} `{}`{EMPHASIS:#}: ${:.2}{}",
            r.resource.kind,
            r.resource.id,
            r.monthly_usd,
            if r.shared {
                " (exists already, shared)"
            } else {
                ""
            }
        )?;
        for i in &r.items {
            writeln!(
                out,
                "   {GUTTER}|{GUTTER:#} {:<28} {:>14.4} {:<17} × ${:<10} = ${:.2}",
                i.item,
                i.quantity,
                i.unit,
                price(i.unit_price_usd),
                i.monthly_usd
            )?;
            if let Some(detail) = &i.detail {
                writeln!(out, "   {GUTTER}|{GUTTER:#}   {detail}")?;
            }
        }
        if let Some(note) = &r.note {
            writeln!(out, "   {GUTTER}={GUTTER:#} note: {note}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{EMPHASIS}Assumes:{EMPHASIS:#}")?;
    for a in &e.assumptions {
        writeln!(out, "   - {a}")?;
    }
    writeln!(out, "{EMPHASIS}Not included:{EMPHASIS:#}")?;
    for n in &e.not_included {
        writeln!(out, "   - {n}")?;
    }
    Ok(())
}

/// A unit price with at least cents and no trailing zeros beyond them: `3.50`, `0.0225`.
fn price(p: f64) -> String {
    let text = format!("{p:.6}");
    let trimmed = text.trim_end_matches('0');
    match trimmed.split_once('.') {
        Some((_, frac)) if frac.len() < 2 => format!("{p:.2}"),
        _ => trimmed.to_owned(),
    }
}

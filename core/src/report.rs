//! `validate`: every rule over the resolved graph, collected into one ordered report.

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph;
use crate::model::Topology;
use crate::rules::{self, Context};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Report {
    /// Findings, most severe first, then by code and place.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// False when references did not resolve: only those are reported, since rule results
    /// on a broken model would mislead.
    pub rules_ran: bool,
}

impl Report {
    fn new(mut diagnostics: Vec<Diagnostic>, rules_ran: bool) -> Self {
        diagnostics.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.code.cmp(b.code))
                .then_with(|| a.path.cmp(&b.path))
                .then_with(|| a.message.cmp(&b.message))
        });
        diagnostics.dedup();
        let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
        let summary = Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        };
        Report {
            diagnostics,
            summary,
            rules_ran,
        }
    }

    /// Whether any finding is at or above `severity`.
    pub fn has_at_least(&self, severity: Severity) -> bool {
        self.diagnostics.iter().any(|d| d.severity >= severity)
    }
}

/// Checks a topology: resolves it, then runs every rule.
pub fn validate(topology: &Topology) -> Report {
    match graph::build(topology) {
        Err(errors) => Report::new(errors, false),
        Ok(graph) => run_rules(&Context::new(&graph)),
    }
}

/// Every rule over an already resolved graph; analyses that need the rules' results too
/// (diagnosis) share the context, and with it the network evaluation.
pub fn run_rules(cx: &Context<'_, '_>) -> Report {
    let mut out = Vec::new();
    for rule in rules::all() {
        (rule.check)(cx, &mut out);
    }
    Report::new(out, true)
}

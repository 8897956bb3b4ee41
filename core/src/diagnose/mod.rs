//! `diagnose`: from a symptom to its likely causes, ranked, each with the evidence in the
//! topology (rule findings, reachability verdicts, observed state), the commands to run next,
//! and the fix. Observed state outranks what the configuration only suggests.

mod causes;
mod commands;
mod symptom;

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Fix, ResourceRef, Severity};
use crate::graph::{self, Graph};
use crate::model::Topology;
use crate::pointer::JsonPointer;
use crate::reach::{self, ReachReport, Verdict};
use crate::report::run_rules;
use crate::rules::Context;

use causes::{CauseSpec, CAUSES, MESSAGE_HINTS, MISSING_RESOURCE, OBSERVED_CODES, REASON_HINTS};
pub use commands::Command;
pub use symptom::{Symptom, SymptomKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// Where a piece of evidence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// A rule finding on the configuration.
    Finding,
    /// A reachability verdict.
    Path,
    /// State the live account reports (or the user saw).
    Observed,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Evidence {
    pub source: EvidenceSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub resource: ResourceRef,
    pub path: JsonPointer,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Cause {
    pub rank: usize,
    /// Stable id of the cause, such as `security-group-drops`.
    pub id: &'static str,
    pub title: &'static str,
    pub confidence: Confidence,
    /// Why this cause produces the symptom.
    pub explanation: &'static str,
    pub evidence: Vec<Evidence>,
    /// What to run to confirm it.
    pub next_checks: Vec<Command>,
    pub fix: &'static str,
    /// Patches the findings offer, applicable to the input topology.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patches: Vec<Fix>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Diagnosis {
    pub symptom: Symptom,
    /// Most likely first.
    pub causes: Vec<Cause>,
    /// True when nothing in the configuration or observed state explains the symptom.
    pub configuration_looks_right: bool,
    pub summary: String,
    /// Checks worth running whatever the cause: logs, target health, metrics.
    pub next_checks: Vec<Command>,
}

/// Explains `symptom` for `topology`. When references do not resolve, those are the
/// answer: nothing else can be analysed on a model with holes in it.
pub fn diagnose(topology: &Topology, symptom: &Symptom) -> Diagnosis {
    match graph::build(topology) {
        Ok(graph) => {
            let cx = Context::new(&graph);
            let report = run_rules(&cx);
            let paths = reach::reach_graph(&graph, cx.network());
            explain(&graph, &report.diagnostics, &paths, symptom)
        }
        Err(unresolved) => explain_unresolved(&unresolved, symptom),
    }
}

fn explain_unresolved(findings: &[Diagnostic], symptom: &Symptom) -> Diagnosis {
    let spec = &MISSING_RESOURCE;
    let evidence: Vec<Evidence> = findings
        .iter()
        .map(|d| Evidence {
            source: EvidenceSource::Finding,
            code: Some(d.code.to_owned()),
            resource: d.resource.clone(),
            path: d.path.clone(),
            message: d.message.clone(),
        })
        .collect();
    let confidence = if spec.weight(symptom.kind) >= 8 {
        Confidence::High
    } else {
        Confidence::Medium
    };
    Diagnosis {
        symptom: symptom.clone(),
        summary: format!(
            "{}: {} ({} of them); the rest of the topology cannot be analysed until they resolve.",
            capitalise(symptom.kind.describe()),
            lowercase_first(spec.title),
            evidence.len()
        ),
        causes: vec![Cause {
            rank: 1,
            id: spec.id,
            title: spec.title,
            confidence,
            explanation: spec.explanation,
            evidence,
            next_checks: Vec::new(),
            fix: spec.fix,
            patches: Vec::new(),
        }],
        configuration_looks_right: false,
        next_checks: Vec::new(),
    }
}

struct Candidate<'a> {
    spec: &'a CauseSpec,
    score: u32,
    evidence: Vec<Evidence>,
    patches: Vec<Fix>,
    observed: bool,
    worst: Severity,
}

fn explain(
    g: &Graph<'_>,
    findings: &[Diagnostic],
    paths: &ReachReport,
    symptom: &Symptom,
) -> Diagnosis {
    let hinted = hints(symptom, g);
    let mut candidates: Vec<Candidate> = Vec::new();
    for spec in CAUSES {
        let weight = u32::from(spec.weight(symptom.kind));
        if weight == 0 {
            continue;
        }
        let mut c = Candidate {
            spec,
            score: 0,
            evidence: Vec::new(),
            patches: Vec::new(),
            observed: false,
            worst: Severity::Info,
        };
        for d in findings.iter().filter(|d| spec.codes.contains(&d.code)) {
            let observed = OBSERVED_CODES.contains(&d.code);
            c.observed |= observed;
            c.worst = c.worst.max(d.severity);
            c.evidence.push(Evidence {
                source: if observed {
                    EvidenceSource::Observed
                } else {
                    EvidenceSource::Finding
                },
                code: Some(d.code.to_owned()),
                resource: d.resource.clone(),
                path: d.path.clone(),
                message: d.message.clone(),
            });
            if let Some(fix) = &d.fix {
                if !c.patches.contains(fix) {
                    c.patches.push(fix.clone());
                }
            }
        }
        // An info finding is a remark, not a fault: it explains only symptoms it is typical of.
        if !c.evidence.is_empty() && c.worst == Severity::Info && !c.observed && weight < 7 {
            c.evidence.clear();
            c.patches.clear();
        }
        path_evidence(spec, paths, &mut c.evidence);
        let hint_boost = hinted.iter().filter(|(id, _)| *id == spec.id).count() as u32;
        if c.evidence.is_empty() {
            // A pasted message or reason code alone is evidence too, but only of the causes
            // it names, and only when the configuration cannot confirm or refute it.
            // It does not count as observed state of this cause: a reason code such as
            // Target.FailedHealthChecks names several possible causes at once.
            if let Some((_, ev)) = hinted.iter().find(|(id, _)| *id == spec.id) {
                c.evidence.push(ev.clone());
            } else {
                continue;
            }
        }
        let severity_bonus = match c.worst {
            Severity::Error => 5,
            Severity::Warning => 2,
            Severity::Info => 0,
        };
        c.score = weight * 10
            + if c.observed { 100 } else { 0 }
            + hint_boost * 30
            + severity_bonus
            + c.evidence.len().min(5) as u32;
        candidates.push(c);
    }
    candidates.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.spec.id.cmp(b.spec.id)));

    let causes: Vec<Cause> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let confidence =
                if c.observed || (c.worst == Severity::Error && c.spec.weight(symptom.kind) >= 8) {
                    Confidence::High
                } else if c.worst >= Severity::Warning || c.spec.weight(symptom.kind) >= 6 {
                    Confidence::Medium
                } else {
                    Confidence::Low
                };
            let mut seen = BTreeSet::new();
            let next_checks = c
                .evidence
                .iter()
                .flat_map(|e| {
                    let mut refs = vec![e.resource.clone()];
                    refs.extend(instance_at(g, &e.path));
                    refs
                })
                .flat_map(|r| commands::for_resource(g, &r))
                .filter(|cmd| seen.insert(cmd.command.clone()))
                .collect();
            Cause {
                rank: i + 1,
                id: c.spec.id,
                title: c.spec.title,
                confidence,
                explanation: c.spec.explanation,
                evidence: c.evidence,
                next_checks,
                fix: c.spec.fix,
                patches: c.patches,
            }
        })
        .collect();

    let looks_right = causes.is_empty();
    let summary = match causes.first() {
        Some(top) => format!(
            "{}: most likely {} ({} confidence, {} piece{} of evidence).",
            capitalise(symptom.kind.describe()),
            lowercase_first(top.title),
            match top.confidence {
                Confidence::High => "high",
                Confidence::Medium => "medium",
                Confidence::Low => "low",
            },
            top.evidence.len(),
            if top.evidence.len() == 1 { "" } else { "s" }
        ),
        None => format!(
            "{}: the configuration looks right for this symptom — no finding, blocked path or observed state explains it. Look at the backend itself and at the live state with the checks below.",
            capitalise(symptom.kind.describe())
        ),
    };
    Diagnosis {
        symptom: symptom.clone(),
        causes,
        configuration_looks_right: looks_right,
        summary,
        next_checks: general_checks(g, symptom.kind),
    }
}

/// Reachability verdicts that show the cause at work: blocked paths whose block the cause's
/// findings report, and links in a bad state.
fn path_evidence(spec: &CauseSpec, paths: &ReachReport, out: &mut Vec<Evidence>) {
    for p in &paths.paths {
        let Verdict::Blocked(block) = &p.verdict else {
            continue;
        };
        let matches = match block.rule_code {
            Some(code) => spec.codes.contains(&code),
            None => spec.id == "link-not-available" && block.explanation_code == "BAD_STATE",
        };
        if !matches {
            continue;
        }
        let target = p.target.as_deref().unwrap_or("its targets");
        out.push(Evidence {
            source: EvidenceSource::Path,
            code: Some(block.explanation_code.to_owned()),
            resource: block.component.clone(),
            path: block.path.clone(),
            message: format!(
                "`{}` to `{target}` is blocked: {}",
                p.route_key, block.explanation
            ),
        });
    }
}

/// Causes named by what the user pasted (a status message, reason codes) or by the
/// observed target health reasons.
fn hints(symptom: &Symptom, g: &Graph<'_>) -> Vec<(&'static str, Evidence)> {
    let mut out = Vec::new();
    let anchor = g
        .topology
        .vpc_links
        .iter()
        .next()
        .map(|(id, _)| {
            (
                ResourceRef::new("vpc_links", id),
                JsonPointer::resource("vpc_links", id),
            )
        })
        .unwrap_or_else(|| (ResourceRef::new("topology", ""), JsonPointer::root()));
    if let Some(detail) = &symptom.detail {
        let lower = detail.to_ascii_lowercase();
        for (needle, cause) in MESSAGE_HINTS {
            if lower.contains(needle) {
                out.push((
                    *cause,
                    Evidence {
                        source: EvidenceSource::Observed,
                        code: None,
                        resource: anchor.0.clone(),
                        path: anchor.1.clone(),
                        message: format!("you saw: \"{detail}\""),
                    },
                ));
            }
        }
    }
    let observed_reasons = g
        .observed()
        .into_iter()
        .flat_map(|o| o.target_health.iter())
        .flat_map(|(_, list)| list.iter().filter_map(|h| h.reason.clone()));
    let reasons: BTreeSet<String> = symptom
        .reasons
        .iter()
        .cloned()
        .chain(observed_reasons)
        .collect();
    for reason in reasons {
        for (code, causes) in REASON_HINTS {
            if reason == *code {
                for cause in *causes {
                    out.push((
                        *cause,
                        Evidence {
                            source: EvidenceSource::Observed,
                            code: Some(reason.clone()),
                            resource: anchor.0.clone(),
                            path: anchor.1.clone(),
                            message: format!("targets report reason code {reason}"),
                        },
                    ));
                }
            }
        }
    }
    out
}

/// Checks that help whatever the cause.
fn general_checks(g: &Graph<'_>, kind: SymptomKind) -> Vec<Command> {
    let mut out = Vec::new();
    for (id, _) in &g.topology.vpc_links {
        out.extend(commands::for_resource(
            g,
            &ResourceRef::new("vpc_links", id),
        ));
    }
    if !matches!(kind, SymptomKind::LinkPending | SymptomKind::LinkFailed) {
        for (id, _) in &g.topology.target_groups {
            out.extend(
                commands::for_resource(g, &ResourceRef::new("target_groups", id))
                    .into_iter()
                    .take(1),
            );
        }
        for (id, _) in &g.topology.rest_apis {
            out.extend(commands::execution_logs(g, id.as_str()));
            if kind == SymptomKind::Http504 {
                out.extend(commands::integration_latency(g, id.as_str()));
            }
        }
    }
    out
}

/// The instance a finding's path points at, when it points at an instance target
/// (`/target_groups/tg/targets/0`): its state is checked on the instance itself.
fn instance_at(g: &Graph<'_>, path: &JsonPointer) -> Option<ResourceRef> {
    let mut parts = path.as_str().split('/').skip(1);
    let (Some("target_groups"), Some(tg), Some("targets"), Some(index)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let index: usize = index.parse().ok()?;
    let target = g.targets_of(tg).iter().find(|t| t.index == index)?;
    target
        .instance
        .map(|(id, _)| ResourceRef::new("instances", id))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;

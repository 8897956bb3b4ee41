//! Shared helpers for the conformance and golden tests: the generated documents
//! (`docs/rules.md`, `core/schemas/`), the conformance-vector format, and the
//! compare-or-bless step every file-backed test uses.
//!
//! This crate is a test harness, so unlike the core it reads and writes files and reads
//! `VPCLINK_BLESS`; the workspace's disallowed-methods list exists for the core's no-IO
//! promise and is lifted here for that reason.
#![allow(
    clippy::disallowed_methods,
    reason = "a test harness reads fixtures, writes blessed files and reads VPCLINK_BLESS"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use vpclink_core::diagnostic::Family;
use vpclink_core::{Report, RuleMeta, Severity};

/// The environment variable that turns comparisons into rewrites.
pub const BLESS_VAR: &str = "VPCLINK_BLESS";

/// The repository root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Whether this run rewrites generated and golden files instead of comparing them.
pub fn blessing() -> bool {
    std::env::var(BLESS_VAR).is_ok_and(|v| v == "1")
}

// ---------------------------------------------------------------------------------------
// Generated documents.

/// `docs/rules.md`: the rule catalogue, a table per family, then a section per code.
pub fn rules_markdown() -> String {
    let metas = vpclink_core::rules::catalogue();
    let mut out = String::new();
    out.push_str("# Rule catalogue\n\n");
    out.push_str(
        "<!-- Generated from vpclink_core::rules::catalogue() by scripts/regenerate; \
         edit the rule files, not this page. -->\n\n",
    );
    out.push_str(
        "Every code the engine can report. Codes are stable: once released, a code never \
         changes meaning. The severity is the rule's default; a finding may be reported \
         at another severity when its message says why. Codes `VL0xx` come from resolving \
         references; when any of them fire, the other rules do not run.\n",
    );

    let mut families: Vec<(Family, Vec<&RuleMeta>)> = Vec::new();
    for meta in metas {
        match families.last_mut() {
            Some((family, list)) if *family == meta.family => list.push(meta),
            _ => families.push((meta.family, vec![meta])),
        }
    }

    for (family, list) in &families {
        let _ = write!(out, "\n## {}\n\n", family.title());
        out.push_str("| code | name | severity | title |\n| --- | --- | --- | --- |\n");
        for m in list {
            let _ = writeln!(
                out,
                "| [{code}](#{anchor}) | `{name}` | {severity} | {title} |",
                code = m.code,
                anchor = m.code.to_ascii_lowercase(),
                name = m.name,
                severity = m.severity,
                title = cell(m.title),
            );
        }
        for m in list {
            let _ = write!(
                out,
                "\n### {code}\n\n**{title}** — `{name}`, {severity}\n\n{rationale}\n\nSource: {source}\n",
                code = m.code,
                title = m.title,
                name = m.name,
                severity = m.severity,
                rationale = m.rationale,
                source = m.source,
            );
        }
    }
    out
}

/// Table cells cannot hold a bare `|`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// A schema as committed: pretty JSON with a final newline.
pub fn pretty_schema(schema: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

// ---------------------------------------------------------------------------------------
// Compare or bless.

/// What a file-backed comparison found.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The file holds exactly the expected text.
    Current,
    /// The file was rewritten (blessing).
    Written,
}

/// Compares `path` with `expected`; when blessing, writes it instead. The error names the
/// file, the first line that differs and the command that regenerates it.
pub fn compare_or_bless(path: &Path, expected: &str) -> Result<Outcome, String> {
    if blessing() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let unchanged = std::fs::read_to_string(path).is_ok_and(|old| old == expected);
        if !unchanged {
            std::fs::write(path, expected)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        return Ok(Outcome::Written);
    }
    let shown = path
        .strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string();
    let actual = std::fs::read_to_string(path).map_err(|e| {
        format!("{shown} cannot be read ({e}); run scripts/regenerate to create it, then review it")
    })?;
    if actual == expected {
        return Ok(Outcome::Current);
    }
    Err(format!(
        "{shown} is stale: {}\nRun scripts/regenerate (or set {BLESS_VAR}=1) and review the diff before committing.",
        first_difference(&actual, expected)
    ))
}

/// The first line where two texts differ, for a readable failure.
pub fn first_difference(actual: &str, expected: &str) -> String {
    let mut a = actual.lines();
    let mut e = expected.lines();
    let mut line = 1;
    loop {
        match (a.next(), e.next()) {
            (Some(x), Some(y)) if x == y => line += 1,
            (None, None) => return "the texts differ only in line endings".to_owned(),
            (x, y) => {
                return format!(
                    "line {line} is\n    {}\nbut should be\n    {}",
                    x.unwrap_or("<end of file>"),
                    y.unwrap_or("<end of file>")
                )
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Conformance vectors.

/// One expected finding: what every runtime must agree on. Messages are left out on
/// purpose: they may be reworded, codes and places may not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedDiagnostic {
    pub code: String,
    pub path: String,
    #[serde(with = "severity_text")]
    pub severity: Severity,
}

/// The core's `Severity` serialises as text but does not deserialise; its `FromStr`
/// reads the same words back.
mod severity_text {
    use serde::{de, Deserialize, Deserializer, Serializer};
    use vpclink_core::Severity;

    pub fn serialize<S: Serializer>(s: &Severity, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(s.as_str())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// `expected.json` of a conformance case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// In report order: most severe first, then by code, then by path.
    pub diagnostics: Vec<ExpectedDiagnostic>,
    pub rules_ran: bool,
    /// Reachability verdicts, when references resolve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<ExpectedReach>,
}

/// What `reach` must say: each path's verdict and each health check's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedReach {
    /// In report order (API, route, link, target).
    pub paths: Vec<ExpectedPath>,
    /// In report order (target group, target).
    pub health_checks: Vec<ExpectedHealthCheck>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedPath {
    pub route: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `reachable`, `blocked` or `unknown`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation_code: Option<String>,
    /// JSON Pointer of what blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedHealthCheck {
    pub target_group: String,
    pub target: String,
    /// `passes`, `fails` or `not_checked`.
    pub status: String,
    /// Why it fails: `network`, `availability_zone`, `service` or `observed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl ExpectedReach {
    /// What a reach report says, in the vector format.
    pub fn of_report(report: &vpclink_core::reach::ReachReport) -> Self {
        use vpclink_core::reach::{HealthResult, Verdict};
        ExpectedReach {
            paths: report
                .paths
                .iter()
                .map(|p| {
                    let (status, block) = match &p.verdict {
                        Verdict::Reachable => ("reachable", None),
                        Verdict::Blocked(b) => ("blocked", Some(b)),
                        Verdict::Unknown { .. } => ("unknown", None),
                    };
                    ExpectedPath {
                        route: format!("{} {}", p.api_id, p.route_key),
                        target: p.target.clone(),
                        status: status.to_owned(),
                        explanation_code: block.map(|b| b.explanation_code.to_owned()),
                        blocked_at: block.map(|b| b.path.as_str().to_owned()),
                        rule_code: block.and_then(|b| b.rule_code).map(str::to_owned),
                    }
                })
                .collect(),
            health_checks: report
                .health_checks
                .iter()
                .map(|h| {
                    let (status, cause) = match &h.result {
                        HealthResult::Passes => ("passes", None),
                        HealthResult::Fails { cause, .. } => ("fails", Some(*cause)),
                        HealthResult::NotChecked { .. } => ("not_checked", None),
                    };
                    ExpectedHealthCheck {
                        target_group: h.target_group.clone(),
                        target: h.target.clone(),
                        status: status.to_owned(),
                        cause: cause.and_then(|c| {
                            serde_json::to_value(c)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                        }),
                    }
                })
                .collect(),
        }
    }
}

impl Expected {
    /// What a report says, in the vector format.
    pub fn of_report(report: &Report) -> Self {
        Expected {
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| ExpectedDiagnostic {
                    code: d.code.to_owned(),
                    path: d.path.as_str().to_owned(),
                    severity: d.severity,
                })
                .collect(),
            rules_ran: report.rules_ran,
            reach: None,
        }
    }

    /// Pretty JSON with a trailing newline: the form stored on disk.
    pub fn to_file_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A conformance case folder: its name and input file.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub dir: PathBuf,
    pub input: PathBuf,
}

/// The folder conformance cases live in.
pub fn conformance_dir() -> PathBuf {
    workspace_root().join("tests/conformance/cases")
}

/// Every case folder under `dir`, in name order. A folder without `input.json` or
/// `input.yaml` is an error rather than skipped, so a misnamed file cannot hide a case.
pub fn cases(dir: &Path) -> Result<Vec<Case>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let input = ["input.json", "input.yaml"]
            .iter()
            .map(|f| path.join(f))
            .find(|p| p.is_file())
            .ok_or_else(|| format!("case `{name}` has neither input.json nor input.yaml"))?;
        out.push(Case {
            name,
            dir: path,
            input,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Reads and parses a topology file (JSON or YAML), naming the file in any error.
pub fn read_topology(path: &Path) -> Result<vpclink_core::Topology, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    vpclink_core::topology_from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Runs one case: compares its `expected.json` (findings and reach verdicts) with the
/// engine, or writes it when blessing.
pub fn run_case(case: &Case) -> Result<Outcome, String> {
    let topology = read_topology(&case.input)?;
    let mut actual = Expected::of_report(&vpclink_core::validate(&topology));
    actual.reach = vpclink_core::reach::reach(&topology)
        .ok()
        .map(|r| ExpectedReach::of_report(&r));
    let expected_path = case.dir.join("expected.json");
    let previous: Option<Expected> = std::fs::read_to_string(&expected_path)
        .ok()
        .map(|text| {
            serde_json::from_str(&text).map_err(|e| {
                format!(
                    "{}: not a valid expected.json: {e}",
                    expected_path.display()
                )
            })
        })
        .transpose()?;
    if blessing() {
        return compare_or_bless(&expected_path, &actual.to_file_text());
    }
    match previous {
        None => Err(format!(
            "case `{}` has no expected.json; run scripts/regenerate, then review it by hand",
            case.name
        )),
        Some(previous) if previous == actual => Ok(Outcome::Current),
        Some(previous) => Err(format!(
            "case `{}` differs: {}\nIf the change is intended, run scripts/regenerate and review expected.json by hand.",
            case.name,
            first_difference(&actual.to_file_text(), &previous.to_file_text())
                .replacen("should be", "expected.json says", 1)
        )),
    }
}

// ---------------------------------------------------------------------------------------
// Golden reports.

/// Every example topology and the golden report beside it:
/// `examples/<name>.json` → `examples/<name>.check.json`, and
/// `examples/broken/<case>/topology.json` → `examples/broken/<case>/check.json`.
pub fn golden_pairs() -> Result<Vec<(PathBuf, PathBuf)>, String> {
    let examples = workspace_root().join("examples");
    let mut pairs = Vec::new();
    let entries = std::fs::read_dir(&examples)
        .map_err(|e| format!("cannot list {}: {e}", examples.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let golden = name.ends_with(".check.json") || name.ends_with(".reach.json");
        if path.is_file() && name.ends_with(".json") && !golden {
            let stem = name.trim_end_matches(".json");
            pairs.push((path.clone(), examples.join(format!("{stem}.check.json"))));
        }
    }
    let broken = examples.join("broken");
    if let Ok(entries) = std::fs::read_dir(&broken) {
        for entry in entries.flatten() {
            let topology = entry.path().join("topology.json");
            if topology.is_file() {
                pairs.push((topology, entry.path().join("check.json")));
            }
        }
    }
    pairs.sort();
    Ok(pairs)
}

/// The reach golden beside a check golden: `x.check.json` → `x.reach.json`,
/// `case/check.json` → `case/reach.json`.
pub fn reach_golden(check_golden: &Path) -> PathBuf {
    let name = check_golden
        .file_name()
        .map(|n| n.to_string_lossy().replace("check.json", "reach.json"))
        .unwrap_or_else(|| "reach.json".to_owned());
    check_golden.with_file_name(name)
}

/// The golden form of a report: pretty JSON, trailing newline.
pub fn report_json<T: Serialize>(report: &T) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_difference_names_the_line() {
        let d = first_difference("a\nb\nc\n", "a\nx\nc\n");
        assert!(d.starts_with("line 2 is\n    b\n"), "{d}");
        let d = first_difference("a\n", "a\nb\n");
        assert!(d.contains("<end of file>"), "{d}");
    }

    #[test]
    fn expected_round_trips_and_refuses_unknown_fields() {
        let text = r#"{"diagnostics":[{"code":"VL001","path":"/a","severity":"error"}],"rules_ran":false}"#;
        let e: Expected = serde_json::from_str(text).unwrap();
        assert_eq!(e.diagnostics[0].severity, Severity::Error);
        assert!(
            serde_json::from_str::<Expected>(r#"{"diagnostics":[],"rules_ran":true,"x":1}"#)
                .is_err()
        );
    }

    #[test]
    fn rules_markdown_has_a_section_per_code() {
        let md = rules_markdown();
        for m in vpclink_core::rules::catalogue() {
            assert!(md.contains(&format!("\n### {}\n", m.code)), "{}", m.code);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Corpus goldens (CloudFormation and Terraform).

/// `<name><suffix>` beside a corpus entry: its golden, topology and notes files.
pub fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    dir.with_file_name(format!("{name}{suffix}"))
}

/// One imported resource in a corpus golden.
#[derive(Serialize)]
pub struct Mapped {
    pub id: String,
    /// The source name it came from — a logical id or a Terraform address (absent for
    /// placeholders).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// Each collection's ids, with the source name, file and line they came from.
pub fn mapped(t: &vpclink_core::Topology) -> std::collections::BTreeMap<String, Vec<Mapped>> {
    let mut out = std::collections::BTreeMap::new();
    let value = serde_json::to_value(t).unwrap_or_default();
    let empty = std::collections::BTreeMap::new();
    // A topology that was not imported has no sources: every id then maps to nothing.
    let sources = t.origin.as_ref().map_or(&empty, |o| &o.sources);
    for (kind, v) in value.as_object().into_iter().flatten() {
        let Some(map) = v.as_object() else { continue };
        if matches!(kind.as_str(), "origin" | "observed") {
            continue;
        }
        let list: Vec<Mapped> = map
            .keys()
            .map(|id| {
                let src = sources.get(&format!(
                    "/{kind}/{}",
                    id.replace('~', "~0").replace('/', "~1")
                ));
                Mapped {
                    id: id.clone(),
                    from: src.map(|s| s.name.clone()),
                    file: src.and_then(|s| s.file.clone()),
                    line: src.and_then(|s| s.line),
                }
            })
            .collect();
        out.insert(kind.clone(), list);
    }
    out
}

//! Seeded defects in a Terraform configuration: the three-tier example exported as
//! Terraform (`examples/exports/three-tier.tf`), with one mistake planted at a time,
//! imported through the HCL reader and checked.
//!
//! `tests/tf-defects/<kind>.json` is the Terraform form of `tests/cfn-defects/<kind>.json`:
//!
//! - `description`: the mistake, in a sentence;
//! - `edits`: text edits of the exported configuration, applied in order:
//!   `{"replace": "…", "with": "…"}` (the text must occur exactly once, or `times` times),
//!   `{"remove_block": "resource \"type\" \"name\""}` (the block from that header to its
//!   closing brace), `{"append": "…"}` (HCL added at the end).
//!
//! The codes that must fire, and the topology path of the first, are the CloudFormation
//! case's own (`must_fire`, `at`): the same mistake must read the same whichever format it
//! was written in. The clean configuration must import with no error and no warning, and
//! no expected code may fire on it.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test harness: it reads the case files and fails loudly on a bad one"
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use vpclink_conformance::workspace_root;
use vpclink_core::import::terraform::import_terraform_hcl;
use vpclink_core::{Report, Severity};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    edits: Vec<Edit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, untagged)]
enum Edit {
    Replace {
        replace: String,
        with: String,
        #[serde(default)]
        times: Option<usize>,
    },
    RemoveBlock {
        remove_block: String,
    },
    Append {
        append: String,
    },
}

/// What the CloudFormation case of the same name expects.
#[derive(Deserialize)]
struct Expected {
    must_fire: Vec<String>,
    #[serde(default)]
    at: Option<String>,
}

fn case_files() -> Vec<PathBuf> {
    let dir = workspace_root().join("tests").join("tf-defects");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    out
}

fn load(path: &PathBuf) -> (String, Case, Expected) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    let case: Case =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cfn = workspace_root()
        .join("tests")
        .join("cfn-defects")
        .join(&name);
    let cfn_text = std::fs::read_to_string(&cfn)
        .unwrap_or_else(|e| panic!("{name}: no CloudFormation case of that name ({e})"));
    let expected: Expected = serde_json::from_str(&cfn_text).unwrap();
    (name, case, expected)
}

fn clean() -> String {
    std::fs::read_to_string(workspace_root().join("examples/exports/three-tier.tf")).unwrap()
}

fn apply(name: &str, text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_owned();
    for edit in edits {
        match edit {
            Edit::Replace {
                replace,
                with,
                times,
            } => {
                let n = text.matches(replace.as_str()).count();
                let want = times.unwrap_or(1);
                assert_eq!(n, want, "{name}: `{replace}` occurs {n} times, not {want}");
                text = text.replace(replace.as_str(), with);
            }
            Edit::RemoveBlock { remove_block } => {
                let header = format!("{remove_block} {{\n");
                let start = text
                    .find(&header)
                    .unwrap_or_else(|| panic!("{name}: no block `{remove_block}`"));
                let end = text[start..]
                    .find("\n}\n")
                    .map(|i| start + i + 3)
                    .unwrap_or_else(|| panic!("{name}: `{remove_block}` does not end"));
                // The blank line that separated it from the next block goes too.
                let end = if text[end..].starts_with('\n') {
                    end + 1
                } else {
                    end
                };
                text.replace_range(start..end, "");
            }
            Edit::Append { append } => {
                text.push('\n');
                text.push_str(append);
            }
        }
    }
    text
}

/// Imports `text` as the only file of a configuration and validates it.
fn check(text: &str, what: &str) -> Report {
    let files = BTreeMap::from([("main.tf".to_owned(), text.to_owned())]);
    let topology = import_terraform_hcl(&files)
        .unwrap_or_else(|e| panic!("{what}: the configuration does not import: {e}"));
    vpclink_core::validate(&topology)
}

fn findings(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| format!("{} {:?} at {}: {}", d.code, d.severity, d.path, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_clean_configuration_imports_without_errors_or_warnings() {
    let report = check(&clean(), "three-tier.tf");
    assert!(report.rules_ran, "{}", findings(&report));
    assert!(
        !report.has_at_least(Severity::Warning),
        "{}",
        findings(&report)
    );
}

#[test]
fn there_are_enough_kinds_of_defect() {
    let n = case_files().len();
    assert!(n >= 15, "{n} cases");
}

#[test]
fn no_code_a_case_expects_fires_on_the_clean_configuration() {
    let report = check(&clean(), "three-tier.tf");
    for path in case_files() {
        let (name, _, expected) = load(&path);
        for code in &expected.must_fire {
            assert!(
                !report.diagnostics.iter().any(|d| d.code == code.as_str()),
                "{name}: {code} fires on the clean configuration too"
            );
        }
    }
}

#[test]
fn each_planted_defect_fires_the_cloudformation_codes_at_the_same_path() {
    let clean = clean();
    let mut failures = Vec::new();
    for path in case_files() {
        let (name, case, expected) = load(&path);
        assert!(!case.description.is_empty(), "{name}: no description");
        let text = apply(&name, &clean, &case.edits);
        assert_ne!(text, clean, "{name}: the edits change nothing");
        let report = check(&text, &name);
        for code in &expected.must_fire {
            if !report.diagnostics.iter().any(|d| d.code == code.as_str()) {
                failures.push(format!(
                    "{name}: {code} does not fire ({}); findings:\n{}",
                    case.description,
                    findings(&report)
                ));
            }
        }
        if let (Some(at), Some(first)) = (&expected.at, expected.must_fire.first()) {
            let here = report
                .diagnostics
                .iter()
                .any(|d| d.code == first.as_str() && d.path.as_str() == at.as_str());
            if !here {
                failures.push(format!(
                    "{name}: {first} does not fire at {at}; findings:\n{}",
                    findings(&report)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

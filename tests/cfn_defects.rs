//! Seeded defects in a CloudFormation template: the three-tier example exported as
//! CloudFormation, with one mistake planted at a time, imported and checked.
//!
//! `tests/cfn-defects/<kind>.json` holds one mistake people make in templates:
//!
//! - `description`: the mistake, in a sentence;
//! - `patch`: an RFC 6902 JSON Patch against the exported template (as JSON: the export
//!   writes intrinsics in long form, `{"Ref": ...}`, so the YAML reads as plain JSON);
//! - `must_fire`: the codes `validate` must report on the imported template (the same codes
//!   the broken topology examples in `examples/broken/` use for the same defect);
//! - `at` (optional): the JSON Pointer into the imported topology where the first code of
//!   `must_fire` must be reported.
//!
//! The clean template itself must import with no error and no warning, and no `must_fire`
//! code may fire on it, so each code that fires is the planted defect's.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test harness: it reads the case files and fails loudly on a bad one"
)]

use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value;
use vpclink_conformance::workspace_root;
use vpclink_core::import::cloudformation::import_cloudformation;
use vpclink_core::{Report, Severity};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    patch: json_patch::Patch,
    must_fire: Vec<String>,
    #[serde(default)]
    at: Option<String>,
}

fn case_files() -> Vec<PathBuf> {
    let dir = workspace_root().join("tests").join("cfn-defects");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    out
}

fn load(path: &PathBuf) -> Case {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The three-tier example exported as CloudFormation, as a JSON value.
fn clean_template() -> Value {
    let text = std::fs::read_to_string(workspace_root().join("examples/three-tier.json")).unwrap();
    let topology = vpclink_core::topology_from_str(&text).unwrap();
    let yaml = vpclink_core::render::cloudformation(&topology).unwrap();
    serde_yaml_ng::from_str(&yaml).unwrap()
}

/// Imports `template` (as JSON text, the way a JSON template is read) and validates it.
fn check(template: &Value, what: &str) -> Report {
    let text = serde_json::to_string_pretty(template).unwrap();
    let topology = import_cloudformation(&text, Some(what))
        .unwrap_or_else(|e| panic!("{what}: the template does not import: {e}"));
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
fn the_clean_template_imports_without_errors_or_warnings() {
    let report = check(&clean_template(), "three-tier.cfn.json");
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
    assert!(n >= 25, "{n} cases");
}

#[test]
fn no_code_a_case_expects_fires_on_the_clean_template() {
    let report = check(&clean_template(), "three-tier.cfn.json");
    for path in case_files() {
        let case = load(&path);
        for code in &case.must_fire {
            assert!(
                !report.diagnostics.iter().any(|d| d.code == code.as_str()),
                "{}: {code} fires on the clean template too",
                path.display()
            );
        }
    }
}

#[test]
fn each_planted_defect_fires_its_codes() {
    let clean = clean_template();
    let mut failures = Vec::new();
    for path in case_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let case = load(&path);
        assert!(!case.description.is_empty(), "{name}: no description");
        assert!(!case.must_fire.is_empty(), "{name}: no code to expect");
        let mut template = clean.clone();
        json_patch::patch(&mut template, &case.patch)
            .unwrap_or_else(|e| panic!("{name}: the patch does not apply: {e}"));
        assert_ne!(template, clean, "{name}: the patch changes nothing");
        let report = check(&template, &name);
        for code in &case.must_fire {
            if !report.diagnostics.iter().any(|d| d.code == code.as_str()) {
                failures.push(format!(
                    "{name}: {code} does not fire ({}); findings:\n{}",
                    case.description,
                    findings(&report)
                ));
            }
        }
        if let (Some(at), Some(first)) = (&case.at, case.must_fire.first()) {
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

//! The broken examples: the three-tier example with one planted defect each.
//!
//! `examples/broken/<case>/defect.json` holds a description, the JSON Patch that plants the
//! defect, the codes that must fire, and for each symptom that applies the cause diagnosis
//! must rank first and a resource its checks must name. `topology.json` beside it is the
//! patched example, generated (scripts/regenerate) so that people can run the CLI on it;
//! `diagnose-<symptom>.json` beside it is the whole diagnosis, a golden reviewed like code.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test harness: it reads the example files and fails loudly on a bad one"
)]

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use vpclink_conformance::{compare_or_bless, report_json, workspace_root};
use vpclink_core::diagnose::{diagnose, Symptom, SymptomKind};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Defect {
    description: String,
    patch: json_patch::Patch,
    must_fire: Vec<String>,
    #[serde(default)]
    diagnose: std::collections::BTreeMap<String, Expectation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expectation {
    top_cause: String,
    /// A resource id the top cause's checks must name (in backticks in their purpose).
    checks_name: String,
}

fn cases() -> Vec<PathBuf> {
    let dir = workspace_root().join("examples").join("broken");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("defect.json").is_file())
        .collect();
    out.sort();
    out
}

fn three_tier() -> Value {
    let text = std::fs::read_to_string(workspace_root().join("examples/three-tier.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn load(case: &Path) -> (Defect, Value) {
    let text = std::fs::read_to_string(case.join("defect.json")).unwrap();
    let defect: Defect =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
    let mut doc = three_tier();
    json_patch::patch(&mut doc, &defect.patch)
        .unwrap_or_else(|e| panic!("{}: the patch does not apply: {e}", case.display()));
    (defect, doc)
}

#[test]
fn there_are_enough_planted_defects() {
    // The importer's seeded-defect suite builds on these; keep at least 25 kinds.
    assert!(cases().len() >= 25, "{} cases", cases().len());
}

#[test]
fn each_topology_is_the_example_with_its_patch() {
    let failures: Vec<String> = cases()
        .iter()
        .filter_map(|case| {
            let (_, doc) = load(case);
            compare_or_bless(&case.join("topology.json"), &report_json(&doc)).err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn each_planted_defect_fires_its_codes() {
    for case in cases() {
        let (defect, doc) = load(&case);
        assert!(!defect.description.is_empty());
        let topo = vpclink_core::topology_from_value(doc).unwrap();
        let report = vpclink_core::validate(&topo);
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        for code in &defect.must_fire {
            assert!(
                codes.contains(&code.as_str()),
                "{}: {code} does not fire; got {codes:?}",
                case.display()
            );
        }
    }
}

#[test]
fn diagnosis_ranks_the_planted_defect_first_and_names_its_resource() {
    let mut checked = 0;
    for case in cases() {
        let (defect, doc) = load(&case);
        let topo = vpclink_core::topology_from_value(doc).unwrap();
        for (symptom, want) in &defect.diagnose {
            let kind: SymptomKind = symptom.parse().unwrap();
            let d = diagnose(&topo, &Symptom::new(kind));
            let top = d.causes.first().unwrap_or_else(|| {
                panic!(
                    "{} / {symptom}: no cause found: {}",
                    case.display(),
                    d.summary
                )
            });
            assert_eq!(
                top.id,
                want.top_cause,
                "{} / {symptom}: {:#?}",
                case.display(),
                d.causes
            );
            let needle = format!("`{}`", want.checks_name);
            assert!(
                top.next_checks.iter().any(|c| c.purpose.contains(&needle)),
                "{} / {symptom}: no check names {needle}: {:#?}",
                case.display(),
                top.next_checks
            );
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} symptom checks");
}

#[test]
fn each_diagnosis_matches_its_golden() {
    let mut failures = Vec::new();
    for case in cases() {
        let (defect, doc) = load(&case);
        let topo = vpclink_core::topology_from_value(doc).unwrap();
        for symptom in defect.diagnose.keys() {
            let kind: SymptomKind = symptom.parse().unwrap();
            let d = diagnose(&topo, &Symptom::new(kind));
            let golden = case.join(format!("diagnose-{symptom}.json"));
            if let Err(e) = compare_or_bless(&golden, &report_json(&d)) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

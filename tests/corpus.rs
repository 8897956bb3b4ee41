//! Real-world CloudFormation and SAM templates (tests/corpus/cloudformation, see its
//! SOURCES.md): each imports without a crash, and its import summary, imported topology and
//! check report are stored beside it and reviewed like code. `VPCLINK_BLESS=1`
//! (scripts/regenerate) rewrites them.
//!
//! Every error-severity finding must be explained in the template's `<file>.notes.md`: the
//! test fails when a note does not name an error's code and path, so a new error cannot be
//! blessed without a review.
#![allow(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test harness reads fixtures and blesses goldens"
)]

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use vpclink_conformance::{compare_or_bless, mapped, report_json, sibling, workspace_root};
use vpclink_core::import::cloudformation::{import_cloudformation, looks_like_cloudformation};
use vpclink_core::{Severity, Topology};

fn corpus_dir() -> PathBuf {
    workspace_root().join("tests/corpus/cloudformation")
}

/// The templates: every `.yml`, `.yaml` or `.json` file that is not a golden.
fn templates() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let golden = name.ends_with(".golden.json") || name.ends_with(".topology.json");
            !golden
                && (name.ends_with(".yml") || name.ends_with(".yaml") || name.ends_with(".json"))
        })
        .collect();
    out.sort();
    out
}

/// The golden of one template: what was imported and what the check says.
fn golden(path: &Path, text: &str) -> (Value, Option<Topology>) {
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    let detected = looks_like_cloudformation(text);
    match import_cloudformation(text, Some(&file)) {
        Err(e) => (
            json!({ "file": file, "detected_as_cloudformation": detected, "import_error": e }),
            None,
        ),
        Ok(t) => {
            let origin = t.origin.as_ref().unwrap();
            let report = vpclink_core::validate(&t);
            let diagnostics: Vec<Value> = report
                .diagnostics
                .iter()
                .map(|d| {
                    json!({
                        "code": d.code,
                        "severity": d.severity,
                        "path": d.path,
                        "source": d.source.as_ref().map(|s| json!({ "name": s.name, "line": s.line })),
                    })
                })
                .collect();
            let value = json!({
                "file": file,
                "detected_as_cloudformation": detected,
                "import": {
                    "resources": t.resource_count(),
                    "mapped": mapped(&t),
                    "skipped": origin.skipped,
                    "unknowns": origin.unknowns,
                },
                "check": {
                    "summary": report.summary,
                    "rules_ran": report.rules_ran,
                    "diagnostics": diagnostics,
                },
            });
            (value, Some(t))
        }
    }
}

#[test]
fn every_template_imports_and_matches_its_goldens() {
    let templates = templates();
    assert!(
        templates.len() >= 16,
        "the corpus holds {} files; were they copied?",
        templates.len()
    );
    let mut failures: Vec<String> = Vec::new();
    for path in &templates {
        let text = std::fs::read_to_string(path).unwrap();
        let (value, topology) = golden(path, &text);
        if let Err(e) = compare_or_bless(&sibling(path, ".golden.json"), &report_json(&value)) {
            failures.push(e);
        }
        let Some(t) = topology else { continue };
        // The import is a valid topology: it reads back through the topology parser.
        let json = serde_json::to_value(&t).unwrap();
        match vpclink_core::topology_from_value(json.clone()) {
            Ok(back) if back == t => {}
            Ok(_) => failures.push(format!(
                "{}: the topology does not read back equal",
                path.display()
            )),
            Err(e) => failures.push(format!(
                "{}: the imported topology is not valid: {e}",
                path.display()
            )),
        }
        if let Err(e) = compare_or_bless(&sibling(path, ".topology.json"), &report_json(&json)) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_template_has_notes_that_review_each_error() {
    let mut failures: Vec<String> = Vec::new();
    for path in templates() {
        let notes_path = sibling(&path, ".notes.md");
        let Ok(notes) = std::fs::read_to_string(&notes_path) else {
            failures.push(format!("{} has no review notes", notes_path.display()));
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(t) = import_cloudformation(&text, None) else {
            continue;
        };
        for d in vpclink_core::validate(&t).diagnostics {
            if d.severity == Severity::Error
                && !(notes.contains(d.code) && notes.contains(d.path.as_str()))
            {
                failures.push(format!(
                    "{}: error {} at {} is not reviewed (name its code and path and say why it is real)",
                    notes_path.display(),
                    d.code,
                    d.path
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

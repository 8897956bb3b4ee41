//! Terraform projects (tests/corpus/terraform, see its SOURCES.md): real-world
//! configurations and a few hand-written ones. Each project is a directory of `.tf` files
//! (local modules in subdirectories), read through the HCL importer as the CLI reads a
//! directory. Its import summary and check report (`<dir>.golden.json`) and imported
//! topology (`<dir>.topology.json`) are stored beside it and reviewed like code;
//! `VPCLINK_BLESS=1` (scripts/regenerate) rewrites them.
//!
//! Every error-severity finding must be explained in `<dir>.notes.md`: the test fails when
//! a note does not name an error's code and path, so a new error cannot be blessed without
//! a review.
#![allow(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test harness reads fixtures and blesses goldens"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use vpclink_conformance::{compare_or_bless, mapped, report_json, sibling, workspace_root};
use vpclink_core::import::terraform::import_terraform_hcl;
use vpclink_core::{Severity, Topology};

fn corpus_dir() -> PathBuf {
    workspace_root().join("tests/corpus/terraform")
}

/// The projects: every directory of the corpus.
fn projects() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// The project's files, name (relative, `/`-separated) → text, subdirectories included.
fn files(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap();
                let name: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(name.join("/"), std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The golden of one project: what was imported and what the check says.
fn golden(dir: &Path, files: &BTreeMap<String, String>) -> (Value, Option<Topology>) {
    let project = dir.file_name().unwrap().to_string_lossy().into_owned();
    let names: Vec<&String> = files.keys().collect();
    match import_terraform_hcl(files) {
        Err(e) => (
            json!({ "project": project, "files": names, "import_error": e }),
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
                        "source": d.source.as_ref().map(|s| json!({
                            "name": s.name, "file": s.file, "line": s.line,
                        })),
                    })
                })
                .collect();
            let value = json!({
                "project": project,
                "files": names,
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
fn every_project_imports_and_matches_its_goldens() {
    let projects = projects();
    assert!(
        !projects.is_empty(),
        "the Terraform corpus holds no project; were they copied?"
    );
    let mut failures: Vec<String> = Vec::new();
    for dir in &projects {
        let files = files(dir);
        let (value, topology) = golden(dir, &files);
        if let Err(e) = compare_or_bless(&sibling(dir, ".golden.json"), &report_json(&value)) {
            failures.push(e);
        }
        let Some(t) = topology else { continue };
        // The import is a valid topology: it reads back through the topology parser.
        let json = serde_json::to_value(&t).unwrap();
        match vpclink_core::topology_from_value(json.clone()) {
            Ok(back) if back == t => {}
            Ok(_) => failures.push(format!(
                "{}: the topology does not read back equal",
                dir.display()
            )),
            Err(e) => failures.push(format!(
                "{}: the imported topology is not valid: {e}",
                dir.display()
            )),
        }
        if let Err(e) = compare_or_bless(&sibling(dir, ".topology.json"), &report_json(&json)) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_project_has_notes_that_review_each_error() {
    let mut failures: Vec<String> = Vec::new();
    for dir in projects() {
        let notes_path = sibling(&dir, ".notes.md");
        let Ok(notes) = std::fs::read_to_string(&notes_path) else {
            failures.push(format!("{} has no review notes", notes_path.display()));
            continue;
        };
        let Ok(t) = import_terraform_hcl(&files(&dir)) else {
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

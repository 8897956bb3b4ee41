//! Golden plans and exports: for every top-level example, its plan (text and JSON) and each
//! export, stored under `examples/exports/` and reviewed like code. `VPCLINK_BLESS=1`
//! (scripts/regenerate) rewrites them.
#![allow(
    clippy::unwrap_used,
    reason = "a test: a failure to serialise or plan an example is the failure to report"
)]

use vpclink_conformance::{compare_or_bless, golden_pairs, read_topology, workspace_root};
use vpclink_core::{plan, render};

#[test]
fn every_example_matches_its_golden_plan_and_exports() {
    let examples: Vec<_> = golden_pairs()
        .unwrap()
        .into_iter()
        .map(|(topology, _)| topology)
        .filter(|t| !t.components().any(|c| c.as_os_str() == "broken"))
        .collect();
    assert!(
        examples.len() >= 2,
        "expected the top-level examples, found {examples:?}"
    );
    let out_dir = workspace_root().join("examples/exports");
    let mut failures = Vec::new();
    for path in &examples {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let topology = read_topology(path).unwrap();
        let plan = plan::plan(&topology, None)
            .unwrap_or_else(|e| panic!("{} cannot be planned: {e}", path.display()));
        let outputs = [
            ("plan.txt", render::plan_text(&plan)),
            ("plan.json", pretty(&plan)),
            ("sh", render::aws_cli(&plan)),
            ("boto3.json", pretty(&render::boto3(&plan))),
            ("cfn.yaml", render::cloudformation(&topology).unwrap()),
            ("tf", render::terraform(&topology).unwrap()),
            ("mmd", render::mermaid(&topology).unwrap()),
        ];
        for (ext, text) in outputs {
            let golden = out_dir.join(format!("{stem}.{ext}"));
            if let Err(e) = compare_or_bless(&golden, &text) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Pretty JSON with a trailing newline, like every JSON golden.
fn pretty<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap();
    s.push('\n');
    s
}

//! Golden reports: every example topology's `validate` and `reach` reports, stored beside it
//! as pretty JSON and reviewed like code. `VPCLINK_BLESS=1` (scripts/regenerate) rewrites them.

use serde::Serialize;
use vpclink_conformance::{
    compare_or_bless, golden_pairs, reach_golden, read_topology, report_json,
};

/// What `reach` gives when references do not resolve: the same shape the CLI prints.
#[derive(Serialize)]
struct Unresolved {
    diagnostics: Vec<vpclink_core::Diagnostic>,
}

#[test]
fn every_example_matches_its_golden_reports() {
    let pairs = golden_pairs().unwrap();
    assert!(
        pairs
            .iter()
            .any(|(t, _)| t.ends_with("examples/three-tier.json")),
        "the three-tier example is missing from {pairs:?}"
    );
    let mut failures: Vec<String> = Vec::new();
    for (topology, check_golden) in &pairs {
        let topo = match read_topology(topology) {
            Ok(t) => t,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let check = report_json(&vpclink_core::validate(&topo));
        let reach = match vpclink_core::reach::reach(&topo) {
            Ok(r) => report_json(&r),
            Err(diagnostics) => report_json(&Unresolved { diagnostics }),
        };
        for (golden, text) in [
            (check_golden.clone(), check),
            (reach_golden(check_golden), reach),
        ] {
            if let Err(e) = compare_or_bless(&golden, &text) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

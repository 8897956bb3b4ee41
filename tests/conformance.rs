//! Runs every conformance vector under `tests/conformance/cases/` against the Rust core.
//! The Python and npm runners read the same folders; see tests/conformance/README.md.

use vpclink_conformance::{cases, conformance_dir, run_case};

#[test]
fn every_case_matches_its_expected_output() {
    let cases = cases(&conformance_dir()).unwrap();
    assert!(!cases.is_empty(), "no conformance cases found");
    // Every case runs, so one report lists every failing case rather than the first.
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run_case(case).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} conformance cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

//! Runs every conformance vector under `tests/conformance/cases/` against the Rust core.
//! The Python and npm runners read the same folders; see tests/conformance/README.md.

use vpclink_conformance::{
    cases, compare_or_bless, conformance_dir, read_topology, run_case, Case,
};

/// Runs `check` on every case, so that one report lists every failing case rather than
/// the first.
#[allow(
    clippy::unwrap_used,
    reason = "a test helper: an unreadable case folder fails the test"
)]
fn every_case<T>(check: impl Fn(&Case) -> Result<T, String>) {
    let cases = cases(&conformance_dir()).unwrap();
    assert!(!cases.is_empty(), "no conformance cases found");
    let failures: Vec<String> = cases.iter().filter_map(|case| check(case).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} conformance cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_case_matches_its_expected_output() {
    every_case(run_case);
}

/// `report.txt` in each case: the report as `vpclink check` prints it (without colour),
/// which the packages' `report_text` / `reportText` must reproduce to the byte.
#[test]
fn every_case_prints_its_report_txt() {
    every_case(|case| {
        let report = vpclink_core::validate(&read_topology(&case.input)?);
        let value = serde_json::to_value(&report).map_err(|e| format!("{}: {e}", case.name))?;
        let printed =
            vpclink_core::api::report_text(value).map_err(|e| format!("{}: {e}", case.name))?;
        compare_or_bless(&case.dir.join("report.txt"), &printed)
    });
}

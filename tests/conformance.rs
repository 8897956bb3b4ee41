//! Runs every conformance vector under `tests/conformance/cases/` against the Rust core.
//! The Python and npm runners read the same folders; see tests/conformance/README.md.

use vpclink_conformance::{cases, compare_or_bless, conformance_dir, read_topology, run_case};

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

/// `report.txt` in each case: the report as `vpclink check` prints it (without colour),
/// which the packages' `report_text` / `reportText` must reproduce to the byte.
#[test]
fn every_case_prints_its_report_txt() {
    let cases = cases(&conformance_dir()).unwrap_or_default();
    assert!(!cases.is_empty(), "no conformance cases found");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let report = match read_topology(&case.input) {
                Ok(topology) => vpclink_core::validate(&topology),
                Err(message) => return Some(message),
            };
            let printed = match serde_json::to_value(&report) {
                Ok(value) => vpclink_core::api::report_text(value).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            let printed = match printed {
                Ok(printed) => printed,
                Err(message) => return Some(format!("{}: {message}", case.name)),
            };
            compare_or_bless(&case.dir.join("report.txt"), &printed).err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

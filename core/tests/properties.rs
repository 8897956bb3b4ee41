//! Properties of the engine on inputs nobody wrote by hand: arbitrary but well-typed
//! topologies (references that may dangle or name the wrong kind, random CIDRs, ports,
//! protocols, ACL entries, security-group rules and observed states), arbitrary text, and
//! every truncation of the example. The core promises never to panic on any input and to
//! point every finding at a place in the input; these check both.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::Value;
use vpclink_core::diagnostic::Severity;
use vpclink_core::examples::THREE_TIER;
use vpclink_core::{graph, rules, topology_from_json, topology_from_str, topology_from_value};
use vpclink_core::{validate, InputError, InputErrorKind, Topology};

mod strategies;
use strategies::topology_json;

// ---------------------------------------------------------------------------------------
// Checks.

/// Whether a diagnostic's JSON Pointer names a place in the serialised topology: a value
/// that is there, or a member of an object that is there but left out because it holds
/// its default (empty lists and absent options are not serialised, yet a finding such as
/// "this VPC link has no targets" rightly points at `targets`).
fn points_into(doc: &Value, pointer: &str) -> bool {
    if doc.pointer(pointer).is_some() {
        return true;
    }
    match pointer.rfind('/') {
        Some(cut) => doc.pointer(&pointer[..cut]).is_some_and(Value::is_object),
        None => false,
    }
}

fn check_report(topology: &Topology) -> Result<(), TestCaseError> {
    let doc = serde_json::to_value(topology).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let resolved = graph::build(topology).is_ok();
    let report = validate(topology);
    prop_assert_eq!(report.rules_ran, resolved);

    let documented: BTreeSet<&str> = rules::catalogue().iter().map(|m| m.code).collect();
    for d in &report.diagnostics {
        prop_assert!(
            documented.contains(d.code),
            "{} is not in the catalogue",
            d.code
        );
        prop_assert!(
            points_into(&doc, d.path.as_str()),
            "{} points at {}, which is not in the topology",
            d.code,
            d.path
        );
        for r in &d.related {
            prop_assert!(
                points_into(&doc, r.path.as_str()),
                "{} relates {}, which is not in the topology",
                d.code,
                r.path
            );
        }
        if !resolved {
            prop_assert!(
                d.code.starts_with("VL0"),
                "{} ran on a broken model",
                d.code
            );
        }
    }

    let order: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (std::cmp::Reverse(d.severity), d.code, d.path.clone()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    prop_assert_eq!(order, sorted, "diagnostics are not in report order");
    let count = |s| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    prop_assert_eq!(report.summary.errors, count(Severity::Error));
    prop_assert_eq!(report.summary.warnings, count(Severity::Warning));
    prop_assert_eq!(report.summary.infos, count(Severity::Info));
    Ok(())
}

fn has_position(e: &InputError) -> bool {
    // Version errors come from a check after deserialising, which no longer knows the
    // position of `version`; every other kind of error knows where it is.
    e.kind == InputErrorKind::Version || (e.line.is_some() && e.column.is_some())
}

proptest! {
    // The engine is quick on small inputs; generation dominates. 256 cases stay within a
    // few seconds on two cores.
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_well_typed_topology_checks_without_panicking_and_points_into_itself(doc in topology_json()) {
        let topology = topology_from_value(doc.clone())
            .map_err(|e| TestCaseError::fail(format!("generated topology does not parse: {e}\n{doc:#}")))?;
        check_report(&topology)?;
        // Serialising and reading back gives the same topology, so paths into the
        // serialised form are paths into what the user wrote.
        let text = serde_json::to_string(&topology).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = topology_from_json(&text);
        prop_assert_eq!(back.as_ref(), Ok(&topology));
    }

    #[test]
    fn any_text_parses_or_fails_with_a_position(text in "\\PC{0,200}") {
        if let Err(e) = topology_from_str(&text) {
            prop_assert!(has_position(&e), "{:?}", e);
        }
    }

    #[test]
    fn any_edit_of_the_example_parses_or_fails_with_a_position(
        start in 0..THREE_TIER.len(),
        len in 0usize..40,
        insert in "[ -~\\n]{0,12}",
    ) {
        let mut text = THREE_TIER.to_owned();
        let start = (0..=start).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        match topology_from_str(&text) {
            Ok(topology) => check_report(&topology)?,
            Err(e) => prop_assert!(has_position(&e), "{:?}", e),
        }
    }
}

fn yaml_of_example() -> Result<String, Box<dyn std::error::Error>> {
    let value: Value = serde_json::from_str(THREE_TIER)?;
    Ok(serde_yaml_ng::to_string(&value)?)
}

#[test]
fn every_truncation_of_the_json_example_fails_with_a_position() {
    let text = THREE_TIER.trim_end();
    for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        let err = topology_from_str(&text[..cut]).expect_err("a truncated document is incomplete");
        assert!(has_position(&err), "cut at {cut}: {err:?}");
    }
    assert!(topology_from_str(text).is_ok());
}

#[test]
fn every_truncation_of_the_yaml_example_parses_or_fails_with_a_position() {
    // A prefix of a YAML document is often a complete, smaller document; those must
    // check like any other topology.
    let text = yaml_of_example().unwrap();
    for cut in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        match topology_from_str(&text[..cut]) {
            Ok(topology) => check_report(&topology).unwrap(),
            Err(err) => assert!(has_position(&err), "cut at {cut}: {err:?}"),
        }
    }
}

#[test]
fn the_yaml_form_of_the_example_reads_like_the_json_form() {
    let from_json = topology_from_str(THREE_TIER).unwrap();
    let from_yaml = topology_from_str(&yaml_of_example().unwrap()).unwrap();
    assert_eq!(from_yaml, from_json);
}

#[test]
fn synthetic_topologies_point_into_themselves() {
    for size in [10, 500] {
        check_report(&vpclink_core::synth::topology(size).unwrap()).unwrap();
    }
}

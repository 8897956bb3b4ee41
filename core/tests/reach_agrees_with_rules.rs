//! Reachability and the rules read one network evaluation, so they must agree: every
//! blocked path or failing health check that names the rule reporting the same block
//! (`rule_code`) is matched by a diagnostic of that code from `validate`, on arbitrary
//! well-typed topologies and on every synthetic size class.

use std::collections::BTreeSet;

use proptest::prelude::*;
use vpclink_core::reach::{reach, Block, HealthResult, ReachReport, Verdict};
use vpclink_core::{rules, topology_from_value, validate, Topology};

mod strategies;
use strategies::topology_json;

/// Every block in a reach report: blocked paths, then failing health checks.
fn blocks(report: &ReachReport) -> Vec<(String, &Block)> {
    let paths = report.paths.iter().filter_map(|p| match &p.verdict {
        Verdict::Blocked(block) => Some((
            format!("path {} {} → {:?}", p.api_id, p.route_key, p.target),
            block,
        )),
        _ => None,
    });
    let checks = report.health_checks.iter().filter_map(|h| match &h.result {
        HealthResult::Fails {
            block: Some(block), ..
        } => Some((
            format!("health check {} → {}", h.target_group, h.target),
            block,
        )),
        _ => None,
    });
    paths.chain(checks).collect()
}

fn check_agreement(topology: &Topology) -> Result<(), TestCaseError> {
    let report = validate(topology);
    let reached = reach(topology);
    prop_assert_eq!(
        reached.is_ok(),
        report.rules_ran,
        "reach and validate disagree on whether the topology resolves"
    );
    let Ok(reached) = reached else {
        return Ok(());
    };
    let reported: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    let documented: BTreeSet<&str> = rules::catalogue().iter().map(|m| m.code).collect();
    for (what, block) in blocks(&reached) {
        if let Some(code) = block.rule_code {
            prop_assert!(documented.contains(code), "{what}: {code} is not a rule");
            prop_assert!(
                reported.contains(code),
                "{what} is blocked at {} ({}), naming {code}, but validate reports no {code}: {:?}",
                block.path,
                block.explanation,
                reported
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_blocked_paths_rule_code_is_among_the_diagnostics(doc in topology_json()) {
        let topology = topology_from_value(doc)
            .map_err(|e| TestCaseError::fail(format!("generated topology does not parse: {e}")))?;
        check_agreement(&topology)?;
    }
}

#[test]
fn the_example_and_synthetic_topologies_agree() {
    let example = vpclink_core::topology_from_str(vpclink_core::examples::THREE_TIER).unwrap();
    check_agreement(&example).unwrap();
    for size in [10, 1_000] {
        check_agreement(&vpclink_core::synth::topology(size).unwrap()).unwrap();
    }
}

//! Reachability over the three-tier example and small changes to it.

use serde_json::{json, Value};

use super::*;
use crate::parse::topology_from_value;
use crate::rules::testing::{patched, three_tier};

fn report(doc: Value) -> ReachReport {
    let topo = topology_from_value(doc).unwrap();
    reach(&topo).unwrap()
}

fn blocks(r: &ReachReport) -> Vec<(&str, &str, Option<&str>)> {
    r.paths
        .iter()
        .filter_map(|p| match &p.verdict {
            Verdict::Blocked(b) => Some((b.explanation_code, b.path.as_str(), b.rule_code)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_clean_example_is_reachable_everywhere() {
    let r = report(three_tier());
    assert_eq!(r.summary.paths, 3);
    assert_eq!(r.summary.reachable, 3, "{:#?}", r.paths);
    assert_eq!(r.summary.health_checks_passing, 3, "{:#?}", r.health_checks);
    let p = &r.paths[0];
    assert_eq!(p.listener_port, Some(80));
    assert_eq!(p.target.as_deref(), Some("web-1"));
    assert_eq!(p.hops.first().map(|h| h.kind), Some(HopKind::Route));
    assert_eq!(p.hops.last().map(|h| h.kind), Some(HopKind::Target));
}

fn health(r: &ReachReport, target: &str) -> HealthResult {
    r.health_checks
        .iter()
        .find(|h| h.target == target)
        .map(|h| h.result.clone())
        .unwrap()
}

#[test]
fn a_failed_link_blocks_with_bad_state() {
    let r = report(patched(
        three_tier(),
        json!([{ "op": "add", "path": "/observed", "value":
            { "vpc_links": { "link": { "status": "FAILED", "status_message": "NLB is already associated" } } } }]),
    ));
    assert_eq!(r.summary.paths, 1);
    assert_eq!(
        blocks(&r),
        vec![(
            "BAD_STATE",
            "/observed/vpc_links/link/status",
            Some("VL111")
        )]
    );
}

#[test]
fn a_uri_port_without_listener_is_a_listener_mismatch() {
    let r = report(patched(
        three_tier(),
        json!([{ "op": "replace", "path": "/rest_apis/shop/routes/GET ~1products/integration/uri",
                 "value": "http://nlb.internal:8443/products" }]),
    ));
    assert_eq!(
        blocks(&r),
        vec![(
            "ELBV2_LISTENERS_MISMATCH",
            "/load_balancers/nlb/listeners",
            Some("VL406")
        )]
    );
    assert_eq!(r.paths[0].listener_port, Some(8443));
}

#[test]
fn a_stage_variable_host_leaves_the_port_unknown() {
    let r = report(patched(
        three_tier(),
        json!([{ "op": "replace", "path": "/rest_apis/shop/routes/GET ~1products/integration/uri",
                 "value": "http://${stageVariables.host}/products" }]),
    ));
    assert_eq!(r.summary.unknown, 1);
    assert!(
        matches!(&r.paths[0].verdict, Verdict::Unknown { reason } if reason.contains("stage variable"))
    );
}

#[test]
fn an_empty_target_group_has_no_targets_to_reach() {
    let r = report(patched(
        three_tier(),
        json!([{ "op": "replace", "path": "/target_groups/backend/targets", "value": [] }]),
    ));
    assert_eq!(
        blocks(&r),
        vec![(
            "ELBV2_LISTENER_HAS_NO_TG",
            "/target_groups/backend/targets",
            Some("VL212")
        )]
    );
}

#[test]
fn a_target_in_a_zone_without_a_node_is_not_in_use() {
    let doc = patched(
        three_tier(),
        json!([
            { "op": "add", "path": "/subnets/private-c", "value":
                { "vpc": "app", "az": "us-east-1c", "cidr": "10.0.3.0/24", "network_acl": "private" } },
            { "op": "replace", "path": "/instances/web-3/subnet", "value": "private-c" }
        ]),
    );
    let r = report(doc.clone());
    let web3: Vec<_> = r
        .paths
        .iter()
        .filter(|p| p.target.as_deref() == Some("web-3"))
        .collect();
    assert!(matches!(&web3[0].verdict,
        Verdict::Blocked(b) if b.explanation_code == "ELB_INSTALLED_AZ_RESTRICTION"));
    assert!(matches!(
        health(&r, "web-3"),
        HealthResult::Fails {
            cause: HealthFailure::AvailabilityZone,
            ..
        }
    ));
    // With cross-zone load balancing every node sends, so the zone no longer blocks.
    let r = report(patched(
        doc,
        json!([{ "op": "replace", "path": "/load_balancers/nlb/cross_zone", "value": true }]),
    ));
    assert_eq!(r.summary.blocked, 0, "{:#?}", r.paths);
}

#[test]
fn network_blocks_name_the_rule_that_reports_them() {
    let r = report(patched(
        three_tier(),
        json!([{ "op": "replace", "path": "/security_groups/app/ingress", "value": [] }]),
    ));
    assert_eq!(r.summary.blocked, 3);
    assert!(blocks(&r).iter().all(|b| *b
        == (
            "ENI_SG_RULES_MISMATCH",
            "/security_groups/app/ingress",
            Some("VL301")
        )));
    assert!(matches!(
        health(&r, "web-1"),
        HealthResult::Fails {
            cause: HealthFailure::Network,
            ..
        }
    ));
}

#[test]
fn health_checks_compare_the_service_and_the_observed_state() {
    let r = report(patched(
        three_tier(),
        json!([{ "op": "replace", "path": "/target_groups/backend/health_check/path", "value": "/" }]),
    ));
    assert!(matches!(
        health(&r, "web-1"),
        HealthResult::Fails {
            cause: HealthFailure::Service,
            ..
        }
    ));
    let r = report(patched(
        three_tier(),
        json!([{ "op": "add", "path": "/observed", "value": { "target_health": { "backend": [
            { "target": "web-2", "state": "unhealthy", "reason": "Target.FailedHealthChecks" } ] } } }]),
    ));
    match health(&r, "web-2") {
        HealthResult::Fails {
            cause, reason_code, ..
        } => {
            assert_eq!(cause, HealthFailure::Observed);
            assert_eq!(reason_code.as_deref(), Some("Target.FailedHealthChecks"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(health(&r, "web-1"), HealthResult::Passes));
}

#[test]
fn http_apis_over_v2_links_are_walked_from_the_link() {
    let r = report(patched(
        three_tier(),
        crate::rules::network::fixtures::v2_link(true),
    ));
    let http: Vec<_> = r
        .paths
        .iter()
        .filter(|p| p.api_kind == crate::graph::ApiKind::Http)
        .collect();
    assert_eq!(http.len(), 3);
    assert!(
        http.iter().all(|p| p.verdict == Verdict::Reachable),
        "{http:#?}"
    );
    assert!(http[0]
        .hops
        .iter()
        .any(|h| h.kind == HopKind::VpcLinkSecurityGroupEgress));
}

#[test]
fn the_report_is_deterministic_and_serialises() {
    let a = serde_json::to_string(&report(three_tier())).unwrap();
    let b = serde_json::to_string(&report(three_tier())).unwrap();
    assert_eq!(a, b);
    assert!(a.contains("\"status\":\"reachable\""));
}

#[test]
fn broken_references_come_back_as_diagnostics() {
    let doc = patched(
        three_tier(),
        json!([{ "op": "replace", "path": "/instances/web-1/subnet", "value": "nowhere" }]),
    );
    let topo = topology_from_value(doc).unwrap();
    let errs = reach(&topo).unwrap_err();
    assert_eq!(errs[0].code, "VL001");
}

/// Many independent stacks: the analysis shares checks, so it stays fast; this guards
/// that every stack is walked, not the timing.
#[test]
fn many_stacks_are_all_walked() {
    let mut doc = three_tier();
    let n = 200;
    for i in 0..n {
        doc["instances"][format!("w{i}")] = json!({ "subnet": if i % 2 == 0 { "private-a" } else { "private-b" }, "security_groups": ["app"] });
    }
    let targets: Vec<_> = (0..n).map(|i| json!({ "id": format!("w{i}") })).collect();
    doc["target_groups"]["backend"]["targets"] = json!(targets);
    let r = report(doc);
    assert_eq!(r.summary.reachable, n);
    assert_eq!(r.summary.health_checks_passing, n);
}

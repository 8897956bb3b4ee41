use serde_json::json;

use super::*;
use crate::parse::topology_from_value;
use crate::rules::testing::{patched, three_tier};

fn run(patch: serde_json::Value, kind: SymptomKind) -> Diagnosis {
    let topo = topology_from_value(patched(three_tier(), patch)).unwrap();
    diagnose(&topo, &Symptom::new(kind))
}

fn top(d: &Diagnosis) -> &str {
    d.causes.first().map(|c| c.id).unwrap_or("none")
}

#[test]
fn clean_topology_says_the_configuration_looks_right() {
    for kind in [
        SymptomKind::Http502,
        SymptomKind::Http504,
        SymptomKind::Http500,
    ] {
        let d = run(json!([]), kind);
        assert!(d.configuration_looks_right, "{kind}: {:#?}", d.causes);
        assert!(d.summary.contains("looks right"));
        // It points at live state instead: target health and execution logs.
        assert!(d
            .next_checks
            .iter()
            .any(|c| c.command.contains("describe-target-health")));
        assert!(d
            .next_checks
            .iter()
            .any(|c| c.command.contains("API-Gateway-Execution-Logs_")));
    }
}

#[test]
fn blocked_target_port_explains_504_with_the_real_group() {
    let d = run(
        json!([{ "op": "replace", "path": "/security_groups/app/ingress/0/ports", "value": "9090" }]),
        SymptomKind::Http504,
    );
    assert_eq!(top(&d), "security-group-drops", "{:#?}", d.causes);
    let cause = &d.causes[0];
    assert!(cause
        .evidence
        .iter()
        .any(|e| e.source == EvidenceSource::Path));
    assert!(cause
        .evidence
        .iter()
        .any(|e| e.code.as_deref() == Some("VL301")));
    assert!(cause
        .next_checks
        .iter()
        .any(|c| c.command.starts_with("aws ec2 describe-security-groups")));
}

#[test]
fn observed_state_outranks_configuration() {
    // A planted health-check mismatch and an observed FAILED link: for a 500 the link wins.
    let d = run(
        json!([
            { "op": "replace", "path": "/target_groups/backend/health_check/path", "value": "/status" },
            { "op": "add", "path": "/observed", "value": { "vpc_links": { "link": { "status": "FAILED",
              "status_message": "NLB ARN is malformed" } } } }
        ]),
        SymptomKind::Http500,
    );
    assert_eq!(top(&d), "link-not-available", "{:#?}", d.causes);
    assert_eq!(d.causes[0].confidence, Confidence::High);
}

#[test]
fn link_failed_names_a_wrong_target_and_its_command() {
    let d = run(
        json!([{ "op": "replace", "path": "/load_balancers/nlb/type", "value": "application" },
               { "op": "replace", "path": "/load_balancers/nlb/listeners/0/protocol", "value": "HTTP" }]),
        SymptomKind::LinkFailed,
    );
    assert_eq!(top(&d), "link-target-wrong", "{:#?}", d.causes);
}

#[test]
fn pasted_status_message_is_evidence() {
    let topo = topology_from_value(three_tier()).unwrap();
    let symptom = Symptom {
        kind: SymptomKind::LinkFailed,
        detail: Some("NLB is already associated with another VPC Endpoint Service".into()),
        reasons: vec![],
    };
    let d = diagnose(&topo, &symptom);
    assert_eq!(top(&d), "link-target-wrong", "{:#?}", d.causes);
    assert!(d.causes[0].evidence[0]
        .message
        .contains("already associated"));
}

#[test]
fn health_check_path_mismatch_explains_unhealthy_targets_and_502() {
    for kind in [SymptomKind::TargetsUnhealthy, SymptomKind::Http502] {
        let d = run(
            json!([{ "op": "replace", "path": "/target_groups/backend/health_check/path", "value": "/status" }]),
            kind,
        );
        assert_eq!(top(&d), "health-check-mismatch", "{kind}: {:#?}", d.causes);
        assert!(
            !d.causes[0].patches.is_empty(),
            "the finding's fix travels with the cause"
        );
    }
}

#[test]
fn missing_ephemeral_egress_explains_504() {
    let d = run(
        json!([{ "op": "replace", "path": "/network_acls/private/egress", "value": [] }]),
        SymptomKind::Http504,
    );
    assert_eq!(top(&d), "network-acl-drops", "{:#?}", d.causes);
}

#[test]
fn symptoms_parse_from_their_names() {
    assert_eq!("502".parse::<SymptomKind>().unwrap(), SymptomKind::Http502);
    assert_eq!(
        "unhealthy".parse::<SymptomKind>().unwrap(),
        SymptomKind::TargetsUnhealthy
    );
    assert!("418"
        .parse::<SymptomKind>()
        .unwrap_err()
        .contains("link-failed"));
}

#[test]
fn a_link_to_a_missing_load_balancer_is_the_answer_to_link_failed() {
    let d = run(
        json!([{ "op": "replace", "path": "/vpc_links/link/targets/0", "value": "shop-nlb" }]),
        SymptomKind::LinkFailed,
    );
    assert_eq!(top(&d), "missing-resource", "{:#?}", d.causes);
    assert_eq!(d.causes[0].confidence, Confidence::High);
    let ev = &d.causes[0].evidence[0];
    assert_eq!(ev.code.as_deref(), Some("VL001"));
    assert_eq!(ev.path.as_str(), "/vpc_links/link/targets/0");
}

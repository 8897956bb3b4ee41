#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use super::*;
use crate::model::{LoadBalancerState, TargetHealthState, VpcLinkStatus, VpcLinkVersion};

/// Every legal move of a machine, written out by hand from the facts, is accepted, and every
/// other pair of distinct states is refused.
fn check_table<S: Lifecycle + std::fmt::Debug>(legal: &[(S, S, &str)]) {
    for &(from, to, why) in legal {
        assert_eq!(transition(from, to), Ok(to), "{from:?} → {to:?} ({why})");
    }
    for &from in S::ALL {
        for &to in S::ALL {
            let listed = legal.iter().any(|&(f, t, _)| f == from && t == to);
            let result = transition(from, to);
            if from == to {
                assert_eq!(result, Ok(to), "staying in {from:?} is not a move");
            } else if !listed {
                let err = result.expect_err(&format!("{from:?} → {to:?} must be illegal"));
                assert_eq!(err.machine, S::MACHINE);
                assert_eq!(err.from, from.aws_name());
                assert_eq!(err.to, to.aws_name());
            }
        }
    }
}

#[test]
fn vpc_link_moves() {
    use VpcLinkStatus::*;
    check_table(&[
        (Pending, Available, "facts §2.2: creation takes 2–4 minutes"),
        (
            Pending,
            Failed,
            "facts §2.1: e.g. NLB already in another endpoint service",
        ),
        (Pending, Deleting, "facts §2.4: delete_vpc_link"),
        (Available, Deleting, "facts §2.4"),
        (
            Failed,
            Deleting,
            "facts §2.1/§9.3: FAILED is terminal until deleted",
        ),
        (Available, Inactive, "facts §2.6: 60 days without traffic"),
        (
            Inactive,
            Pending,
            "facts §2.6: re-provisioned when used again",
        ),
        (Inactive, Deleting, "derived from facts §2.4"),
    ]);
}

#[test]
fn load_balancer_moves() {
    use LoadBalancerState::*;
    check_table(&[
        (Provisioning, Active, "facts §4.1"),
        (Provisioning, Failed, "facts §4.1"),
        (Active, ActiveImpaired, "facts §4.1"),
        (ActiveImpaired, Active, "facts §4.1"),
    ]);
}

#[test]
fn target_health_moves() {
    use TargetHealthState::*;
    check_table(&[
        (Initial, Healthy, "facts §4.7: first checks pass"),
        (Initial, Unhealthy, "facts §4.7: first checks fail"),
        (
            Initial,
            Unused,
            "facts §4.7: listener removed / AZ disabled",
        ),
        (Initial, Draining, "facts §4.7: deregistered"),
        (Initial, Unavailable, "facts §4.7: health checks disabled"),
        (Healthy, Unhealthy, "facts §4.7"),
        (
            Healthy,
            UnhealthyDraining,
            "facts §4.7: unhealthy draining interval",
        ),
        (Healthy, Draining, "facts §4.7"),
        (
            Healthy,
            Unused,
            "facts §4.1: AZ removal marks targets unused",
        ),
        (Healthy, Unavailable, "facts §4.7"),
        (Unhealthy, Healthy, "facts §4.7"),
        (Unhealthy, Draining, "facts §4.7"),
        (Unhealthy, Unused, "facts §4.7"),
        (Unhealthy, Unavailable, "facts §4.7"),
        (
            UnhealthyDraining,
            Unhealthy,
            "facts §4.7: the interval ends",
        ),
        (UnhealthyDraining, Healthy, "facts §4.7"),
        (UnhealthyDraining, Draining, "facts §4.7"),
        (UnhealthyDraining, Unused, "facts §4.7"),
        (Unused, Initial, "facts §4.7: listener added / AZ enabled"),
        (Unused, Draining, "facts §4.7"),
        (Unused, Unavailable, "facts §4.7"),
        (
            Draining,
            Unused,
            "facts §4.7: Target.NotRegistered afterwards",
        ),
        (Unavailable, Initial, "facts §4.7: health checks enabled"),
        (Unavailable, Draining, "facts §4.7"),
        (Unavailable, Unused, "facts §4.7"),
    ]);
}

#[test]
fn illegal_moves_say_what_is_allowed() {
    let err = transition(VpcLinkStatus::Available, VpcLinkStatus::Failed).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a VPC link cannot go from `AVAILABLE` to `FAILED` (from `AVAILABLE` it can only become `DELETING` or `INACTIVE`)"
    );
    let err = transition(VpcLinkStatus::Failed, VpcLinkStatus::Available).unwrap_err();
    assert_eq!(err.allowed, vec!["DELETING"]);
    let err = transition(VpcLinkStatus::Deleting, VpcLinkStatus::Available).unwrap_err();
    assert!(err.to_string().contains("`DELETING` is final"), "{err}");
    let err = transition(LoadBalancerState::Failed, LoadBalancerState::Active).unwrap_err();
    assert_eq!(err.machine, Machine::LoadBalancer);
    let err = transition(
        LoadBalancerState::Provisioning,
        LoadBalancerState::ActiveImpaired,
    )
    .unwrap_err();
    assert_eq!(err.allowed, vec!["active", "failed"]);
    let err = transition(TargetHealthState::Draining, TargetHealthState::Healthy).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a target cannot go from `draining` to `healthy` (from `draining` it can only become `unused`)"
    );
}

#[test]
fn only_v2_links_go_inactive() {
    use VpcLinkStatus::*;
    assert_eq!(
        vpc_link_transition(VpcLinkVersion::V2, Available, Inactive),
        Ok(Inactive)
    );
    assert_eq!(
        vpc_link_transition(VpcLinkVersion::V2, Inactive, Pending),
        Ok(Pending)
    );
    let err = vpc_link_transition(VpcLinkVersion::V1, Available, Inactive).unwrap_err();
    assert!(err.note.as_deref().unwrap().contains("V1"), "{err}");
    assert!(vpc_link_transition(VpcLinkVersion::V1, Inactive, Pending).is_err());
    assert_eq!(
        vpc_link_transition(VpcLinkVersion::V1, Pending, Available),
        Ok(Available)
    );
}

#[test]
fn aws_names_round_trip_and_match_serde() {
    fn check<S: Lifecycle + serde::Serialize + std::fmt::Debug>() {
        for &s in S::ALL {
            assert_eq!(S::from_aws_name(s.aws_name()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.aws_name(), "{s:?}");
        }
        assert_eq!(S::from_aws_name("no-such-state"), None);
    }
    check::<VpcLinkStatus>();
    check::<LoadBalancerState>();
    check::<TargetHealthState>();
    for &r in TargetHealthReason::ALL {
        assert_eq!(TargetHealthReason::from_aws_name(r.aws_name()), Some(r));
        assert_eq!(serde_json::to_value(r).unwrap(), r.aws_name());
    }
}

#[test]
fn final_states() {
    assert!(VpcLinkStatus::Deleting.is_final());
    assert!(!VpcLinkStatus::Failed.is_final());
    assert!(LoadBalancerState::Failed.is_final());
    assert!(!TargetHealthState::Draining.is_final());
}

#[test]
fn reasons_go_with_their_states() {
    use TargetHealthReason as R;
    use TargetHealthState::*;
    let table = [
        (Initial, R::RegistrationInProgress),
        (Initial, R::InitialHealthChecking),
        (Unhealthy, R::FailedHealthChecks),
        (UnhealthyDraining, R::FailedHealthChecks),
        (Unhealthy, R::Timeout),
        (Unhealthy, R::ResponseCodeMismatch),
        (Unhealthy, R::InternalError),
        (Unused, R::NotRegistered),
        (Unused, R::NotInUse),
        (Unused, R::InvalidState),
        (Unused, R::IpUnusable),
        (Draining, R::DeregistrationInProgress),
        (Unavailable, R::HealthCheckDisabled),
    ];
    for (state, reason) in table {
        assert_eq!(
            check_reason(state, Some(reason)),
            Ok(()),
            "{state:?} {reason:?}"
        );
    }
    assert_eq!(check_reason(Healthy, None), Ok(()));
    let err = check_reason(Healthy, Some(R::NotInUse)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "reason `Target.NotInUse` does not go with target state `healthy` (it goes with `unused`)"
    );
    assert!(check_reason(Draining, Some(R::FailedHealthChecks)).is_err());
}

#[test]
fn only_available_links_take_deployments() {
    assert_eq!(require_available("link", VpcLinkStatus::Available), Ok(()));
    for status in [
        VpcLinkStatus::Pending,
        VpcLinkStatus::Failed,
        VpcLinkStatus::Deleting,
        VpcLinkStatus::Inactive,
    ] {
        let err = require_available("link", status).unwrap_err();
        assert_eq!(err.status, status);
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("VPC link `link` is {}: ", status.aws_name())),
            "{text}"
        );
    }
    let err = require_available("link", VpcLinkStatus::Failed)
        .unwrap_err()
        .with_status_message("NLB is already associated with another VPC Endpoint Service");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "VPC link `link` is FAILED (\"NLB is already associated with another VPC Endpoint Service\"): AWS could not create it"
        ),
        "{text}"
    );
    assert!(
        text.contains("delete the link and create a new one"),
        "{text}"
    );
    let err = require_available("v2", VpcLinkStatus::Inactive).unwrap_err();
    assert!(err.meaning.contains("60 days"), "{}", err.meaning);
}

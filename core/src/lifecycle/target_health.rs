//! Target health `State` and its `Reason` codes (facts §4.7).
//!
//! AWS documents the states and which reason goes with which state, not a transition
//! table; the moves below follow from what each state means (derived from facts §4.7 and
//! §4.1: registration, health checks, deregistration, AZ and listener changes).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::machine::{Lifecycle, Machine};
use crate::model::TargetHealthState;

use TargetHealthState::{
    Draining, Healthy, Initial, Unavailable, Unhealthy, UnhealthyDraining, Unused,
};

impl Lifecycle for TargetHealthState {
    const MACHINE: Machine = Machine::TargetHealth;
    const ALL: &'static [Self] = &[
        Initial,
        Healthy,
        Unhealthy,
        UnhealthyDraining,
        Unused,
        Draining,
        Unavailable,
    ];

    fn aws_name(self) -> &'static str {
        match self {
            Initial => "initial",
            Healthy => "healthy",
            Unhealthy => "unhealthy",
            UnhealthyDraining => "unhealthy.draining",
            Unused => "unused",
            Draining => "draining",
            Unavailable => "unavailable",
        }
    }

    fn next_states(self) -> &'static [Self] {
        match self {
            // First checks pass or fail; the target can be deregistered, its AZ disabled or
            // its listener removed, or health checks turned off meanwhile.
            Initial => &[Healthy, Unhealthy, Unused, Draining, Unavailable],
            // With an unhealthy draining interval a failing target drains first (facts §4.7).
            Healthy => &[Unhealthy, UnhealthyDraining, Draining, Unused, Unavailable],
            Unhealthy => &[Healthy, Draining, Unused, Unavailable],
            // The draining interval ends (unhealthy), or the target recovers.
            UnhealthyDraining => &[Unhealthy, Healthy, Draining, Unused],
            // Put to use again (listener added, AZ enabled, instance started): checks restart.
            Unused => &[Initial, Draining, Unavailable],
            // Deregistration completes: `unused` with `Target.NotRegistered`.
            Draining => &[Unused],
            // Health checks turned back on, or the target leaves.
            Unavailable => &[Initial, Draining, Unused],
        }
    }
}

/// `TargetHealth.Reason` codes, spelled as AWS spells them (facts §4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum TargetHealthReason {
    #[serde(rename = "Elb.RegistrationInProgress")]
    RegistrationInProgress,
    #[serde(rename = "Elb.InitialHealthChecking")]
    InitialHealthChecking,
    #[serde(rename = "Target.ResponseCodeMismatch")]
    ResponseCodeMismatch,
    #[serde(rename = "Target.Timeout")]
    Timeout,
    #[serde(rename = "Target.FailedHealthChecks")]
    FailedHealthChecks,
    #[serde(rename = "Target.NotRegistered")]
    NotRegistered,
    #[serde(rename = "Target.NotInUse")]
    NotInUse,
    #[serde(rename = "Target.DeregistrationInProgress")]
    DeregistrationInProgress,
    #[serde(rename = "Target.InvalidState")]
    InvalidState,
    #[serde(rename = "Target.IpUnusable")]
    IpUnusable,
    #[serde(rename = "Target.HealthCheckDisabled")]
    HealthCheckDisabled,
    #[serde(rename = "Elb.InternalError")]
    InternalError,
}

use TargetHealthReason as R;

impl TargetHealthReason {
    pub const ALL: &'static [TargetHealthReason] = &[
        R::RegistrationInProgress,
        R::InitialHealthChecking,
        R::ResponseCodeMismatch,
        R::Timeout,
        R::FailedHealthChecks,
        R::NotRegistered,
        R::NotInUse,
        R::DeregistrationInProgress,
        R::InvalidState,
        R::IpUnusable,
        R::HealthCheckDisabled,
        R::InternalError,
    ];

    pub fn aws_name(self) -> &'static str {
        match self {
            R::RegistrationInProgress => "Elb.RegistrationInProgress",
            R::InitialHealthChecking => "Elb.InitialHealthChecking",
            R::ResponseCodeMismatch => "Target.ResponseCodeMismatch",
            R::Timeout => "Target.Timeout",
            R::FailedHealthChecks => "Target.FailedHealthChecks",
            R::NotRegistered => "Target.NotRegistered",
            R::NotInUse => "Target.NotInUse",
            R::DeregistrationInProgress => "Target.DeregistrationInProgress",
            R::InvalidState => "Target.InvalidState",
            R::IpUnusable => "Target.IpUnusable",
            R::HealthCheckDisabled => "Target.HealthCheckDisabled",
            R::InternalError => "Elb.InternalError",
        }
    }

    pub fn from_aws_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.aws_name() == name)
    }

    /// The states this reason accompanies (facts §4.7 reason table).
    pub fn states(self) -> &'static [TargetHealthState] {
        match self {
            R::RegistrationInProgress | R::InitialHealthChecking => &[Initial],
            R::ResponseCodeMismatch | R::Timeout | R::FailedHealthChecks | R::InternalError => {
                &[Unhealthy, UnhealthyDraining]
            }
            R::NotRegistered | R::NotInUse | R::InvalidState | R::IpUnusable => &[Unused],
            R::DeregistrationInProgress => &[Draining],
            R::HealthCheckDisabled => &[Unavailable],
        }
    }

    /// What it means, in a phrase for messages.
    pub fn meaning(self) -> &'static str {
        match self {
            R::RegistrationInProgress => "registration is still in progress",
            R::InitialHealthChecking => "the first health checks are running",
            R::ResponseCodeMismatch => "the health check's response code is not in the matcher",
            R::Timeout => "the health check request timed out",
            R::FailedHealthChecks => "the target fails its health checks",
            R::NotRegistered => "the target is not registered in this target group",
            R::NotInUse => {
                "no listener forwards to the target group, or the target's AZ is not enabled on the load balancer"
            }
            R::DeregistrationInProgress => "the target is being deregistered",
            R::InvalidState => "the instance is stopped or terminated",
            R::IpUnusable => "the target IP address is reserved for a load balancer",
            R::HealthCheckDisabled => "health checks are disabled",
            R::InternalError => "an internal load balancer error",
        }
    }
}

/// A reason code reported with a state it never accompanies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[error("reason `{}` does not go with target state `{}` (it goes with {})",
    reason.aws_name(), state.aws_name(),
    reason.states().iter().map(|s| format!("`{}`", s.aws_name())).collect::<Vec<_>>().join(" or "))]
pub struct ReasonMismatch {
    pub state: TargetHealthState,
    pub reason: TargetHealthReason,
}

/// Checks that a reported reason fits the reported state (`healthy` carries none).
pub fn check_reason(
    state: TargetHealthState,
    reason: Option<TargetHealthReason>,
) -> Result<(), ReasonMismatch> {
    match reason {
        Some(reason) if !reason.states().contains(&state) => Err(ReasonMismatch { state, reason }),
        _ => Ok(()),
    }
}

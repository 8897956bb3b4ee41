//! State observed in a live account. Optional; it feeds diagnosis and planning only.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ids::{Id, IdMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VpcLinkStatus {
    Pending,
    Available,
    Deleting,
    Failed,
    Inactive,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservedVpcLink {
    pub status: VpcLinkStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoadBalancerState {
    Provisioning,
    Active,
    ActiveImpaired,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservedLoadBalancer {
    pub state: LoadBalancerState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TargetHealthState {
    #[serde(rename = "initial")]
    Initial,
    #[serde(rename = "healthy")]
    Healthy,
    #[serde(rename = "unhealthy")]
    Unhealthy,
    #[serde(rename = "unhealthy.draining")]
    UnhealthyDraining,
    #[serde(rename = "unused")]
    Unused,
    #[serde(rename = "draining")]
    Draining,
    #[serde(rename = "unavailable")]
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservedTargetHealth {
    /// The target's id as in the target group (`targets[].id`).
    pub target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub state: TargetHealthState,
    /// Reason code such as `Target.FailedHealthChecks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InstanceState {
    Pending,
    Running,
    ShuttingDown,
    Terminated,
    Stopping,
    Stopped,
}

impl InstanceState {
    /// Whether a registered instance in this state can take traffic (pending will).
    pub fn can_serve(&self) -> bool {
        matches!(self, InstanceState::Pending | InstanceState::Running)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservedInstance {
    pub state: InstanceState,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observed {
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub vpc_links: IdMap<ObservedVpcLink>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub load_balancers: IdMap<ObservedLoadBalancer>,
    /// Per target group id, the health of each registered target.
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub target_health: IdMap<Vec<ObservedTargetHealth>>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub instances: IdMap<ObservedInstance>,
}

impl Observed {
    pub fn target_health(&self, target_group: &Id) -> &[ObservedTargetHealth] {
        self.target_health
            .get(target_group.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

//! CloudWatch metric alarms.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ids::Id;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alarm {
    /// Metric name, such as `UnHealthyHostCount`.
    pub metric: String,
    /// Absent: `AWS/NetworkELB` when `target_group` or `load_balancer` is set,
    /// `AWS/ApiGateway` when `api` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Supplies the `TargetGroup` dimension from this topology's target group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group: Option<Id>,
    /// Supplies the `LoadBalancer` dimension. When absent and `target_group` is set, the
    /// load balancer whose listener forwards to that target group supplies it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<Id>,
    /// Supplies `ApiName` (REST) or `ApiId` (HTTP) from this topology's API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Literal dimensions, as CloudWatch stores them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Dimension>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_periods: Option<u32>,
    pub threshold: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treat_missing_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Alarm {
    pub fn effective_namespace(&self) -> &str {
        match &self.namespace {
            Some(ns) => ns,
            None if self.api.is_some() => "AWS/ApiGateway",
            None => "AWS/NetworkELB",
        }
    }
}

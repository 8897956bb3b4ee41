//! The whole topology document (format version 1).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::alarm::Alarm;
use super::apigw::{HttpApi, RestApi, VpcLink};
use super::elb::{LoadBalancer, TargetGroup};
use super::ids::IdMap;
use super::network::{Instance, NetworkAcl, SecurityGroup, Subnet, Vpc};
use super::observed::Observed;
use super::origin::Origin;
use super::values::{AccountId, Region};

/// The one format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A private API path: client → API Gateway → VPC link → load balancer → targets, with the
/// network around it. Flat maps keyed by id; references between resources are ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Topology {
    /// Format version; must be 1.
    pub version: u32,
    pub region: Region,
    /// The account the resources live in, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountId>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub vpcs: IdMap<Vpc>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub subnets: IdMap<Subnet>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub security_groups: IdMap<SecurityGroup>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub network_acls: IdMap<NetworkAcl>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub instances: IdMap<Instance>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub load_balancers: IdMap<LoadBalancer>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub target_groups: IdMap<TargetGroup>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub vpc_links: IdMap<VpcLink>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub rest_apis: IdMap<RestApi>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub http_apis: IdMap<HttpApi>,
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub alarms: IdMap<Alarm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Observed>,
    /// Where an imported topology came from: source locations, unknown values, skipped
    /// resources. Absent for topologies written by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl Topology {
    /// An empty topology in `region`.
    pub fn empty(region: Region) -> Self {
        Topology {
            version: FORMAT_VERSION,
            region,
            account: None,
            vpcs: IdMap::default(),
            subnets: IdMap::default(),
            security_groups: IdMap::default(),
            network_acls: IdMap::default(),
            instances: IdMap::default(),
            load_balancers: IdMap::default(),
            target_groups: IdMap::default(),
            vpc_links: IdMap::default(),
            rest_apis: IdMap::default(),
            http_apis: IdMap::default(),
            alarms: IdMap::default(),
            observed: None,
            origin: None,
        }
    }

    /// Whether an existing resource's ARN lies in another Region, and in another account
    /// (compared only when the topology names its account).
    pub fn arn_elsewhere(&self, arn: &super::values::Arn) -> (bool, bool) {
        let other_region = arn.region() != self.region.as_str();
        let other_account = self
            .account
            .as_ref()
            .is_some_and(|a| arn.account() != a.as_str());
        (other_region, other_account)
    }

    /// How many resources the topology holds (listeners, routes and targets included).
    pub fn resource_count(&self) -> usize {
        self.vpcs.len()
            + self.subnets.len()
            + self.security_groups.len()
            + self.network_acls.len()
            + self.instances.len()
            + self
                .load_balancers
                .iter()
                .map(|(_, lb)| 1 + lb.listeners.len())
                .sum::<usize>()
            + self
                .target_groups
                .iter()
                .map(|(_, tg)| 1 + tg.targets.len())
                .sum::<usize>()
            + self.vpc_links.len()
            + self
                .rest_apis
                .iter()
                .map(|(_, a)| 1 + a.routes.len())
                .sum::<usize>()
            + self
                .http_apis
                .iter()
                .map(|(_, a)| 1 + a.routes.len())
                .sum::<usize>()
            + self.alarms.len()
    }
}

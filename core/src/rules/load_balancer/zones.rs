//! Availability Zones of load balancers and targets, shared by the zone rules so they agree
//! on where each target is.

use std::collections::BTreeSet;

use crate::graph::{Graph, TargetAt};
use crate::model::{Az, Id, IpAddress, LoadBalancer, TargetGroup};

/// The distinct zones a load balancer serves.
pub(super) fn zones_of<'t>(g: &Graph<'t>, lb: &LoadBalancer) -> BTreeSet<&'t Az> {
    g.zones_of_load_balancer(lb).into_iter().collect()
}

/// The zone of a target: its instance's subnet, its own `az`, or — for an ip target inside
/// the VPC, which AWS places by address — the subnet of the target group's VPC holding the IP.
pub(super) fn zone_of<'t>(g: &Graph<'t>, tg: &TargetGroup, t: &TargetAt<'t>) -> Option<&'t Az> {
    if let Some(az) = g.zone_of_target(t) {
        return Some(az);
    }
    let ip = t.target.id.parse::<IpAddress>().ok()?.as_cidr();
    g.subnets_of_vpc(tg.vpc.as_str())
        .iter()
        .filter_map(|s| g.subnet(s.as_str()))
        .find(|s| s.cidr.contains(&ip))
        .map(|s| &s.az)
}

/// Zones of every target, or `None` when any target's zone is unknown: rules that compare
/// spreads stay quiet rather than guess.
pub(super) fn zones_of_targets<'t>(
    g: &Graph<'t>,
    tg_id: &str,
    tg: &TargetGroup,
) -> Option<Vec<&'t Az>> {
    g.targets_of(tg_id)
        .iter()
        .map(|t| zone_of(g, tg, t))
        .collect()
}

/// A subnet of `vpc` in `az`, to offer as the subnet that enables that zone.
pub(super) fn subnet_in_zone<'t>(g: &Graph<'t>, vpc: &str, az: &Az) -> Option<&'t Id> {
    g.subnets_of_vpc(vpc)
        .iter()
        .copied()
        .find(|s| g.subnet(s.as_str()).is_some_and(|sub| &sub.az == az))
}

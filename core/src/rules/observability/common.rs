//! What the observability rules share: recognising host-count alarms, reading literal
//! dimensions, and finding the target groups and APIs that sit behind VPC links.

use std::collections::BTreeSet;

use crate::graph::{ApiKind, Graph};
use crate::model::{Alarm, Dimension, Id, TargetGroup, VpcLinkVersion};

pub const NLB_NAMESPACE: &str = "AWS/NetworkELB";
pub const APIGW_NAMESPACE: &str = "AWS/ApiGateway";

/// NLB metrics published only per `TargetGroup` + `LoadBalancer` (facts §7.1).
pub const HOST_COUNT_METRICS: [&str; 2] = ["UnHealthyHostCount", "HealthyHostCount"];

pub fn is_host_count(alarm: &Alarm) -> bool {
    alarm.effective_namespace() == NLB_NAMESPACE
        && HOST_COUNT_METRICS.contains(&alarm.metric.as_str())
}

/// The ELB namespaces, whose metrics are 60-second and whose dimensions are ARN suffixes.
pub fn is_elb_namespace(ns: &str) -> bool {
    matches!(
        ns,
        "AWS/NetworkELB" | "AWS/ApplicationELB" | "AWS/GatewayELB"
    )
}

/// The first literal dimension called `name`, with its position.
pub fn literal<'a>(alarm: &'a Alarm, name: &str) -> Option<(usize, &'a Dimension)> {
    alarm
        .dimensions
        .iter()
        .enumerate()
        .find(|(_, d)| d.name == name)
}

/// Whether a literal `TargetGroup` value names this target group: its ARN suffix, or
/// `targetgroup/<name>/…` with its AWS name (or id, when it has no name).
pub fn dimension_names_target_group(value: &str, id: &Id, tg: &TargetGroup) -> bool {
    if let Some(arn) = &tg.arn {
        if value == arn.dimension_suffix() || value == arn.as_str() {
            return true;
        }
    }
    let name = tg.name.as_deref().unwrap_or(id.as_str());
    value
        .strip_prefix("targetgroup/")
        .and_then(|rest| rest.split('/').next())
        .is_some_and(|n| n == name)
}

/// The target group a host-count alarm watches: its `target_group`, else the one its
/// literal `TargetGroup` dimension names.
pub fn watched_target_group<'t>(graph: &Graph<'t>, alarm: &'t Alarm) -> Option<&'t Id> {
    if let Some(tg) = &alarm.target_group {
        return graph
            .topology
            .target_groups
            .get_key_value(tg.as_str())
            .map(|(id, _)| id);
    }
    let (_, dim) = literal(alarm, "TargetGroup")?;
    graph
        .topology
        .target_groups
        .iter()
        .find(|(id, tg)| dimension_names_target_group(&dim.value, id, tg))
        .map(|(id, _)| id)
}

/// Load balancers that API Gateway reaches: targets of V1 links, and the `target` of
/// integrations that go through a V2 link.
pub fn load_balancers_behind_links<'t>(graph: &Graph<'t>) -> BTreeSet<&'t Id> {
    let mut out = BTreeSet::new();
    for (id, _) in &graph.topology.load_balancers {
        if !graph.links_targeting(id.as_str()).is_empty() {
            out.insert(id);
        }
    }
    for ia in graph.integrations() {
        let v2 = ia.links.iter().any(|l| {
            graph
                .vpc_link(l.as_str())
                .is_some_and(|l| l.version() == VpcLinkVersion::V2)
        });
        if let (true, Some(t)) = (v2, &ia.integration.target) {
            if let Some((id, _)) = graph
                .topology
                .load_balancers
                .get_key_value(t.load_balancer.as_str())
            {
                out.insert(id);
            }
        }
    }
    out
}

/// Target groups that a listener of such a load balancer forwards to.
pub fn target_groups_behind_links<'t>(graph: &Graph<'t>) -> BTreeSet<&'t Id> {
    let lbs = load_balancers_behind_links(graph);
    let mut out = BTreeSet::new();
    for lb_id in lbs {
        let Some(lb) = graph.load_balancer(lb_id.as_str()) else {
            continue;
        };
        for l in &lb.listeners {
            if let Some((id, _)) = graph
                .topology
                .target_groups
                .get_key_value(l.forward.as_str())
            {
                out.insert(id);
            }
        }
    }
    out
}

/// Whether an API has at least one route through a VPC link.
pub fn has_vpc_link_routes(graph: &Graph<'_>, kind: ApiKind, api_id: &Id) -> bool {
    graph
        .integrations_of(kind, api_id.as_str())
        .iter()
        .any(|ia| {
            ia.integration.effective_connection_type() == crate::model::ConnectionType::VpcLink
        })
}

/// Which kind of API an alarm is about: its `api` reference, else a literal `ApiName`
/// (REST) or `ApiId` (HTTP) dimension.
pub fn api_kind_of_alarm(
    graph: &Graph<'_>,
    alarm: &Alarm,
    by_reference_only: bool,
) -> Option<ApiKind> {
    if let Some(api) = &alarm.api {
        if graph.topology.rest_apis.contains(api.as_str()) {
            return Some(ApiKind::Rest);
        }
        if graph.topology.http_apis.contains(api.as_str()) {
            return Some(ApiKind::Http);
        }
        return None;
    }
    if by_reference_only {
        return None;
    }
    match (literal(alarm, "ApiName"), literal(alarm, "ApiId")) {
        (Some(_), None) => Some(ApiKind::Rest),
        (None, Some(_)) => Some(ApiKind::Http),
        _ => None,
    }
}

//! The reachability report: every route walked to every target, and every target's health
//! checks, with a verdict and the place that decides it.

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::ResourceRef;
use crate::graph::{ApiKind, Graph, IntegrationAt};
use crate::model::{
    ConnectionType, LoadBalancer, LoadBalancerType, TargetHealthState, VpcLinkStatus,
    VpcLinkVersion,
};
use crate::pointer::JsonPointer;
use crate::service::health_check_mismatch;

use super::analysis::{Check, Flow, HopKind, NetworkAnalysis, Source};
use crate::uri::{uri_port, UriPort};

/// One step walked.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Hop {
    pub kind: HopKind,
    pub resource: ResourceRef,
    /// Where in the topology this step is decided.
    pub path: JsonPointer,
}

/// Where and why a path or health check stops.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Block {
    /// The resource that blocks.
    pub component: ResourceRef,
    /// JSON Pointer of the blocking rule, entry or field.
    pub path: JsonPointer,
    /// The matching AWS Reachability Analyzer explanation code (or a vpclink one).
    pub explanation_code: &'static str,
    /// One sentence, in the topology's terms.
    pub explanation: String,
    /// The diagnostic code of the network rule that reports the same block, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_code: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verdict {
    Reachable,
    Blocked(Block),
    Unknown { reason: String },
}

/// One route through one VPC link to one target.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PathVerdict {
    pub api_kind: ApiKind,
    pub api_id: String,
    pub route_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listener_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_port: Option<u16>,
    /// The steps walked, up to and including the one that blocks.
    pub hops: Vec<Hop>,
    pub verdict: Verdict,
}

/// Why a health check fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthFailure {
    /// A security group or network ACL drops the check or its answer.
    Network,
    /// The target's zone is not enabled on the load balancer.
    AvailabilityZone,
    /// The instance does not serve what the check asks for.
    Service,
    /// The live account reports the target unhealthy.
    Observed,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum HealthResult {
    Passes,
    Fails {
        cause: HealthFailure,
        explanation: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        block: Option<Block>,
        /// The ELB reason code a live account would show, such as `Target.FailedHealthChecks`.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason_code: Option<String>,
    },
    /// No health checks run: no listener forwards to the target group.
    NotChecked {
        reason: String,
    },
}

/// Health checks of one target of one target group.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct HealthCheckVerdict {
    pub target_group: String,
    pub target: String,
    pub target_port: u16,
    pub health_check_port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<String>,
    pub result: HealthResult,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ReachSummary {
    pub paths: usize,
    pub reachable: usize,
    pub blocked: usize,
    pub unknown: usize,
    pub health_checks_passing: usize,
    pub health_checks_failing: usize,
    pub health_checks_not_run: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ReachReport {
    /// In API, route, link and target order.
    pub paths: Vec<PathVerdict>,
    /// In target group and target order.
    pub health_checks: Vec<HealthCheckVerdict>,
    pub summary: ReachSummary,
}

fn block_of(analysis: &NetworkAnalysis<'_>, check: &Check<'_>) -> Option<Block> {
    let b = check.block.as_ref()?;
    Some(Block {
        component: b.component.clone(),
        path: b.path.clone(),
        explanation_code: b.explanation_code,
        explanation: b.explanation.clone(),
        rule_code: analysis.rule_code(check),
    })
}

/// Appends the flow's checks to `hops` up to the first block, and returns that block.
fn walk(analysis: &NetworkAnalysis<'_>, flow: &Flow, hops: &mut Vec<Hop>) -> Option<Block> {
    for id in &flow.steps {
        let Some(check) = analysis.check(*id) else {
            continue;
        };
        let resource = match &check.block {
            Some(b) => b.component.clone(),
            None => check.component(),
        };
        hops.push(Hop {
            kind: check.kind,
            resource,
            path: check.path(),
        });
        if check.block.is_some() {
            return block_of(analysis, check);
        }
    }
    None
}

struct PathBuilder {
    base: PathVerdict,
}

impl PathBuilder {
    fn hop(&mut self, kind: HopKind, resource: ResourceRef, path: JsonPointer) {
        self.base.hops.push(Hop {
            kind,
            resource,
            path,
        });
    }
    fn finish(mut self, verdict: Verdict) -> PathVerdict {
        self.base.verdict = verdict;
        self.base
    }
    fn unknown(self, reason: String) -> PathVerdict {
        self.finish(Verdict::Unknown { reason })
    }
    fn blocked(
        self,
        component: ResourceRef,
        path: JsonPointer,
        explanation_code: &'static str,
        explanation: String,
        rule_code: Option<&'static str>,
    ) -> PathVerdict {
        self.finish(Verdict::Blocked(Block {
            component,
            path,
            explanation_code,
            explanation,
            rule_code,
        }))
    }
}

/// Where the listener port of a path came from; it decides which rule reports a mismatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PortFrom {
    /// `integration.target.port`.
    Target,
    /// The REST integration URI.
    Uri,
    /// The load balancer's only listener, when nothing names a port.
    OnlyListener,
}

fn listener_port_of(
    ia: &IntegrationAt<'_>,
    version: VpcLinkVersion,
    lb: &LoadBalancer,
) -> Result<(u16, PortFrom), String> {
    let target_port = ia.integration.target.as_ref().and_then(|t| t.port);
    if let Some(p) = target_port {
        return Ok((p, PortFrom::Target));
    }
    match ia.api_kind {
        ApiKind::Http => match lb.listeners.as_slice() {
            [only] => Ok((only.port, PortFrom::OnlyListener)),
            _ => Err("the integration target names no listener port and the load balancer has more than one listener".to_owned()),
        },
        ApiKind::Rest => match ia.integration.uri.as_deref() {
            Some(uri) => match uri_port(uri) {
                UriPort::Port(p) => Ok((p, PortFrom::Uri)),
                UriPort::Unknown(reason) => Err(reason),
            },
            None if version == VpcLinkVersion::V2 => match lb.listeners.as_slice() {
                [only] => Ok((only.port, PortFrom::OnlyListener)),
                _ => Err("the integration has no URI or target port to pick a listener".to_owned()),
            },
            None => Err("the integration has no URI, so no listener port".to_owned()),
        },
    }
}

/// The rule that reports a missing listener for this path, when one reports exactly it:
/// VL105 (a REST link's NLB without listeners), VL406 (the REST URI's port), VL413 (the
/// HTTP API target's port).
fn missing_listener_rule(
    kind: ApiKind,
    version: VpcLinkVersion,
    from: PortFrom,
    port: u16,
    lb: &LoadBalancer,
) -> Option<&'static str> {
    match (kind, version, from, lb.listeners.is_empty()) {
        (ApiKind::Rest, VpcLinkVersion::V1, _, true) => Some("VL105"),
        (ApiKind::Rest, _, PortFrom::Uri, false) => Some("VL406"),
        // VL413 looks for any listener on the port; a UDP-only one there is another finding.
        (ApiKind::Http, _, PortFrom::Target, _) if !lb.listeners.iter().any(|l| l.port == port) => {
            Some("VL413")
        }
        _ => None,
    }
}

fn route_paths(
    graph: &Graph<'_>,
    analysis: &NetworkAnalysis<'_>,
    ia: &IntegrationAt<'_>,
    out: &mut Vec<PathVerdict>,
) {
    let t = graph.topology;
    let route_hop = Hop {
        kind: HopKind::Route,
        resource: ResourceRef::new(ia.api_kind.collection(), ia.api_id),
        path: ia.path(),
    };
    let start = |link: Option<String>| PathBuilder {
        base: PathVerdict {
            api_kind: ia.api_kind,
            api_id: ia.api_id.to_string(),
            route_key: ia.route_key.to_owned(),
            vpc_link: link,
            load_balancer: None,
            listener_port: None,
            target_group: None,
            target: None,
            target_port: None,
            hops: vec![route_hop.clone()],
            verdict: Verdict::Reachable,
        },
    };
    if ia.links.is_empty() {
        out.push(start(None).unknown(
            "the integration's connection id resolves to no VPC link of this topology".to_owned(),
        ));
        return;
    }
    for link_id in &ia.links {
        let mut p = start(Some(link_id.to_string()));
        let Some(link) = graph.vpc_link(link_id.as_str()) else {
            out.push(p.unknown(format!("VPC link `{link_id}` is not in the topology")));
            continue;
        };
        p.hop(
            HopKind::VpcLink,
            ResourceRef::new("vpc_links", link_id),
            JsonPointer::resource("vpc_links", link_id),
        );
        if let Some(obs) = graph
            .observed()
            .and_then(|o| o.vpc_links.get(link_id.as_str()))
        {
            let word = match obs.status {
                VpcLinkStatus::Available => None,
                VpcLinkStatus::Pending => Some("PENDING"),
                VpcLinkStatus::Deleting => Some("DELETING"),
                VpcLinkStatus::Failed => Some("FAILED"),
                VpcLinkStatus::Inactive => Some("INACTIVE"),
            };
            if let Some(word) = word {
                let note = obs
                    .status_message
                    .as_deref()
                    .map(|m| format!(" (\"{m}\")"))
                    .unwrap_or_default();
                out.push(p.blocked(
                    ResourceRef::new("vpc_links", link_id),
                    JsonPointer::root()
                        .key("observed")
                        .key("vpc_links")
                        .key(link_id)
                        .key("status"),
                    "BAD_STATE",
                    format!("VPC link `{link_id}` is {word}{note}, so API Gateway cannot send requests through it."),
                    // The VPC link family reports these states: VL111 FAILED/DELETING, VL112 the rest.
                    Some(match obs.status {
                        VpcLinkStatus::Failed | VpcLinkStatus::Deleting => "VL111",
                        _ => "VL112",
                    }),
                ));
                continue;
            }
        }
        let version = link.version();
        let lb_id = match version {
            VpcLinkVersion::V1 => match link.targets.as_slice() {
                [only] => Some(only),
                _ => None,
            },
            VpcLinkVersion::V2 => ia.integration.target.as_ref().map(|t| &t.load_balancer),
        };
        let Some((lb_id, lb)) = lb_id.and_then(|id| t.load_balancers.get_key_value(id.as_str()))
        else {
            let reason = match version {
                VpcLinkVersion::V1 => {
                    format!("VPC link `{link_id}` does not target exactly one load balancer")
                }
                VpcLinkVersion::V2 => {
                    "the integration names no load balancer (`target`) for its V2 VPC link"
                        .to_owned()
                }
            };
            out.push(p.unknown(reason));
            continue;
        };
        p.base.load_balancer = Some(lb_id.to_string());
        p.hop(
            HopKind::LoadBalancer,
            ResourceRef::new("load_balancers", lb_id),
            JsonPointer::resource("load_balancers", lb_id),
        );
        // A REST link to anything but an NLB of this Region and account ends FAILED.
        if version == VpcLinkVersion::V1 {
            if lb.kind != LoadBalancerType::Network {
                out.push(p.blocked(
                    ResourceRef::new("load_balancers", lb_id),
                    JsonPointer::resource("load_balancers", lb_id).key("type"),
                    "VPC_LINK_TARGET_NOT_NLB",
                    format!("VPC link `{link_id}` targets `{lb_id}`, which is not a network load balancer, so the link cannot become AVAILABLE."),
                    Some("VL102"),
                ));
                continue;
            }
            if let Some(arn) = &lb.arn {
                let (other_region, other_account) = t.arn_elsewhere(arn);
                if other_region || other_account {
                    out.push(p.blocked(
                        ResourceRef::new("load_balancers", lb_id),
                        JsonPointer::resource("load_balancers", lb_id).key("arn"),
                        "VPC_LINK_TARGET_ELSEWHERE",
                        format!("VPC link `{link_id}` targets `{lb_id}`, whose ARN is in another Region or account, so the link cannot become AVAILABLE."),
                        Some("VL103"),
                    ));
                    continue;
                }
            }
        }
        let (port, port_from) = match listener_port_of(ia, version, lb) {
            Ok(found) => found,
            Err(reason) => {
                out.push(p.unknown(reason));
                continue;
            }
        };
        p.base.listener_port = Some(port);
        let Some((li, listener)) = lb
            .listeners
            .iter()
            .enumerate()
            .find(|(_, l)| l.port == port && l.protocol.carries_tcp())
        else {
            out.push(p.blocked(
                ResourceRef::new("load_balancers", lb_id),
                JsonPointer::resource("load_balancers", lb_id).key("listeners"),
                "ELBV2_LISTENERS_MISMATCH",
                format!("Load balancer `{lb_id}` has no TCP listener on port {port}, the port the integration sends to."),
                missing_listener_rule(ia.api_kind, version, port_from, port, lb),
            ));
            continue;
        };
        p.hop(
            HopKind::Listener,
            ResourceRef::new("load_balancers", lb_id),
            JsonPointer::resource("load_balancers", lb_id)
                .key("listeners")
                .index(li),
        );
        let tg_id = &listener.forward;
        p.base.target_group = Some(tg_id.to_string());
        p.hop(
            HopKind::TargetGroup,
            ResourceRef::new("target_groups", tg_id),
            JsonPointer::resource("target_groups", tg_id),
        );
        let targets = graph.targets_of(tg_id.as_str());
        if targets.is_empty() {
            out.push(p.blocked(
                ResourceRef::new("target_groups", tg_id),
                JsonPointer::resource("target_groups", tg_id).key("targets"),
                "ELBV2_LISTENER_HAS_NO_TG",
                format!("Target group `{tg_id}`, behind listener port {port} of load balancer `{lb_id}`, has no registered targets."),
                Some("VL212"),
            ));
            continue;
        }
        let source = match version {
            VpcLinkVersion::V1 => Source::PrivateLink,
            VpcLinkVersion::V2 => Source::Link(link_id),
        };
        for ta in targets {
            let mut tp = PathBuilder {
                base: p.base.clone(),
            };
            tp.base.target = Some(ta.target.id.clone());
            tp.base.target_port = Some(ta.port);
            let stopped = ta.instance.and_then(|(iid, _)| {
                let obs = graph.observed()?.instances.get(iid.as_str())?;
                (!obs.state.can_serve()).then_some(iid)
            });
            if let Some(iid) = stopped {
                out.push(tp.blocked(
                    ResourceRef::new("instances", iid),
                    JsonPointer::root().key("observed").key("instances").key(iid).key("state"),
                    "BAD_STATE",
                    format!("Instance `{iid}` is not running, so it takes no traffic (`Target.InvalidState`)."),
                    Some("VL223"),
                ));
                continue;
            }
            let Some(flow) =
                analysis.data_flow(source, lb_id.as_str(), li, tg_id.as_str(), ta.index)
            else {
                out.push(tp.unknown("this flow was not evaluated".to_owned()));
                continue;
            };
            let blocked = walk(analysis, flow, &mut tp.base.hops);
            tp.hop(
                HopKind::Target,
                ResourceRef::new("target_groups", tg_id),
                ta.path(),
            );
            out.push(match blocked {
                Some(b) => {
                    // The target hop was not reached.
                    tp.base.hops.pop();
                    tp.finish(Verdict::Blocked(b))
                }
                None => tp.finish(Verdict::Reachable),
            });
        }
    }
}

fn health_checks(graph: &Graph<'_>, analysis: &NetworkAnalysis<'_>) -> Vec<HealthCheckVerdict> {
    let t = graph.topology;
    let mut out = Vec::new();
    for (tg_id, tg) in &t.target_groups {
        let behind = graph.load_balancers_of_target_group(tg_id.as_str());
        for ta in graph.targets_of(tg_id.as_str()) {
            let hc_port = tg.health_check.port_for(ta.port);
            let mut v = HealthCheckVerdict {
                target_group: tg_id.to_string(),
                target: ta.target.id.clone(),
                target_port: ta.port,
                health_check_port: hc_port,
                load_balancer: behind.first().map(|(id, _)| id.to_string()),
                result: HealthResult::Passes,
            };
            if behind.is_empty() {
                v.result = HealthResult::NotChecked {
                    reason: format!("no listener forwards to target group `{tg_id}`, so its targets are unused (`Target.NotInUse`)"),
                };
                out.push(v);
                continue;
            }
            let mut failure = None;
            for (lb_id, _) in &behind {
                let Some(flow) = analysis.health_flow(lb_id.as_str(), tg_id.as_str(), ta.index)
                else {
                    continue;
                };
                if let Some(check) = analysis.first_block(flow) {
                    let zone = check.kind == HopKind::AvailabilityZone;
                    let block = block_of(analysis, check);
                    v.load_balancer = Some(lb_id.to_string());
                    failure = Some(HealthResult::Fails {
                        cause: if zone {
                            HealthFailure::AvailabilityZone
                        } else {
                            HealthFailure::Network
                        },
                        explanation: block
                            .as_ref()
                            .map(|b| b.explanation.clone())
                            .unwrap_or_default(),
                        block,
                        reason_code: Some(
                            if zone {
                                "Target.NotInUse"
                            } else {
                                "Target.FailedHealthChecks"
                            }
                            .to_owned(),
                        ),
                    });
                    break;
                }
            }
            if failure.is_none() {
                if let Some((inst_id, inst)) = ta.instance {
                    if let Some(m) = health_check_mismatch(inst, &tg.health_check, ta.port) {
                        failure = Some(HealthResult::Fails {
                            cause: HealthFailure::Service,
                            explanation: format!(
                                "The health check of target group `{tg_id}` fails: {}.",
                                m.describe(inst_id.as_str())
                            ),
                            block: None,
                            reason_code: Some("Target.FailedHealthChecks".to_owned()),
                        });
                    }
                }
            }
            if failure.is_none() {
                let stopped = ta.instance.and_then(|(iid, _)| {
                    let obs = graph.observed()?.instances.get(iid.as_str())?;
                    (!obs.state.can_serve()).then_some(iid)
                });
                if let Some(iid) = stopped {
                    failure = Some(HealthResult::Fails {
                        cause: HealthFailure::Observed,
                        explanation: format!(
                            "Instance `{iid}` is not running, so it cannot pass health checks."
                        ),
                        block: None,
                        reason_code: Some("Target.InvalidState".to_owned()),
                    });
                }
            }
            if failure.is_none() {
                let observed = graph
                    .observed()
                    .map(|o| o.target_health(tg_id))
                    .unwrap_or(&[]);
                let seen = observed
                    .iter()
                    .find(|h| h.target == ta.target.id && h.port.is_none_or(|p| p == ta.port));
                if let Some(h) = seen {
                    let state = match h.state {
                        TargetHealthState::Unhealthy => Some("unhealthy"),
                        TargetHealthState::UnhealthyDraining => Some("unhealthy.draining"),
                        TargetHealthState::Unused => Some("unused"),
                        _ => None,
                    };
                    if let Some(state) = state {
                        let why = h
                            .description
                            .as_deref()
                            .map(|d| format!(": {d}"))
                            .unwrap_or_default();
                        failure = Some(HealthResult::Fails {
                            cause: HealthFailure::Observed,
                            explanation: format!(
                                "The account reports target `{}` of target group `{tg_id}` as {state}{why}.",
                                ta.target.id
                            ),
                            block: None,
                            reason_code: h.reason.clone(),
                        });
                    }
                }
            }
            if let Some(f) = failure {
                v.result = f;
            }
            out.push(v);
        }
    }
    out
}

/// The report for a resolved graph, from its network analysis.
pub fn reach_graph(graph: &Graph<'_>, analysis: &NetworkAnalysis<'_>) -> ReachReport {
    let mut paths = Vec::new();
    for ia in graph.integrations() {
        if ia.integration.effective_connection_type() != ConnectionType::VpcLink {
            continue;
        }
        route_paths(graph, analysis, ia, &mut paths);
    }
    let health_checks = health_checks(graph, analysis);
    let mut summary = ReachSummary {
        paths: paths.len(),
        ..ReachSummary::default()
    };
    for p in &paths {
        match p.verdict {
            Verdict::Reachable => summary.reachable += 1,
            Verdict::Blocked(_) => summary.blocked += 1,
            Verdict::Unknown { .. } => summary.unknown += 1,
        }
    }
    for h in &health_checks {
        match h.result {
            HealthResult::Passes => summary.health_checks_passing += 1,
            HealthResult::Fails { .. } => summary.health_checks_failing += 1,
            HealthResult::NotChecked { .. } => summary.health_checks_not_run += 1,
        }
    }
    ReachReport {
        paths,
        health_checks,
        summary,
    }
}

//! `validate`: every rule over the resolved graph, collected into one ordered report.

use schemars::JsonSchema;
use serde::Serialize;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{self, Graph};
use crate::model::{Origin, SourceLocation, Topology};
use crate::reach::{Owner, Party, Subject};
use crate::rules::{self, Context};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Report {
    /// Findings, most severe first, then by code and place.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// False when references did not resolve: only those are reported, since rule results
    /// on a broken model would mislead.
    pub rules_ran: bool,
}

impl Report {
    fn new(mut diagnostics: Vec<Diagnostic>, rules_ran: bool) -> Self {
        diagnostics.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.code.cmp(b.code))
                .then_with(|| a.path.cmp(&b.path))
                .then_with(|| a.message.cmp(&b.message))
        });
        diagnostics.dedup();
        let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
        let summary = Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        };
        Report {
            diagnostics,
            summary,
            rules_ran,
        }
    }

    /// Whether any finding is at or above `severity`.
    pub fn has_at_least(&self, severity: Severity) -> bool {
        self.diagnostics.iter().any(|d| d.severity >= severity)
    }
}

/// Checks a topology: resolves it, then runs every rule. For an imported topology
/// (`origin` set), findings that rest on unknown values are dropped and the rest point at
/// their source line.
pub fn validate(topology: &Topology) -> Report {
    match graph::build(topology) {
        Err(errors) => {
            let report = Report::new(errors, false);
            match &topology.origin {
                Some(origin) => locate(suppress_unknowns(report, origin), origin),
                None => report,
            }
        }
        Ok(graph) => {
            let cx = Context::new(&graph);
            let report = run_rules(&cx);
            match &topology.origin {
                Some(origin) => {
                    let uncertain = Uncertain::of(&cx, origin);
                    let kept = report
                        .diagnostics
                        .into_iter()
                        .filter(|d| !rests_on_unknown(d, origin) && !uncertain.covers(d))
                        .collect();
                    locate(Report::new(kept, report.rules_ran), origin)
                }
                None => report,
            }
        }
    }
}

/// Drops every finding whose path or related path touches an unknown of `origin`: lies
/// under an unknown path, or is a part of a resource (a rule list, a route) that holds an
/// unknown. An
/// importer's placeholders are chosen not to cause findings; this is the net under them.
/// `validate` applies it, and also drops flow findings whose blocked check involves a
/// resource with an unknown (an unknown subnet CIDR changes which addresses a rule must
/// allow).
pub fn suppress_unknowns(report: Report, origin: &Origin) -> Report {
    let kept = report
        .diagnostics
        .into_iter()
        .filter(|d| !rests_on_unknown(d, origin))
        .collect();
    Report::new(kept, report.rules_ran)
}

fn rests_on_unknown(d: &Diagnostic, origin: &Origin) -> bool {
    let paths = std::iter::once(d.path.as_str()).chain(d.related.iter().map(|r| r.path.as_str()));
    paths
        .into_iter()
        .any(|p| origin.unknowns.iter().any(|u| touches(p, u.path.as_str())))
}

/// `path` lies at or under `prefix` (whole reference tokens).
fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A finding at `path` touches an unknown at `unknown` when it is about the unknown value
/// or something inside it, or about a part of a resource that holds it (a rule list, a
/// route). A finding about a whole resource is not dropped for an unknown somewhere in it.
fn touches(path: &str, unknown: &str) -> bool {
    let depth = path.split('/').count().saturating_sub(1);
    under(path, unknown) || (depth >= 3 && under(unknown, path))
}

/// The resource (`/kind/id`) a pointer lies in.
fn resource_of(path: &str) -> Option<(&str, &str)> {
    let mut it = path.strip_prefix('/')?.split('/');
    Some((it.next()?, it.next()?))
}

/// Resources whose values are partly unknown, and the flow and zone findings that read
/// them. Flow findings are matched by code and blocked place; zone findings by resource.
struct Uncertain {
    /// (code, path) of blocked checks that involve a resource with an unknown.
    unsure: BTreeSet<(&'static str, String)>,
    /// (code, path) of blocked checks that involve none.
    sure: BTreeSet<(&'static str, String)>,
    /// Load balancers and target groups whose zones rest on an unknown zone.
    zones: BTreeSet<(String, String)>,
    /// Load balancers whose listeners are unknown (outside the template).
    listeners: BTreeSet<String>,
}

/// Findings reported on a whole load balancer or target group that read listeners: a
/// load balancer without listeners (VL105), a target group no listener uses (VL226).
const LISTENER_CODES: &[&str] = &["VL105", "VL226"];

/// Findings that read the zones of subnets (and so of targets and load balancers).
const ZONE_CODES: &[&str] = &[
    "VL201", "VL202", "VL205", "VL213", "VL214", "VL215", "VL225", "VL601",
];

impl Uncertain {
    fn of(cx: &Context<'_, '_>, origin: &Origin) -> Uncertain {
        let g = cx.graph;
        let mut tainted: BTreeSet<(String, String)> = BTreeSet::new();
        let mut zone_unknown: BTreeSet<String> = BTreeSet::new();
        for u in &origin.unknowns {
            let p = u.path.as_str();
            let Some((kind, id)) = resource_of(p) else {
                continue;
            };
            // `None`: the whole resource is a placeholder.
            let field = p.split('/').nth(3);
            // Fields that no flow reads: an unknown there leaves addresses and rules known.
            let flow_neutral = matches!(
                field,
                Some("az" | "name" | "description" | "image_id" | "instance_type")
            );
            if !flow_neutral {
                tainted.insert((kind.to_owned(), id.to_owned()));
            }
            // `!Select [i, !GetAZs …]` (a CloudFormation import writes the expression so):
            // the zone's name is unknown, but its place in the Region's list is not, so
            // which subnets share a zone is known and zone findings stand.
            let zone_by_index = field == Some("az") && u.expression.contains("GetAZs");
            if kind == "subnets" && (field.is_none() || (field == Some("az") && !zone_by_index)) {
                zone_unknown.insert(id.to_owned());
            }
        }
        let is = |kind: &str, id: &str| tainted.contains(&(kind.to_owned(), id.to_owned()));
        let lb_tainted = |lb: &str| {
            is("load_balancers", lb)
                || g.load_balancer(lb)
                    .is_some_and(|l| l.subnets.iter().any(|s| is("subnets", s.as_str())))
        };
        let instance_tainted = |i: &str| {
            is("instances", i)
                || g.instance(i).is_some_and(|inst| {
                    is("subnets", inst.subnet.as_str())
                        || inst
                            .security_groups
                            .iter()
                            .any(|s| is("security_groups", s.as_str()))
                })
        };
        let mut unsure = BTreeSet::new();
        let mut sure = BTreeSet::new();
        for check in cx.network().checks() {
            let Some(block) = &check.block else { continue };
            let subject = match &check.subject {
                Subject::SecurityGroups { owner, groups, .. } => {
                    groups.iter().any(|s| is("security_groups", s.as_str()))
                        || match owner {
                            Owner::Instance(i) => instance_tainted(i.as_str()),
                            Owner::LoadBalancer(l) => lb_tainted(l.as_str()),
                            Owner::VpcLink(l) => link_tainted(g, &is, l.as_str()),
                        }
                }
                Subject::NetworkAcl { subnet, acl, .. } => {
                    is("subnets", subnet.as_str()) || is("network_acls", acl.as_str())
                }
                Subject::Zone { load_balancer, .. } => lb_tainted(load_balancer.as_str()),
            };
            let party = match &check.party {
                Party::PrivateLinkClients => false,
                Party::PrivateLinkAssumedVpc { vpc } => is("vpcs", vpc.as_str()),
                Party::VpcLinkEnis { link } => link_tainted(g, &is, link.as_str()),
                Party::LoadBalancer { load_balancer } => lb_tainted(load_balancer.as_str()),
                Party::LoadBalancerNodes {
                    load_balancer,
                    subnets,
                } => {
                    lb_tainted(load_balancer.as_str())
                        || subnets.iter().any(|s| is("subnets", s.as_str()))
                }
                Party::Target {
                    target_group,
                    target,
                } => {
                    is("target_groups", target_group.as_str())
                        || instance_tainted(target)
                        || ip_in_tainted_subnet(g, &is, target)
                }
            };
            let set = if subject || party {
                &mut unsure
            } else {
                &mut sure
            };
            for traffic in [true, false] {
                if let Some(code) = rules::network::code_for(check.kind, traffic) {
                    set.insert((code, block.path.as_str().to_owned()));
                }
            }
        }

        // Zones: a load balancer or target group whose subnets' zones are unknown.
        let mut zones = BTreeSet::new();
        let zone_of_subnet = |s: &str| zone_unknown.contains(s);
        for (id, lb) in &g.topology.load_balancers {
            if lb.subnets.iter().any(|s| zone_of_subnet(s.as_str())) {
                zones.insert(("load_balancers".to_owned(), id.to_string()));
            }
        }
        for (id, tg) in &g.topology.target_groups {
            let lbs = g.load_balancers_of_target_group(id.as_str());
            let lb_unknown = lbs
                .iter()
                .any(|(_, lb)| lb.subnets.iter().any(|s| zone_of_subnet(s.as_str())));
            let target_unknown = tg.targets.iter().any(|t| {
                g.instance(&t.id)
                    .is_some_and(|i| zone_of_subnet(i.subnet.as_str()))
                    || subnet_of_ip(g, &t.id).is_some_and(&zone_of_subnet)
            });
            if lb_unknown || target_unknown || is("target_groups", id.as_str()) {
                zones.insert(("target_groups".to_owned(), id.to_string()));
                for (lb, _) in lbs {
                    zones.insert(("load_balancers".to_owned(), lb.to_string()));
                }
            }
        }
        let listeners = origin
            .unknowns
            .iter()
            .filter_map(|u| {
                let p = u.path.as_str();
                let (kind, id) = resource_of(p)?;
                (kind == "load_balancers" && under(p, &format!("/{kind}/{id}/listeners")))
                    .then(|| id.to_owned())
            })
            .collect();
        Uncertain {
            unsure,
            sure,
            zones,
            listeners,
        }
    }

    fn covers(&self, d: &Diagnostic) -> bool {
        let key = (d.code, d.path.as_str().to_owned());
        if self.unsure.contains(&key) && !self.sure.contains(&key) {
            return true;
        }
        if LISTENER_CODES.contains(&d.code) {
            // Its own listeners, or (for a target group) any load balancer's: a listener
            // outside the template may be the one that uses it.
            let own =
                d.resource.kind == "load_balancers" && self.listeners.contains(&d.resource.id);
            let any = d.resource.kind == "target_groups" && !self.listeners.is_empty();
            if own || any {
                return true;
            }
        }
        ZONE_CODES.contains(&d.code)
            && self
                .zones
                .contains(&(d.resource.kind.clone(), d.resource.id.clone()))
    }
}

fn link_tainted(g: &Graph<'_>, is: &impl Fn(&str, &str) -> bool, link: &str) -> bool {
    is("vpc_links", link)
        || g.vpc_link(link).is_some_and(|l| {
            l.subnets.iter().any(|s| is("subnets", s.as_str()))
                || l.security_groups
                    .iter()
                    .any(|s| is("security_groups", s.as_str()))
        })
}

/// The subnet whose block holds an ip target's address.
fn subnet_of_ip<'t>(g: &Graph<'t>, target: &str) -> Option<&'t str> {
    let ip: crate::model::IpAddress = target.parse().ok()?;
    let cidr = ip.as_cidr();
    g.topology
        .subnets
        .iter()
        .find(|(_, s)| s.cidr.contains(&cidr))
        .map(|(id, _)| id.as_str())
}

fn ip_in_tainted_subnet(g: &Graph<'_>, is: &impl Fn(&str, &str) -> bool, target: &str) -> bool {
    subnet_of_ip(g, target).is_some_and(|s| is("subnets", s))
}

/// Sets each finding's `source` from the longest `origin.sources` key that holds its path,
/// naming the imported file when the location does not name one, so every runtime can
/// print `file:line:column`.
fn locate(mut report: Report, origin: &Origin) -> Report {
    for d in &mut report.diagnostics {
        d.source = source_for(d.path.as_str(), &origin.sources).map(|mut loc| {
            if loc.file.is_none() {
                loc.file.clone_from(&origin.file);
            }
            loc
        });
    }
    report
}

fn source_for(path: &str, sources: &BTreeMap<String, SourceLocation>) -> Option<SourceLocation> {
    let mut best: Option<(&String, &SourceLocation)> = None;
    for (key, loc) in sources {
        if under(path, key) && best.is_none_or(|(b, _)| key.len() > b.len()) {
            best = Some((key, loc));
        }
    }
    best.map(|(_, loc)| loc.clone())
}

/// Every rule over an already resolved graph; analyses that need the rules' results too
/// (diagnosis) share the context, and with it the network evaluation.
pub fn run_rules(cx: &Context<'_, '_>) -> Report {
    let mut out = Vec::new();
    for rule in rules::all() {
        (rule.check)(cx, &mut out);
    }
    Report::new(out, true)
}

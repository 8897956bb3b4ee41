//! Builds the diagram (nested groups, nodes, edges with verdicts) and prints it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;
use crate::graph::ApiKind;
use crate::model::{Scheme, Topology};
use crate::reach::{HealthResult, HopKind, PathVerdict, ReachReport, Verdict};

use super::text::{comment, label, Ids};

const GREEN: &str = "stroke:#2e7d32,stroke-width:2px";
const RED: &str = "stroke:#c62828,stroke-width:2px,color:#c62828";
const AMBER: &str = "stroke:#ef6c00,stroke-width:2px,color:#ef6c00";
const GREY: &str = "stroke:#9e9e9e";

#[derive(Clone, Copy)]
enum Shape {
    Box,
    Hexagon,
    Stadium,
    Subroutine,
}

struct Node {
    id: String,
    shape: Shape,
    label: String,
    class: Option<&'static str>,
}

/// What the top level of the diagram holds, in the order it is written: APIs, VPC links,
/// VPCs, then what no VPC holds.
enum Item {
    Group(Group),
    Node(Node),
}

#[derive(Default)]
struct Group {
    id: String,
    label: String,
    nodes: Vec<Node>,
    groups: Vec<Group>,
}

#[derive(Default)]
struct Edge {
    from: String,
    to: String,
    /// Shown when no verdict label is (a target's port).
    text: Option<String>,
    reached: bool,
    blocked: Vec<&'static str>,
    unknown: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Health {
    Passes,
    NotChecked,
    Fails,
}

/// A target node's key: an instance of the topology, or another target of a target group.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum TargetKey {
    Instance(String),
    Other(String, String),
}

pub struct Diagram<'t> {
    t: &'t Topology,
    ids: Ids,
    routes: BTreeMap<(ApiKind, String, String), String>,
    links: BTreeMap<String, String>,
    lb_groups: BTreeMap<String, String>,
    listeners: BTreeMap<(String, u16), String>,
    /// Nodes standing for what a blocked path looked for in a load balancer and did not
    /// find: a listener port (`Some`) or a usable load balancer (`None`).
    missing: BTreeMap<(String, Option<u16>), String>,
    tgs: BTreeMap<String, String>,
    targets: BTreeMap<TargetKey, String>,
    health: BTreeMap<TargetKey, (Health, Option<String>)>,
    edges: Vec<Edge>,
    edge_at: HashMap<(String, String), usize>,
    notes: Vec<String>,
    summary: Option<String>,
}

impl<'t> Diagram<'t> {
    pub fn build(t: &'t Topology, reach: Result<&ReachReport, &Vec<Diagnostic>>) -> Self {
        let mut d = Diagram {
            t,
            ids: Ids::default(),
            routes: BTreeMap::new(),
            links: BTreeMap::new(),
            lb_groups: BTreeMap::new(),
            listeners: BTreeMap::new(),
            missing: BTreeMap::new(),
            tgs: BTreeMap::new(),
            targets: BTreeMap::new(),
            health: BTreeMap::new(),
            edges: Vec::new(),
            edge_at: HashMap::new(),
            notes: Vec::new(),
            summary: None,
        };
        d.allocate();
        match reach {
            Ok(report) => {
                let s = &report.summary;
                d.summary = Some(format!(
                    "reachability: {} paths, {} reachable, {} blocked, {} unknown; health checks: {} passing, {} failing, {} not run",
                    s.paths, s.reachable, s.blocked, s.unknown,
                    s.health_checks_passing, s.health_checks_failing, s.health_checks_not_run
                ));
                for p in &report.paths {
                    d.path(p);
                }
                d.health_checks(report);
            }
            Err(problems) => {
                d.summary = Some(format!(
                    "reachability not evaluated: {} reference problems; edges drawn from the references that resolve",
                    problems.len()
                ));
                for p in problems {
                    d.notes
                        .push(format!("{} {}: {}", p.code, p.path, p.message));
                }
            }
        }
        d.configured_edges();
        d
    }

    /// Ids for every resource, in topology order, so the same topology always gets the
    /// same ids whatever the verdicts.
    fn allocate(&mut self) {
        let t = self.t;
        for (kind, apis) in [
            (
                ApiKind::Rest,
                t.rest_apis
                    .iter()
                    .map(|(id, a)| (id, a.routes.iter().map(|(k, _)| k).collect::<Vec<_>>()))
                    .collect::<Vec<_>>(),
            ),
            (
                ApiKind::Http,
                t.http_apis
                    .iter()
                    .map(|(id, a)| (id, a.routes.iter().map(|(k, _)| k).collect::<Vec<_>>()))
                    .collect(),
            ),
        ] {
            for (api, keys) in apis {
                for key in keys {
                    let id = self.ids.allocate("route", &[api.as_str(), key.as_str()]);
                    self.routes
                        .insert((kind, api.to_string(), key.to_string()), id);
                }
            }
        }
        for (id, _) in &t.vpc_links {
            let n = self.ids.allocate("link", &[id.as_str()]);
            self.links.insert(id.to_string(), n);
        }
        for (id, lb) in &t.load_balancers {
            let g = self.ids.allocate("lb", &[id.as_str()]);
            self.lb_groups.insert(id.to_string(), g);
            for l in &lb.listeners {
                let key = (id.to_string(), l.port);
                if !self.listeners.contains_key(&key) {
                    let n = self
                        .ids
                        .allocate("listener", &[id.as_str(), &l.port.to_string()]);
                    self.listeners.insert(key, n);
                }
            }
        }
        for (id, tg) in &t.target_groups {
            let n = self.ids.allocate("tg", &[id.as_str()]);
            self.tgs.insert(id.to_string(), n);
            for target in &tg.targets {
                let key = self.target_key(id.as_str(), &target.id);
                if !self.targets.contains_key(&key) {
                    let n = match &key {
                        TargetKey::Instance(i) => self.ids.allocate("instance", &[i.as_str()]),
                        TargetKey::Other(g, i) => {
                            self.ids.allocate("target", &[g.as_str(), i.as_str()])
                        }
                    };
                    self.targets.insert(key, n);
                }
            }
        }
        for (id, _) in &t.instances {
            let key = TargetKey::Instance(id.to_string());
            if !self.targets.contains_key(&key) {
                let n = self.ids.allocate("instance", &[id.as_str()]);
                self.targets.insert(key, n);
            }
        }
    }

    fn target_key(&self, tg: &str, target: &str) -> TargetKey {
        let instance_target = self
            .t
            .target_groups
            .get(tg)
            .is_none_or(|g| g.target_type == crate::model::TargetType::Instance);
        if instance_target && self.t.instances.get(target).is_some() {
            TargetKey::Instance(target.to_owned())
        } else {
            TargetKey::Other(tg.to_owned(), target.to_owned())
        }
    }

    fn edge(&mut self, from: &str, to: &str) -> Option<&mut Edge> {
        let key = (from.to_owned(), to.to_owned());
        let i = match self.edge_at.get(&key) {
            Some(i) => *i,
            None => {
                self.edges.push(Edge {
                    from: key.0.clone(),
                    to: key.1.clone(),
                    ..Edge::default()
                });
                let i = self.edges.len() - 1;
                self.edge_at.insert(key, i);
                i
            }
        };
        self.edges.get_mut(i)
    }

    fn missing_node(&mut self, lb: &str, port: Option<u16>) -> String {
        let key = (lb.to_owned(), port);
        if let Some(n) = self.missing.get(&key) {
            return n.clone();
        }
        let part = port.map_or_else(|| "lb".to_owned(), |p| p.to_string());
        let n = self.ids.allocate("missing", &[lb, &part]);
        self.missing.insert(key, n.clone());
        n
    }

    /// One walked path: its nodes in order, then its edges marked up to its verdict.
    fn path(&mut self, p: &PathVerdict) {
        let mut chain = Vec::new();
        let route = self
            .routes
            .get(&(p.api_kind, p.api_id.clone(), p.route_key.clone()))
            .cloned();
        chain.extend(route);
        let link = p.vpc_link.as_ref().and_then(|l| self.links.get(l)).cloned();
        if chain.len() == 1 {
            chain.extend(link);
        }
        let blocked_at = last_hop(p);
        if chain.len() == 2 {
            if let Some(lb) = &p.load_balancer {
                let node = match p.listener_port {
                    Some(port) => match self.listeners.get(&(lb.clone(), port)) {
                        Some(n) => Some(n.clone()),
                        None => Some(self.missing_node(lb, Some(port))),
                    },
                    None if matches!(p.verdict, Verdict::Blocked(_))
                        && blocked_at == Some(HopKind::LoadBalancer) =>
                    {
                        Some(self.missing_node(lb, None))
                    }
                    None => None,
                };
                chain.extend(node);
            }
        }
        if chain.len() == 3 {
            chain.extend(
                p.target_group
                    .as_ref()
                    .and_then(|g| self.tgs.get(g))
                    .cloned(),
            );
        }
        if chain.len() == 4 {
            if let (Some(tg), Some(target)) = (&p.target_group, &p.target) {
                let key = self.target_key(tg, target);
                chain.extend(self.targets.get(&key).cloned());
            }
        }
        let pairs: Vec<(String, String)> = chain
            .windows(2)
            .filter_map(|w| match w {
                [a, b] => Some((a.clone(), b.clone())),
                _ => None,
            })
            .collect();
        let who = format!(
            "{} {} `{}` {}{}",
            p.api_kind.collection(),
            p.api_id,
            p.route_key,
            p.target
                .as_deref()
                .map(|t| format!("→ {t}"))
                .unwrap_or_default(),
            p.target_port.map(|p| format!(":{p}")).unwrap_or_default()
        );
        match &p.verdict {
            Verdict::Reachable => {
                for (a, b) in &pairs {
                    if let Some(e) = self.edge(a, b) {
                        e.reached = true;
                    }
                }
            }
            Verdict::Blocked(block) => {
                let at = blocked_at
                    .map_or(0, |k| block_edge(k, p.target.is_some()))
                    .min(pairs.len().saturating_sub(1));
                for (i, (a, b)) in pairs.iter().enumerate() {
                    if let Some(e) = self.edge(a, b) {
                        if i < at {
                            e.reached = true;
                        } else if i == at && !e.blocked.contains(&block.explanation_code) {
                            e.blocked.push(block.explanation_code);
                        }
                    }
                }
                self.notes.push(format!(
                    "blocked: {who}: {} at {}: {}",
                    block.explanation_code, block.path, block.explanation
                ));
            }
            Verdict::Unknown { reason } => {
                let last = pairs.len().saturating_sub(1);
                for (i, (a, b)) in pairs.iter().enumerate() {
                    if let Some(e) = self.edge(a, b) {
                        if i < last {
                            e.reached = true;
                        } else {
                            e.unknown = true;
                        }
                    }
                }
                self.notes.push(format!("unknown: {who}: {reason}"));
            }
        }
    }

    fn health_checks(&mut self, report: &ReachReport) {
        for h in &report.health_checks {
            let key = self.target_key(&h.target_group, &h.target);
            let (health, code) = match &h.result {
                HealthResult::Passes => (Health::Passes, None),
                HealthResult::NotChecked { .. } => (Health::NotChecked, None),
                HealthResult::Fails { reason_code, .. } => (Health::Fails, reason_code.clone()),
            };
            let entry = self.health.entry(key).or_insert((health, code.clone()));
            if health > entry.0 {
                *entry = (health, code);
            }
        }
    }

    /// Edges the topology configures, whether or not a path walked them: route → link,
    /// a REST link → its load balancer's listeners (only when no path left the link),
    /// listener → target group, target group → targets.
    fn configured_edges(&mut self) {
        let t = self.t;
        for (kind, api, key, link) in t
            .rest_apis
            .iter()
            .flat_map(|(a, api)| {
                api.routes
                    .iter()
                    .map(move |(k, r)| (ApiKind::Rest, a, k, &r.integration))
            })
            .chain(t.http_apis.iter().flat_map(|(a, api)| {
                api.routes
                    .iter()
                    .map(move |(k, r)| (ApiKind::Http, a, k, &r.integration))
            }))
            .filter_map(|(kind, a, k, i)| Some((kind, a, k, i.vpc_link.as_deref()?)))
        {
            let from = self.routes.get(&(kind, api.to_string(), key.to_string()));
            if let (Some(from), Some(to)) = (from.cloned(), self.links.get(link).cloned()) {
                self.edge(&from, &to);
            }
        }
        for (link_id, link) in &t.vpc_links {
            let Some(from) = self.links.get(link_id.as_str()).cloned() else {
                continue;
            };
            if self.edges.iter().any(|e| e.from == from && e.to != from) {
                continue;
            }
            for lb in &link.targets {
                let listeners: Vec<String> = self
                    .listeners
                    .range((lb.to_string(), 0)..=(lb.to_string(), u16::MAX))
                    .map(|(_, n)| n.clone())
                    .collect();
                for to in listeners {
                    self.edge(&from, &to);
                }
            }
        }
        for (lb_id, lb) in &t.load_balancers {
            for l in &lb.listeners {
                let from = self.listeners.get(&(lb_id.to_string(), l.port)).cloned();
                let to = self.tgs.get(l.forward.as_str()).cloned();
                if let (Some(from), Some(to)) = (from, to) {
                    self.edge(&from, &to);
                }
            }
        }
        for (tg_id, tg) in &t.target_groups {
            let Some(from) = self.tgs.get(tg_id.as_str()).cloned() else {
                continue;
            };
            for target in &tg.targets {
                let key = self.target_key(tg_id.as_str(), &target.id);
                let Some(to) = self.targets.get(&key).cloned() else {
                    continue;
                };
                let port = tg.target_port(target);
                if let Some(e) = self.edge(&from, &to) {
                    e.text.get_or_insert_with(|| format!(":{port}"));
                }
            }
        }
    }

    fn target_node(&self, key: &TargetKey, text: String) -> Option<Node> {
        let id = self.targets.get(key)?.clone();
        let (class, text) = match self.health.get(key) {
            Some((Health::Fails, code)) => (
                Some("unhealthy"),
                match code {
                    Some(c) => format!("{text} · {c}"),
                    None => format!("{text} · failing health checks"),
                },
            ),
            Some((Health::Passes, _)) => (Some("healthy"), text),
            Some((Health::NotChecked, _)) => (Some("unused"), format!("{text} · not checked")),
            None => (None, text),
        };
        Some(Node {
            id,
            shape: Shape::Box,
            label: text,
            class,
        })
    }

    fn items(&mut self) -> Vec<Item> {
        let t = self.t;
        let mut items = Vec::new();

        // APIs and their routes.
        let apis = t
            .rest_apis
            .iter()
            .map(|(id, a)| {
                let stages: Vec<&str> = a.stages.iter().map(|(k, _)| k.as_str()).collect();
                (ApiKind::Rest, "REST API", id, a.name.as_deref(), stages)
            })
            .chain(t.http_apis.iter().map(|(id, a)| {
                let stages: Vec<&str> = a.stages.iter().map(|(k, _)| k.as_str()).collect();
                (ApiKind::Http, "HTTP API", id, a.name.as_deref(), stages)
            }))
            .collect::<Vec<_>>();
        for (kind, word, id, name, stages) in apis {
            let mut text = format!("{word} {}", named(id.as_str(), name));
            if !stages.is_empty() {
                let _ = write!(text, " · stages: {}", stages.join(", "));
            }
            let mut g = Group {
                id: self.ids.allocate(
                    match kind {
                        ApiKind::Rest => "rest",
                        ApiKind::Http => "http",
                    },
                    &[id.as_str()],
                ),
                label: text,
                ..Group::default()
            };
            for ((k, api, key), node) in &self.routes {
                if *k == kind && api == id.as_str() {
                    g.nodes.push(Node {
                        id: node.clone(),
                        shape: Shape::Box,
                        label: key.clone(),
                        class: None,
                    });
                }
            }
            items.push(Item::Group(g));
        }

        for (id, link) in &t.vpc_links {
            if let Some(n) = self.links.get(id.as_str()) {
                let version = match link.version() {
                    crate::model::VpcLinkVersion::V1 => "VPC link",
                    crate::model::VpcLinkVersion::V2 => "VPC link (V2)",
                };
                items.push(Item::Node(Node {
                    id: n.clone(),
                    shape: Shape::Hexagon,
                    label: format!("{version} {}", named(id.as_str(), link.name.as_deref())),
                    class: None,
                }));
            }
        }

        // Every VPC named by the topology or by a reference to it.
        let mut vpcs: BTreeSet<&str> = t.vpcs.iter().map(|(k, _)| k.as_str()).collect();
        vpcs.extend(t.subnets.iter().map(|(_, s)| s.vpc.as_str()));
        vpcs.extend(t.target_groups.iter().map(|(_, g)| g.vpc.as_str()));
        let lb_vpc = |lb: &crate::model::LoadBalancer| -> Option<&str> {
            lb.subnets
                .iter()
                .find_map(|s| t.subnets.get(s.as_str()))
                .map(|s| s.vpc.as_str())
        };
        let mut placed_lbs = BTreeSet::new();
        let mut placed_instances = BTreeSet::new();
        let mut placed_others = BTreeSet::new();

        for vpc_id in vpcs {
            let label_text = match t.vpcs.get(vpc_id) {
                Some(v) => format!("VPC {} · {}", named(vpc_id, v.name.as_deref()), v.cidr),
                None => format!("VPC {vpc_id} (not in the topology)"),
            };
            let mut g = Group {
                id: self.ids.allocate("vpc", &[vpc_id]),
                label: label_text,
                ..Group::default()
            };
            for (lb_id, lb) in &t.load_balancers {
                if lb_vpc(lb) == Some(vpc_id) {
                    g.groups.push(self.lb_group(lb_id.as_str(), lb));
                    placed_lbs.insert(lb_id.as_str());
                }
            }
            for (tg_id, tg) in &t.target_groups {
                if tg.vpc.as_str() == vpc_id {
                    if let Some(n) = self.tgs.get(tg_id.as_str()) {
                        g.nodes.push(Node {
                            id: n.clone(),
                            shape: Shape::Subroutine,
                            label: format!(
                                "target group {} · {} {}",
                                named(tg_id.as_str(), tg.name.as_deref()),
                                tg.protocol.as_str(),
                                tg.port
                            ),
                            class: None,
                        });
                    }
                    for target in &tg.targets {
                        let key = self.target_key(tg_id.as_str(), &target.id);
                        if let TargetKey::Other(..) = key {
                            if placed_others.insert(key.clone()) {
                                g.nodes.extend(
                                    self.target_node(&key, format!("target {}", target.id)),
                                );
                            }
                        }
                    }
                }
            }
            let mut zones: BTreeMap<&str, Vec<(&str, &crate::model::Subnet)>> = BTreeMap::new();
            for (sid, s) in &t.subnets {
                if s.vpc.as_str() == vpc_id {
                    zones
                        .entry(s.az.as_str())
                        .or_default()
                        .push((sid.as_str(), s));
                }
            }
            for (az, subnets) in zones {
                let mut zg = Group {
                    id: self.ids.allocate("az", &[vpc_id, az]),
                    label: az.to_owned(),
                    ..Group::default()
                };
                for (sid, s) in subnets {
                    let mut sg = Group {
                        id: self.ids.allocate("subnet", &[sid]),
                        label: format!("subnet {} · {}", named(sid, s.name.as_deref()), s.cidr),
                        ..Group::default()
                    };
                    for (iid, inst) in &t.instances {
                        if inst.subnet.as_str() == sid {
                            let key = TargetKey::Instance(iid.to_string());
                            let mut text = named(iid.as_str(), inst.name.as_deref());
                            if let Some(ip) = &inst.private_ip {
                                let _ = write!(text, " · {ip}");
                            }
                            sg.nodes.extend(self.target_node(&key, text));
                            placed_instances.insert(iid.as_str());
                        }
                    }
                    zg.groups.push(sg);
                }
                g.groups.push(zg);
            }
            items.push(Item::Group(g));
        }

        // What no VPC holds: load balancers without a known subnet, instances whose
        // subnet is missing, targets of target groups whose VPC is missing.
        for (lb_id, lb) in &t.load_balancers {
            if !placed_lbs.contains(lb_id.as_str()) {
                items.push(Item::Group(self.lb_group(lb_id.as_str(), lb)));
            }
        }
        for (iid, inst) in &t.instances {
            if !placed_instances.contains(iid.as_str()) {
                let key = TargetKey::Instance(iid.to_string());
                if let Some(n) = self.target_node(&key, named(iid.as_str(), inst.name.as_deref())) {
                    items.push(Item::Node(n));
                }
            }
        }
        items
    }

    fn lb_group(&mut self, lb_id: &str, lb: &crate::model::LoadBalancer) -> Group {
        let kind = match lb.kind {
            crate::model::LoadBalancerType::Network => "NLB",
            crate::model::LoadBalancerType::Application => "ALB",
            crate::model::LoadBalancerType::Gateway => "GWLB",
        };
        let scheme = match lb.scheme {
            Scheme::Internal => "internal",
            Scheme::InternetFacing => "internet-facing",
        };
        let subnets: Vec<&str> = lb.subnets.iter().map(|s| s.as_str()).collect();
        let mut text = format!("{kind} {} · {scheme}", named(lb_id, lb.name.as_deref()));
        if !subnets.is_empty() {
            let _ = write!(text, " · subnets {}", subnets.join(", "));
        }
        let mut g = Group {
            id: self
                .lb_groups
                .get(lb_id)
                .cloned()
                .unwrap_or_else(|| self.ids.allocate("lb", &[lb_id])),
            label: text,
            ..Group::default()
        };
        let mut seen = BTreeSet::new();
        for l in &lb.listeners {
            if !seen.insert(l.port) {
                continue;
            }
            if let Some(n) = self.listeners.get(&(lb_id.to_owned(), l.port)) {
                g.nodes.push(Node {
                    id: n.clone(),
                    shape: Shape::Stadium,
                    label: format!("{} :{}", l.protocol.as_str(), l.port),
                    class: None,
                });
            }
        }
        for ((owner, port), n) in &self.missing {
            if owner == lb_id {
                g.nodes.push(Node {
                    id: n.clone(),
                    shape: Shape::Stadium,
                    label: match port {
                        Some(p) => format!("no TCP listener :{p}"),
                        None => format!("{kind} {lb_id} cannot serve this VPC link"),
                    },
                    class: Some("missing"),
                });
            }
        }
        g
    }

    pub fn render(mut self) -> String {
        let items = self.items();
        let mut out = String::from("flowchart LR\n");
        let _ = writeln!(
            out,
            "  %% Generated by vpclink {} from a {} topology.",
            crate::VERSION,
            comment(self.t.region.as_str())
        );
        if let Some(s) = &self.summary {
            let _ = writeln!(out, "  %% {}", comment(s));
        }
        for n in &self.notes {
            let _ = writeln!(out, "  %% {}", comment(n));
        }
        for item in &items {
            match item {
                Item::Group(g) => write_group(&mut out, g, 1),
                Item::Node(n) => write_node(&mut out, n, 1),
            }
        }
        let mut styles: [(Vec<usize>, &str); 4] = [
            (Vec::new(), GREEN),
            (Vec::new(), RED),
            (Vec::new(), AMBER),
            (Vec::new(), GREY),
        ];
        for (i, e) in self.edges.iter().enumerate() {
            let (arrow, text, style) = if !e.blocked.is_empty() {
                ("-->", Some(e.blocked.join(", ")), 1)
            } else if e.reached {
                ("-->", e.text.clone(), 0)
            } else if e.unknown {
                ("-.->", Some("unknown".to_owned()), 2)
            } else {
                ("-.->", e.text.clone(), 3)
            };
            match text {
                Some(t) => {
                    let _ = writeln!(out, "  {} {arrow}|{}| {}", e.from, label(&t), e.to);
                }
                None => {
                    let _ = writeln!(out, "  {} {arrow} {}", e.from, e.to);
                }
            }
            if let Some((list, _)) = styles.get_mut(style) {
                list.push(i);
            }
        }
        for (list, style) in &styles {
            if !list.is_empty() {
                let indices: Vec<String> = list.iter().map(usize::to_string).collect();
                let _ = writeln!(out, "  linkStyle {} {style}", indices.join(","));
            }
        }
        out.push_str(concat!(
            "  classDef healthy stroke:#2e7d32,stroke-width:2px\n",
            "  classDef unhealthy stroke:#c62828,stroke-width:3px\n",
            "  classDef unused stroke:#9e9e9e,stroke-dasharray:4 3\n",
            "  classDef missing stroke:#c62828,stroke-dasharray:4 3,color:#c62828\n",
        ));
        let mut classes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for item in &items {
            match item {
                Item::Group(g) => collect_classes(std::slice::from_ref(g), &[], &mut classes),
                Item::Node(n) => collect_classes(&[], std::slice::from_ref(n), &mut classes),
            }
        }
        for (class, ids) in classes {
            let _ = writeln!(out, "  class {} {class}", ids.join(","));
        }
        out
    }
}

fn collect_classes<'a>(
    groups: &'a [Group],
    nodes: &'a [Node],
    into: &mut BTreeMap<&'static str, Vec<&'a str>>,
) {
    for n in nodes {
        if let Some(c) = n.class {
            into.entry(c).or_default().push(&n.id);
        }
    }
    for g in groups {
        collect_classes(&g.groups, &g.nodes, into);
    }
}

fn write_node(out: &mut String, n: &Node, depth: usize) {
    let (open, close) = match n.shape {
        Shape::Box => ("[", "]"),
        Shape::Hexagon => ("{{", "}}"),
        Shape::Stadium => ("([", "])"),
        Shape::Subroutine => ("[[", "]]"),
    };
    let _ = writeln!(
        out,
        "{}{}{open}{}{close}",
        "  ".repeat(depth),
        n.id,
        label(&n.label)
    );
}

/// A group with members is a `subgraph`; an empty one is a plain node (Mermaid's layout
/// handles empty subgraphs poorly, and nothing has to point into it).
fn write_group(out: &mut String, g: &Group, depth: usize) {
    let pad = "  ".repeat(depth);
    if g.nodes.is_empty() && g.groups.is_empty() {
        write_node(
            out,
            &Node {
                id: g.id.clone(),
                shape: Shape::Box,
                label: g.label.clone(),
                class: None,
            },
            depth,
        );
        return;
    }
    let _ = writeln!(out, "{pad}subgraph {} [{}]", g.id, label(&g.label));
    for n in &g.nodes {
        write_node(out, n, depth + 1);
    }
    for sub in &g.groups {
        write_group(out, sub, depth + 1);
    }
    let _ = writeln!(out, "{pad}end");
}

fn named(id: &str, name: Option<&str>) -> String {
    match name {
        Some(n) if n != id => format!("{id} ({n})"),
        _ => id.to_owned(),
    }
}

fn last_hop(p: &PathVerdict) -> Option<HopKind> {
    p.hops.last().map(|h| h.kind)
}

/// Which edge of route → link → listener → target group → target a block stops:
/// 0 the link itself, 1 entering the load balancer, 2 the target group, 3 the target.
fn block_edge(kind: HopKind, reached_target: bool) -> usize {
    match kind {
        HopKind::Route | HopKind::VpcLink => 0,
        HopKind::LoadBalancer
        | HopKind::Listener
        | HopKind::VpcLinkSecurityGroupEgress
        | HopKind::LoadBalancerSecurityGroupPrivateLink
        | HopKind::LoadBalancerSecurityGroupIngress
        | HopKind::LoadBalancerSubnetInbound
        | HopKind::LoadBalancerSubnetOutboundReturn => 1,
        HopKind::TargetGroup if !reached_target => 2,
        HopKind::TargetGroup
        | HopKind::Target
        | HopKind::LoadBalancerSecurityGroupEgress
        | HopKind::TargetSecurityGroupIngress
        | HopKind::LoadBalancerSubnetOutbound
        | HopKind::LoadBalancerSubnetInboundReturn
        | HopKind::TargetSubnetInbound
        | HopKind::TargetSubnetOutboundReturn
        | HopKind::AvailabilityZone => 3,
    }
}

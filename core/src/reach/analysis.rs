//! Every flow of the topology, evaluated once: API Gateway → load balancer → target for
//! each listener and each way in (V1 PrivateLink, V2 link ENIs), and load balancer →
//! target health checks. Identical evaluations (same groups or ACL, same peer, same ports)
//! are shared, so the work grows with distinct checks rather than with flows × rules, and
//! the network rules report each distinct problem once.
//!
//! See the module documentation of `reach` for the assumptions behind each flow.

use std::collections::BTreeMap;

// Keys are the topology's own ids and small enums: a fast hasher, with a fixed seed so
// runs are reproducible. Hash flooding is not a concern for a model the user supplies.
use rustc_hash::FxHashMap as HashMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::ResourceRef;
use crate::graph::{Graph, TargetAt};
use crate::model::{
    Az, Cidr, Id, IpAddress, IpProtocol, LbProtocol, LoadBalancer, LoadBalancerType, PortRange,
    Subnet, TargetGroup, TargetType, VpcLinkVersion,
};
use crate::net::nacl::{self, NaclBlocker, NaclVerdict};
use crate::net::sg::{self, Direction, Endpoint, SgVerdict};
use crate::net::Space;
use crate::pointer::JsonPointer;

/// One step of a path, as the report lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HopKind {
    Route,
    VpcLink,
    LoadBalancer,
    Listener,
    TargetGroup,
    Target,
    /// V2 link security groups, outbound to the load balancer.
    VpcLinkSecurityGroupEgress,
    /// Load balancer security groups enforcing inbound rules on PrivateLink traffic.
    LoadBalancerSecurityGroupPrivateLink,
    /// Load balancer security groups, inbound from a V2 link.
    LoadBalancerSecurityGroupIngress,
    /// Load balancer security groups, outbound to a target.
    LoadBalancerSecurityGroupEgress,
    /// Target security groups, inbound.
    TargetSecurityGroupIngress,
    /// Load balancer subnet ACL, inbound listener port from the source.
    LoadBalancerSubnetInbound,
    /// Load balancer subnet ACL, outbound responses to the source.
    LoadBalancerSubnetOutboundReturn,
    /// Load balancer subnet ACL, outbound to the target.
    LoadBalancerSubnetOutbound,
    /// Load balancer subnet ACL, inbound responses from the target.
    LoadBalancerSubnetInboundReturn,
    /// Target subnet ACL, inbound from the load balancer (or the link's ENIs).
    TargetSubnetInbound,
    /// Target subnet ACL, outbound responses.
    TargetSubnetOutboundReturn,
    /// The target's Availability Zone is enabled on the load balancer.
    AvailabilityZone,
}

impl HopKind {
    fn is_return(&self) -> bool {
        matches!(
            self,
            HopKind::LoadBalancerSubnetOutboundReturn
                | HopKind::LoadBalancerSubnetInboundReturn
                | HopKind::TargetSubnetOutboundReturn
        )
    }
}

/// How traffic enters the load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source<'t> {
    /// A V1 link: an endpoint service on the NLB, reached through PrivateLink.
    PrivateLink,
    /// A V2 link: ENIs in the link's subnets, with the link's security groups.
    Link(&'t Id),
}

/// What a group of security groups is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'t> {
    Instance(&'t Id),
    LoadBalancer(&'t Id),
    VpcLink(&'t Id),
}

/// The other end of a check, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party<'t> {
    /// API Gateway's PrivateLink endpoint: addresses unknown.
    PrivateLinkClients,
    /// The NLB VPC's CIDRs, assumed as the source of PrivateLink traffic for ACLs.
    PrivateLinkAssumedVpc {
        vpc: &'t Id,
    },
    VpcLinkEnis {
        link: &'t Id,
    },
    /// All nodes of a load balancer.
    LoadBalancer {
        load_balancer: &'t Id,
    },
    /// The nodes in `subnets` (empty: which nodes is unknown).
    LoadBalancerNodes {
        load_balancer: &'t Id,
        subnets: Vec<&'t Id>,
    },
    Target {
        target_group: &'t Id,
        target: &'t str,
    },
}

/// What is evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject<'t> {
    SecurityGroups {
        owner: Owner<'t>,
        groups: Vec<&'t Id>,
        direction: Direction,
    },
    NetworkAcl {
        subnet: &'t Id,
        acl: &'t Id,
        direction: Direction,
    },
    Zone {
        load_balancer: &'t Id,
        zone: &'t Az,
    },
}

/// What stopped a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    SecurityGroups,
    NetworkAcl(NaclBlocker),
    Zone,
}

/// A check that blocks, with everything a report or a rule needs to say so.
#[derive(Debug, Clone)]
pub struct Blocked {
    pub blocker: Blocker,
    /// The resource that blocks: the (first) security group, the ACL, the load balancer.
    pub component: ResourceRef,
    /// JSON Pointer of the blocking entry, or of the rule list that lacks an allow.
    pub path: JsonPointer,
    /// Reachability Analyzer explanation code.
    pub explanation_code: &'static str,
    /// One sentence: what blocks what.
    pub explanation: String,
    /// The part of the flow that is blocked.
    pub blocked: Space,
    /// The rule that reports this block, when it is not the one its hop kind implies.
    pub rule: Option<&'static str>,
}

/// The first flow that needed a check, named in messages.
#[derive(Debug, Clone, Copy)]
pub struct Witness<'t> {
    pub load_balancer: &'t Id,
    pub target_group: Option<&'t Id>,
    pub target: Option<&'t str>,
    pub link: Option<&'t Id>,
}

/// One distinct evaluation.
#[derive(Debug, Clone)]
pub struct Check<'t> {
    pub kind: HopKind,
    /// Needed by request traffic.
    pub traffic: bool,
    /// Needed by health checks.
    pub health: bool,
    pub protocol: IpProtocol,
    pub ports: PortRange,
    pub subject: Subject<'t>,
    pub party: Party<'t>,
    pub endpoint: Endpoint<'t>,
    pub block: Option<Blocked>,
    pub witness: Witness<'t>,
    /// How many flows use this check.
    pub flows: usize,
}

impl Check<'_> {
    /// The resource evaluated.
    pub fn component(&self) -> ResourceRef {
        match &self.subject {
            Subject::SecurityGroups { groups, owner, .. } => match groups.first() {
                Some(g) => ResourceRef::new("security_groups", g),
                None => owner_ref(owner),
            },
            Subject::NetworkAcl { acl, .. } => ResourceRef::new("network_acls", acl),
            Subject::Zone { load_balancer, .. } => {
                ResourceRef::new("load_balancers", load_balancer)
            }
        }
    }
    /// Where the evaluated rules live.
    pub fn path(&self) -> JsonPointer {
        if let Some(b) = &self.block {
            return b.path.clone();
        }
        match &self.subject {
            Subject::SecurityGroups {
                groups, direction, ..
            } => match groups.first() {
                Some(g) => JsonPointer::resource("security_groups", g).key(direction.key()),
                None => JsonPointer::root(),
            },
            Subject::NetworkAcl { acl, direction, .. } => {
                JsonPointer::resource("network_acls", acl).key(direction.key())
            }
            Subject::Zone { load_balancer, .. } => {
                JsonPointer::resource("load_balancers", load_balancer).key("subnets")
            }
        }
    }
}

fn owner_ref(owner: &Owner<'_>) -> ResourceRef {
    match owner {
        Owner::Instance(i) => ResourceRef::new("instances", i),
        Owner::LoadBalancer(l) => ResourceRef::new("load_balancers", l),
        Owner::VpcLink(l) => ResourceRef::new("vpc_links", l),
    }
}

/// The checks of one flow, in walk order.
#[derive(Debug, Clone, Default)]
pub struct Flow {
    pub steps: Vec<usize>,
}

/// Every evaluated flow of a topology. Built once per check and shared by the network
/// rules and the reachability report, so the two always agree.
#[derive(Debug, Default)]
pub struct NetworkAnalysis<'t> {
    checks: Vec<Check<'t>>,
    flows: Vec<Flow>,
    data: HashMap<DataKey<'t>, usize>,
    health: HashMap<HealthKey<'t>, usize>,
}

type DataKey<'t> = (Source<'t>, &'t str, usize, &'t str, usize);
type HealthKey<'t> = (&'t str, &'t str, usize);

impl<'t> NetworkAnalysis<'t> {
    pub fn compute(graph: &Graph<'t>) -> Self {
        let mut b = Builder::new(graph);
        b.run();
        b.out
    }

    /// Every distinct check, in the order first needed.
    pub fn checks(&self) -> &[Check<'t>] {
        &self.checks
    }

    pub fn check(&self, id: usize) -> Option<&Check<'t>> {
        self.checks.get(id)
    }

    /// The request flow entering `load_balancer` from `source` through listener number
    /// `listener` to the target at `target_index` of `target_group`.
    pub fn data_flow(
        &self,
        source: Source<'t>,
        load_balancer: &str,
        listener: usize,
        target_group: &str,
        target_index: usize,
    ) -> Option<&Flow> {
        self.data
            .get(&(source, load_balancer, listener, target_group, target_index))
            .copied()
            .and_then(|i| self.flows.get(i))
    }

    /// Health checks from `load_balancer` to the target at `target_index` of `target_group`.
    pub fn health_flow(
        &self,
        load_balancer: &str,
        target_group: &str,
        target_index: usize,
    ) -> Option<&Flow> {
        self.health
            .get(&(load_balancer, target_group, target_index))
            .copied()
            .and_then(|i| self.flows.get(i))
    }

    /// The first blocking check of a flow.
    pub fn first_block(&self, flow: &Flow) -> Option<&Check<'t>> {
        flow.steps
            .iter()
            .filter_map(|i| self.checks.get(*i))
            .find(|c| c.block.is_some())
    }

    /// The network rule that reports the same block as `check`.
    pub fn rule_code(&self, check: &Check<'_>) -> Option<&'static str> {
        match check.block.as_ref().and_then(|b| b.rule) {
            Some(code) => Some(code),
            None => crate::rules::network::code_for(check.kind, check.traffic),
        }
    }
}

/// What a target looks like to the network.
struct TargetInfo<'t> {
    id: &'t str,
    subnet: Option<(&'t Id, &'t Subnet)>,
    addrs: Option<Vec<Cidr>>,
    groups: Option<Vec<&'t Id>>,
    instance: Option<&'t Id>,
    zone: Option<&'t Az>,
}

struct LbInfo<'t> {
    id: &'t Id,
    lb: &'t LoadBalancer,
    subnets: Vec<(&'t Id, &'t Subnet)>,
    vpc: Option<&'t Id>,
    groups: Vec<&'t Id>,
}

impl<'t> LbInfo<'t> {
    fn cidrs(&self) -> Vec<Cidr> {
        self.subnets.iter().map(|(_, s)| s.cidr).collect()
    }
}

/// Whom the target sees as the sender.
#[derive(Clone, Copy)]
enum SeenFrom<'t> {
    Nodes,
    LinkEnis(&'t Id),
}

#[derive(Clone, Copy)]
enum Purpose {
    Traffic,
    Health,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key<'t> {
    Sg {
        kind: HopKind,
        groups: Vec<&'t Id>,
        direction: Direction,
        peer: Endpoint<'t>,
        protocol: IpProtocol,
        ports: PortRange,
    },
    Nacl {
        kind: HopKind,
        subnet: &'t Id,
        peers: Vec<Cidr>,
        protocol: IpProtocol,
        ports: PortRange,
    },
    Zone {
        load_balancer: &'t Id,
        zone: &'t Az,
    },
}

struct Builder<'g, 't> {
    graph: &'g Graph<'t>,
    out: NetworkAnalysis<'t>,
    index: HashMap<Key<'t>, usize>,
    /// Per VPC, subnets sorted by first address, to place ip targets.
    subnet_lines: HashMap<&'t str, Vec<(u128, u128, &'t Id, &'t Subnet)>>,
}

fn protocol_of(p: LbProtocol) -> IpProtocol {
    match p {
        LbProtocol::Udp => IpProtocol::Udp,
        _ => IpProtocol::Tcp,
    }
}

fn ip_of(s: &str) -> Option<Cidr> {
    s.parse::<IpAddress>().ok().map(|ip| ip.as_cidr())
}

impl<'g, 't> Builder<'g, 't> {
    /// Where a V2 link's traffic comes from: its ENIs' security groups and subnet CIDRs.
    fn link_enis(&self, link_id: &Id) -> (Vec<&'t Id>, Vec<Cidr>) {
        let Some(link) = self.graph.vpc_link(link_id.as_str()) else {
            return (Vec::new(), Vec::new());
        };
        let groups = link.security_groups.iter().collect();
        let cidrs = link
            .subnets
            .iter()
            .filter_map(|s| self.graph.subnet(s.as_str()).map(|s| s.cidr))
            .collect();
        (groups, cidrs)
    }

    fn new(graph: &'g Graph<'t>) -> Self {
        Builder {
            graph,
            out: NetworkAnalysis::default(),
            index: HashMap::default(),
            subnet_lines: HashMap::default(),
        }
    }

    fn run(&mut self) {
        let graph = self.graph;
        let t = graph.topology;

        // Ways into each load balancer, from the links and the routes that use them.
        let mut sources: BTreeMap<&'t str, Vec<Source<'t>>> = BTreeMap::new();
        for (lb_id, _) in &t.load_balancers {
            let v1 = graph.links_targeting(lb_id.as_str()).iter().any(|l| {
                graph
                    .vpc_link(l.as_str())
                    .is_some_and(|l| l.version() == VpcLinkVersion::V1)
            });
            if v1 {
                sources
                    .entry(lb_id.as_str())
                    .or_default()
                    .push(Source::PrivateLink);
            }
        }
        for integ in graph.integrations() {
            let Some(target) = &integ.integration.target else {
                continue;
            };
            for link_id in &integ.links {
                let v2 = graph
                    .vpc_link(link_id.as_str())
                    .is_some_and(|l| l.version() == VpcLinkVersion::V2);
                if v2 {
                    sources
                        .entry(target.load_balancer.as_str())
                        .or_default()
                        .push(Source::Link(link_id));
                }
            }
        }
        for list in sources.values_mut() {
            list.sort();
            list.dedup();
        }

        let mut lbs: BTreeMap<&'t str, LbInfo<'t>> = BTreeMap::new();
        for (id, lb) in &t.load_balancers {
            lbs.insert(id.as_str(), self.lb_info(id, lb));
        }

        // Request traffic.
        for (lb_id, srcs) in &sources {
            let Some(lbi) = lbs.get(lb_id) else { continue };
            for (li, listener) in lbi.lb.listeners.iter().enumerate() {
                let Some((tg_id, tg)) = t.target_groups.get_key_value(listener.forward.as_str())
                else {
                    continue;
                };
                let targets = graph.targets_of(tg_id.as_str());
                let infos: Vec<Option<TargetInfo<'t>>> =
                    targets.iter().map(|ta| self.target_info(tg, ta)).collect();
                for src in srcs {
                    for (ta, info) in targets.iter().zip(&infos) {
                        let flow = self.data_flow(
                            *src,
                            lbi,
                            protocol_of(listener.protocol),
                            listener.port,
                            tg_id,
                            tg,
                            ta,
                            info.as_ref(),
                        );
                        let fid = self.push_flow(flow);
                        self.out
                            .data
                            .insert((*src, lbi.id.as_str(), li, tg_id.as_str(), ta.index), fid);
                    }
                }
            }
        }

        // Health checks, from every load balancer the target group sits behind.
        for (tg_id, tg) in &t.target_groups {
            let behind = graph.load_balancers_of_target_group(tg_id.as_str());
            if behind.is_empty() {
                continue;
            }
            let targets = graph.targets_of(tg_id.as_str());
            for ta in targets {
                let info = self.target_info(tg, ta);
                for (lb_id, _) in &behind {
                    let Some(lbi) = lbs.get(lb_id.as_str()) else {
                        continue;
                    };
                    let mut steps = Vec::new();
                    let witness = Witness {
                        load_balancer: lbi.id,
                        target_group: Some(tg_id),
                        target: Some(ta.target.id.as_str()),
                        link: None,
                    };
                    let port = tg.health_check.port_for(ta.port);
                    self.target_side(
                        &mut steps,
                        lbi,
                        tg,
                        tg_id,
                        info.as_ref(),
                        IpProtocol::Tcp,
                        port,
                        SeenFrom::Nodes,
                        Purpose::Health,
                        witness,
                    );
                    let fid = self.push_flow(Flow { steps });
                    self.out
                        .health
                        .insert((lbi.id.as_str(), tg_id.as_str(), ta.index), fid);
                }
            }
        }
    }

    fn push_flow(&mut self, flow: Flow) -> usize {
        self.out.flows.push(flow);
        self.out.flows.len() - 1
    }

    fn lb_info(&self, id: &'t Id, lb: &'t LoadBalancer) -> LbInfo<'t> {
        let t = self.graph.topology;
        let subnets: Vec<(&'t Id, &'t Subnet)> = lb
            .subnets
            .iter()
            .filter_map(|s| t.subnets.get_key_value(s.as_str()))
            .collect();
        LbInfo {
            id,
            lb,
            vpc: subnets.first().map(|(_, s)| &s.vpc),
            subnets,
            groups: lb.security_groups.iter().collect(),
        }
    }

    fn subnet_containing(&mut self, vpc: &'t Id, addr: &Cidr) -> Option<(&'t Id, &'t Subnet)> {
        let t = self.graph.topology;
        let graph = self.graph;
        let line = self.subnet_lines.entry(vpc.as_str()).or_insert_with(|| {
            let mut line: Vec<_> = graph
                .subnets_of_vpc(vpc.as_str())
                .iter()
                .filter_map(|id| t.subnets.get_key_value(id.as_str()))
                .map(|(id, s)| {
                    let (a, b) = s.cidr.bounds();
                    (a, b, id, s)
                })
                .collect();
            line.sort_by_key(|(a, b, _, _)| (*a, *b));
            line
        });
        let (first, _) = addr.bounds();
        let pos = line.partition_point(|(a, _, _, _)| *a <= first);
        let (a, b, id, s) = line.get(pos.checked_sub(1)?)?;
        (*a <= first && first <= *b).then_some((*id, *s))
    }

    fn target_info(&mut self, tg: &'t TargetGroup, ta: &TargetAt<'t>) -> Option<TargetInfo<'t>> {
        let t = self.graph.topology;
        match tg.target_type {
            TargetType::Instance => {
                let (inst_id, inst) = ta.instance?;
                let subnet = t.subnets.get_key_value(inst.subnet.as_str());
                let addrs = match (&inst.private_ip, subnet) {
                    (Some(ip), _) => Some(vec![ip.as_cidr()]),
                    (None, Some((_, s))) => Some(vec![s.cidr]),
                    (None, None) => None,
                };
                Some(TargetInfo {
                    id: ta.target.id.as_str(),
                    subnet,
                    addrs,
                    groups: Some(inst.security_groups.iter().collect()),
                    instance: Some(inst_id),
                    zone: subnet.map(|(_, s)| &s.az),
                })
            }
            TargetType::Ip => {
                let addr = ip_of(&ta.target.id)?;
                let subnet = self.subnet_containing(&tg.vpc, &addr);
                Some(TargetInfo {
                    id: ta.target.id.as_str(),
                    subnet,
                    addrs: Some(vec![addr]),
                    groups: None,
                    instance: None,
                    zone: ta.target.az.as_ref().or(subnet.map(|(_, s)| &s.az)),
                })
            }
            // An ALB behind an NLB, or a Lambda function: not modelled at the network level.
            TargetType::Alb | TargetType::Lambda => None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn data_flow(
        &mut self,
        src: Source<'t>,
        lbi: &LbInfo<'t>,
        protocol: IpProtocol,
        listener_port: u16,
        tg_id: &'t Id,
        tg: &'t TargetGroup,
        ta: &TargetAt<'t>,
        info: Option<&TargetInfo<'t>>,
    ) -> Flow {
        let t = self.graph.topology;
        let mut steps = Vec::new();
        let port = PortRange::single(listener_port);
        let witness = Witness {
            load_balancer: lbi.id,
            target_group: Some(tg_id),
            target: Some(ta.target.id.as_str()),
            link: match src {
                Source::Link(l) => Some(l),
                Source::PrivateLink => None,
            },
        };
        let traffic = Purpose::Traffic;
        let lb_party = Party::LoadBalancer {
            load_balancer: lbi.id,
        };
        let (source_party, source_addrs, seen) = match src {
            Source::PrivateLink => {
                if lbi.lb.enforces_privatelink_inbound() {
                    let anywhere: Vec<Cidr> = "0.0.0.0/0".parse().into_iter().collect();
                    self.push_sg(
                        &mut steps,
                        HopKind::LoadBalancerSecurityGroupPrivateLink,
                        Owner::LoadBalancer(lbi.id),
                        &lbi.groups,
                        Direction::Ingress,
                        Party::PrivateLinkClients,
                        Endpoint::new(anywhere, Vec::new()),
                        protocol,
                        port,
                        traffic,
                        witness,
                    );
                }
                let vpc_cidrs: Vec<Cidr> = lbi
                    .vpc
                    .and_then(|v| t.vpcs.get(v.as_str()))
                    .map(|v| {
                        std::iter::once(v.cidr)
                            .chain(v.secondary_cidrs.iter().copied())
                            .collect()
                    })
                    .unwrap_or_default();
                let party = match lbi.vpc {
                    Some(vpc) => Party::PrivateLinkAssumedVpc { vpc },
                    None => Party::PrivateLinkClients,
                };
                (party, vpc_cidrs, SeenFrom::Nodes)
            }
            Source::Link(link_id) => {
                let (link_groups, link_cidrs) = self.link_enis(link_id);
                let lb_endpoint = Endpoint::new(lbi.cidrs(), lbi.groups.clone());
                self.push_sg(
                    &mut steps,
                    HopKind::VpcLinkSecurityGroupEgress,
                    Owner::VpcLink(link_id),
                    &link_groups,
                    Direction::Egress,
                    lb_party.clone(),
                    lb_endpoint,
                    protocol,
                    port,
                    traffic,
                    witness,
                );
                self.push_sg(
                    &mut steps,
                    HopKind::LoadBalancerSecurityGroupIngress,
                    Owner::LoadBalancer(lbi.id),
                    &lbi.groups,
                    Direction::Ingress,
                    Party::VpcLinkEnis { link: link_id },
                    Endpoint::new(link_cidrs.clone(), link_groups),
                    protocol,
                    port,
                    traffic,
                    witness,
                );
                let preserve = lbi.lb.kind == LoadBalancerType::Network && tg.preserves_client_ip();
                let seen = if preserve {
                    SeenFrom::LinkEnis(link_id)
                } else {
                    SeenFrom::Nodes
                };
                (Party::VpcLinkEnis { link: link_id }, link_cidrs, seen)
            }
        };
        for (sid, _) in &lbi.subnets {
            self.push_nacl(
                &mut steps,
                HopKind::LoadBalancerSubnetInbound,
                sid,
                Direction::Ingress,
                source_party.clone(),
                &source_addrs,
                protocol,
                port,
                traffic,
                witness,
            );
            self.push_nacl(
                &mut steps,
                HopKind::LoadBalancerSubnetOutboundReturn,
                sid,
                Direction::Egress,
                source_party.clone(),
                &source_addrs,
                protocol,
                PortRange::EPHEMERAL,
                traffic,
                witness,
            );
        }
        self.target_side(
            &mut steps, lbi, tg, tg_id, info, protocol, ta.port, seen, traffic, witness,
        );
        Flow { steps }
    }

    /// Load balancer → target: zone, NLB egress, target ingress, ACLs both ways.
    #[allow(clippy::too_many_arguments)]
    fn target_side(
        &mut self,
        steps: &mut Vec<usize>,
        lbi: &LbInfo<'t>,
        tg: &'t TargetGroup,
        tg_id: &'t Id,
        info: Option<&TargetInfo<'t>>,
        protocol: IpProtocol,
        target_port: u16,
        seen: SeenFrom<'t>,
        purpose: Purpose,
        witness: Witness<'t>,
    ) {
        let Some(ti) = info else { return };
        let cross_zone = tg.cross_zone_behind(lbi.lb);
        let port = PortRange::single(target_port);

        // Which nodes send: all of them with cross-zone, else the one in the target's zone.
        let sending: Option<Vec<(&'t Id, &'t Subnet)>> = match (cross_zone, ti.zone) {
            (true, _) => Some(lbi.subnets.clone()),
            (false, Some(zone)) => Some(
                lbi.subnets
                    .iter()
                    .filter(|(_, s)| &s.az == zone)
                    .copied()
                    .collect(),
            ),
            (false, None) => None,
        };
        if let Some(zone) = ti.zone {
            let enabled = lbi.subnets.iter().any(|(_, s)| &s.az == zone);
            // Gateway load balancers route by other means; VL214 leaves them alone too.
            let blocked =
                !enabled && !cross_zone && lbi.lb.kind != crate::model::LoadBalancerType::Gateway;
            self.push_zone(steps, lbi, zone, blocked, purpose, witness);
            if blocked {
                return;
            }
        }

        let target_party = Party::Target {
            target_group: tg_id,
            target: ti.id,
        };
        let target_endpoint = Endpoint {
            addrs: ti.addrs.clone(),
            groups: ti.groups.clone(),
        };
        self.push_sg(
            steps,
            HopKind::LoadBalancerSecurityGroupEgress,
            Owner::LoadBalancer(lbi.id),
            &lbi.groups,
            Direction::Egress,
            target_party.clone(),
            target_endpoint,
            protocol,
            port,
            purpose,
            witness,
        );

        let node_subnets: Vec<&'t Id> = sending
            .as_ref()
            .map(|s| s.iter().map(|(id, _)| *id).collect())
            .unwrap_or_default();
        let node_cidrs: Option<Vec<Cidr>> = sending
            .as_ref()
            .map(|s| s.iter().map(|(_, s)| s.cidr).collect());
        let (seen_party, seen_endpoint) = match seen {
            SeenFrom::Nodes => (
                Party::LoadBalancerNodes {
                    load_balancer: lbi.id,
                    subnets: node_subnets,
                },
                Endpoint {
                    addrs: node_cidrs,
                    groups: Some(lbi.groups.clone()),
                },
            ),
            SeenFrom::LinkEnis(link_id) => {
                let (groups, cidrs) = self.link_enis(link_id);
                (
                    Party::VpcLinkEnis { link: link_id },
                    Endpoint::new(cidrs, groups),
                )
            }
        };
        if let (Some(instance), Some(groups)) = (ti.instance, &ti.groups) {
            self.push_sg(
                steps,
                HopKind::TargetSecurityGroupIngress,
                Owner::Instance(instance),
                groups,
                Direction::Ingress,
                seen_party.clone(),
                seen_endpoint.clone(),
                protocol,
                port,
                purpose,
                witness,
            );
        }

        if let (Some(sending), Some(addrs)) = (&sending, &ti.addrs) {
            for (sid, _) in sending {
                self.push_nacl(
                    steps,
                    HopKind::LoadBalancerSubnetOutbound,
                    sid,
                    Direction::Egress,
                    target_party.clone(),
                    addrs,
                    protocol,
                    port,
                    purpose,
                    witness,
                );
                self.push_nacl(
                    steps,
                    HopKind::LoadBalancerSubnetInboundReturn,
                    sid,
                    Direction::Ingress,
                    target_party.clone(),
                    addrs,
                    protocol,
                    PortRange::EPHEMERAL,
                    purpose,
                    witness,
                );
            }
        }
        if let (Some((subnet_id, _)), Some(addrs)) = (ti.subnet, &seen_endpoint.addrs) {
            self.push_nacl(
                steps,
                HopKind::TargetSubnetInbound,
                subnet_id,
                Direction::Ingress,
                seen_party.clone(),
                addrs,
                protocol,
                port,
                purpose,
                witness,
            );
            self.push_nacl(
                steps,
                HopKind::TargetSubnetOutboundReturn,
                subnet_id,
                Direction::Egress,
                seen_party,
                addrs,
                protocol,
                PortRange::EPHEMERAL,
                purpose,
                witness,
            );
        }
    }

    /// Records a use of the check under `key`, or builds it with `make`.
    fn record(
        &mut self,
        key: Key<'t>,
        purpose: Purpose,
        make: impl FnOnce(&Self) -> Check<'t>,
    ) -> usize {
        let id = match self.index.get(&key) {
            Some(id) => *id,
            None => {
                let check = make(self);
                self.out.checks.push(check);
                let id = self.out.checks.len() - 1;
                self.index.insert(key, id);
                id
            }
        };
        if let Some(c) = self.out.checks.get_mut(id) {
            c.flows += 1;
            match purpose {
                Purpose::Traffic => c.traffic = true,
                Purpose::Health => c.health = true,
            }
        }
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn push_sg(
        &mut self,
        steps: &mut Vec<usize>,
        kind: HopKind,
        owner: Owner<'t>,
        groups: &[&'t Id],
        direction: Direction,
        party: Party<'t>,
        peer: Endpoint<'t>,
        protocol: IpProtocol,
        ports: PortRange,
        purpose: Purpose,
        witness: Witness<'t>,
    ) {
        // No modelled groups: nothing to evaluate (an NLB without groups has none; other
        // interfaces would carry the VPC's unmodelled default group).
        if groups.is_empty() {
            return;
        }
        let mut sorted = groups.to_vec();
        sorted.sort();
        sorted.dedup();
        let key = Key::Sg {
            kind,
            groups: sorted,
            direction,
            peer: peer.clone(),
            protocol,
            ports,
        };
        let groups = groups.to_vec();
        let id = self.record(key, purpose, move |b| {
            let resolved = groups
                .iter()
                .filter_map(|g| b.graph.security_group(g.as_str()));
            let verdict = sg::evaluate(resolved, direction, &peer, protocol, ports);
            let block = match verdict {
                SgVerdict::Allowed => None,
                SgVerdict::Blocked { uncovered } => {
                    let first = groups.first().copied();
                    let (component, path) = match (kind, owner) {
                        // The setting that makes the groups apply is what to change (VL304).
                        (
                            HopKind::LoadBalancerSecurityGroupPrivateLink,
                            Owner::LoadBalancer(lb),
                        ) => (
                            ResourceRef::new("load_balancers", lb),
                            JsonPointer::resource("load_balancers", lb)
                                .key("enforce_inbound_rules_on_privatelink"),
                        ),
                        _ => (
                            first
                                .map(|g| ResourceRef::new("security_groups", g))
                                .unwrap_or_else(|| owner_ref(&owner)),
                            first
                                .map(|g| {
                                    JsonPointer::resource("security_groups", g).key(direction.key())
                                })
                                .unwrap_or_default(),
                        ),
                    };
                    Some(Blocked {
                        blocker: Blocker::SecurityGroups,
                        component,
                        path,
                        explanation_code: "ENI_SG_RULES_MISMATCH",
                        explanation: sg_sentence(
                            kind,
                            &owner,
                            &groups,
                            direction,
                            &party,
                            &peer,
                            protocol,
                            ports,
                            &uncovered.first().map(|s| s.addresses()).unwrap_or_default(),
                        ),
                        blocked: uncovered,
                        rule: None,
                    })
                }
            };
            Check {
                kind,
                traffic: false,
                health: false,
                protocol,
                ports,
                subject: Subject::SecurityGroups {
                    owner,
                    groups,
                    direction,
                },
                party,
                endpoint: peer,
                block,
                witness,
                flows: 0,
            }
        });
        steps.push(id);
    }

    #[allow(clippy::too_many_arguments)]
    fn push_nacl(
        &mut self,
        steps: &mut Vec<usize>,
        kind: HopKind,
        subnet_id: &'t Id,
        direction: Direction,
        party: Party<'t>,
        peers: &[Cidr],
        protocol: IpProtocol,
        ports: PortRange,
        purpose: Purpose,
        witness: Witness<'t>,
    ) {
        let Some((acl_id, acl)) = self.graph.acl_of_subnet(subnet_id.as_str()) else {
            return;
        };
        let Some(subnet) = self.graph.subnet(subnet_id.as_str()) else {
            return;
        };
        if peers.is_empty() {
            return;
        }
        let key = Key::Nacl {
            kind,
            subnet: subnet_id,
            peers: peers.to_vec(),
            protocol,
            ports,
        };
        let peers = peers.to_vec();
        let id = self.record(key, purpose, move |_| {
            let verdict =
                nacl::evaluate_subnet(Some(acl), direction, &subnet.cidr, &peers, protocol, ports);
            let block = match verdict {
                NaclVerdict::Allowed => None,
                NaclVerdict::Blocked { by, blocked } => {
                    let list = JsonPointer::resource("network_acls", acl_id).key(direction.key());
                    let path = match by {
                        NaclBlocker::Entry { index, .. } => list.index(index),
                        NaclBlocker::ImplicitDeny => list,
                    };
                    let addrs = blocked.first().map(|s| s.addresses()).unwrap_or_default();
                    Some(Blocked {
                        blocker: Blocker::NetworkAcl(by),
                        component: ResourceRef::new("network_acls", acl_id),
                        path,
                        explanation_code: "SUBNET_ACL_RESTRICTION",
                        explanation: nacl_sentence(
                            kind, acl_id, subnet_id, direction, &party, protocol, ports, &addrs, by,
                        ),
                        blocked,
                        rule: None,
                    })
                }
            };
            Check {
                kind,
                traffic: false,
                health: false,
                protocol,
                ports,
                subject: Subject::NetworkAcl {
                    subnet: subnet_id,
                    acl: acl_id,
                    direction,
                },
                party,
                endpoint: Endpoint {
                    addrs: Some(peers),
                    groups: None,
                },
                block,
                witness,
                flows: 0,
            }
        });
        steps.push(id);
    }

    #[allow(clippy::too_many_arguments)]
    fn push_zone(
        &mut self,
        steps: &mut Vec<usize>,
        lbi: &LbInfo<'t>,
        zone: &'t Az,
        blocked: bool,
        purpose: Purpose,
        witness: Witness<'t>,
    ) {
        let key = Key::Zone {
            load_balancer: lbi.id,
            zone,
        };
        let lb_id = lbi.id;
        let no_subnets = lbi.subnets.is_empty();
        let id = self.record(key, purpose, move |_| Check {
            kind: HopKind::AvailabilityZone,
            traffic: false,
            health: false,
            protocol: IpProtocol::Tcp,
            ports: PortRange::ALL,
            subject: Subject::Zone {
                load_balancer: lb_id,
                zone,
            },
            party: Party::LoadBalancer {
                load_balancer: lb_id,
            },
            endpoint: Endpoint {
                addrs: None,
                groups: None,
            },
            block: blocked.then(|| Blocked {
                blocker: Blocker::Zone,
                component: ResourceRef::new("load_balancers", lb_id),
                path: JsonPointer::resource("load_balancers", lb_id).key("subnets"),
                explanation_code: "ELB_INSTALLED_AZ_RESTRICTION",
                // One check serves every target in the zone, so it names the zone, not a target.
                explanation: if no_subnets {
                    format!("Load balancer `{lb_id}` has no subnets, so it serves no zone and its targets get no traffic and no health checks.")
                } else {
                    format!("Load balancer `{lb_id}` has no subnet in {zone} and cross-zone load balancing is off, so targets in {zone} get no traffic and no health checks (`Target.NotInUse`).")
                },
                blocked: Space::empty(),
                // A load balancer without subnets is VL203's finding, not a zone mismatch.
                rule: no_subnets.then_some("VL203"),
            }),
            witness,
            flows: 0,
        });
        steps.push(id);
    }
}

fn ticks(ids: &[&Id]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The other end, in the topology's words.
pub fn describe_party(party: &Party<'_>, topology_groups: Option<&[&Id]>) -> String {
    match party {
        Party::PrivateLinkClients => {
            "API Gateway's PrivateLink traffic (source addresses unknown)".to_owned()
        }
        Party::PrivateLinkAssumedVpc { vpc } => format!(
            "the addresses of VPC `{vpc}` (assumed source of API Gateway's PrivateLink traffic)"
        ),
        Party::VpcLinkEnis { link } => format!("the network interfaces of VPC link `{link}`"),
        Party::LoadBalancer { load_balancer } => format!("load balancer `{load_balancer}`"),
        Party::LoadBalancerNodes {
            load_balancer,
            subnets,
        } => {
            let mut parts = Vec::new();
            if let Some(groups) = topology_groups.filter(|g| !g.is_empty()) {
                let noun = if groups.len() == 1 {
                    "security group"
                } else {
                    "security groups"
                };
                parts.push(format!("{noun} {}", ticks(groups)));
            }
            if !subnets.is_empty() {
                let noun = if subnets.len() == 1 {
                    "subnet"
                } else {
                    "subnets"
                };
                parts.push(format!("nodes in {noun} {}", ticks(subnets)));
            }
            if parts.is_empty() {
                format!("load balancer `{load_balancer}`")
            } else {
                format!("load balancer `{load_balancer}` ({})", parts.join(", "))
            }
        }
        Party::Target {
            target_group,
            target,
        } => format!("target `{target}` of target group `{target_group}`"),
    }
}

fn owner_words(owner: &Owner<'_>) -> String {
    match owner {
        Owner::Instance(i) => format!("instance `{i}`"),
        Owner::LoadBalancer(l) => format!("load balancer `{l}`"),
        Owner::VpcLink(l) => format!("VPC link `{l}`"),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn proto_words(protocol: IpProtocol) -> String {
    protocol.to_string().to_ascii_uppercase()
}

#[allow(clippy::too_many_arguments)]
fn sg_sentence(
    kind: HopKind,
    owner: &Owner<'_>,
    groups: &[&Id],
    direction: Direction,
    party: &Party<'_>,
    peer: &Endpoint<'_>,
    protocol: IpProtocol,
    ports: PortRange,
    uncovered: &str,
) -> String {
    let noun = if groups.len() == 1 {
        "Security group"
    } else {
        "Security groups"
    };
    let other = describe_party(party, peer.groups.as_deref());
    let addrs_known = peer.addrs.is_some();
    if kind == HopKind::LoadBalancerSecurityGroupPrivateLink {
        return format!(
            "{} enforces the inbound rules of {} {} on PrivateLink traffic, and they do not allow {} {ports} from every address, so {other} can be dropped.",
            capitalise(&owner_words(owner)),
            noun.to_ascii_lowercase(),
            ticks(groups),
            proto_words(protocol),
        );
    }
    let way = match direction {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    };
    let what = match direction {
        Direction::Ingress => "inbound",
        Direction::Egress => "outbound",
    };
    let detail = if addrs_known {
        format!(" (not allowed: {uncovered})")
    } else {
        String::new()
    };
    let verb = if groups.len() == 1 { "allows" } else { "allow" };
    // One check serves every instance with the same groups, so it cannot name one of them.
    let of = match owner {
        Owner::Instance(_) => "the target instances".to_owned(),
        other => owner_words(other),
    };
    format!(
        "{noun} {} of {of} {verb} no {what} {} {ports} {way} {other}{detail}.",
        ticks(groups),
        proto_words(protocol),
    )
}

#[allow(clippy::too_many_arguments)]
fn nacl_sentence(
    kind: HopKind,
    acl: &Id,
    subnet: &Id,
    direction: Direction,
    party: &Party<'_>,
    protocol: IpProtocol,
    ports: PortRange,
    addrs: &str,
    by: NaclBlocker,
) -> String {
    let (what, way) = match direction {
        Direction::Ingress => ("inbound", "from"),
        Direction::Egress => ("outbound", "to"),
    };
    let replies = if kind.is_return() { " (responses)" } else { "" };
    let flow = format!(
        "{what} {} {ports}{replies} {way} {} ({addrs})",
        proto_words(protocol),
        describe_party(party, None)
    );
    match by {
        NaclBlocker::Entry { rule, .. } => format!(
            "Network ACL `{acl}` of subnet `{subnet}` denies {flow} at rule {rule}."
        ),
        NaclBlocker::ImplicitDeny => format!(
            "Network ACL `{acl}` of subnet `{subnet}` has no entry allowing {flow}, so its final deny-all rule (`*`) drops it."
        ),
    }
}

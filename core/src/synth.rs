//! Synthetic topologies of any size, for benchmarks and property tests (deterministic).
//!
//! A topology is a run of *cells*, each shaped like the three-tier example: private and
//! load-balancer subnets in two or three Availability Zones with their own network ACLs,
//! an internal NLB with a security group, a target group of instances that say what they
//! serve, a REST (V1) VPC link, a REST API with one route through it, and an alarm.
//! Sixteen cells share a VPC. A cell checks exactly as clean as the three-tier example,
//! so the engine does the work of a clean check at every size. Only findings about the
//! whole topology appear at scale: past 20 cells, the default quota of 20 REST VPC links
//! per Region (VL113) is exceeded, as it would be in AWS.
//!
//! Address plan: each VPC is a /16 (10.0.0.0/8 first, then 100.64.0.0/10, 172.16.0.0/12
//! and 192.168.0.0/16), each cell a /20 of it. Past those ~340 VPCs (about 135,000
//! resources) VPCs become IPv6 ULA /48s, so no size ever runs out of distinct blocks.

use crate::model::{
    Alarm, AppProtocol, EgressRule, EndpointType, HealthCheck, HealthCheckPort, Id, IngressRule,
    Instance, Integration, IntegrationType, IpProtocol, LbProtocol, Listener, LoadBalancer,
    LoadBalancerType, LogLevel, NaclAction, NaclEntry, NetworkAcl, Peer, PortRange, RestApi, Route,
    Scheme, SecurityGroup, ServedPort, Stage, Subnet, Target, TargetGroup, TargetType, Topology,
    Vpc, VpcLink,
};

/// Cells per VPC: a /16 holds sixteen /20 cells.
const CELLS_PER_VPC: usize = 16;
const LISTENER_PORT: u16 = 80;
const TRAFFIC_PORT: u16 = 8080;
const INSTANCES_PER_AZ: usize = 2;
const ZONES: [&str; 3] = ["a", "b", "c"];

/// A topology of about `resources` resources (as [`Topology::resource_count`] counts them):
/// never fewer than one cell, otherwise within a few percent of the request. Every value is
/// generated from a fixed pattern the unit tests parse at every size class, so an error
/// here means a bug in this module, reported rather than panicking in a caller.
pub fn topology(resources: usize) -> Result<Topology, String> {
    Layout::for_resources(resources).build(0)
}

/// How many cells a request needs; cell `n` lives in VPC `n / CELLS_PER_VPC`.
struct Layout {
    cells: usize,
}

impl Layout {
    fn for_resources(resources: usize) -> Self {
        let mut cells = 1;
        let mut total = cost_of_cell(0);
        // Add cells while doing so brings the count closer to the request.
        loop {
            // Saturating: a request near `usize::MAX` cannot be held in memory anyway,
            // but sizing it must not overflow.
            let next = total.saturating_add(cost_of_cell(cells));
            if next > resources && next - resources >= resources.saturating_sub(total) {
                break;
            }
            total = next;
            cells += 1;
        }
        Layout { cells }
    }

    /// Builds the cells with VPC numbering starting at `first_vpc` (tests start past the
    /// IPv4 plan to exercise the IPv6 one).
    fn build(&self, first_vpc: usize) -> Result<Topology, String> {
        let mut t = Topology::empty("us-east-1".parse()?);
        // Ids are unique by construction, so cells fill the maps' inner BTreeMaps directly.
        for cell in 0..self.cells {
            let vpc = first_vpc + cell / CELLS_PER_VPC;
            let slot = cell % CELLS_PER_VPC;
            Cell {
                n: cell,
                vpc,
                slot,
                zones: zones_of_cell(cell),
                plan: AddressPlan::of_vpc(vpc),
            }
            .add_to(&mut t)?;
        }
        Ok(t)
    }
}

/// Alternating cells span two and three zones, as real fleets do.
fn zones_of_cell(cell: usize) -> usize {
    2 + cell % 2
}

/// Resources cell `cell` adds, counting its VPC when it is the VPC's first.
fn cost_of_cell(cell: usize) -> usize {
    let zones = zones_of_cell(cell);
    let instances = zones * INSTANCES_PER_AZ;
    let own = 2 * zones // private and load-balancer subnets
        + 2 // network ACLs
        + 2 // security groups
        + instances
        + 2 // load balancer and its listener
        + 1 + instances // target group and its targets
        + 1 // VPC link
        + 2 // REST API and its route
        + 1; // alarm
    let shared = usize::from(cell % CELLS_PER_VPC == 0); // the VPC
    own + shared
}

/// Where a VPC's blocks come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AddressPlan {
    /// A /16: the first two octets.
    V4(u8, u8),
    /// A ULA /48: the 40 bits after `fd`.
    V6(u64),
}

/// IPv4 ranges VPCs are carved from, as (first octets, how many /16s).
const V4_POOLS: [(u8, u8, usize); 4] = [(10, 0, 256), (100, 64, 64), (172, 16, 16), (192, 168, 1)];

impl AddressPlan {
    fn of_vpc(vpc: usize) -> Self {
        let mut rest = vpc;
        for (a, b, count) in V4_POOLS {
            if rest < count {
                // A /16 inside a /8../16 pool: the second octet advances, carrying into the first.
                let second = usize::from(b) + rest;
                let first = usize::from(a) + second / 256;
                return AddressPlan::V4(
                    u8::try_from(first).unwrap_or(a),
                    u8::try_from(second % 256).unwrap_or(b),
                );
            }
            rest -= count;
        }
        // 2^40 /48s; a topology that large could not be held in memory anyway.
        AddressPlan::V6(u64::try_from(rest).unwrap_or(u64::MAX) & ((1 << 40) - 1))
    }

    fn vpc(&self) -> String {
        match self {
            AddressPlan::V4(a, b) => format!("{a}.{b}.0.0/16"),
            AddressPlan::V6(n) => format!("{}::/48", self.v6_prefix(*n)),
        }
    }

    /// The block of `2^bits` consecutive subnet slots starting at `first` within `slot`'s
    /// cell: a /24 per subnet slot in IPv4, a /56 in IPv6.
    fn block(&self, slot: usize, first: usize, bits: u8) -> String {
        let index = slot * 16 + first;
        match self {
            AddressPlan::V4(a, b) => format!("{a}.{b}.{index}.0/{}", 24 - bits),
            AddressPlan::V6(n) => {
                format!("{}:{:x}::/{}", self.v6_prefix(*n), index << 8, 56 - bits)
            }
        }
    }

    fn any(&self) -> &'static str {
        match self {
            AddressPlan::V4(..) => "0.0.0.0/0",
            AddressPlan::V6(_) => "::/0",
        }
    }

    fn v6_prefix(&self, n: u64) -> String {
        format!(
            "fd{:02x}:{:x}:{:x}",
            (n >> 32) & 0xff,
            (n >> 16) & 0xffff,
            n & 0xffff
        )
    }
}

/// Subnet slots inside a cell's 16: private subnets in the lower half (aggregate `/21`),
/// load-balancer subnets from slot 8 (aggregate `/22`), as in the three-tier example
/// where private subnets and NLB subnets sit in separate blocks the ACLs can name.
const PRIVATE_FIRST: usize = 1;
const NLB_BLOCK: usize = 8;
const NLB_FIRST: usize = 9;

struct Cell {
    n: usize,
    vpc: usize,
    slot: usize,
    zones: usize,
    plan: AddressPlan,
}

fn id(s: String) -> Result<Id, String> {
    s.parse()
}

fn tcp_entry(rule: u32, ports: PortRange, cidr: &str) -> Result<NaclEntry, String> {
    Ok(NaclEntry {
        rule,
        protocol: IpProtocol::Tcp,
        ports: Some(ports),
        cidr: cidr.parse()?,
        action: NaclAction::Allow,
    })
}

impl Cell {
    fn name(&self, what: &str) -> Result<Id, String> {
        id(format!("c{:05}-{what}", self.n))
    }

    fn add_to(&self, t: &mut Topology) -> Result<(), String> {
        let vpc_id = id(format!("vpc{:04}", self.vpc))?;
        let vpc_cidr = self.plan.vpc();
        if self.slot == 0 {
            t.vpcs.0.insert(
                vpc_id.clone(),
                Vpc {
                    cidr: vpc_cidr.parse()?,
                    secondary_cidrs: Vec::new(),
                    aws_id: None,
                    name: Some(format!("synthetic-{:04}", self.vpc)),
                },
            );
        }

        let private_agg = self.plan.block(self.slot, 0, 3);
        let nlb_agg = self.plan.block(self.slot, NLB_BLOCK, 2);
        let private_acl = self.name("private")?;
        let nlb_acl = self.name("nlb")?;
        let mut private_subnets = Vec::new();
        let mut nlb_subnets = Vec::new();
        for (z, zone) in ZONES.iter().take(self.zones).enumerate() {
            let az = format!("us-east-1{zone}");
            for (first, acl, list, prefix) in [
                (PRIVATE_FIRST, &private_acl, &mut private_subnets, "private"),
                (NLB_FIRST, &nlb_acl, &mut nlb_subnets, "nlb"),
            ] {
                let sid = self.name(&format!("{prefix}-{zone}"))?;
                t.subnets.0.insert(
                    sid.clone(),
                    Subnet {
                        vpc: vpc_id.clone(),
                        az: az.parse()?,
                        cidr: self.plan.block(self.slot, first + z, 0).parse()?,
                        network_acl: Some(acl.clone()),
                        aws_id: None,
                        name: None,
                    },
                );
                list.push(sid);
            }
        }

        // The ACLs of the three-tier example: targets take the traffic port from the NLB
        // subnets and answer on ephemeral ports; the NLB subnets take the listener port
        // from anywhere (PrivateLink sources are not known in advance).
        let ephemeral = PortRange::EPHEMERAL;
        t.network_acls.0.insert(
            private_acl,
            NetworkAcl {
                vpc: vpc_id.clone(),
                ingress: vec![tcp_entry(100, PortRange::single(TRAFFIC_PORT), &nlb_agg)?],
                egress: vec![tcp_entry(100, ephemeral, &nlb_agg)?],
                default: false,
                aws_id: None,
                name: None,
            },
        );
        t.network_acls.0.insert(
            nlb_acl,
            NetworkAcl {
                vpc: vpc_id.clone(),
                ingress: vec![
                    tcp_entry(100, PortRange::single(LISTENER_PORT), self.plan.any())?,
                    tcp_entry(110, ephemeral, &private_agg)?,
                ],
                egress: vec![
                    tcp_entry(100, PortRange::single(TRAFFIC_PORT), &private_agg)?,
                    tcp_entry(110, ephemeral, self.plan.any())?,
                ],
                default: false,
                aws_id: None,
                name: None,
            },
        );

        let nlb_sg = self.name("nlb")?;
        let app_sg = self.name("app")?;
        t.security_groups.0.insert(
            nlb_sg.clone(),
            SecurityGroup {
                default: false,
                vpc: vpc_id.clone(),
                ingress: vec![IngressRule {
                    protocol: IpProtocol::Tcp,
                    ports: Some(PortRange::single(LISTENER_PORT)),
                    source: Peer::Cidr(vpc_cidr.parse()?),
                    description: Some("listener, from inside the VPC".into()),
                }],
                egress: Some(vec![EgressRule {
                    protocol: IpProtocol::Tcp,
                    ports: Some(PortRange::single(TRAFFIC_PORT)),
                    destination: Peer::SecurityGroup(app_sg.clone()),
                    description: Some("traffic and health checks to the targets".into()),
                }]),
                aws_id: None,
                name: None,
                description: Some("Internal NLB behind the VPC link".into()),
            },
        );
        t.security_groups.0.insert(
            app_sg.clone(),
            SecurityGroup {
                default: false,
                vpc: vpc_id.clone(),
                ingress: vec![IngressRule {
                    protocol: IpProtocol::Tcp,
                    ports: Some(PortRange::single(TRAFFIC_PORT)),
                    source: Peer::SecurityGroup(nlb_sg.clone()),
                    description: Some("traffic and health checks from the NLB".into()),
                }],
                egress: None,
                aws_id: None,
                name: None,
                description: Some("Application instances".into()),
            },
        );

        // Instances spread evenly over the zones, so no zone of the NLB is left without
        // a local target while cross-zone stays off.
        let mut targets = Vec::new();
        for i in 0..self.zones * INSTANCES_PER_AZ {
            let iid = self.name(&format!("web-{}", i + 1))?;
            let subnet = private_subnets
                .get(i % self.zones)
                .cloned()
                .ok_or_else(|| "a cell has a private subnet per zone".to_owned())?;
            t.instances.0.insert(
                iid.clone(),
                Instance {
                    subnet,
                    security_groups: vec![app_sg.clone()],
                    private_ip: None,
                    serves: Some(vec![ServedPort {
                        port: TRAFFIC_PORT,
                        protocol: AppProtocol::Http,
                        health_path: Some("/health".into()),
                        certificate_names: Vec::new(),
                    }]),
                    instance_type: Some("t3.small".into()),
                    image_id: None,
                    aws_id: None,
                    name: None,
                },
            );
            targets.push(Target {
                id: iid.to_string(),
                port: None,
                az: None,
            });
        }

        let tg_id = self.name("backend")?;
        let lb_id = self.name("nlb")?;
        let link_id = self.name("link")?;
        t.target_groups.0.insert(
            tg_id.clone(),
            TargetGroup {
                vpc: vpc_id,
                protocol: LbProtocol::Tcp,
                port: TRAFFIC_PORT,
                target_type: TargetType::Instance,
                health_check: HealthCheck {
                    protocol: Some(LbProtocol::Http),
                    port: HealthCheckPort::TrafficPort,
                    path: Some("/health".into()),
                    interval_seconds: Some(30),
                    timeout_seconds: Some(6),
                    healthy_threshold: Some(3),
                    unhealthy_threshold: Some(3),
                    ..HealthCheck::default()
                },
                targets,
                preserve_client_ip: None,
                cross_zone: None,
                arn: None,
                name: Some(format!("c{:05}-backend", self.n)),
            },
        );
        t.load_balancers.0.insert(
            lb_id.clone(),
            LoadBalancer {
                kind: LoadBalancerType::Network,
                scheme: Scheme::Internal,
                subnets: nlb_subnets,
                security_groups: vec![nlb_sg],
                cross_zone: Some(false),
                enforce_inbound_rules_on_privatelink: Some(false),
                listeners: vec![Listener {
                    port: LISTENER_PORT,
                    protocol: LbProtocol::Tcp,
                    forward: tg_id.clone(),
                    certificate: None,
                    aws_id: None,
                }],
                arn: None,
                name: Some(format!("c{:05}-nlb", self.n)),
            },
        );
        t.vpc_links.0.insert(
            link_id.clone(),
            VpcLink {
                targets: vec![lb_id.clone()],
                subnets: Vec::new(),
                security_groups: Vec::new(),
                aws_id: None,
                name: Some(format!("c{:05}-link", self.n)),
            },
        );
        let route = (
            "GET /products".to_owned(),
            Route {
                integration: Integration {
                    kind: IntegrationType::HttpProxy,
                    connection_type: None,
                    vpc_link: Some(link_id.to_string()),
                    uri: Some(format!(
                        "http://c{:05}-nlb.internal:{LISTENER_PORT}/products",
                        self.n
                    )),
                    target: None,
                    method: Some("GET".into()),
                    timeout_ms: Some(29_000),
                    tls: None,
                },
                authorization: None,
            },
        );
        t.rest_apis.0.insert(
            self.name("api")?,
            RestApi {
                name: Some(format!("c{:05}-shop", self.n)),
                endpoint_type: EndpointType::Regional,
                routes: [route].into_iter().collect(),
                stages: [(
                    "prod".to_owned(),
                    Stage {
                        logging: Some(LogLevel::Info),
                        metrics: Some(true),
                        ..Stage::default()
                    },
                )]
                .into_iter()
                .collect(),
                aws_id: None,
            },
        );

        t.alarms.0.insert(
            self.name("unhealthy")?,
            Alarm {
                metric: "UnHealthyHostCount".into(),
                namespace: None,
                target_group: Some(tg_id),
                load_balancer: Some(lb_id),
                api: None,
                stage: None,
                dimensions: Vec::new(),
                statistic: Some("Maximum".into()),
                period_seconds: Some(60),
                evaluation_periods: Some(2),
                threshold: 0.0,
                comparison: Some("GreaterThanThreshold".into()),
                treat_missing_data: Some("notBreaching".into()),
                name: Some(format!("c{:05}-unhealthy-targets", self.n)),
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::parse::topology_from_json;
    use crate::report::validate;

    /// No errors anywhere; warnings only about the topology as a whole (a quota, pointed
    /// at a collection such as `/vpc_links`), never about a resource in a cell.
    fn assert_clean(t: &Topology) {
        let report = validate(t);
        assert!(report.rules_ran, "{:#?}", report.diagnostics);
        let loud: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .chain(report.diagnostics.iter().filter(|d| {
                d.severity == Severity::Warning && d.path.as_str().matches('/').count() > 1
            }))
            .collect();
        assert!(loud.is_empty(), "{loud:#?}");
    }

    #[test]
    fn one_cell_checks_as_clean_as_the_three_tier_example() {
        let report = validate(&topology(10).unwrap());
        assert!(
            !report.has_at_least(Severity::Warning),
            "{:#?}",
            report.diagnostics
        );
    }

    #[test]
    fn sizes_parse_resolve_and_check_without_errors() {
        for size in [10, 1_000, 10_000] {
            let t = topology(size).unwrap();
            let text = serde_json::to_string(&t).unwrap();
            let back = topology_from_json(&text).unwrap();
            assert_eq!(back, t, "size {size} round-trips through JSON");
            assert!(crate::graph::build(&t).is_ok(), "size {size} resolves");
            assert_clean(&t);
        }
    }

    #[test]
    fn resource_count_is_close_to_the_request() {
        let one_cell = topology(0).unwrap().resource_count();
        assert!(one_cell <= 30, "{one_cell}");
        for size in [10, 50, 100, 1_000, 5_000, 10_000, 100_000] {
            let got = topology(size).unwrap().resource_count();
            if size <= one_cell {
                assert_eq!(got, one_cell, "small sizes round up to one cell");
            } else {
                let diff = got.abs_diff(size);
                assert!(diff * 10 <= size, "asked {size}, got {got}");
            }
        }
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(topology(2_000).unwrap(), topology(2_000).unwrap());
    }

    #[test]
    fn cidrs_are_distinct_and_inside_their_vpc() {
        let t = topology(100_000).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for (id, s) in &t.subnets {
            assert!(seen.insert(s.cidr), "{id} repeats {}", s.cidr);
            let vpc = t.vpcs.get(s.vpc.as_str()).unwrap();
            assert!(vpc.cidr.contains(&s.cidr), "{id}");
        }
        let vpcs: std::collections::BTreeSet<_> = t.vpcs.iter().map(|(_, v)| v.cidr).collect();
        assert_eq!(vpcs.len(), t.vpcs.len());
    }

    #[test]
    fn address_plan_moves_through_the_pools_then_to_ipv6() {
        assert_eq!(AddressPlan::of_vpc(0).vpc(), "10.0.0.0/16");
        assert_eq!(AddressPlan::of_vpc(255).vpc(), "10.255.0.0/16");
        assert_eq!(AddressPlan::of_vpc(256).vpc(), "100.64.0.0/16");
        assert_eq!(AddressPlan::of_vpc(319).vpc(), "100.127.0.0/16");
        assert_eq!(AddressPlan::of_vpc(320).vpc(), "172.16.0.0/16");
        assert_eq!(AddressPlan::of_vpc(336).vpc(), "192.168.0.0/16");
        assert_eq!(AddressPlan::of_vpc(337).vpc(), "fd00:0:0::/48");
        assert_eq!(AddressPlan::of_vpc(337 + 0x1_0002).vpc(), "fd00:1:2::/48");
        assert_eq!(AddressPlan::V4(10, 3).block(15, 8, 2), "10.3.248.0/22");
        assert_eq!(AddressPlan::V6(0).block(15, 8, 2), "fd00:0:0:f800::/54");
    }

    #[test]
    fn ipv6_cells_check_clean_too() {
        let t = Layout { cells: 20 }.build(400).unwrap();
        assert!(t.vpcs.iter().all(|(_, v)| !v.cidr.is_ipv4()));
        assert_clean(&t);
    }
}

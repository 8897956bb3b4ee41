//! The resolved graph: every reference checked once, every relation indexed, so that the
//! analyses (rules, reachability, and what follows) never re-resolve anything.

mod build;
mod codes;

use std::collections::BTreeMap;

use crate::model::*;
use crate::pointer::JsonPointer;

pub use build::build;
pub use codes::REFERENCE_CODES;

/// Which API family a route belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ApiKind {
    Rest,
    Http,
}

impl ApiKind {
    /// The topology key the APIs of this kind live under.
    pub fn collection(&self) -> &'static str {
        match self {
            ApiKind::Rest => "rest_apis",
            ApiKind::Http => "http_apis",
        }
    }
}

/// A listener, addressed by its load balancer and position.
#[derive(Debug, Clone, Copy)]
pub struct ListenerAt<'t> {
    pub load_balancer_id: &'t Id,
    pub load_balancer: &'t LoadBalancer,
    pub index: usize,
    pub listener: &'t Listener,
}

impl ListenerAt<'_> {
    pub fn path(&self) -> JsonPointer {
        JsonPointer::resource("load_balancers", self.load_balancer_id)
            .key("listeners")
            .index(self.index)
    }
}

/// One route's integration, with what its connection id resolves to.
#[derive(Debug, Clone)]
pub struct IntegrationAt<'t> {
    pub api_kind: ApiKind,
    pub api_id: &'t Id,
    pub route_key: &'t str,
    pub route: RouteKey<'t>,
    pub integration: &'t Integration,
    /// The VPC links this integration can use: the named link, or every link a stage
    /// variable resolves to across the API's stages.
    pub links: Vec<&'t Id>,
}

impl IntegrationAt<'_> {
    pub fn path(&self) -> JsonPointer {
        JsonPointer::resource(self.api_kind.collection(), self.api_id)
            .key("routes")
            .key(self.route_key)
            .key("integration")
    }
}

/// A registered target, resolved.
#[derive(Debug, Clone)]
pub struct TargetAt<'t> {
    pub target_group_id: &'t Id,
    pub index: usize,
    pub target: &'t Target,
    /// The instance, for instance targets.
    pub instance: Option<(&'t Id, &'t Instance)>,
    /// The port traffic and (by default) health checks reach.
    pub port: u16,
}

impl TargetAt<'_> {
    pub fn path(&self) -> JsonPointer {
        JsonPointer::resource("target_groups", self.target_group_id)
            .key("targets")
            .index(self.index)
    }
}

/// The resolved, indexed topology. Built by [`build`]; only exists when every reference
/// resolves, so lookups by id succeed for ids taken from the topology.
#[derive(Debug)]
pub struct Graph<'t> {
    pub topology: &'t Topology,
    pub(crate) subnets_by_vpc: BTreeMap<&'t str, Vec<&'t Id>>,
    pub(crate) instances_by_subnet: BTreeMap<&'t str, Vec<&'t Id>>,
    pub(crate) listeners_by_target_group: BTreeMap<&'t str, Vec<ListenerAt<'t>>>,
    pub(crate) links_by_load_balancer: BTreeMap<&'t str, Vec<&'t Id>>,
    pub(crate) integrations: Vec<IntegrationAt<'t>>,
    /// Where each API's integrations sit in `integrations` (they are stored API by API).
    pub(crate) integrations_by_api: BTreeMap<(ApiKind, &'t str), std::ops::Range<usize>>,
    pub(crate) targets: BTreeMap<&'t str, Vec<TargetAt<'t>>>,
    pub(crate) security_group_users: BTreeMap<&'t str, Vec<SgUser<'t>>>,
    pub(crate) by_id: Lookups<'t>,
}

type Lookup<'t, T> = rustc_hash::FxHashMap<&'t str, (&'t Id, &'t T)>;

/// Hash indexes by id for the lookups every analysis makes many times; the topology's own
/// maps stay ordered for output.
#[derive(Debug, Default)]
pub(crate) struct Lookups<'t> {
    pub subnets: Lookup<'t, Subnet>,
    pub security_groups: Lookup<'t, SecurityGroup>,
    pub network_acls: Lookup<'t, NetworkAcl>,
    pub instances: Lookup<'t, Instance>,
    pub load_balancers: Lookup<'t, LoadBalancer>,
    pub target_groups: Lookup<'t, TargetGroup>,
}

impl<'t> Lookups<'t> {
    pub fn of(t: &'t Topology) -> Self {
        fn index<'t, T>(m: &'t IdMap<T>) -> Lookup<'t, T> {
            m.iter().map(|(id, v)| (id.as_str(), (id, v))).collect()
        }
        Lookups {
            subnets: index(&t.subnets),
            security_groups: index(&t.security_groups),
            network_acls: index(&t.network_acls),
            instances: index(&t.instances),
            load_balancers: index(&t.load_balancers),
            target_groups: index(&t.target_groups),
        }
    }
}

/// Something a security group is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SgUser<'t> {
    Instance(&'t Id),
    LoadBalancer(&'t Id),
    VpcLink(&'t Id),
}

impl<'t> Graph<'t> {
    pub fn vpc(&self, id: &str) -> Option<&'t Vpc> {
        self.topology.vpcs.get(id)
    }
    pub fn subnet(&self, id: &str) -> Option<&'t Subnet> {
        self.by_id.subnets.get(id).map(|(_, v)| *v)
    }
    pub fn security_group(&self, id: &str) -> Option<&'t SecurityGroup> {
        self.by_id.security_groups.get(id).map(|(_, v)| *v)
    }
    pub fn network_acl(&self, id: &str) -> Option<&'t NetworkAcl> {
        self.by_id.network_acls.get(id).map(|(_, v)| *v)
    }
    pub fn instance(&self, id: &str) -> Option<&'t Instance> {
        self.by_id.instances.get(id).map(|(_, v)| *v)
    }
    pub fn load_balancer(&self, id: &str) -> Option<&'t LoadBalancer> {
        self.by_id.load_balancers.get(id).map(|(_, v)| *v)
    }
    pub fn target_group(&self, id: &str) -> Option<&'t TargetGroup> {
        self.by_id.target_groups.get(id).map(|(_, v)| *v)
    }
    pub fn vpc_link(&self, id: &str) -> Option<&'t VpcLink> {
        self.topology.vpc_links.get(id)
    }
    pub fn observed(&self) -> Option<&'t Observed> {
        self.topology.observed.as_ref()
    }

    /// Subnets of a VPC, in id order.
    pub fn subnets_of_vpc(&self, vpc: &str) -> &[&'t Id] {
        self.subnets_by_vpc
            .get(vpc)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
    /// Instances placed in a subnet.
    pub fn instances_in_subnet(&self, subnet: &str) -> &[&'t Id] {
        self.instances_by_subnet
            .get(subnet)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
    /// Listeners whose default action forwards to this target group.
    pub fn listeners_forwarding_to(&self, target_group: &str) -> &[ListenerAt<'t>] {
        self.listeners_by_target_group
            .get(target_group)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
    /// V1 VPC links that target this load balancer.
    pub fn links_targeting(&self, load_balancer: &str) -> &[&'t Id] {
        self.links_by_load_balancer
            .get(load_balancer)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
    /// Every route integration of every API, in API and route order.
    pub fn integrations(&self) -> &[IntegrationAt<'t>] {
        &self.integrations
    }
    /// The route integrations of one API, in route order.
    pub fn integrations_of(&self, kind: ApiKind, api: &str) -> &[IntegrationAt<'t>] {
        self.integrations_by_api
            .get(&(kind, api))
            .and_then(|r| self.integrations.get(r.clone()))
            .unwrap_or(&[])
    }
    /// Registered targets of a target group, resolved.
    pub fn targets_of(&self, target_group: &str) -> &[TargetAt<'t>] {
        self.targets
            .get(target_group)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
    /// What a security group is attached to.
    pub fn users_of_security_group(&self, sg: &str) -> &[SgUser<'t>] {
        self.security_group_users
            .get(sg)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
    /// The network ACL governing a subnet; `None` means the VPC's default ACL, which
    /// allows everything unless modelled explicitly.
    pub fn acl_of_subnet(&self, subnet: &str) -> Option<(&'t Id, &'t NetworkAcl)> {
        let id = self.subnet(subnet)?.network_acl.as_ref()?;
        self.by_id.network_acls.get(id.as_str()).copied()
    }
    /// The Availability Zones a load balancer serves (one per subnet), in subnet order.
    pub fn zones_of_load_balancer(&self, lb: &LoadBalancer) -> Vec<&'t Az> {
        lb.subnets
            .iter()
            .filter_map(|s| self.subnet(s.as_str()).map(|s| &s.az))
            .collect()
    }
    /// Subnets of a list that lie in another VPC than the list's first known subnet, as
    /// (index in the list, subnet id, its VPC), with that first subnet and its VPC. A load
    /// balancer or a VPC link lives in one VPC, so each of these is a mistake.
    #[allow(clippy::type_complexity)]
    pub fn subnets_outside_first_vpc<'a>(
        &self,
        subnets: &'a [Id],
    ) -> Option<((&'a Id, &'t Id), Vec<(usize, &'a Id, &'t Id)>)> {
        let mut known = subnets
            .iter()
            .enumerate()
            .filter_map(|(i, s)| self.subnet(s.as_str()).map(|sub| (i, s, &sub.vpc)));
        let (_, first, first_vpc) = known.next()?;
        let strays = known.filter(|(_, _, vpc)| *vpc != first_vpc).collect();
        Some(((first, first_vpc), strays))
    }

    /// The VPC a load balancer lives in, read from its first subnet.
    pub fn vpc_of_load_balancer(&self, lb: &LoadBalancer) -> Option<&'t Id> {
        lb.subnets
            .iter()
            .find_map(|s| self.subnet(s.as_str()).map(|s| &s.vpc))
    }
    /// The Availability Zone of a target: its instance's subnet, or its own `az`.
    pub fn zone_of_target(&self, target: &TargetAt<'t>) -> Option<&'t Az> {
        match target.instance {
            Some((_, instance)) => self.subnet(instance.subnet.as_str()).map(|s| &s.az),
            None => target.target.az.as_ref(),
        }
    }
    /// The load balancers a target group sits behind (through a listener).
    pub fn load_balancers_of_target_group(&self, tg: &str) -> Vec<(&'t Id, &'t LoadBalancer)> {
        let mut out: Vec<(&'t Id, &'t LoadBalancer)> = Vec::new();
        for l in self.listeners_forwarding_to(tg) {
            if !out.iter().any(|(id, _)| *id == l.load_balancer_id) {
                out.push((l.load_balancer_id, l.load_balancer));
            }
        }
        out
    }
}

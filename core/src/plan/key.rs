//! What a plan acts on: every resource and sub-resource of a topology, with its place, its
//! name in AWS, and what it refers to.

use std::fmt;

use crate::model::{Integration, Topology, VpcLinkVersion};
use crate::pointer::JsonPointer;

use super::types::ResourceRef;

/// The kinds of things a plan creates, changes or deletes one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    Vpc,
    Subnet,
    SecurityGroup,
    NetworkAcl,
    Instance,
    TargetGroup,
    LoadBalancer,
    Listener,
    VpcLink,
    RestApi,
    RestRoute,
    RestStage,
    HttpApi,
    HttpRoute,
    HttpStage,
    Alarm,
}

impl Kind {
    /// The word used in step ids (`create.load_balancer.nlb`).
    pub fn word(self) -> &'static str {
        match self {
            Kind::Vpc => "vpc",
            Kind::Subnet => "subnet",
            Kind::SecurityGroup => "security_group",
            Kind::NetworkAcl => "network_acl",
            Kind::Instance => "instance",
            Kind::TargetGroup => "target_group",
            Kind::LoadBalancer => "load_balancer",
            Kind::Listener => "listener",
            Kind::VpcLink => "vpc_link",
            Kind::RestApi => "rest_api",
            Kind::RestRoute => "method",
            Kind::RestStage | Kind::HttpStage => "stage",
            Kind::HttpApi => "http_api",
            Kind::HttpRoute => "route",
            Kind::Alarm => "alarm",
        }
    }

    /// The topology collection, or the sub-resource kind, a [`ResourceRef`] names.
    pub fn collection(self) -> &'static str {
        match self {
            Kind::Vpc => "vpcs",
            Kind::Subnet => "subnets",
            Kind::SecurityGroup => "security_groups",
            Kind::NetworkAcl => "network_acls",
            Kind::Instance => "instances",
            Kind::TargetGroup => "target_groups",
            Kind::LoadBalancer => "load_balancers",
            Kind::Listener => "listener",
            Kind::VpcLink => "vpc_links",
            Kind::RestApi => "rest_apis",
            Kind::RestRoute | Kind::HttpRoute => "route",
            Kind::RestStage | Kind::HttpStage => "stage",
            Kind::HttpApi => "http_apis",
            Kind::Alarm => "alarms",
        }
    }

    /// The people's name for the kind, for descriptions.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Vpc => "VPC",
            Kind::Subnet => "subnet",
            Kind::SecurityGroup => "security group",
            Kind::NetworkAcl => "network ACL",
            Kind::Instance => "instance",
            Kind::TargetGroup => "target group",
            Kind::LoadBalancer => "load balancer",
            Kind::Listener => "listener",
            Kind::VpcLink => "VPC link",
            Kind::RestApi => "REST API",
            Kind::RestRoute => "REST route",
            Kind::RestStage => "REST stage",
            Kind::HttpApi => "HTTP API",
            Kind::HttpRoute => "HTTP route",
            Kind::HttpStage => "HTTP stage",
            Kind::Alarm => "alarm",
        }
    }

    /// Sub-resources live inside their owner and go when it goes.
    pub fn owner(self) -> Option<Kind> {
        match self {
            Kind::Listener => Some(Kind::LoadBalancer),
            Kind::RestRoute | Kind::RestStage => Some(Kind::RestApi),
            Kind::HttpRoute | Kind::HttpStage => Some(Kind::HttpApi),
            _ => None,
        }
    }
}

/// One thing a plan acts on: a resource (`sub` is `None`) or a sub-resource of the resource
/// `id` (a listener's port, a route key, a stage name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key {
    pub kind: Kind,
    pub id: String,
    pub sub: Option<String>,
}

impl Key {
    pub fn new(kind: Kind, id: impl Into<String>) -> Self {
        Key {
            kind,
            id: id.into(),
            sub: None,
        }
    }
    pub fn sub(kind: Kind, id: impl Into<String>, sub: impl Into<String>) -> Self {
        Key {
            kind,
            id: id.into(),
            sub: Some(sub.into()),
        }
    }
    /// The resource a sub-resource belongs to.
    pub fn owner(&self) -> Option<Key> {
        self.kind.owner().map(|k| Key::new(k, self.id.clone()))
    }
    /// A step id: `<verb>.<kind>.<id>[.<sub>]`.
    pub fn step(&self, verb: &str) -> String {
        format!("{verb}.{}.{self}", self.kind.word())
    }
    /// A step id naming a part of the entity instead of its kind:
    /// `authorize.ingress.app`, `register.targets.backend`.
    pub fn step_with(&self, verb: &str, part: &str) -> String {
        format!("{verb}.{part}.{self}")
    }
    /// The id a [`ResourceRef`] carries: sub-resources join owner and key with `/`.
    pub fn ref_id(&self) -> String {
        match (&self.sub, self.kind) {
            (Some(port), Kind::Listener) => format!("{}/listener/{port}", self.id),
            (Some(sub), _) => format!("{}/{sub}", self.id),
            (None, _) => self.id.clone(),
        }
    }
}

impl fmt::Display for Key {
    /// `nlb`, or `nlb.80` for a sub-resource.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sub {
            Some(sub) => write!(f, "{}.{sub}", self.id),
            None => f.write_str(&self.id),
        }
    }
}

/// Every resource and sub-resource of a topology, with its place, in creation-friendly
/// kind order and then id order.
pub(crate) fn entities(t: &Topology) -> Vec<(Key, JsonPointer)> {
    let mut out = Vec::new();
    fn top<T>(out: &mut Vec<(Key, JsonPointer)>, kind: Kind, m: &crate::model::IdMap<T>) {
        for (id, _) in m {
            out.push((
                Key::new(kind, id.as_str()),
                JsonPointer::resource(kind.collection(), id),
            ));
        }
    }
    top(&mut out, Kind::Vpc, &t.vpcs);
    top(&mut out, Kind::Subnet, &t.subnets);
    top(&mut out, Kind::SecurityGroup, &t.security_groups);
    top(&mut out, Kind::NetworkAcl, &t.network_acls);
    top(&mut out, Kind::Instance, &t.instances);
    top(&mut out, Kind::TargetGroup, &t.target_groups);
    top(&mut out, Kind::LoadBalancer, &t.load_balancers);
    for (id, lb) in &t.load_balancers {
        for (i, l) in lb.listeners.iter().enumerate() {
            out.push((
                Key::sub(Kind::Listener, id.as_str(), l.port.to_string()),
                JsonPointer::resource("load_balancers", id)
                    .key("listeners")
                    .index(i),
            ));
        }
    }
    top(&mut out, Kind::VpcLink, &t.vpc_links);
    top(&mut out, Kind::RestApi, &t.rest_apis);
    for (id, api) in &t.rest_apis {
        for (key, _) in api.routes.iter() {
            out.push((
                Key::sub(Kind::RestRoute, id.as_str(), key.as_str()),
                JsonPointer::resource("rest_apis", id)
                    .key("routes")
                    .key(key),
            ));
        }
        for (name, _) in api.stages.iter() {
            out.push((
                Key::sub(Kind::RestStage, id.as_str(), name.as_str()),
                JsonPointer::resource("rest_apis", id)
                    .key("stages")
                    .key(name),
            ));
        }
    }
    top(&mut out, Kind::HttpApi, &t.http_apis);
    for (id, api) in &t.http_apis {
        for (key, _) in api.routes.iter() {
            out.push((
                Key::sub(Kind::HttpRoute, id.as_str(), key.as_str()),
                JsonPointer::resource("http_apis", id)
                    .key("routes")
                    .key(key),
            ));
        }
        for (name, _) in api.stages.iter() {
            out.push((
                Key::sub(Kind::HttpStage, id.as_str(), name.as_str()),
                JsonPointer::resource("http_apis", id)
                    .key("stages")
                    .key(name),
            ));
        }
    }
    top(&mut out, Kind::Alarm, &t.alarms);
    out
}

/// Where an entity is in `t`, if it is there.
pub(crate) fn path_of(t: &Topology, key: &Key) -> Option<JsonPointer> {
    let base = JsonPointer::resource(key.kind.collection(), &key.id);
    let sub = key.sub.as_deref();
    Some(match key.kind {
        Kind::Listener => {
            let lb = t.load_balancers.get(&key.id)?;
            let i = lb
                .listeners
                .iter()
                .position(|l| Some(l.port.to_string().as_str()) == sub)?;
            JsonPointer::resource("load_balancers", &key.id)
                .key("listeners")
                .index(i)
        }
        Kind::RestRoute => {
            let s = sub?;
            t.rest_apis.get(&key.id)?.routes.get(s)?;
            JsonPointer::resource("rest_apis", &key.id)
                .key("routes")
                .key(s)
        }
        Kind::RestStage => {
            let s = sub?;
            t.rest_apis.get(&key.id)?.stages.get(s)?;
            JsonPointer::resource("rest_apis", &key.id)
                .key("stages")
                .key(s)
        }
        Kind::HttpRoute => {
            let s = sub?;
            t.http_apis.get(&key.id)?.routes.get(s)?;
            JsonPointer::resource("http_apis", &key.id)
                .key("routes")
                .key(s)
        }
        Kind::HttpStage => {
            let s = sub?;
            t.http_apis.get(&key.id)?.stages.get(s)?;
            JsonPointer::resource("http_apis", &key.id)
                .key("stages")
                .key(s)
        }
        _ => {
            if !exists(t, key) {
                return None;
            }
            base
        }
    })
}

/// Whether `t` holds the entity.
pub(crate) fn exists(t: &Topology, key: &Key) -> bool {
    let id = key.id.as_str();
    let sub = key.sub.as_deref().unwrap_or("");
    match key.kind {
        Kind::Vpc => t.vpcs.contains(id),
        Kind::Subnet => t.subnets.contains(id),
        Kind::SecurityGroup => t.security_groups.contains(id),
        Kind::NetworkAcl => t.network_acls.contains(id),
        Kind::Instance => t.instances.contains(id),
        Kind::TargetGroup => t.target_groups.contains(id),
        Kind::LoadBalancer => t.load_balancers.contains(id),
        Kind::Listener => t
            .load_balancers
            .get(id)
            .is_some_and(|lb| lb.listeners.iter().any(|l| l.port.to_string() == sub)),
        Kind::VpcLink => t.vpc_links.contains(id),
        Kind::RestApi => t.rest_apis.contains(id),
        Kind::RestRoute => t
            .rest_apis
            .get(id)
            .is_some_and(|a| a.routes.get(sub).is_some()),
        Kind::RestStage => t
            .rest_apis
            .get(id)
            .is_some_and(|a| a.stages.get(sub).is_some()),
        Kind::HttpApi => t.http_apis.contains(id),
        Kind::HttpRoute => t
            .http_apis
            .get(id)
            .is_some_and(|a| a.routes.get(sub).is_some()),
        Kind::HttpStage => t
            .http_apis
            .get(id)
            .is_some_and(|a| a.stages.get(sub).is_some()),
        Kind::Alarm => t.alarms.contains(id),
    }
}

/// The [`ResourceRef`] of an entity; `path` is where it is in the topology it comes from.
pub(crate) fn resource_ref(key: &Key, path: JsonPointer) -> ResourceRef {
    ResourceRef {
        kind: key.kind.collection().to_owned(),
        id: key.ref_id(),
        path,
    }
}

/// The name a resource gets in AWS: its `name`, or its id.
pub(crate) fn aws_name(t: &Topology, key: &Key) -> String {
    let id = key.id.as_str();
    let named = match key.kind {
        Kind::Vpc => t.vpcs.get(id).and_then(|r| r.name.clone()),
        Kind::Subnet => t.subnets.get(id).and_then(|r| r.name.clone()),
        Kind::SecurityGroup => t.security_groups.get(id).and_then(|r| r.name.clone()),
        Kind::NetworkAcl => t.network_acls.get(id).and_then(|r| r.name.clone()),
        Kind::Instance => t.instances.get(id).and_then(|r| r.name.clone()),
        Kind::TargetGroup => t.target_groups.get(id).and_then(|r| r.name.clone()),
        Kind::LoadBalancer => t.load_balancers.get(id).and_then(|r| r.name.clone()),
        Kind::VpcLink => t.vpc_links.get(id).and_then(|r| r.name.clone()),
        Kind::RestApi => t.rest_apis.get(id).and_then(|r| r.name.clone()),
        Kind::HttpApi => t.http_apis.get(id).and_then(|r| r.name.clone()),
        Kind::Alarm => t.alarms.get(id).and_then(|r| r.name.clone()),
        Kind::Listener | Kind::RestRoute | Kind::RestStage | Kind::HttpRoute | Kind::HttpStage => {
            key.sub.clone()
        }
    };
    named.unwrap_or_else(|| id.to_owned())
}

/// How a reference holds up the deletion of what it refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Hold {
    /// Not at all: only tidier to drop the reference first (alarms, owners).
    None,
    /// AWS refuses the deletion while the reference stands, but a step of its own drops
    /// it (revoke a rule naming the group, deregister a target) (facts §5.1, §9.4).
    Detach,
    /// AWS refuses the deletion while the reference stands, and only deleting or
    /// repointing the referrer drops it (an ENI's subnet or group, a listener's target
    /// group, a link's NLB, a deployed stage's link) (facts §2.4, §4.5, §5.1, §6, §9.4).
    Hard,
}

/// A reference from one entity to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub to: Key,
    pub hold: Hold,
}

fn reference(out: &mut Vec<Reference>, kind: Kind, id: &str, hold: Hold) {
    push_ref(out, Key::new(kind, id), hold);
}

fn push_ref(out: &mut Vec<Reference>, to: Key, hold: Hold) {
    if let Some(r) = out.iter_mut().find(|r| r.to == to) {
        r.hold = r.hold.max(hold);
    } else {
        out.push(Reference { to, hold });
    }
}

/// The VPC links an integration uses: the named link, or each link a stage variable
/// names across `stages`.
pub(crate) fn links_of_integration<'a>(
    integration: &'a Integration,
    stages: &'a crate::model::KeyMap<crate::model::Stage>,
) -> Vec<&'a str> {
    let mut out = Vec::new();
    match (
        integration.vpc_link.as_deref(),
        integration.connection_stage_variable(),
    ) {
        (Some(_), Some(var)) => {
            for (_, stage) in stages.iter() {
                if let Some(v) = stage.variables.get(var) {
                    if !out.contains(&v.as_str()) {
                        out.push(v.as_str());
                    }
                }
            }
        }
        (Some(link), None) => out.push(link),
        (None, _) => {}
    }
    out
}

/// What an entity of `t` refers to. Sub-resources refer to their owner.
pub(crate) fn references(t: &Topology, key: &Key) -> Vec<Reference> {
    let mut out = Vec::new();
    let id = key.id.as_str();
    let sub = key.sub.as_deref().unwrap_or("");
    let r = &mut out;
    match key.kind {
        Kind::Vpc => {}
        Kind::Subnet => {
            if let Some(s) = t.subnets.get(id) {
                reference(r, Kind::Vpc, s.vpc.as_str(), Hold::Hard);
                if let Some(acl) = &s.network_acl {
                    // A NACL with associated subnets cannot be deleted (facts §6).
                    reference(r, Kind::NetworkAcl, acl.as_str(), Hold::Hard);
                }
            }
        }
        Kind::SecurityGroup => {
            if let Some(sg) = t.security_groups.get(id) {
                reference(r, Kind::Vpc, sg.vpc.as_str(), Hold::Hard);
                let peers = sg
                    .ingress
                    .iter()
                    .map(|x| &x.source)
                    .chain(sg.egress.iter().flatten().map(|x| &x.destination));
                for p in peers {
                    if let crate::model::Peer::SecurityGroup(other) = p {
                        if other.as_str() != id {
                            // A referenced group cannot be deleted (facts §5.1).
                            reference(r, Kind::SecurityGroup, other.as_str(), Hold::Detach);
                        }
                    }
                }
            }
        }
        Kind::NetworkAcl => {
            if let Some(acl) = t.network_acls.get(id) {
                reference(r, Kind::Vpc, acl.vpc.as_str(), Hold::Hard);
            }
        }
        Kind::Instance => {
            if let Some(i) = t.instances.get(id) {
                reference(r, Kind::Subnet, i.subnet.as_str(), Hold::Hard);
                for sg in &i.security_groups {
                    reference(r, Kind::SecurityGroup, sg.as_str(), Hold::Hard);
                }
            }
        }
        Kind::TargetGroup => {
            if let Some(tg) = t.target_groups.get(id) {
                reference(r, Kind::Vpc, tg.vpc.as_str(), Hold::None);
                for target in &tg.targets {
                    match tg.target_type {
                        crate::model::TargetType::Instance => {
                            reference(r, Kind::Instance, &target.id, Hold::Detach)
                        }
                        crate::model::TargetType::Alb => {
                            reference(r, Kind::LoadBalancer, &target.id, Hold::Detach)
                        }
                        _ => {}
                    }
                }
            }
        }
        Kind::LoadBalancer => {
            if let Some(lb) = t.load_balancers.get(id) {
                for s in &lb.subnets {
                    reference(r, Kind::Subnet, s.as_str(), Hold::Hard);
                }
                for sg in &lb.security_groups {
                    reference(r, Kind::SecurityGroup, sg.as_str(), Hold::Hard);
                }
            }
        }
        Kind::Listener => {
            reference(r, Kind::LoadBalancer, id, Hold::None);
            if let Some(l) = t
                .load_balancers
                .get(id)
                .and_then(|lb| lb.listeners.iter().find(|l| l.port.to_string() == sub))
            {
                // A target group a listener forwards to cannot be deleted (facts §4.5).
                reference(r, Kind::TargetGroup, l.forward.as_str(), Hold::Hard);
            }
        }
        Kind::VpcLink => {
            if let Some(link) = t.vpc_links.get(id) {
                match link.version() {
                    // The link's endpoint service keeps the NLB (facts §2.4).
                    VpcLinkVersion::V1 => {
                        for lb in &link.targets {
                            reference(r, Kind::LoadBalancer, lb.as_str(), Hold::Hard);
                        }
                    }
                    // Its ENIs keep subnets and groups (facts §9.4).
                    VpcLinkVersion::V2 => {
                        for s in &link.subnets {
                            reference(r, Kind::Subnet, s.as_str(), Hold::Hard);
                        }
                        for sg in &link.security_groups {
                            reference(r, Kind::SecurityGroup, sg.as_str(), Hold::Hard);
                        }
                    }
                }
            }
        }
        Kind::RestApi => {
            // Its routes and stages carry the references that block deletion; listing
            // them here too orders the API's own deletion before what they use.
            if let Some(api) = t.rest_apis.get(id) {
                for (_, route) in api.routes.iter() {
                    route_refs(r, &route.integration, &api.stages, Hold::None);
                }
            }
        }
        Kind::RestRoute => {
            reference(r, Kind::RestApi, id, Hold::None);
            if let Some(api) = t.rest_apis.get(id) {
                if let Some(route) = api.routes.get(sub) {
                    route_refs(r, &route.integration, &api.stages, Hold::None);
                }
            }
        }
        Kind::RestStage => {
            reference(r, Kind::RestApi, id, Hold::None);
            if let Some(api) = t.rest_apis.get(id) {
                // A deployed stage keeps every link its routes use (facts §2.4).
                for (_, route) in api.routes.iter() {
                    for link in links_of_integration(&route.integration, &api.stages) {
                        reference(r, Kind::VpcLink, link, Hold::Hard);
                    }
                }
            }
        }
        Kind::HttpApi => {
            if let Some(api) = t.http_apis.get(id) {
                for (_, route) in api.routes.iter() {
                    route_refs(r, &route.integration, &api.stages, Hold::None);
                }
            }
        }
        Kind::HttpRoute => {
            reference(r, Kind::HttpApi, id, Hold::None);
            if let Some(api) = t.http_apis.get(id) {
                if let Some(route) = api.routes.get(sub) {
                    // HTTP integrations keep their V2 link (facts §9.4).
                    route_refs(r, &route.integration, &api.stages, Hold::Hard);
                }
            }
        }
        Kind::HttpStage => reference(r, Kind::HttpApi, id, Hold::None),
        Kind::Alarm => {
            if let Some(a) = t.alarms.get(id) {
                if let Some(tg) = &a.target_group {
                    reference(r, Kind::TargetGroup, tg.as_str(), Hold::None);
                }
                if let Some(lb) = &a.load_balancer {
                    reference(r, Kind::LoadBalancer, lb.as_str(), Hold::None);
                }
                if let Some(api) = &a.api {
                    if t.rest_apis.contains(api.as_str()) {
                        reference(r, Kind::RestApi, api.as_str(), Hold::None);
                    } else {
                        reference(r, Kind::HttpApi, api.as_str(), Hold::None);
                    }
                }
            }
        }
    }
    out
}

fn route_refs(
    r: &mut Vec<Reference>,
    integration: &Integration,
    stages: &crate::model::KeyMap<crate::model::Stage>,
    link_hold: Hold,
) {
    for link in links_of_integration(integration, stages) {
        reference(r, Kind::VpcLink, link, link_hold);
    }
    if let Some(target) = &integration.target {
        reference(
            r,
            Kind::LoadBalancer,
            target.load_balancer.as_str(),
            Hold::None,
        );
        if let Some(port) = target.port {
            push_ref(
                r,
                Key::sub(
                    Kind::Listener,
                    target.load_balancer.as_str(),
                    port.to_string(),
                ),
                Hold::None,
            );
        }
    }
}

/// The `GroupDescription` of a security group: its description, or one naming its id
/// (AWS requires a description).
pub(crate) fn group_description(id: &str, sg: &crate::model::SecurityGroup) -> String {
    sg.description
        .clone()
        .unwrap_or_else(|| format!("vpclink security group {id}"))
}

/// The AWS id or ARN an entity of `t` carries, if any (sub-resources other than listeners
/// carry none: their owner's id and their key find them).
pub(crate) fn aws_id(t: &Topology, key: &Key) -> Option<String> {
    let id = key.id.as_str();
    match key.kind {
        Kind::Vpc => t.vpcs.get(id)?.aws_id.clone(),
        Kind::Subnet => t.subnets.get(id)?.aws_id.clone(),
        Kind::SecurityGroup => t.security_groups.get(id)?.aws_id.clone(),
        Kind::NetworkAcl => t.network_acls.get(id)?.aws_id.clone(),
        Kind::Instance => t.instances.get(id)?.aws_id.clone(),
        Kind::TargetGroup => Some(t.target_groups.get(id)?.arn.as_ref()?.to_string()),
        Kind::LoadBalancer => Some(t.load_balancers.get(id)?.arn.as_ref()?.to_string()),
        Kind::Listener => {
            let port = key.sub.as_deref()?;
            t.load_balancers
                .get(id)?
                .listeners
                .iter()
                .find(|l| l.port.to_string() == port)?
                .aws_id
                .clone()
        }
        Kind::VpcLink => t.vpc_links.get(id)?.aws_id.clone(),
        Kind::RestApi => t.rest_apis.get(id)?.aws_id.clone(),
        Kind::HttpApi => t.http_apis.get(id)?.aws_id.clone(),
        Kind::RestRoute | Kind::RestStage | Kind::HttpRoute | Kind::HttpStage | Kind::Alarm => None,
    }
}

//! The importer's state: the topology under construction, the origin it records, the ids
//! given to logical ids, and the placeholders that stand for things outside the template.

use core::net::Ipv4Addr;
use std::collections::{BTreeMap, BTreeSet};

use super::template::{error_at, Resource, Template};
use super::value::{Part, Unk, Val};
use super::yaml::Pos;
use crate::import::ImportError;
use crate::model::{
    Az, Cidr, Id, IngressRule, IpAddress, IpProtocol, LbProtocol, Origin, Peer, SecurityGroup,
    SkippedResource, SourceFormat, SourceLocation, Subnet, Topology, UnknownValue, Vpc, VpcLink,
};
use crate::pointer::JsonPointer;

/// The topology collections resources map into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coll {
    Vpcs,
    Subnets,
    SecurityGroups,
    NetworkAcls,
    Instances,
    LoadBalancers,
    TargetGroups,
    VpcLinks,
    RestApis,
    HttpApis,
    Alarms,
}

impl Coll {
    pub fn as_str(self) -> &'static str {
        match self {
            Coll::Vpcs => "vpcs",
            Coll::Subnets => "subnets",
            Coll::SecurityGroups => "security_groups",
            Coll::NetworkAcls => "network_acls",
            Coll::Instances => "instances",
            Coll::LoadBalancers => "load_balancers",
            Coll::TargetGroups => "target_groups",
            Coll::VpcLinks => "vpc_links",
            Coll::RestApis => "rest_apis",
            Coll::HttpApis => "http_apis",
            Coll::Alarms => "alarms",
        }
    }
    /// What a person calls one of these, for reasons.
    fn noun(self) -> &'static str {
        match self {
            Coll::Vpcs => "VPC",
            Coll::Subnets => "subnet",
            Coll::SecurityGroups => "security group",
            Coll::NetworkAcls => "network ACL",
            Coll::Instances => "instance",
            Coll::LoadBalancers => "load balancer",
            Coll::TargetGroups => "target group",
            Coll::VpcLinks => "VPC link",
            Coll::RestApis => "REST API",
            Coll::HttpApis => "HTTP API",
            Coll::Alarms => "alarm",
        }
    }
}

/// The collection a top-level resource type maps into.
pub fn collection_of(kind: &str) -> Option<Coll> {
    Some(match kind {
        "AWS::EC2::VPC" => Coll::Vpcs,
        "AWS::EC2::Subnet" => Coll::Subnets,
        "AWS::EC2::SecurityGroup" => Coll::SecurityGroups,
        "AWS::EC2::NetworkAcl" => Coll::NetworkAcls,
        "AWS::EC2::Instance" => Coll::Instances,
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => Coll::LoadBalancers,
        "AWS::ElasticLoadBalancingV2::TargetGroup" => Coll::TargetGroups,
        "AWS::ApiGateway::VpcLink" | "AWS::ApiGatewayV2::VpcLink" => Coll::VpcLinks,
        "AWS::ApiGateway::RestApi" | "AWS::Serverless::Api" => Coll::RestApis,
        "AWS::ApiGatewayV2::Api" | "AWS::Serverless::HttpApi" => Coll::HttpApis,
        "AWS::CloudWatch::Alarm" => Coll::Alarms,
        _ => return None,
    })
}

/// Types folded into a parent resource (listeners into load balancers, methods into
/// routes, ...): mapped, but without a collection of their own.
pub const PART_TYPES: &[&str] = &[
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Deployment",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Stage",
];

pub fn is_mapped(kind: &str) -> bool {
    collection_of(kind).is_some() || PART_TYPES.contains(&kind)
}

/// What a placeholder should agree with, so that it cannot cause a finding of its own.
#[derive(Debug, Clone, Default)]
pub struct Hint {
    /// The VPC of the resource that refers to the missing one.
    pub vpc: Option<Id>,
    /// Placeholder target groups take the listener's protocol.
    pub protocol: Option<LbProtocol>,
    /// Placeholder VPC links: V2 (HTTP APIs) rather than V1.
    pub v2: bool,
    /// A load balancer outside the template gets a placeholder (a V1 link's target)
    /// instead of being left out.
    pub outside_lb: bool,
}

pub struct Importer<'t> {
    pub t: &'t Template<'t>,
    pub topo: Topology,
    pub origin: Origin,
    /// Logical id → where the resource went.
    pub ids: BTreeMap<String, (Coll, Id)>,
    /// Placeholder key → id, per collection.
    placeholders: BTreeMap<(Coll, String), Id>,
    taken: BTreeSet<(Coll, String)>,
    /// Subnets whose CIDR is a placeholder, filled in by `finish_network`.
    pub pending_subnet_cidrs: Vec<Id>,
    pending_vpc_cidrs: Vec<Id>,
    /// Placeholder addresses handed out per subnet.
    addresses: BTreeMap<Id, u32>,
    /// The VPC every `VpcId` of the template names, when they all name the same one.
    context: Option<Id>,
    /// Values parsed once, so that no later step needs a fallback.
    default_cidr: Cidr,
    first_zone: Az,
}

/// A logical id in kebab case: `NetworkLoadBalancer` → `network-load-balancer`. The
/// 8-character hash CDK appends (`VPCB9E5F0B4`) stays one word: `vpc-b9e5f0b4`.
fn kebab(logical: &str) -> String {
    let cut = logical.len().saturating_sub(8);
    if cut > 0 && logical.is_char_boundary(cut) {
        let (head, hash) = logical.split_at(cut);
        let is_hash = hash
            .chars()
            .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c))
            && hash.chars().any(|c| c.is_ascii_digit());
        if is_hash && head.chars().any(|c| c.is_ascii_alphabetic()) {
            return format!("{}-{}", kebab_words(head), hash.to_ascii_lowercase());
        }
    }
    kebab_words(logical)
}

fn kebab_words(logical: &str) -> String {
    let chars: Vec<char> = logical.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        if c.is_ascii_alphanumeric() {
            let boundary = match prev {
                Some(p) if c.is_ascii_uppercase() => {
                    // `IDs`, `ARNs`: a plural acronym stays one word.
                    let plural = next == Some('s')
                        && !chars.get(i + 2).is_some_and(|n| n.is_ascii_lowercase());
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase()
                            && next.is_some_and(|n| n.is_ascii_lowercase())
                            && !plural)
                }
                Some(p) if c.is_ascii_digit() => p.is_ascii_lowercase(),
                _ => false,
            };
            if boundary && !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "resource".to_owned()
    } else {
        out
    }
}

impl<'t> Importer<'t> {
    pub fn new(t: &'t Template<'t>, file: Option<&str>) -> Result<Importer<'t>, ImportError> {
        let region = t.region.parse().map_err(|e: String| ImportError {
            format: SourceFormat::Cloudformation,
            message: e,
            path: None,
            line: None,
            column: None,
        })?;
        let internal = |message: String| ImportError {
            format: SourceFormat::Cloudformation,
            message,
            path: None,
            line: None,
            column: None,
        };
        let first_zone: Az = format!("{}a", t.region).parse().map_err(internal)?;
        let default_cidr: Cidr = "10.0.0.0/16".parse().map_err(internal)?;
        let mut topo = Topology::empty(region);
        topo.account = t.account.as_deref().and_then(|a| a.parse().ok());
        let mut imp = Importer {
            t,
            topo,
            origin: Origin {
                format: SourceFormat::Cloudformation,
                file: file.map(str::to_owned),
                sources: BTreeMap::new(),
                unknowns: Vec::new(),
                skipped: Vec::new(),
            },
            ids: BTreeMap::new(),
            placeholders: BTreeMap::new(),
            taken: BTreeSet::new(),
            pending_subnet_cidrs: Vec::new(),
            pending_vpc_cidrs: Vec::new(),
            addresses: BTreeMap::new(),
            default_cidr,
            first_zone,
            context: None,
        };
        if t.region_guessed {
            imp.unknown_at(
                JsonPointer::root().key("region"),
                "!Ref AWS::Region",
                "the template does not pin its Region; us-east-1 is assumed",
            );
        }
        imp.assign_ids();
        Ok(imp)
    }

    /// Ids for every top-level resource: `Metadata.vpclink.id` first (the exporter's ids
    /// come back unchanged), then the kebab-case logical id, made unique per collection.
    fn assign_ids(&mut self) {
        let t = self.t;
        for r in &t.resources {
            let Some(coll) = collection_of(&r.kind) else {
                continue;
            };
            let Some(id) = r.meta_id.as_deref().and_then(|m| m.parse::<Id>().ok()) else {
                continue;
            };
            if self.taken.insert((coll, id.to_string())) {
                self.ids.insert(r.logical.clone(), (coll, id));
            }
        }
        for r in &t.resources {
            let Some(coll) = collection_of(&r.kind) else {
                continue;
            };
            if self.ids.contains_key(&r.logical) {
                continue;
            }
            let id = self.fresh(coll, &kebab(&r.logical));
            self.ids.insert(r.logical.clone(), (coll, id));
        }
    }

    /// An id not yet taken in `coll`, starting from `base`.
    fn fresh(&mut self, coll: Coll, base: &str) -> Id {
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                base.to_owned()
            } else {
                format!("{base}-{n}")
            };
            if let Ok(id) = candidate.parse::<Id>() {
                if self.taken.insert((coll, candidate)) {
                    return id;
                }
            }
            n += 1;
        }
    }

    pub fn default_cidr(&self) -> Cidr {
        self.default_cidr
    }

    pub fn pending_vpc_cidr(&mut self, id: &Id) {
        self.pending_vpc_cidrs.push(id.clone());
    }

    pub fn id_of(&self, logical: &str) -> Option<(Coll, &Id)> {
        self.ids.get(logical).map(|(c, id)| (*c, id))
    }

    pub fn source(&mut self, path: JsonPointer, r: &Resource<'_>) {
        self.source_at(path, &r.logical, r.pos);
    }

    pub fn source_at(&mut self, path: JsonPointer, name: &str, pos: Pos) {
        self.origin.sources.insert(
            path.as_str().to_owned(),
            SourceLocation {
                name: name.to_owned(),
                file: None,
                line: Some(pos.line),
                column: Some(pos.column),
            },
        );
    }

    pub fn skip(&mut self, r: &Resource<'_>, reason: impl Into<String>) {
        self.origin.skipped.push(SkippedResource {
            name: r.logical.clone(),
            kind: r.kind.clone(),
            reason: reason.into(),
        });
    }

    pub fn unknown(&mut self, path: JsonPointer, u: &Unk) {
        self.unknown_at(path, &u.expr, &u.reason);
    }

    pub fn unknown_at(&mut self, path: JsonPointer, expression: &str, reason: &str) {
        let exists = self
            .origin
            .unknowns
            .iter()
            .any(|x| x.path == path && x.expression == expression);
        if !exists {
            self.origin.unknowns.push(UnknownValue {
                path,
                expression: expression.to_owned(),
                reason: reason.to_owned(),
            });
        }
    }

    // ---------------------------------------------------------------------------------
    // Reading properties.

    pub fn prop(&self, r: &Resource<'_>, name: &str) -> Result<Option<Val>, ImportError> {
        match r.props.get(name) {
            None => Ok(None),
            Some(node) => self.t.eval(node).map(Some).map_err(|mut e| {
                e.path.get_or_insert_with(|| r.pointer(name));
                e
            }),
        }
    }

    /// A string-valued field: the literal, or `None` with the unknown recorded at `at`.
    pub fn text(&mut self, v: Option<&Val>, at: &JsonPointer) -> Option<String> {
        let v = v?;
        if let Some(s) = v.as_lit() {
            return Some(s);
        }
        let u = v.first_unknown().cloned().unwrap_or_else(|| Unk {
            expr: v.display().unwrap_or_default(),
            reason: "a value known only after deploy".to_owned(),
            key: String::new(),
            show: String::new(),
            index: None,
        });
        self.unknown(at.clone(), &u);
        None
    }

    /// A number-valued field. A literal that is not a number is an error in the template.
    pub fn number<N: std::str::FromStr>(
        &mut self,
        r: &Resource<'_>,
        prop: &str,
        v: Option<&Val>,
        at: &JsonPointer,
    ) -> Result<Option<N>, ImportError> {
        match self.text(v, at) {
            None => Ok(None),
            Some(s) => s.trim().parse::<N>().map(Some).map_err(|_| {
                error_at(
                    r.props.get(prop).map(|n| n.pos).unwrap_or(r.pos),
                    Some(r.pointer(prop)),
                    format!(
                        "`{prop}` of `{}` must be a number, but it is `{s}`",
                        r.logical
                    ),
                )
            }),
        }
    }

    pub fn bool(&mut self, v: Option<&Val>, at: &JsonPointer) -> Option<bool> {
        match self.text(v, at)?.to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" => Some(true),
            "false" | "off" | "no" => Some(false),
            _ => None,
        }
    }

    /// A name: shown as written, with unresolved parts kept as `${…}`.
    pub fn name(v: Option<&Val>) -> Option<String> {
        v.and_then(Val::display).filter(|s| !s.is_empty())
    }

    /// The `Name` tag.
    pub fn name_tag(&self, r: &Resource<'_>) -> Result<Option<String>, ImportError> {
        let tags = self.prop(r, "Tags")?;
        Ok(tags.as_ref().and_then(|t| {
            t.items().iter().find_map(|tag| {
                (tag.get("Key").and_then(Val::as_lit).as_deref() == Some("Name"))
                    .then(|| Self::name(tag.get("Value")))
                    .flatten()
            })
        }))
    }

    // ---------------------------------------------------------------------------------
    // References.

    /// The resource of `want` a value refers to: a `Ref`/`GetAtt` of a template resource,
    /// or one `Ref`/`GetAtt` inside a string built around it (an ARN joined from the
    /// load balancer's full name).
    pub fn local_ref(&self, v: &Val, want: Coll) -> Option<Id> {
        let parts = v.parts()?;
        let mut found = None;
        for p in &parts {
            if let Part::Res { logical, attr } = p {
                if is_value_attr(attr.as_deref()) {
                    continue;
                }
                if let Some((coll, id)) = self.id_of(logical) {
                    if coll == want {
                        if found.is_some() {
                            return None;
                        }
                        found = Some(id.clone());
                    }
                }
            }
        }
        found
    }

    /// The logical id a value refers to, whatever its type.
    pub fn logical_of(v: &Val) -> Option<String> {
        v.parts()?.into_iter().find_map(|p| match p {
            Part::Res { logical, .. } => Some(logical),
            _ => None,
        })
    }

    /// A reference field: a template resource, else a placeholder for what lies outside
    /// the template (a parameter, an import, a literal AWS id), recorded as unknown.
    pub fn reference(
        &mut self,
        v: &Val,
        want: Coll,
        hint: &Hint,
        at: &JsonPointer,
    ) -> Result<Option<Id>, ImportError> {
        if v.is_null() {
            return Ok(None);
        }
        if let Some(id) = self.local_ref(v, want) {
            return Ok(Some(id));
        }
        let (key, expr, reason, literal) = match (v.as_lit(), v.first_unknown()) {
            (Some(lit), _) => (
                format!("lit:{lit}"),
                lit.clone(),
                format!(
                    "`{lit}` is an existing {} outside the template; its settings are not known",
                    want.noun()
                ),
                Some(lit),
            ),
            (None, Some(u)) => (u.key.clone(), u.expr.clone(), u.reason.clone(), None),
            (None, None) => {
                let shown = v.display().unwrap_or_default();
                let logical = Self::logical_of(v).unwrap_or_default();
                let kind = self
                    .t
                    .resource(&logical)
                    .map(|r| r.kind.clone())
                    .unwrap_or_default();
                (
                    format!("ref:{shown}"),
                    shown.clone(),
                    format!(
                        "`{shown}` refers to {kind} `{logical}`, where a {} is expected",
                        want.noun()
                    ),
                    None,
                )
            }
        };
        let _ = at;
        Ok(self.placeholder(want, &key, &expr, &reason, literal.as_deref(), v, hint))
    }

    /// Resolves a list field. Items outside the template become placeholders (security
    /// groups, subnets) or are left out with an unknown at `at` (everything else).
    pub fn references(
        &mut self,
        v: Option<&Val>,
        want: Coll,
        hint: &Hint,
        at: &JsonPointer,
    ) -> Result<Vec<Id>, ImportError> {
        let Some(v) = v else { return Ok(Vec::new()) };
        let items: Vec<Val> = match v {
            Val::List(items) => items.clone(),
            Val::Null => Vec::new(),
            // A list parameter or import: its length is unknown too. It stands for its
            // first items, the same placeholders `!Select [i, …]` of it gives: two subnets
            // (in two zones, as a load balancer or V2 link usually has), one of anything
            // else.
            Val::Unk(u) => {
                self.unknown(at.clone(), u);
                let n = if want == Coll::Subnets { 2 } else { 1 };
                (0..n)
                    .map(|i| {
                        Val::Unk(Unk {
                            expr: format!("!Select [{i}, {}]", u.expr),
                            reason: u.reason.clone(),
                            key: format!("{}[{i}]", u.key),
                            show: format!("{}[{i}]", u.show),
                            index: Some(i),
                        })
                    })
                    .collect()
            }
            other => vec![other.clone()],
        };
        let mut out = Vec::new();
        for item in &items {
            if let Some(id) = self.reference(item, want, hint, at)? {
                if !out.contains(&id) {
                    out.push(id);
                }
            } else if !item.is_null() {
                let u = item.first_unknown().cloned();
                let expr = u
                    .as_ref()
                    .map(|u| u.expr.clone())
                    .or_else(|| item.display())
                    .unwrap_or_default();
                self.unknown_at(
                    at.clone(),
                    &expr,
                    &format!(
                        "refers to a {} outside the template; it is left out",
                        want.noun()
                    ),
                );
            }
        }
        Ok(out)
    }

    // ---------------------------------------------------------------------------------
    // Placeholders.

    #[allow(clippy::too_many_arguments)]
    fn placeholder(
        &mut self,
        want: Coll,
        key: &str,
        expr: &str,
        reason: &str,
        literal: Option<&str>,
        v: &Val,
        hint: &Hint,
    ) -> Option<Id> {
        if let Some(id) = self.placeholders.get(&(want, key.to_owned())) {
            return Some(id.clone());
        }
        let arn_name = literal
            .and_then(|l| l.parse::<crate::model::Arn>().ok())
            .and_then(|a| {
                // `loadbalancer/net/<name>/<id>`, `targetgroup/<name>/<id>`: the name.
                let parts: Vec<&str> = a.resource().split('/').collect();
                parts
                    .len()
                    .checked_sub(2)
                    .and_then(|i| parts.get(i))
                    .map(|n| kebab(n))
            });
        let base = match (literal, arn_name) {
            (_, Some(name)) if !name.is_empty() => name,
            (Some(l), _) if l.parse::<Id>().is_ok() && !l.contains(':') && !l.contains('/') => {
                l.to_owned()
            }
            _ => {
                let u = v.first_unknown();
                let mut b = kebab(u.map(|u| u.show.as_str()).unwrap_or(key));
                if let Some(i) = u.and_then(|u| u.index) {
                    if !b.ends_with(&i.to_string()) {
                        b = format!("{b}-{i}");
                    }
                }
                b
            }
        };
        if want == Coll::Vpcs {
            let aws_id = literal.map(str::to_owned);
            return Some(self.vpc_placeholder(key, &base, expr, reason, aws_id));
        }
        let vpc = match want {
            Coll::Subnets | Coll::SecurityGroups | Coll::TargetGroups => {
                Some(self.context_vpc(hint))
            }
            _ => None,
        };
        let id = self.fresh(want, &base);
        let path = JsonPointer::resource(want.as_str(), &id);
        let aws_id = literal.map(str::to_owned);
        match want {
            Coll::Subnets => {
                let vpc = vpc?;
                let az = self.next_zone(v.first_unknown().and_then(|u| u.index));
                self.topo.subnets.0.insert(
                    id.clone(),
                    Subnet {
                        vpc,
                        az,
                        cidr: self.default_cidr,
                        network_acl: None,
                        aws_id,
                        name: None,
                    },
                );
                self.pending_subnet_cidrs.push(id.clone());
            }
            Coll::SecurityGroups => {
                let vpc = vpc?;
                self.topo
                    .security_groups
                    .0
                    .insert(id.clone(), permissive_group(vpc, aws_id));
            }
            Coll::TargetGroups => {
                let vpc = vpc?;
                self.topo.target_groups.0.insert(
                    id.clone(),
                    crate::model::TargetGroup {
                        vpc,
                        protocol: hint.protocol.unwrap_or(LbProtocol::Tcp),
                        port: 80,
                        target_type: crate::model::TargetType::Instance,
                        health_check: crate::model::HealthCheck::default(),
                        targets: Vec::new(),
                        preserve_client_ip: None,
                        cross_zone: None,
                        arn: literal.and_then(|l| l.parse().ok()),
                        name: None,
                    },
                );
            }
            Coll::VpcLinks => {
                let mut link = VpcLink {
                    targets: Vec::new(),
                    subnets: Vec::new(),
                    security_groups: Vec::new(),
                    aws_id,
                    name: None,
                };
                if hint.v2 {
                    let sub_hint = hint.clone();
                    let subnet = self.placeholder(
                        Coll::Subnets,
                        &format!("{key}/subnet"),
                        expr,
                        reason,
                        None,
                        v,
                        &sub_hint,
                    )?;
                    link.subnets.push(subnet);
                }
                self.topo.vpc_links.0.insert(id.clone(), link);
            }
            Coll::LoadBalancers if hint.outside_lb => {
                // A V1 link's network load balancer outside the template: its ARN (when
                // literal) is kept for the Region and account rules; its listeners are
                // unknown, so `finish_routes` marks the integrations through it unknown.
                self.topo.load_balancers.0.insert(
                    id.clone(),
                    crate::model::LoadBalancer {
                        kind: crate::model::LoadBalancerType::Network,
                        scheme: crate::model::Scheme::Internal,
                        subnets: Vec::new(),
                        security_groups: Vec::new(),
                        cross_zone: None,
                        enforce_inbound_rules_on_privatelink: None,
                        listeners: Vec::new(),
                        arn: literal.and_then(|l| l.parse().ok()),
                        name: None,
                    },
                );
            }
            // Instances, other load balancers, APIs and alarms outside the template are
            // left out by the caller rather than invented.
            _ => return None,
        }
        let why = format!(
            "{reason}; a permissive placeholder {} stands in for it",
            want.noun()
        );
        if want == Coll::LoadBalancers && literal.is_some() {
            // A known ARN: only what lies behind it is unknown, so the Region and account
            // rules still read the ARN.
            for part in ["subnets", "security_groups", "listeners"] {
                self.unknown_at(path.clone().key(part), expr, &why);
            }
        } else {
            self.unknown_at(path, expr, &why);
        }
        self.placeholders.insert((want, key.to_owned()), id.clone());
        Some(id)
    }

    /// The VPC a placeholder joins: the hint, else the template's only VPC, else a
    /// placeholder VPC of its own (shared by all such placeholders).
    pub fn context_vpc(&mut self, hint: &Hint) -> Id {
        if let Some(v) = &hint.vpc {
            return v.clone();
        }
        if let Some(v) = &self.context {
            return v.clone();
        }
        let template_vpcs: Vec<&Id> = self
            .ids
            .values()
            .filter(|(c, _)| *c == Coll::Vpcs)
            .map(|(_, id)| id)
            .collect();
        if let [only] = template_vpcs.as_slice() {
            return (*only).clone();
        }
        for key in ["context", "default-vpc"] {
            if let Some(id) = self.placeholders.get(&(Coll::Vpcs, key.to_owned())) {
                return id.clone();
            }
        }
        self.vpc_placeholder(
            "context",
            "unknown-vpc",
            "(not stated)",
            "the VPC of resources whose VPC comes from outside the template",
            None,
        )
    }

    /// When every `VpcId` in the template names the same VPC (a parameter, an import, a VPC
    /// of the template), placeholders that know no VPC of their own join it: subnets from
    /// parameters then sit in the VPC their target groups and security groups name.
    pub fn infer_context_vpc(&mut self) -> Result<(), ImportError> {
        let t = self.t;
        let mut seen: Vec<(String, Val)> = Vec::new();
        for r in &t.resources {
            if collection_of(&r.kind).is_none() {
                continue;
            }
            let Some(v) = self.prop(r, "VpcId")? else {
                continue;
            };
            let key = match (
                self.local_ref(&v, Coll::Vpcs),
                v.as_lit(),
                v.first_unknown(),
            ) {
                (Some(id), _, _) => format!("local:{id}"),
                (None, Some(l), _) => format!("lit:{l}"),
                (None, None, Some(u)) => u.key.clone(),
                _ => continue,
            };
            if !seen.iter().any(|(k, _)| *k == key) {
                seen.push((key, v));
            }
        }
        if let [(_, v)] = seen.as_slice() {
            let v = v.clone();
            let at = JsonPointer::root();
            self.context = self.reference(&v, Coll::Vpcs, &Hint::default(), &at)?;
        }
        Ok(())
    }

    /// Whether `id` of `coll` is a placeholder for something outside the template.
    pub fn is_placeholder(&self, coll: Coll, id: &Id) -> bool {
        self.placeholders
            .iter()
            .any(|((c, _), p)| *c == coll && p == id)
    }

    /// The default VPC, for resources that name no VPC (security groups without `VpcId`).
    pub fn default_vpc(&mut self) -> Id {
        self.vpc_placeholder(
            "default-vpc",
            "default-vpc",
            "(no VpcId)",
            "no VPC is named, so the account's default VPC is used",
            None,
        )
    }

    fn vpc_placeholder(
        &mut self,
        key: &str,
        base: &str,
        expr: &str,
        reason: &str,
        aws_id: Option<String>,
    ) -> Id {
        if let Some(id) = self.placeholders.get(&(Coll::Vpcs, key.to_owned())) {
            return id.clone();
        }
        let id = self.fresh(Coll::Vpcs, base);
        self.topo.vpcs.0.insert(
            id.clone(),
            Vpc {
                cidr: self.default_cidr,
                secondary_cidrs: Vec::new(),
                aws_id,
                name: None,
            },
        );
        self.pending_vpc_cidrs.push(id.clone());
        self.unknown_at(
            JsonPointer::resource("vpcs", &id),
            expr,
            &format!("{reason}; a placeholder VPC stands in for it"),
        );
        self.placeholders
            .insert((Coll::Vpcs, key.to_owned()), id.clone());
        id
    }

    /// A zone for a subnet whose zone is unknown: `!Select [i, !GetAZs]` gets letter `i`,
    /// anything else the first letter no subnet uses yet, so placeholders never share a
    /// zone by chance.
    pub fn next_zone(&mut self, index: Option<usize>) -> Az {
        let region = self.topo.region.to_string();
        let zone = |n: usize| -> Option<Az> {
            let letter = char::from(b'a' + u8::try_from(n % 26).ok()?);
            format!("{region}{letter}").parse().ok()
        };
        let picked = match index {
            Some(i) => zone(i),
            None => (0..26)
                .filter_map(zone)
                .find(|z| !self.topo.subnets.iter().any(|(_, s)| s.az == *z)),
        };
        picked.unwrap_or_else(|| self.first_zone.clone())
    }

    // ---------------------------------------------------------------------------------
    // Finishing the network: placeholder CIDRs and addresses.

    /// CIDRs for placeholder VPCs (covering their known subnets) and for subnets whose
    /// CIDR is unknown (free blocks inside their VPC, so that nothing overlaps).
    pub fn finish_network(&mut self) {
        for vpc_id in std::mem::take(&mut self.pending_vpc_cidrs) {
            let known: Vec<Cidr> = self
                .topo
                .subnets
                .iter()
                .filter(|(id, s)| s.vpc == vpc_id && !self.pending_subnet_cidrs.contains(id))
                .map(|(_, s)| s.cidr)
                .filter(Cidr::is_ipv4)
                .collect();
            let cidr = covering(&known).unwrap_or(self.default_cidr);
            if let Some(v) = self.topo.vpcs.0.get_mut(&vpc_id) {
                v.cidr = cidr;
            }
        }
        let mut waiting = std::mem::take(&mut self.pending_subnet_cidrs);
        waiting.reverse();
        while let Some(subnet_id) = waiting.pop() {
            let Some(vpc_id) = self
                .topo
                .subnets
                .get(subnet_id.as_str())
                .map(|s| s.vpc.clone())
            else {
                continue;
            };
            let blocks: Vec<Cidr> = self
                .topo
                .vpcs
                .get(vpc_id.as_str())
                .map(|v| {
                    std::iter::once(v.cidr)
                        .chain(v.secondary_cidrs.iter().copied())
                        .collect()
                })
                .unwrap_or_default();
            let used: Vec<Cidr> = self
                .topo
                .subnets
                .iter()
                .filter(|(id, s)| s.vpc == vpc_id && **id != subnet_id && !waiting.contains(id))
                .map(|(_, s)| s.cidr)
                .collect();
            let free = blocks.iter().find_map(|b| free_block(*b, &used));
            if let (Some(cidr), Some(s)) = (free, self.topo.subnets.0.get_mut(&subnet_id)) {
                s.cidr = cidr;
            }
        }
    }

    /// A placeholder private address for an instance, inside its subnet and distinct from
    /// the others handed out there.
    pub fn placeholder_address(&mut self, subnet: &Id) -> Option<IpAddress> {
        let cidr = self.topo.subnets.get(subnet.as_str())?.cidr;
        let ipnet::IpNet::V4(net) = cidr.net() else {
            return None;
        };
        let n = self.addresses.entry(subnet.clone()).or_insert(0);
        *n += 1;
        // AWS reserves the first four addresses of a subnet.
        let offset = 9 + *n;
        let host = u32::from(net.network()).checked_add(offset)?;
        let addr = Ipv4Addr::from(host);
        net.contains(&addr)
            .then(|| addr.to_string().parse().ok())
            .flatten()
    }
}

/// Attributes that are values, not the resource's identity.
fn is_value_attr(attr: Option<&str>) -> bool {
    matches!(
        attr,
        Some(
            "DNSName"
                | "PrivateIp"
                | "PrivateDnsName"
                | "PublicIp"
                | "PublicDnsName"
                | "CidrBlock"
                | "RootResourceId"
                | "DefaultSecurityGroup"
                | "DefaultNetworkAcl"
                | "CanonicalHostedZoneID"
                | "AvailabilityZone"
                | "ApiEndpoint"
        )
    )
}

/// A security group that allows everything: its real rules are unknown, and rules through
/// a prefix list count as possibly matching, so it never blocks a flow.
pub fn permissive_group(vpc: Id, aws_id: Option<String>) -> SecurityGroup {
    SecurityGroup {
        default: false,
        vpc,
        ingress: vec![permissive_rule()],
        egress: None,
        aws_id,
        name: None,
        description: None,
    }
}

/// An inbound rule that may allow anything: its peer is an unknown prefix list.
pub fn permissive_rule() -> IngressRule {
    IngressRule {
        protocol: IpProtocol::All,
        ports: None,
        source: Peer::PrefixList(UNKNOWN_PEER.to_owned()),
        description: Some("placeholder: the real rules are unknown".to_owned()),
    }
}

/// The prefix-list name that marks a peer the template does not give.
pub const UNKNOWN_PEER: &str = "unknown";

/// The smallest block covering `cidrs`, widened to at least a /16 so there is room for
/// placeholder subnets next to them.
fn covering(cidrs: &[Cidr]) -> Option<Cidr> {
    let mut lo = u32::MAX;
    let mut hi = 0u32;
    for c in cidrs {
        if let ipnet::IpNet::V4(n) = c.net() {
            lo = lo.min(u32::from(n.network()));
            hi = hi.max(u32::from(n.broadcast()));
        }
    }
    if cidrs.is_empty() {
        return None;
    }
    let diff = lo ^ hi;
    let prefix = u8::try_from(diff.leading_zeros()).unwrap_or(32).min(16);
    let net = ipnet::Ipv4Net::new(Ipv4Addr::from(lo), prefix)
        .ok()?
        .trunc();
    net.to_string().parse().ok()
}

/// The highest free block inside `within` that overlaps none of `used`: a /24 in a /16,
/// smaller in smaller VPCs.
fn free_block(within: Cidr, used: &[Cidr]) -> Option<Cidr> {
    let ipnet::IpNet::V4(net) = within.net() else {
        return None;
    };
    let prefix = (net.prefix_len() + 8).clamp(24, 28).max(net.prefix_len());
    let size = 1u64 << (32 - u32::from(prefix));
    let base = u64::from(u32::from(net.network()));
    let count = 1u64 << (u32::from(prefix) - u32::from(net.prefix_len()));
    for i in (0..count).rev().take(4096) {
        let start = u32::try_from(base + i * size).ok()?;
        let cand: Cidr = format!("{}/{prefix}", Ipv4Addr::from(start)).parse().ok()?;
        if !used.iter().any(|u| u.overlaps(&cand)) {
            return Some(cand);
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn kebab_case_ids() {
        assert_eq!(
            kebab("NetworkLoadBalancerTargetGroup"),
            "network-load-balancer-target-group"
        );
        assert_eq!(kebab("VPCLink"), "vpc-link");
        assert_eq!(kebab("EC2"), "ec2");
        assert_eq!(kebab("PrivateSubnet1"), "private-subnet-1");
        assert_eq!(kebab("NLBTargetGroup"), "nlb-target-group");
        assert_eq!(kebab("AWS::StackName"), "aws-stack-name");
        assert_eq!(kebab("PrivateSubnetIDs[0]"), "private-subnet-ids-0");
        assert_eq!(
            kebab("SecurityGroupIDsForNLBAndEC2"),
            "security-group-ids-for-nlb-and-ec2"
        );
        assert_eq!(kebab("VPCB9E5F0B4"), "vpc-b9e5f0b4");
        assert_eq!(
            kebab("VPCPrivateSubnet1Subnet8BCA10E0"),
            "vpc-private-subnet-1-subnet-8bca10e0"
        );
        assert_eq!(
            kebab("DeploymentBucket12345678"),
            "deployment-bucket-12345678"
        );
    }

    #[test]
    fn placeholder_blocks_do_not_overlap() {
        let vpc: Cidr = "10.0.0.0/16".parse().unwrap();
        let used: Vec<Cidr> = vec!["10.0.255.0/24".parse().unwrap()];
        assert_eq!(free_block(vpc, &used).unwrap().to_string(), "10.0.254.0/24");
        let small: Cidr = "10.0.0.0/24".parse().unwrap();
        assert_eq!(free_block(small, &[]).unwrap().to_string(), "10.0.0.240/28");
        let known: Vec<Cidr> = vec![
            "172.31.1.0/24".parse().unwrap(),
            "172.31.9.0/24".parse().unwrap(),
        ];
        assert_eq!(covering(&known).unwrap().to_string(), "172.31.0.0/16");
    }
}

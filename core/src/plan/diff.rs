//! The diff: what happens to each resource when `current` becomes `desired`.
//!
//! Every entity (resource or sub-resource) gets a [`Fate`]. A property that AWS cannot
//! change in place ([`super::immutable`]) replaces the resource; so does a reference to a
//! replaced resource through such a property (a subnet of a replaced VPC). A replacement
//! either deletes the old resource first (its name or address would clash with the new
//! one) or creates the new one first (then repoints what used the old one, and deletes
//! it last). Deleting first is only possible once nothing holds the old resource, so
//! whatever holds it for good ([`Hold::Hard`]) is replaced too, deleting first as well.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::model::{
    EgressRule, HealthCheck, IngressRule, LbProtocol, NaclEntry, Peer, Topology, VpcLinkVersion,
};

use super::error::{PlanError, PlanErrorCode};
use super::immutable;
use super::key::{self, Hold, Key, Kind};
use super::types::Change;

/// Which half of a replacement runs first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Delete the old resource, then create the new one (the two would clash).
    DeleteFirst,
    /// Create the new resource, repoint its users, then delete the old one.
    CreateFirst,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fate {
    /// New: created by this plan.
    Create,
    /// Desired names an AWS resource that `current` does not hold: referenced, left alone.
    Existing,
    /// In both, equal.
    Keep,
    /// In both; changed in place.
    Update(Vec<Change>),
    /// In both; an immutable property changed.
    Replace { changes: Vec<Change>, order: Order },
    /// Only in `current`.
    Delete,
}

impl Fate {
    /// Whether this plan makes a new AWS resource (its id comes from a step's output).
    pub fn renewed(&self) -> bool {
        matches!(self, Fate::Create | Fate::Replace { .. })
    }
    /// Whether this plan removes the resource `current` holds.
    pub fn removes_old(&self) -> bool {
        matches!(self, Fate::Replace { .. } | Fate::Delete)
    }
    /// Whether the resource stays and keeps its AWS id.
    pub fn kept(&self) -> bool {
        matches!(self, Fate::Keep | Fate::Update(_) | Fate::Existing)
    }
}

/// The fate of every entity of `desired` and `current`.
#[derive(Debug, Default)]
pub(crate) struct Fates {
    pub map: BTreeMap<Key, Fate>,
}

impl Fates {
    pub fn get(&self, key: &Key) -> Option<&Fate> {
        self.map.get(key)
    }
    pub fn renewed(&self, key: &Key) -> bool {
        self.map.get(key).is_some_and(Fate::renewed)
    }
    pub fn order(&self, key: &Key) -> Option<Order> {
        match self.map.get(key) {
            Some(Fate::Replace { order, .. }) => Some(*order),
            _ => None,
        }
    }
}

/// Works out every entity's fate.
pub(crate) fn fates(desired: &Topology, current: Option<&Topology>) -> Result<Fates, PlanError> {
    let mut map = BTreeMap::new();
    let desired_entities = key::entities(desired);
    for (k, _) in &desired_entities {
        let fate = match current {
            Some(c) if key::exists(c, k) => {
                check_same_aws_id(desired, c, k)?;
                Fate::Keep
            }
            _ if key::aws_id(desired, k).is_some() => Fate::Existing,
            _ => Fate::Create,
        };
        map.insert(k.clone(), fate);
    }
    // Sub-resources of a resource that exists without `current` are left alone with it.
    for (k, _) in &desired_entities {
        if let Some(owner) = k.owner() {
            if map.get(&owner) == Some(&Fate::Existing) {
                map.insert(k.clone(), Fate::Existing);
            }
        }
    }
    let Some(current) = current else {
        return Ok(Fates { map });
    };
    for (k, _) in key::entities(current) {
        map.entry(k).or_insert(Fate::Delete);
    }

    // Fates depend on the fates of what each entity refers to; iterate to a fixpoint
    // (a handful of rounds: reference chains are short).
    let in_both: Vec<Key> = map
        .iter()
        .filter(|(_, f)| !matches!(f, Fate::Delete | Fate::Create | Fate::Existing))
        .map(|(k, _)| k.clone())
        .collect();
    let mut fates = Fates { map };
    for _ in 0..=in_both.len() {
        let next: Vec<(Key, Fate)> = in_both
            .iter()
            .filter_map(|k| {
                let next = fate_in_both(desired, current, k, &fates);
                (fates.map.get(k) != Some(&next)).then(|| (k.clone(), next))
            })
            .collect();
        if next.is_empty() {
            break;
        }
        fates.map.extend(next);
    }
    let mut map = fates.map;
    mark_redeploys(desired, current, &mut map);
    propagate_delete_first(current, &mut map);
    Ok(Fates { map })
}

fn check_same_aws_id(desired: &Topology, current: &Topology, k: &Key) -> Result<(), PlanError> {
    if let (Some(d), Some(c)) = (key::aws_id(desired, k), key::aws_id(current, k)) {
        if d != c {
            let mut e = PlanError::new(
                PlanErrorCode::AwsIdConflict,
                format!(
                    "{} `{k}` is `{d}` in the desired topology but `{c}` in the current one; \
                     they must name the same AWS resource",
                    k.kind.noun()
                ),
            );
            if let Some(p) = key::path_of(desired, k) {
                e = e.at(p);
            }
            return Err(e);
        }
    }
    Ok(())
}

/// The fate of an entity both topologies hold, given the fates of what it refers to.
fn fate_in_both(desired: &Topology, current: &Topology, k: &Key, fates: &Fates) -> Fate {
    if let Some(owner) = k.owner() {
        // A new owner comes with new sub-resources; the old ones go with the old owner.
        if fates.renewed(&owner) {
            return Fate::Create;
        }
    }
    let changes = changes(desired, current, k, fates);
    if changes.iter().any(|c| c.immutable) {
        let order = match fates.order(k) {
            // Keep a decision already escalated by propagation.
            Some(Order::DeleteFirst) => Order::DeleteFirst,
            _ => replace_order(desired, current, k, fates),
        };
        Fate::Replace { changes, order }
    } else if changes.is_empty() {
        Fate::Keep
    } else {
        Fate::Update(changes)
    }
}

/// Whether the new resource would clash with the old one, so the old must go first.
fn replace_order(desired: &Topology, current: &Topology, k: &Key, fates: &Fates) -> Order {
    let id = k.id.as_str();
    let same_name = || key::aws_name(desired, k) == key::aws_name(current, k);
    let clash = match k.kind {
        // Load balancer and target group names are unique per account and Region
        // (facts §4.1, §4.5); group names per VPC (facts §5).
        Kind::LoadBalancer | Kind::TargetGroup => same_name(),
        Kind::SecurityGroup => {
            let same_vpc = desired.security_groups.get(id).map(|s| &s.vpc)
                == current.security_groups.get(id).map(|s| &s.vpc);
            same_name() && same_vpc && !fates.renewed(&vpc_key(desired, k))
        }
        // Two subnets of one VPC cannot overlap.
        Kind::Subnet => match (desired.subnets.get(id), current.subnets.get(id)) {
            (Some(d), Some(c)) => {
                d.vpc == c.vpc
                    && d.cidr.overlaps(&c.cidr)
                    && !fates.renewed(&Key::new(Kind::Vpc, d.vpc.as_str()))
            }
            _ => false,
        },
        // Two instances cannot hold one private address.
        Kind::Instance => match (desired.instances.get(id), current.instances.get(id)) {
            (Some(d), Some(c)) => d.private_ip.is_some() && d.private_ip == c.private_ip,
            _ => false,
        },
        // A port, a route key or a stage name is unique within its owner.
        Kind::Listener | Kind::RestStage | Kind::HttpRoute | Kind::HttpStage => true,
        _ => false,
    };
    if clash {
        Order::DeleteFirst
    } else {
        Order::CreateFirst
    }
}

fn vpc_key(t: &Topology, k: &Key) -> Key {
    let vpc = t
        .security_groups
        .get(&k.id)
        .map(|s| s.vpc.as_str())
        .unwrap_or_default();
    Key::new(Kind::Vpc, vpc)
}

/// REST stages serve a deployment: any change to the API's routes needs a new one.
fn mark_redeploys(desired: &Topology, current: &Topology, map: &mut BTreeMap<Key, Fate>) {
    let changed: BTreeSet<String> = map
        .iter()
        .filter(|(k, f)| k.kind == Kind::RestRoute && **f != Fate::Keep)
        .map(|(k, _)| k.id.clone())
        .collect();
    for (api_id, api) in &desired.rest_apis {
        let api_key = Key::new(Kind::RestApi, api_id.as_str());
        if !map.get(&api_key).is_some_and(Fate::kept) || !changed.contains(api_id.as_str()) {
            continue;
        }
        for (stage, _) in api.stages.iter() {
            let k = Key::sub(Kind::RestStage, api_id.as_str(), stage.as_str());
            let deployed = current
                .rest_apis
                .get(api_id.as_str())
                .is_some_and(|a| a.stages.get(stage).is_some());
            if !deployed {
                continue;
            }
            let redeploy = Change {
                property: "/deployment".into(),
                from: None,
                to: None,
                immutable: false,
                reason: Some(format!(
                    "the routes of REST API `{api_id}` changed, so the stage needs a new deployment"
                )),
            };
            match map.get_mut(&k) {
                Some(Fate::Keep) => {
                    map.insert(k, Fate::Update(vec![redeploy]));
                }
                Some(Fate::Update(changes)) => changes.push(redeploy),
                _ => {}
            }
        }
    }
}

/// A resource deleted first cannot go while something holds it for good: replace each
/// such holder too, deleting it first as well (facts §9.4).
fn propagate_delete_first(current: &Topology, map: &mut BTreeMap<Key, Fate>) {
    let holders: Vec<(Key, Vec<key::Reference>)> = key::entities(current)
        .into_iter()
        .map(|(k, _)| {
            let refs = key::references(current, &k);
            (k, refs)
        })
        .collect();
    loop {
        let first: BTreeSet<Key> = map
            .iter()
            .filter(|(_, f)| {
                matches!(
                    f,
                    Fate::Replace {
                        order: Order::DeleteFirst,
                        ..
                    }
                )
            })
            .map(|(k, _)| k.clone())
            .collect();
        let mut escalate: Vec<(Key, Key)> = Vec::new();
        for (holder, refs) in &holders {
            for r in refs {
                if r.hold == Hold::Hard && first.contains(&r.to) {
                    // A sub-resource renewed with its owner goes with the owner.
                    let target = match (map.get(holder), holder.owner()) {
                        (Some(Fate::Create), Some(owner)) => owner,
                        _ => holder.clone(),
                    };
                    escalate.push((target, r.to.clone()));
                }
            }
        }
        let mut changed = false;
        for (holder, held) in escalate {
            let because = format!(
                "{} `{held}` is deleted before it is recreated, and AWS does not delete it \
                 while this {} uses it",
                held.kind.noun(),
                holder.kind.noun()
            );
            let next = match map.get(&holder) {
                Some(Fate::Keep) => Some(Fate::Replace {
                    changes: vec![held_change(&held, because)],
                    order: Order::DeleteFirst,
                }),
                Some(Fate::Update(changes)) => {
                    let mut changes = changes.clone();
                    changes.push(held_change(&held, because));
                    Some(Fate::Replace {
                        changes,
                        order: Order::DeleteFirst,
                    })
                }
                Some(Fate::Replace {
                    changes,
                    order: Order::CreateFirst,
                }) => Some(Fate::Replace {
                    changes: changes.clone(),
                    order: Order::DeleteFirst,
                }),
                _ => None,
            };
            if let Some(next) = next {
                map.insert(holder, next);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

fn held_change(held: &Key, reason: String) -> Change {
    Change {
        property: format!("/{}", held.kind.word()),
        from: Some(Value::String(held.to_string())),
        to: Some(Value::String(held.to_string())),
        immutable: true,
        reason: Some(reason),
    }
}

/// Collects the changes of one entity.
struct Diff<'f> {
    kind: Kind,
    fates: &'f Fates,
    out: Vec<Change>,
}

fn json<T: Serialize + ?Sized>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

impl Diff<'_> {
    fn push(&mut self, property: &str, from: Value, to: Value, immutable: bool) {
        self.out.push(Change {
            property: property.to_owned(),
            from: (!from.is_null()).then_some(from),
            to: (!to.is_null()).then_some(to),
            immutable,
            reason: None,
        });
    }
    /// Compares one property; immutability comes from the table.
    fn value<T: Serialize + PartialEq + ?Sized>(&mut self, property: &str, from: &T, to: &T) {
        if from != to {
            let imm = immutable::is_immutable(self.kind, property);
            self.push(property, json(from), json(to), imm);
        }
    }
    /// Compares a property that names other entities: a change of ids, or the same ids
    /// when one of them is recreated (its AWS id changes).
    fn refs(&mut self, property: &str, kind: Kind, from: &[&str], to: &[&str]) {
        self.refs_as(
            property,
            kind,
            from,
            to,
            immutable::is_immutable(self.kind, property),
        );
    }
    fn refs_as(&mut self, property: &str, kind: Kind, from: &[&str], to: &[&str], imm: bool) {
        let a: BTreeSet<&str> = from.iter().copied().collect();
        let b: BTreeSet<&str> = to.iter().copied().collect();
        if a != b {
            self.push(property, json(&a), json(&b), imm);
            return;
        }
        let renewed: Vec<&str> = b
            .iter()
            .copied()
            .filter(|id| self.fates.renewed(&Key::new(kind, *id)))
            .collect();
        if !renewed.is_empty() {
            self.out.push(Change {
                property: property.to_owned(),
                from: Some(json(&a)),
                to: Some(json(&b)),
                immutable: imm,
                reason: Some(format!(
                    "{} {} recreated, so its AWS id changes",
                    kind.noun(),
                    renewed
                        .iter()
                        .map(|id| format!("`{id}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            });
        }
    }
    fn renewed(&self, kind: Kind, id: &str) -> bool {
        self.fates.renewed(&Key::new(kind, id))
    }
}

/// The changes between the desired and the current entity, with the fates known so far.
fn changes(desired: &Topology, current: &Topology, k: &Key, fates: &Fates) -> Vec<Change> {
    let mut d = Diff {
        kind: k.kind,
        fates,
        out: Vec::new(),
    };
    let id = k.id.as_str();
    let sub = k.sub.as_deref().unwrap_or("");
    let name = |d: &mut Diff<'_>| {
        d.value(
            "/name",
            &key::aws_name(current, k),
            &key::aws_name(desired, k),
        );
    };
    match k.kind {
        Kind::Vpc => {
            if let (Some(a), Some(b)) = (current.vpcs.get(id), desired.vpcs.get(id)) {
                d.value("/cidr", &a.cidr, &b.cidr);
                let sa: BTreeSet<_> = a.secondary_cidrs.iter().collect();
                let sb: BTreeSet<_> = b.secondary_cidrs.iter().collect();
                d.value("/secondary_cidrs", &sa, &sb);
                name(&mut d);
            }
        }
        Kind::Subnet => {
            if let (Some(a), Some(b)) = (current.subnets.get(id), desired.subnets.get(id)) {
                d.refs("/vpc", Kind::Vpc, &[a.vpc.as_str()], &[b.vpc.as_str()]);
                d.value("/az", &a.az, &b.az);
                d.value("/cidr", &a.cidr, &b.cidr);
                let acl = |s: &crate::model::Subnet| {
                    s.network_acl
                        .iter()
                        .map(|x| x.as_str().to_owned())
                        .collect()
                };
                let (fa, fb): (Vec<String>, Vec<String>) = (acl(a), acl(b));
                let fa: Vec<&str> = fa.iter().map(String::as_str).collect();
                let fb: Vec<&str> = fb.iter().map(String::as_str).collect();
                d.refs("/network_acl", Kind::NetworkAcl, &fa, &fb);
                name(&mut d);
            }
        }
        Kind::SecurityGroup => {
            if let (Some(a), Some(b)) = (
                current.security_groups.get(id),
                desired.security_groups.get(id),
            ) {
                d.refs("/vpc", Kind::Vpc, &[a.vpc.as_str()], &[b.vpc.as_str()]);
                name(&mut d);
                d.value(
                    "/description",
                    &key::group_description(id, a),
                    &key::group_description(id, b),
                );
                rules(
                    &mut d,
                    "/ingress",
                    &ingress_set(&a.ingress),
                    &ingress_set(&b.ingress),
                );
                rules(
                    &mut d,
                    "/egress",
                    &egress_set(a.egress.as_deref()),
                    &egress_set(b.egress.as_deref()),
                );
            }
        }
        Kind::NetworkAcl => {
            if let (Some(a), Some(b)) = (current.network_acls.get(id), desired.network_acls.get(id))
            {
                d.refs("/vpc", Kind::Vpc, &[a.vpc.as_str()], &[b.vpc.as_str()]);
                d.value("/default", &a.default, &b.default);
                d.value("/ingress", &entry_map(&a.ingress), &entry_map(&b.ingress));
                d.value("/egress", &entry_map(&a.egress), &entry_map(&b.egress));
                name(&mut d);
            }
        }
        Kind::Instance => {
            if let (Some(a), Some(b)) = (current.instances.get(id), desired.instances.get(id)) {
                d.refs(
                    "/subnet",
                    Kind::Subnet,
                    &[a.subnet.as_str()],
                    &[b.subnet.as_str()],
                );
                // An absent desired value means "whatever it is": no change.
                if let (Some(x), Some(y)) = (&a.image_id, &b.image_id) {
                    d.value("/image_id", x, y);
                }
                if let (Some(x), Some(y)) = (&a.private_ip, &b.private_ip) {
                    d.value("/private_ip", x, y);
                }
                if let (Some(x), Some(y)) = (&a.instance_type, &b.instance_type) {
                    d.value("/instance_type", x, y);
                }
                let ga: Vec<&str> = a.security_groups.iter().map(|x| x.as_str()).collect();
                let gb: Vec<&str> = b.security_groups.iter().map(|x| x.as_str()).collect();
                d.refs("/security_groups", Kind::SecurityGroup, &ga, &gb);
                name(&mut d);
            }
        }
        Kind::TargetGroup => {
            if let (Some(a), Some(b)) =
                (current.target_groups.get(id), desired.target_groups.get(id))
            {
                d.refs("/vpc", Kind::Vpc, &[a.vpc.as_str()], &[b.vpc.as_str()]);
                d.value("/protocol", &a.protocol, &b.protocol);
                d.value("/port", &a.port, &b.port);
                d.value("/target_type", &a.target_type, &b.target_type);
                name(&mut d);
                let (ha, hb) = (health_check(&a.health_check), health_check(&b.health_check));
                for (field, va) in &ha {
                    let vb = hb.get(field).unwrap_or(&Value::Null);
                    d.value(&format!("/health_check/{field}"), va, vb);
                }
                d.value(
                    "/preserve_client_ip",
                    &a.preserves_client_ip(),
                    &b.preserves_client_ip(),
                );
                d.value(
                    "/cross_zone",
                    &a.cross_zone.unwrap_or_default(),
                    &b.cross_zone.unwrap_or_default(),
                );
                let ta = targets(a);
                let tb = targets(b);
                let kind = match b.target_type {
                    crate::model::TargetType::Alb => Kind::LoadBalancer,
                    _ => Kind::Instance,
                };
                if ta != tb {
                    d.value("/targets", &ta, &tb);
                } else if let Some(renewed) = tb.iter().find(|t| d.renewed(kind, &t.0)) {
                    d.out.push(Change {
                        property: "/targets".into(),
                        from: Some(json(&ta)),
                        to: Some(json(&tb)),
                        immutable: false,
                        reason: Some(format!(
                            "{} `{}` is recreated, so the target's id changes",
                            kind.noun(),
                            renewed.0
                        )),
                    });
                }
            }
        }
        Kind::LoadBalancer => {
            if let (Some(a), Some(b)) = (
                current.load_balancers.get(id),
                desired.load_balancers.get(id),
            ) {
                d.value("/type", &a.kind, &b.kind);
                d.value("/scheme", &a.scheme, &b.scheme);
                name(&mut d);
                let sa: Vec<&str> = a.subnets.iter().map(|x| x.as_str()).collect();
                let sb: Vec<&str> = b.subnets.iter().map(|x| x.as_str()).collect();
                let removes = sa
                    .iter()
                    .any(|s| !sb.contains(s) || d.renewed(Kind::Subnet, s));
                let linked = |t: &Topology| {
                    t.vpc_links.iter().any(|(_, l)| {
                        l.version() == VpcLinkVersion::V1
                            && l.targets.iter().any(|x| x.as_str() == id)
                    })
                };
                let imm = immutable::load_balancer_subnets_replace(
                    removes,
                    linked(current) || linked(desired),
                );
                d.refs_as("/subnets", Kind::Subnet, &sa, &sb, imm);
                let ga: Vec<&str> = a.security_groups.iter().map(|x| x.as_str()).collect();
                let gb: Vec<&str> = b.security_groups.iter().map(|x| x.as_str()).collect();
                let imm = immutable::load_balancer_groups_replace(!ga.is_empty(), !gb.is_empty());
                d.refs_as("/security_groups", Kind::SecurityGroup, &ga, &gb, imm);
                d.value(
                    "/cross_zone",
                    &a.cross_zone.unwrap_or(false),
                    &b.cross_zone.unwrap_or(false),
                );
                if !b.security_groups.is_empty() {
                    d.value(
                        "/enforce_inbound_rules_on_privatelink",
                        &a.enforce_inbound_rules_on_privatelink.unwrap_or(true),
                        &b.enforce_inbound_rules_on_privatelink.unwrap_or(true),
                    );
                }
            }
        }
        Kind::Listener => {
            let find = |t: &Topology| {
                t.load_balancers
                    .get(id)
                    .and_then(|lb| lb.listeners.iter().find(|l| l.port.to_string() == sub))
                    .cloned()
            };
            if let (Some(a), Some(b)) = (find(current), find(desired)) {
                d.value("/protocol", &a.protocol, &b.protocol);
                d.refs(
                    "/forward",
                    Kind::TargetGroup,
                    &[a.forward.as_str()],
                    &[b.forward.as_str()],
                );
                d.value("/certificate", &a.certificate, &b.certificate);
            }
        }
        Kind::VpcLink => {
            if let (Some(a), Some(b)) = (current.vpc_links.get(id), desired.vpc_links.get(id)) {
                let ids = |v: &[crate::model::Id]| -> Vec<String> {
                    v.iter().map(|x| x.as_str().to_owned()).collect()
                };
                for (prop, kind, xa, xb) in [
                    (
                        "/targets",
                        Kind::LoadBalancer,
                        ids(&a.targets),
                        ids(&b.targets),
                    ),
                    ("/subnets", Kind::Subnet, ids(&a.subnets), ids(&b.subnets)),
                    (
                        "/security_groups",
                        Kind::SecurityGroup,
                        ids(&a.security_groups),
                        ids(&b.security_groups),
                    ),
                ] {
                    let xa: Vec<&str> = xa.iter().map(String::as_str).collect();
                    let xb: Vec<&str> = xb.iter().map(String::as_str).collect();
                    d.refs(prop, kind, &xa, &xb);
                }
                name(&mut d);
            }
        }
        Kind::RestApi => {
            if let (Some(a), Some(b)) = (current.rest_apis.get(id), desired.rest_apis.get(id)) {
                name(&mut d);
                d.value("/endpoint_type", &a.endpoint_type, &b.endpoint_type);
            }
        }
        Kind::HttpApi => name(&mut d),
        Kind::RestRoute | Kind::HttpRoute => {
            let find = |t: &Topology| {
                if k.kind == Kind::RestRoute {
                    let api = t.rest_apis.get(id)?;
                    Some((api.routes.get(sub)?.clone(), api.stages.clone()))
                } else {
                    let api = t.http_apis.get(id)?;
                    Some((api.routes.get(sub)?.clone(), api.stages.clone()))
                }
            };
            if let (Some((a, sa)), Some((b, sb))) = (find(current), find(desired)) {
                d.value("/authorization", &a.authorization, &b.authorization);
                if a.integration != b.integration {
                    d.value("/integration", &a.integration, &b.integration);
                } else {
                    let la = key::links_of_integration(&a.integration, &sa);
                    let lb = key::links_of_integration(&b.integration, &sb);
                    d.refs("/integration/vpc_link", Kind::VpcLink, &la, &lb);
                    if let Some(t) = &b.integration.target {
                        let lb = t.load_balancer.as_str();
                        d.refs(
                            "/integration/target/load_balancer",
                            Kind::LoadBalancer,
                            &[lb],
                            &[lb],
                        );
                        // An HTTP integration names the listener itself (facts §3.7).
                        let port = t.port.or_else(|| {
                            desired
                                .load_balancers
                                .get(lb)
                                .and_then(|x| x.listeners.first())
                                .map(|l| l.port)
                        });
                        let listener = port.map(|p| Key::sub(Kind::Listener, lb, p.to_string()));
                        if !d.out.iter().any(|c| c.property.starts_with("/integration"))
                            && k.kind == Kind::HttpRoute
                            && listener.is_some_and(|l| fates.renewed(&l))
                        {
                            d.out.push(Change {
                                property: "/integration/target".into(),
                                from: Some(json(t)),
                                to: Some(json(t)),
                                immutable: false,
                                reason: Some(format!(
                                    "the listener of load balancer `{lb}` is recreated, so its ARN changes"
                                )),
                            });
                        }
                    }
                }
            }
        }
        Kind::RestStage | Kind::HttpStage => {
            let find = |t: &Topology| {
                if k.kind == Kind::RestStage {
                    t.rest_apis.get(id)?.stages.get(sub).cloned()
                } else {
                    t.http_apis.get(id)?.stages.get(sub).cloned()
                }
            };
            if let (Some(a), Some(b)) = (find(current), find(desired)) {
                if k.kind == Kind::RestStage {
                    d.value("/logging", &a.logging, &b.logging);
                }
                d.value("/metrics", &a.metrics, &b.metrics);
                d.value(
                    "/access_log_destination",
                    &a.access_log_destination,
                    &b.access_log_destination,
                );
                d.value("/variables", &a.variables.0, &b.variables.0);
            }
        }
        Kind::Alarm => {
            if let (Some(a), Some(b)) = (current.alarms.get(id), desired.alarms.get(id)) {
                name(&mut d);
                let strip = |x: &crate::model::Alarm| {
                    let mut v = json(x);
                    if let Some(o) = v.as_object_mut() {
                        o.remove("name");
                    }
                    v
                };
                let (va, vb) = (strip(a), strip(b));
                if va != vb {
                    d.push("/", va, vb, false);
                } else {
                    for (kind, r) in [
                        (Kind::TargetGroup, b.target_group.as_ref()),
                        (Kind::LoadBalancer, b.load_balancer.as_ref()),
                    ] {
                        if let Some(r) = r {
                            let prop = format!("/{}", kind.word());
                            d.refs(&prop, kind, &[r.as_str()], &[r.as_str()]);
                        }
                    }
                    if let Some(api) = &b.api {
                        if desired.http_apis.contains(api.as_str()) {
                            d.refs("/api", Kind::HttpApi, &[api.as_str()], &[api.as_str()]);
                        }
                    }
                }
            }
        }
    }
    d.out
}

/// A security-group rule as AWS compares it: protocol, ports and peer (descriptions are
/// labels and do not make a rule different).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct RuleKey {
    pub protocol: String,
    pub ports: Option<String>,
    pub peer: String,
    pub peer_kind: &'static str,
}

fn rule_key(
    protocol: crate::model::IpProtocol,
    ports: Option<crate::model::PortRange>,
    peer: &Peer,
) -> RuleKey {
    let (peer_kind, peer) = match peer {
        Peer::Cidr(c) => ("cidr", c.to_string()),
        Peer::SecurityGroup(g) => ("security_group", g.as_str().to_owned()),
        Peer::PrefixList(p) => ("prefix_list", p.clone()),
    };
    RuleKey {
        protocol: protocol.to_string(),
        ports: if protocol.has_ports() {
            ports.map(|p| p.to_string())
        } else {
            None
        },
        peer,
        peer_kind,
    }
}

pub(crate) fn ingress_set(rules: &[IngressRule]) -> BTreeSet<RuleKey> {
    rules
        .iter()
        .map(|r| rule_key(r.protocol, r.ports, &r.source))
        .collect()
}

/// Absent egress is what AWS gives a new group: everything out to anywhere (facts §5.1).
pub(crate) fn egress_set(rules: Option<&[EgressRule]>) -> BTreeSet<RuleKey> {
    match rules {
        Some(rules) => rules
            .iter()
            .map(|r| rule_key(r.protocol, r.ports, &r.destination))
            .collect(),
        None => [RuleKey {
            protocol: "all".into(),
            ports: None,
            peer: "0.0.0.0/0".into(),
            peer_kind: "cidr",
        }]
        .into_iter()
        .collect(),
    }
}

fn rules(d: &mut Diff<'_>, property: &str, a: &BTreeSet<RuleKey>, b: &BTreeSet<RuleKey>) {
    if a != b {
        d.value(property, a, b);
        return;
    }
    let renewed: Vec<&RuleKey> = b
        .iter()
        .filter(|r| r.peer_kind == "security_group" && d.renewed(Kind::SecurityGroup, &r.peer))
        .collect();
    if let Some(first) = renewed.first() {
        d.out.push(Change {
            property: property.to_owned(),
            from: Some(json(a)),
            to: Some(json(b)),
            immutable: false,
            reason: Some(format!(
                "security group `{}` is recreated, so rules naming it are revoked and authorized again",
                first.peer
            )),
        });
    }
}

/// NACL entries by rule number, as AWS keys them within a direction.
pub(crate) fn entry_map(entries: &[NaclEntry]) -> BTreeMap<u32, Value> {
    entries.iter().map(|e| (e.rule, json(e))).collect()
}

/// A health check with AWS's defaults filled in (facts §4.6), so that a default written
/// out and a default left out compare equal.
pub(crate) fn health_check(h: &HealthCheck) -> BTreeMap<&'static str, Value> {
    let protocol = h.protocol_or_default();
    let http = matches!(protocol, LbProtocol::Http | LbProtocol::Https);
    let mut m = BTreeMap::new();
    m.insert("protocol", json(&protocol));
    m.insert("port", json(&h.port));
    m.insert(
        "path",
        if http {
            json(h.path_or_default())
        } else {
            Value::Null
        },
    );
    m.insert("interval_seconds", json(&h.interval_or_default()));
    m.insert("timeout_seconds", json(&h.timeout_or_default()));
    m.insert("healthy_threshold", json(&h.healthy_threshold.unwrap_or(5)));
    m.insert(
        "unhealthy_threshold",
        json(&h.unhealthy_threshold.unwrap_or(2)),
    );
    m.insert(
        "matcher",
        if http {
            json(h.matcher.as_deref().unwrap_or("200-399"))
        } else {
            Value::Null
        },
    );
    m
}

/// Targets as (id, port, az) in a stable order.
pub(crate) fn targets(tg: &crate::model::TargetGroup) -> BTreeSet<(String, u16, Option<String>)> {
    tg.targets
        .iter()
        .map(|t| {
            (
                t.id.clone(),
                tg.target_port(t),
                t.az.as_ref().map(|a| a.to_string()),
            )
        })
        .collect()
}

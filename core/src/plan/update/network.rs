//! In-place changes to VPCs, subnets, security-group rules, network ACL entries and
//! instances.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::model::{
    EgressRule, IngressRule, IpProtocol, NaclEntry, Peer, PortRange, SecurityGroup,
};

use super::super::aws;
use super::super::build::{direction, instance_state_wait, ip_permission, nacl_entry_params};
use super::super::ctx::Ctx;
use super::super::diff::{egress_set, ingress_set, RuleKey};
use super::super::error::PlanError;
use super::super::key::{Key, Kind};
use super::super::step::{call, out};
use super::super::types::{Action, Change, Step};
use super::{touches, under};

/// One security-group rule of either direction, with what AWS compares it by.
struct Rule {
    key: RuleKey,
    protocol: IpProtocol,
    ports: Option<PortRange>,
    peer: Peer,
    description: Option<String>,
}

fn rules_of(sg: &SecurityGroup, egress: bool) -> Vec<Rule> {
    let one = |protocol, ports, peer: &Peer, description: &Option<String>, key: RuleKey| Rule {
        key,
        protocol,
        ports,
        peer: peer.clone(),
        description: description.clone(),
    };
    if !egress {
        return sg
            .ingress
            .iter()
            .map(|r: &IngressRule| {
                let key = ingress_set(std::slice::from_ref(r)).into_iter().next();
                (r, key)
            })
            .filter_map(|(r, k)| Some(one(r.protocol, r.ports, &r.source, &r.description, k?)))
            .collect();
    }
    match &sg.egress {
        Some(list) => list
            .iter()
            .map(|r: &EgressRule| {
                let key = egress_set(Some(std::slice::from_ref(r))).into_iter().next();
                (r, key)
            })
            .filter_map(|(r, k)| Some(one(r.protocol, r.ports, &r.destination, &r.description, k?)))
            .collect(),
        // What AWS gives a new group (facts §5.1).
        None => egress_set(None)
            .into_iter()
            .filter_map(|k| {
                let peer = Peer::Cidr("0.0.0.0/0".parse().ok()?);
                Some(one(IpProtocol::All, None, &peer, &None, k))
            })
            .collect(),
    }
}

impl Ctx<'_> {
    pub(crate) fn update_vpc(&mut self, key: &Key, changes: &[Change]) -> Result<(), PlanError> {
        if touches(changes, "/secondary_cidrs") {
            let (Some(c), Some(d)) = (
                self.c.and_then(|c| c.vpcs.get(&key.id)),
                self.d.vpcs.get(&key.id),
            ) else {
                return Ok(());
            };
            let old: BTreeSet<String> = c.secondary_cidrs.iter().map(|x| x.to_string()).collect();
            let new: BTreeSet<String> = d.secondary_cidrs.iter().map(|x| x.to_string()).collect();
            for cidr in new.difference(&old) {
                self.associate_vpc_cidr(key, cidr, true)?;
            }
            let vpc = self.old_id_of(key)?;
            for cidr in old.difference(&new) {
                let lookup = format!("lookup.vpc_cidr.{key}.{cidr}");
                let step = Step::new(
                    lookup.clone(),
                    Action::Lookup,
                    self.res(key),
                    format!("Find the association of CIDR block {cidr} with VPC `{key}`."),
                    call("ec2", "describe_vpcs", json!({ "VpcIds": [vpc.clone()] })),
                )
                .outputs(vec![out(
                    "AssociationId",
                    &format!(
                        "Vpcs[0].CidrBlockAssociationSet[?CidrBlock=={}].AssociationId | [0]",
                        aws::lit(cidr)
                    ),
                )]);
                self.add_once(step);
                self.update_step(
                    key,
                    format!("disassociate.vpc_cidr.{key}.{cidr}"),
                    format!("Remove the secondary CIDR block {cidr} from VPC `{key}`."),
                    call(
                        "ec2",
                        "disassociate_vpc_cidr_block",
                        json!({ "AssociationId": super::super::step::output_ref(&lookup, "AssociationId") }),
                    ),
                    under(changes, "/secondary_cidrs"),
                    true,
                )?;
            }
        }
        self.rename_ec2(key, changes)
    }

    pub(crate) fn update_subnet(&mut self, key: &Key, changes: &[Change]) -> Result<(), PlanError> {
        if touches(changes, "/network_acl") {
            if let Some(s) = self.d.subnets.get(&key.id) {
                match &s.network_acl {
                    Some(acl) => {
                        self.associate_network_acl(
                            key,
                            &Key::new(Kind::NetworkAcl, acl.as_str()),
                            true,
                        )?;
                    }
                    None => {
                        // Back to the VPC's default ACL, which the topology leaves out.
                        let vpc = Key::new(Kind::Vpc, s.vpc.as_str());
                        let acl = self.vpc_default_acl(&vpc)?;
                        let subnet = self.old_id_of(key)?;
                        let label = format!("the default of VPC `{vpc}`");
                        self.associate_network_acl_id(key, subnet, acl, &label, true)?;
                    }
                }
            }
        }
        self.rename_ec2(key, changes)
    }

    pub(crate) fn update_security_group(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        let (Some(c), Some(d)) = (
            self.c.and_then(|c| c.security_groups.get(&key.id)),
            self.d.security_groups.get(&key.id),
        ) else {
            return Ok(());
        };
        for egress in [false, true] {
            let prop = format!("/{}", direction(egress));
            if !touches(changes, &prop) {
                continue;
            }
            let old = rules_of(c, egress);
            let new = rules_of(d, egress);
            let old_keys: BTreeSet<&RuleKey> = old.iter().map(|r| &r.key).collect();
            let new_keys: BTreeSet<&RuleKey> = new.iter().map(|r| &r.key).collect();
            let renewed_peer = |r: &Rule, ctx: &Ctx<'_>| match &r.peer {
                Peer::SecurityGroup(g) => ctx.creates(&Key::new(Kind::SecurityGroup, g.as_str())),
                _ => false,
            };
            let removed: Vec<&Rule> = old
                .iter()
                .filter(|r| !new_keys.contains(&r.key) || renewed_peer(r, self))
                .collect();
            let added: Vec<&Rule> = new
                .iter()
                .filter(|r| !old_keys.contains(&r.key) || renewed_peer(r, self))
                .collect();
            let group = self.old_id_of(key)?;
            if !removed.is_empty() {
                let mut perms = Vec::new();
                for r in &removed {
                    let peer = match &r.peer {
                        Peer::SecurityGroup(g) => {
                            Some(self.old_id_of(&Key::new(Kind::SecurityGroup, g.as_str()))?)
                        }
                        _ => None,
                    };
                    perms.push(ip_permission(r.protocol, r.ports, &r.peer, peer, None));
                }
                let dir = direction(egress);
                let n = perms.len();
                // A detach: re-sent after a crash, the missing rule answers
                // `InvalidPermission.NotFound`, which a detach treats as done.
                let step = Step::new(
                    key.step_with("revoke", dir),
                    Action::Deregister,
                    self.rule_ref(key, egress),
                    format!(
                        "Revoke {n} {} rule{} of security group `{key}` that the topology no longer has.",
                        if egress { "outbound" } else { "inbound" },
                        if n == 1 { "" } else { "s" }
                    ),
                    call(
                        "ec2",
                        &format!("revoke_security_group_{dir}"),
                        json!({ "GroupId": group.clone(), "IpPermissions": perms }),
                    ),
                )
                .changes(under(changes, &prop));
                self.add_update(key, step, true)?;
            }
            if !added.is_empty() {
                let mut perms = Vec::new();
                for r in &added {
                    let peer = match &r.peer {
                        Peer::SecurityGroup(g) => {
                            Some(self.id_of(&Key::new(Kind::SecurityGroup, g.as_str()))?)
                        }
                        _ => None,
                    };
                    perms.push(ip_permission(
                        r.protocol,
                        r.ports,
                        &r.peer,
                        peer,
                        r.description.as_deref(),
                    ));
                }
                let revoke = key.step_with("revoke", direction(egress));
                let after: Vec<String> = if self.has_step(&revoke) {
                    vec![revoke]
                } else {
                    Vec::new()
                };
                let id = self.authorize(key, egress, perms, true, &after)?;
                if let Some(s) = self.step_mut(&id) {
                    s.changes = under(changes, &prop);
                }
            }
        }
        Ok(())
    }

    pub(crate) fn update_network_acl(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        let (Some(c), Some(d)) = (
            self.c.and_then(|c| c.network_acls.get(&key.id)).cloned(),
            self.d.network_acls.get(&key.id).cloned(),
        ) else {
            return Ok(());
        };
        if touches(changes, "/ingress") {
            self.update_nacl_entries(key, &c.ingress, &d.ingress, false)?;
        }
        if touches(changes, "/egress") {
            self.update_nacl_entries(key, &c.egress, &d.egress, true)?;
        }
        self.rename_ec2(key, changes)
    }

    /// Brings one direction of a NACL from `from` to `to`: entries cannot be edited, so a
    /// changed rule number is replaced, a new one created, a dropped one deleted (facts §6).
    pub(crate) fn update_nacl_entries(
        &mut self,
        key: &Key,
        from: &[NaclEntry],
        to: &[NaclEntry],
        egress: bool,
    ) -> Result<(), PlanError> {
        let old: BTreeMap<u32, &NaclEntry> = from.iter().map(|e| (e.rule, e)).collect();
        let dir = direction(egress);
        for (i, e) in to.iter().enumerate() {
            match old.get(&e.rule) {
                None => {
                    self.create_nacl_entry(key, e, egress, i, true)?;
                }
                Some(prev) if *prev != e => {
                    let acl = self.id_of(key)?;
                    let step = Step::new(
                        format!("update.network_acl_entry.{key}.{dir}.{}", e.rule),
                        Action::Update,
                        self.nacl_entry_ref(key, e, egress, i),
                        format!("Replace {dir} rule {} of network ACL `{key}`.", e.rule),
                        call(
                            "ec2",
                            "replace_network_acl_entry",
                            nacl_entry_params(acl.clone(), e, egress),
                        ),
                    )
                    .undo(
                        call(
                            "ec2",
                            "replace_network_acl_entry",
                            nacl_entry_params(acl, prev, egress),
                        ),
                        None,
                    );
                    self.add_update(key, step, false)?;
                }
                Some(_) => {}
            }
        }
        let new: BTreeSet<u32> = to.iter().map(|e| e.rule).collect();
        for e in from.iter().filter(|e| !new.contains(&e.rule)) {
            let acl = self.id_of(key)?;
            let res = super::super::types::ResourceRef {
                kind: "network_acl_entry".into(),
                id: format!("{key}/{dir}/{}", e.rule),
                path: self.res(key).path.key(dir),
            };
            let step = Step::new(
                format!("delete.network_acl_entry.{key}.{dir}.{}", e.rule),
                // A delete: re-sent after a crash, the missing entry answers `NotFound`,
                // which a delete treats as done.
                Action::Delete,
                res,
                format!("Delete {dir} rule {} of network ACL `{key}`.", e.rule),
                call(
                    "ec2",
                    "delete_network_acl_entry",
                    json!({ "NetworkAclId": acl.clone(), "RuleNumber": e.rule, "Egress": egress }),
                ),
            )
            .undo(
                call(
                    "ec2",
                    "create_network_acl_entry",
                    nacl_entry_params(acl, e, egress),
                ),
                None,
            );
            self.add_update(key, step, false)?;
        }
        Ok(())
    }

    pub(crate) fn update_instance(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        let Some(inst) = self.d.instances.get(&key.id).cloned() else {
            return Ok(());
        };
        let instance = self.old_id_of(key)?;
        if touches(changes, "/security_groups") {
            let mut groups = Vec::new();
            for g in &inst.security_groups {
                groups.push(self.id_of(&Key::new(Kind::SecurityGroup, g.as_str()))?);
            }
            // Security groups of a VPC instance change in place (facts §11).
            self.update_step(
                key,
                key.step_with("modify", "instance_groups"),
                format!(
                    "Set the security groups of instance `{key}` to {}.",
                    super::listed(
                        &inst
                            .security_groups
                            .iter()
                            .map(|g| json!(g.as_str()))
                            .collect::<Vec<_>>()
                    )
                ),
                call(
                    "ec2",
                    "modify_instance_attribute",
                    json!({ "InstanceId": instance.clone(), "Groups": groups }),
                ),
                under(changes, "/security_groups"),
                false,
            )?;
        }
        if let (true, Some(kind)) = (touches(changes, "/instance_type"), &inst.instance_type) {
            // The type of an instance changes only while it is stopped.
            let stop = key.step_with("stop", "instance");
            let step = Step::new(
                stop.clone(),
                Action::Update,
                self.res(key),
                format!("Stop instance `{key}` so that its type can change."),
                call(
                    "ec2",
                    "stop_instances",
                    json!({ "InstanceIds": [instance.clone()] }),
                ),
            )
            .wait(instance_state_wait(instance.clone(), "stopped", &[]))
            .seconds(aws::INSTANCE_SECONDS)
            .changes(under(changes, "/instance_type"));
            self.add_update(key, step, false)?;
            let modify = key.step_with("modify", "instance_type");
            let step = Step::new(
                modify.clone(),
                Action::Update,
                self.res(key),
                format!("Change the type of instance `{key}` to {kind}."),
                call(
                    "ec2",
                    "modify_instance_attribute",
                    json!({ "InstanceId": instance.clone(), "InstanceType": { "Value": kind } }),
                ),
            )
            .after([stop]);
            self.add_update(key, step, false)?;
            let step = Step::new(
                key.step_with("start", "instance"),
                Action::Update,
                self.res(key),
                format!("Start instance `{key}` again and wait until it is running."),
                call(
                    "ec2",
                    "start_instances",
                    json!({ "InstanceIds": [instance.clone()] }),
                ),
            )
            .wait(instance_state_wait(instance, "running", &["terminated"]))
            .seconds(aws::INSTANCE_SECONDS)
            .after([modify]);
            self.add_update(key, step, false)?;
        }
        self.rename_ec2(key, changes)
    }
}

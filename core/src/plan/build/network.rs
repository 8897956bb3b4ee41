//! VPCs, subnets, security groups and their rules, network ACLs with entries and subnet
//! associations, and instances (facts §9.2 steps 1–6).

use serde_json::{json, Value};

use crate::model::{EgressRule, IngressRule, NaclEntry, Peer};
use crate::pointer::JsonPointer;

use super::super::aws::{self, ec2_tags, NETWORK_SECONDS, POLL_SECONDS, WAITER_TIMEOUT};
use super::super::ctx::Ctx;
use super::super::diff::egress_set;
use super::super::error::PlanError;
use super::super::key::{Key, Kind};
use super::super::step::{call, out, out_joined, output_ref, wait};
use super::super::types::{Action, JoinPart, ResourceRef, Step, StepId};
use super::{direction, ip_permission, join_value, nacl_entry_params, permission_query};

impl Ctx<'_> {
    pub(crate) fn create_vpc(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(vpc) = self.d.vpcs.get(&key.id) else {
            return Ok(());
        };
        let id = Ctx::create_id(key);
        let me = output_ref(&id, "VpcId");
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.res(key),
            format!(
                "{} VPC `{key}` with CIDR block {}.",
                self.verb(key),
                vpc.cidr
            ),
            call(
                "ec2",
                "create_vpc",
                json!({ "CidrBlock": vpc.cidr.to_string(),
                        "TagSpecifications": ec2_tags("vpc", &self.name(key), &Ctx::tag_id(key)) }),
            ),
        )
        .outputs(vec![out("VpcId", "Vpc.VpcId")])
        .wait(wait(
            call("ec2", "describe_vpcs", json!({ "VpcIds": [me.clone()] })),
            "Vpcs[0].State",
            &["available"],
            &[],
            POLL_SECONDS,
            WAITER_TIMEOUT,
        ))
        .lookup(
            call(
                "ec2",
                "describe_vpcs",
                json!({ "Filters": [Ctx::tag_filter(key)] }),
            ),
            vec![out("VpcId", "Vpcs[0].VpcId")],
        )
        .undo(call("ec2", "delete_vpc", json!({ "VpcId": me })), None)
        .seconds(NETWORK_SECONDS)
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        for cidr in &vpc.secondary_cidrs {
            self.associate_vpc_cidr(key, &cidr.to_string(), false)?;
        }
        Ok(())
    }

    /// An existing subnet that the topology puts on a network ACL this plan creates is
    /// moved onto it: it cannot be on it yet.
    pub(crate) fn attach_existing(&mut self, key: &Key) -> Result<(), PlanError> {
        if key.kind != Kind::Subnet {
            return Ok(());
        }
        let Some(acl) = self
            .d
            .subnets
            .get(&key.id)
            .and_then(|s| s.network_acl.clone())
        else {
            return Ok(());
        };
        let acl = Key::new(Kind::NetworkAcl, acl.as_str());
        if self.creates(&acl) && !self.is_default_acl(&acl) {
            self.associate_network_acl(key, &acl, true)?;
        }
        Ok(())
    }

    /// Adds a secondary CIDR block to a VPC.
    pub(crate) fn associate_vpc_cidr(
        &mut self,
        key: &Key,
        cidr: &str,
        update: bool,
    ) -> Result<StepId, PlanError> {
        let vpc = self.id_of(key)?;
        let id = format!("associate.vpc_cidr.{key}.{cidr}");
        let step = Step::new(
            id.clone(),
            if update {
                Action::Update
            } else {
                Action::Create
            },
            self.res(key),
            format!("Add the secondary CIDR block {cidr} to VPC `{key}`."),
            call(
                "ec2",
                "associate_vpc_cidr_block",
                json!({ "VpcId": vpc.clone(), "CidrBlock": cidr }),
            ),
        )
        .outputs(vec![out(
            "AssociationId",
            "CidrBlockAssociation.AssociationId",
        )])
        .lookup(
            call("ec2", "describe_vpcs", json!({ "VpcIds": [vpc] })),
            vec![out(
                "AssociationId",
                &format!(
                    "Vpcs[0].CidrBlockAssociationSet[?CidrBlock=={}].AssociationId | [0]",
                    aws::lit(cidr)
                ),
            )],
        )
        .undo(
            call(
                "ec2",
                "disassociate_vpc_cidr_block",
                json!({ "AssociationId": output_ref(&id, "AssociationId") }),
            ),
            None,
        );
        if update {
            self.add_update(key, step, false)
        } else {
            self.add(step)
        }
    }

    pub(crate) fn create_subnet(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(s) = self.d.subnets.get(&key.id) else {
            return Ok(());
        };
        let vpc_key = Key::new(Kind::Vpc, s.vpc.as_str());
        let vpc = self.id_of(&vpc_key)?;
        let id = Ctx::create_id(key);
        let me = output_ref(&id, "SubnetId");
        let mut params = json!({
            "VpcId": vpc.clone(),
            "AvailabilityZone": s.az.to_string(),
            "TagSpecifications": ec2_tags("subnet", &self.name(key), &Ctx::tag_id(key)),
        });
        if s.cidr.is_ipv4() {
            params["CidrBlock"] = json!(s.cidr.to_string());
        } else {
            params["Ipv6CidrBlock"] = json!(s.cidr.to_string());
            params["Ipv6Native"] = json!(true);
        }
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.res(key),
            format!(
                "{} subnet `{key}` ({}) in {} of VPC `{}`.",
                self.verb(key),
                s.cidr,
                s.az,
                s.vpc
            ),
            call("ec2", "create_subnet", params),
        )
        .outputs(vec![out("SubnetId", "Subnet.SubnetId")])
        .wait(wait(
            call(
                "ec2",
                "describe_subnets",
                json!({ "SubnetIds": [me.clone()] }),
            ),
            "Subnets[0].State",
            &["available"],
            &[],
            POLL_SECONDS,
            WAITER_TIMEOUT,
        ))
        .lookup(
            call(
                "ec2",
                "describe_subnets",
                json!({ "Filters": [Ctx::tag_filter(key), { "Name": "vpc-id", "Values": [vpc] }] }),
            ),
            vec![out("SubnetId", "Subnets[0].SubnetId")],
        )
        .undo(
            call("ec2", "delete_subnet", json!({ "SubnetId": me })),
            None,
        )
        .seconds(NETWORK_SECONDS)
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        if let Some(acl) = &s.network_acl {
            let acl_key = Key::new(Kind::NetworkAcl, acl.as_str());
            // A new subnet starts on its VPC's default ACL (facts §6).
            if !self.is_default_acl(&acl_key) {
                self.associate_network_acl(key, &acl_key, false)?;
            }
        }
        Ok(())
    }

    pub(crate) fn is_default_acl(&self, key: &Key) -> bool {
        self.d
            .network_acls
            .get(&key.id)
            .or_else(|| self.c.and_then(|c| c.network_acls.get(&key.id)))
            .is_some_and(|a| a.default)
    }

    /// The id of a VPC's default ACL, found by a lookup: it comes with the VPC.
    pub(crate) fn default_acl_lookup(&mut self, key: &Key) -> Result<Value, PlanError> {
        let vpc = self
            .d
            .network_acls
            .get(&key.id)
            .map(|a| a.vpc.as_str().to_owned())
            .unwrap_or_default();
        let vpc = self.id_of(&Key::new(Kind::Vpc, vpc))?;
        let id = key.step("lookup");
        let step = Step::new(
            id.clone(),
            Action::Lookup,
            self.res(key),
            format!("Find the default network ACL `{key}` that AWS made with its VPC."),
            call(
                "ec2",
                "describe_network_acls",
                json!({ "Filters": [{ "Name": "vpc-id", "Values": [vpc] },
                                    { "Name": "default", "Values": ["true"] }] }),
            ),
        )
        .outputs(vec![out("NetworkAclId", "NetworkAcls[0].NetworkAclId")]);
        self.add_once(step);
        Ok(output_ref(&id, "NetworkAclId"))
    }

    /// The default ACL of a VPC that the topology does not model, found by a lookup.
    pub(crate) fn vpc_default_acl(&mut self, vpc: &Key) -> Result<Value, PlanError> {
        let vpc_id = self.id_of(vpc)?;
        let id = format!("lookup.default_network_acl.{vpc}");
        let step = Step::new(
            id.clone(),
            Action::Lookup,
            self.res(vpc),
            format!("Find the default network ACL of VPC `{vpc}`."),
            call(
                "ec2",
                "describe_network_acls",
                json!({ "Filters": [{ "Name": "vpc-id", "Values": [vpc_id] },
                                    { "Name": "default", "Values": ["true"] }] }),
            ),
        )
        .outputs(vec![out("NetworkAclId", "NetworkAcls[0].NetworkAclId")]);
        self.add_once(step);
        Ok(output_ref(&id, "NetworkAclId"))
    }

    /// Moves a subnet to a network ACL: a lookup of the subnet's current association
    /// (the new subnet's id is known only at run time, so the query joins it in), then
    /// `replace_network_acl_association` (facts §6, §10.4).
    pub(crate) fn associate_network_acl(
        &mut self,
        subnet: &Key,
        acl: &Key,
        update: bool,
    ) -> Result<StepId, PlanError> {
        let subnet_id = if update {
            self.old_id_of(subnet)?
        } else {
            self.id_of(subnet)?
        };
        let acl_id = self.id_of(acl)?;
        self.associate_network_acl_id(subnet, subnet_id, acl_id, &format!("`{acl}`"), update)
    }

    /// Moves a subnet to the network ACL `acl_id` (`label` names it for people).
    pub(crate) fn associate_network_acl_id(
        &mut self,
        subnet: &Key,
        subnet_id: Value,
        acl_id: Value,
        label: &str,
        update: bool,
    ) -> Result<StepId, PlanError> {
        let res = ResourceRef {
            kind: "subnets".into(),
            id: subnet.id.clone(),
            path: self.res(subnet).path.key("network_acl"),
        };
        let lookup_id = format!("lookup.network_acl_association.{subnet}");
        let mut parts = vec![JoinPart::Text(
            "NetworkAcls[0].Associations[?SubnetId=='".into(),
        )];
        parts.extend(join_value(&subnet_id));
        parts.push(JoinPart::Text("'].NetworkAclAssociationId | [0]".into()));
        let lookup = Step::new(
            lookup_id.clone(),
            Action::Lookup,
            res.clone(),
            format!("Find the network ACL association subnet `{subnet}` has now."),
            call(
                "ec2",
                "describe_network_acls",
                json!({ "Filters": [{ "Name": "association.subnet-id", "Values": [subnet_id.clone()] }] }),
            ),
        )
        .outputs(vec![
            out_joined(
                "AssociationId",
                "NetworkAcls[0].Associations[?SubnetId=='<subnet id>'].NetworkAclAssociationId | [0]",
                parts,
            ),
            out("NetworkAclId", "NetworkAcls[0].NetworkAclId"),
        ]);
        self.add_once(lookup);
        let id = format!("associate.network_acl.{subnet}");
        let mut found = vec![JoinPart::Text("NetworkAcls[?NetworkAclId=='".into())];
        found.extend(join_value(&acl_id));
        found.push(JoinPart::Text("'] | [0].Associations[?SubnetId=='".into()));
        found.extend(join_value(&subnet_id));
        found.push(JoinPart::Text("'].NetworkAclAssociationId | [0]".into()));
        let step = Step::new(
            id.clone(),
            if update { Action::Update } else { Action::Create },
            res,
            format!("Associate subnet `{subnet}` with network ACL {label}."),
            call(
                "ec2",
                "replace_network_acl_association",
                json!({ "AssociationId": output_ref(&lookup_id, "AssociationId"),
                        "NetworkAclId": acl_id }),
            ),
        )
        .outputs(vec![out("NewAssociationId", "NewAssociationId")])
        .lookup(
            call(
                "ec2",
                "describe_network_acls",
                json!({ "Filters": [{ "Name": "association.subnet-id", "Values": [subnet_id] }] }),
            ),
            vec![out_joined(
                "NewAssociationId",
                "NetworkAcls[?NetworkAclId=='<acl id>'] | [0].Associations[?SubnetId=='<subnet id>'].NetworkAclAssociationId | [0]",
                found,
            )],
        )
        .undo(
            call(
                "ec2",
                "replace_network_acl_association",
                json!({ "AssociationId": output_ref(&id, "NewAssociationId"),
                        "NetworkAclId": output_ref(&lookup_id, "NetworkAclId") }),
            ),
            None,
        );
        if update {
            self.add_update(subnet, step, true)
        } else {
            self.add(step)
        }
    }

    /// The AWS id an entity carries in either topology, if any.
    pub(crate) fn id_known(&self, key: &Key) -> Option<String> {
        super::super::key::aws_id(self.d, key)
            .or_else(|| self.c.and_then(|c| super::super::key::aws_id(c, key)))
    }

    pub(crate) fn create_security_group(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(sg) = self.d.security_groups.get(&key.id) else {
            return Ok(());
        };
        let vpc = self.id_of(&Key::new(Kind::Vpc, sg.vpc.as_str()))?;
        let name = self.name(key);
        let id = Ctx::create_id(key);
        let me = output_ref(&id, "GroupId");
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.res(key),
            format!(
                "{} security group `{key}` in VPC `{}`.",
                self.verb(key),
                sg.vpc
            ),
            call(
                "ec2",
                "create_security_group",
                json!({
                    "GroupName": name,
                    "Description": super::super::key::group_description(&key.id, sg),
                    "VpcId": vpc.clone(),
                    "TagSpecifications": ec2_tags("security-group", &name, &Ctx::tag_id(key)),
                }),
            ),
        )
        .outputs(vec![out("GroupId", "GroupId")])
        .lookup(
            call(
                "ec2",
                "describe_security_groups",
                json!({ "Filters": [{ "Name": "group-name", "Values": [name] },
                                    { "Name": "vpc-id", "Values": [vpc] }] }),
            ),
            vec![out("GroupId", "SecurityGroups[0].GroupId")],
        )
        .undo(
            call("ec2", "delete_security_group", json!({ "GroupId": me })),
            None,
        )
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;

        let ingress: Vec<&IngressRule> = sg.ingress.iter().collect();
        if !ingress.is_empty() {
            let perms = self.ingress_permissions(&ingress)?;
            self.authorize(key, false, perms, false, &[])?;
        }
        if let Some(egress) = &sg.egress {
            // A new group allows all traffic out (facts §5.1): keep that rule if the
            // topology lists it, otherwise revoke it before authorizing the listed ones.
            let default = egress_set(None);
            let keeps_default = default.is_subset(&egress_set(Some(egress)));
            let mut after = Vec::new();
            if !keeps_default {
                after.push(self.revoke_default_egress(key)?);
            }
            let rest: Vec<&EgressRule> = egress
                .iter()
                .filter(|r| {
                    !(keeps_default && egress_set(Some(std::slice::from_ref(*r))) == default)
                })
                .collect();
            if !rest.is_empty() {
                let perms = self.egress_permissions(&rest)?;
                self.authorize(key, true, perms, false, &after)?;
            }
        }
        Ok(())
    }

    pub(crate) fn ingress_permissions(
        &mut self,
        rules: &[&IngressRule],
    ) -> Result<Vec<Value>, PlanError> {
        rules
            .iter()
            .map(|r| {
                let peer = self.peer_id(&r.source)?;
                Ok(ip_permission(
                    r.protocol,
                    r.ports,
                    &r.source,
                    peer,
                    r.description.as_deref(),
                ))
            })
            .collect()
    }

    pub(crate) fn egress_permissions(
        &mut self,
        rules: &[&EgressRule],
    ) -> Result<Vec<Value>, PlanError> {
        rules
            .iter()
            .map(|r| {
                let peer = self.peer_id(&r.destination)?;
                Ok(ip_permission(
                    r.protocol,
                    r.ports,
                    &r.destination,
                    peer,
                    r.description.as_deref(),
                ))
            })
            .collect()
    }

    fn peer_id(&mut self, peer: &Peer) -> Result<Option<Value>, PlanError> {
        match peer {
            Peer::SecurityGroup(g) => Ok(Some(
                self.id_of(&Key::new(Kind::SecurityGroup, g.as_str()))?,
            )),
            _ => Ok(None),
        }
    }

    /// One `authorize_security_group_{ingress,egress}` call with every listed permission
    /// (AWS applies them together), after both groups of a reference exist.
    pub(crate) fn authorize(
        &mut self,
        key: &Key,
        egress: bool,
        perms: Vec<Value>,
        update: bool,
        after: &[StepId],
    ) -> Result<StepId, PlanError> {
        let group = self.id_of(key)?;
        let dir = direction(egress);
        let id = key.step_with("authorize", dir);
        let op = format!("authorize_security_group_{dir}");
        let undo_op = format!("revoke_security_group_{dir}");
        let field = if egress {
            "IpPermissionsEgress"
        } else {
            "IpPermissions"
        };
        let params = json!({ "GroupId": group.clone(), "IpPermissions": perms.clone() });
        let lookup_parts = perms
            .last()
            .map(|p| permission_query(field, p))
            .unwrap_or_default();
        let shown = super::shown_query(&lookup_parts);
        let n = perms.len();
        let step = Step::new(
            id.clone(),
            if update {
                Action::Update
            } else {
                Action::Create
            },
            self.rule_ref(key, egress),
            format!(
                "Allow {n} {} rule{} on security group `{key}`.",
                if egress { "outbound" } else { "inbound" },
                if n == 1 { "" } else { "s" }
            ),
            call("ec2", &op, params.clone()),
        )
        .lookup(
            call(
                "ec2",
                "describe_security_groups",
                json!({ "GroupIds": [group] }),
            ),
            vec![out_joined("IpProtocol", &shown, lookup_parts)],
        )
        .undo(call("ec2", &undo_op, params), None)
        .after(after.iter().cloned());
        if update {
            self.add_update(key, step, false)
        } else {
            self.add(step)
        }
    }

    /// Revokes the allow-all outbound rule AWS gives every new group (facts §5.1).
    fn revoke_default_egress(&mut self, key: &Key) -> Result<StepId, PlanError> {
        let group = self.id_of(key)?;
        let perm = json!([{ "IpProtocol": "-1", "IpRanges": [{ "CidrIp": "0.0.0.0/0" }] }]);
        let id = key.step_with("revoke", "default_egress");
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.rule_ref(key, true),
            format!(
                "Revoke the allow-all outbound rule AWS adds to new security group `{key}`, \
                 so only the listed outbound rules apply."
            ),
            call(
                "ec2",
                "revoke_security_group_egress",
                json!({ "GroupId": group.clone(), "IpPermissions": perm.clone() }),
            ),
        )
        .lookup(
            call(
                "ec2",
                "describe_security_groups",
                json!({ "GroupIds": [group.clone()] }),
            ),
            // Found once the group has no outbound rule left: the new group's only one
            // was AWS's, and the listed rules are authorized after this step.
            vec![out(
                "GroupId",
                "SecurityGroups[?IpPermissionsEgress==`[]`].GroupId | [0]",
            )],
        )
        .undo(
            call(
                "ec2",
                "authorize_security_group_egress",
                json!({ "GroupId": group, "IpPermissions": perm }),
            ),
            None,
        );
        self.add(step)
    }

    pub(crate) fn rule_ref(&self, key: &Key, egress: bool) -> ResourceRef {
        ResourceRef {
            kind: "security_group_rule".into(),
            id: format!("{key}/{}", direction(egress)),
            path: self.res(key).path.key(direction(egress)),
        }
    }

    pub(crate) fn create_network_acl(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(acl) = self.d.network_acls.get(&key.id) else {
            return Ok(());
        };
        if acl.default {
            // AWS made it with the VPC: find it, then bring its entries from AWS's
            // allow-all rule 100 to the listed ones (facts §6).
            let id = match self.id_known(key) {
                Some(_) => None,
                None => Some(key.step("lookup")),
            };
            self.default_acl_lookup(key)?;
            if let Some(id) = id {
                self.created.insert(key.clone(), id);
            }
            let aws_default = default_acl_entries();
            self.update_nacl_entries(key, &aws_default, &acl.ingress, false)?;
            self.update_nacl_entries(key, &aws_default, &acl.egress, true)?;
            return Ok(());
        }
        let vpc = self.id_of(&Key::new(Kind::Vpc, acl.vpc.as_str()))?;
        let id = Ctx::create_id(key);
        let me = output_ref(&id, "NetworkAclId");
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.res(key),
            format!(
                "{} network ACL `{key}` in VPC `{}`; it denies everything until its entries exist.",
                self.verb(key),
                acl.vpc
            ),
            call(
                "ec2",
                "create_network_acl",
                json!({ "VpcId": vpc.clone(),
                        "TagSpecifications": ec2_tags("network-acl", &self.name(key), &Ctx::tag_id(key)) }),
            ),
        )
        .outputs(vec![out("NetworkAclId", "NetworkAcl.NetworkAclId")])
        .lookup(
            call(
                "ec2",
                "describe_network_acls",
                json!({ "Filters": [Ctx::tag_filter(key), { "Name": "vpc-id", "Values": [vpc] }] }),
            ),
            vec![out("NetworkAclId", "NetworkAcls[0].NetworkAclId")],
        )
        .undo(
            call("ec2", "delete_network_acl", json!({ "NetworkAclId": me })),
            None,
        )
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        for (i, e) in acl.ingress.iter().enumerate() {
            self.create_nacl_entry(key, e, false, i, false)?;
        }
        for (i, e) in acl.egress.iter().enumerate() {
            self.create_nacl_entry(key, e, true, i, false)?;
        }
        Ok(())
    }

    pub(crate) fn nacl_entry_ref(
        &self,
        key: &Key,
        e: &NaclEntry,
        egress: bool,
        index: usize,
    ) -> ResourceRef {
        ResourceRef {
            kind: "network_acl_entry".into(),
            id: format!("{key}/{}/{}", direction(egress), e.rule),
            path: self.res(key).path.key(direction(egress)).index(index),
        }
    }

    pub(crate) fn create_nacl_entry(
        &mut self,
        key: &Key,
        e: &NaclEntry,
        egress: bool,
        index: usize,
        update: bool,
    ) -> Result<StepId, PlanError> {
        let acl = self.id_of(key)?;
        let dir = direction(egress);
        let id = format!("create.network_acl_entry.{key}.{dir}.{}", e.rule);
        let step = Step::new(
            id,
            if update { Action::Update } else { Action::Create },
            self.nacl_entry_ref(key, e, egress, index),
            format!(
                "Add {dir} rule {} to network ACL `{key}`: {} {} {} {}.",
                e.rule,
                match e.action {
                    crate::model::NaclAction::Allow => "allow",
                    crate::model::NaclAction::Deny => "deny",
                },
                e.protocol,
                e.port_range(),
                e.cidr
            ),
            call("ec2", "create_network_acl_entry", nacl_entry_params(acl.clone(), e, egress)),
        )
        .lookup(
            call("ec2", "describe_network_acls", json!({ "NetworkAclIds": [acl.clone()] })),
            vec![out(
                "RuleNumber",
                &format!(
                    "NetworkAcls[0].Entries[?RuleNumber==`{}` && Egress==`{egress}`].RuleNumber | [0]",
                    e.rule
                ),
            )],
        )
        .undo(
            call(
                "ec2",
                "delete_network_acl_entry",
                json!({ "NetworkAclId": acl, "RuleNumber": e.rule, "Egress": egress }),
            ),
            None,
        );
        if update {
            self.add_update(key, step, false)
        } else {
            self.add(step)
        }
    }

    pub(crate) fn create_instance(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(inst) = self.d.instances.get(&key.id) else {
            return Ok(());
        };
        let subnet = self.id_of(&Key::new(Kind::Subnet, inst.subnet.as_str()))?;
        let image = match &inst.image_id {
            Some(ami) => json!(ami),
            None => self.latest_image()?,
        };
        let mut groups = Vec::new();
        for g in &inst.security_groups {
            groups.push(self.id_of(&Key::new(Kind::SecurityGroup, g.as_str()))?);
        }
        let name = self.name(key);
        let mut params = json!({
            "ImageId": image,
            "InstanceType": inst.instance_type.as_deref().unwrap_or(aws::DEFAULT_INSTANCE_TYPE),
            "MinCount": 1,
            "MaxCount": 1,
            "SubnetId": subnet.clone(),
            "TagSpecifications": ec2_tags("instance", &name, &Ctx::tag_id(key)),
        });
        if !groups.is_empty() {
            params["SecurityGroupIds"] = Value::Array(groups);
        }
        if let Some(ip) = &inst.private_ip {
            params["PrivateIpAddress"] = json!(ip.to_string());
        }
        let id = Ctx::create_id(key);
        let me = output_ref(&id, "InstanceId");
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.res(key),
            format!(
                "{} instance `{key}` in subnet `{}` and wait until it is running (targets must be \
                 running to register, facts §4.5).",
                self.verb(key),
                inst.subnet
            ),
            call("ec2", "run_instances", params),
        )
        .outputs(vec![out("InstanceId", "Instances[0].InstanceId")])
        .wait(instance_state_wait(
            me.clone(),
            "running",
            &["shutting-down", "terminated", "stopping", "stopped"],
        ))
        .lookup(
            call(
                "ec2",
                "describe_instances",
                json!({ "Filters": [
                    Ctx::tag_filter(key),
                    { "Name": "subnet-id", "Values": [subnet] },
                    { "Name": "instance-state-name", "Values": ["pending", "running"] },
                ] }),
            ),
            vec![out("InstanceId", "Reservations[0].Instances[0].InstanceId")],
        )
        .undo(
            call(
                "ec2",
                "terminate_instances",
                json!({ "InstanceIds": [me.clone()] }),
            ),
            Some(instance_state_wait(me, "terminated", &[])),
        )
        .seconds(aws::INSTANCE_SECONDS)
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        Ok(())
    }

    /// The latest Amazon Linux 2023 AMI, read once from its public SSM parameter.
    fn latest_image(&mut self) -> Result<Value, PlanError> {
        let id = "lookup.image.al2023".to_owned();
        let step = Step::new(
            id.clone(),
            Action::Lookup,
            ResourceRef {
                kind: "image".into(),
                id: "al2023".into(),
                path: JsonPointer::root().key("instances"),
            },
            "Read the latest Amazon Linux 2023 AMI id for instances that name no image.".into(),
            call(
                "ssm",
                "get_parameter",
                json!({ "Name": aws::AL2023_PARAMETER }),
            ),
        )
        .outputs(vec![out("ImageId", "Parameter.Value")]);
        self.add_once(step);
        Ok(output_ref(&id, "ImageId"))
    }
}

/// Polls `describe_instances` until the instance reaches `state`.
pub(crate) fn instance_state_wait(
    instance: Value,
    state: &str,
    failure: &[&str],
) -> super::super::types::Wait {
    wait(
        call(
            "ec2",
            "describe_instances",
            json!({ "InstanceIds": [instance] }),
        ),
        "Reservations[0].Instances[0].State.Name",
        &[state],
        failure,
        POLL_SECONDS,
        WAITER_TIMEOUT,
    )
}

/// The entries AWS gives a default ACL: allow everything, rule 100, each way (facts §6).
pub(crate) fn default_acl_entries() -> Vec<NaclEntry> {
    let any: Option<crate::model::Cidr> = "0.0.0.0/0".parse().ok();
    any.map(|cidr| NaclEntry {
        rule: 100,
        protocol: crate::model::IpProtocol::All,
        ports: None,
        cidr,
        action: crate::model::NaclAction::Allow,
    })
    .into_iter()
    .collect()
}

//! VPCs, subnets, network ACLs (with their entries and associations), security groups
//! (with inline and separate rules) and EC2 instances.

use super::build::{Coll, Hint, Importer, UNKNOWN_PEER};
use super::template::{error_at, Resource};
use super::value::Val;
use crate::import::ImportError;
use crate::model::{
    Cidr, EgressRule, Id, IngressRule, Instance, IpProtocol, NaclAction, NaclEntry, NetworkAcl,
    Peer, PortRange, SecurityGroup, Subnet, Vpc,
};
use crate::pointer::JsonPointer;

/// The public SSM parameter of the latest Amazon Linux 2023 AMI, which the exporter (and
/// the planner) use when a topology names no `image_id`; the round-trip tests keep them
/// the same.
const LATEST_AL2023_SSM_PARAMETER: &str =
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

impl Importer<'_> {
    fn own_id(&self, r: &Resource<'_>) -> Option<Id> {
        self.id_of(&r.logical).map(|(_, id)| id.clone())
    }

    /// A CIDR-valued field; `None` (with the unknown recorded) when it is not known.
    fn cidr(
        &mut self,
        r: &Resource<'_>,
        prop: &str,
        v: Option<&Val>,
        at: &JsonPointer,
    ) -> Result<Option<Cidr>, ImportError> {
        match self.text(v, at) {
            None => Ok(None),
            Some(s) => s.trim().parse::<Cidr>().map(Some).map_err(|e| {
                error_at(
                    r.props.get(prop).map(|n| n.pos).unwrap_or(r.pos),
                    Some(r.pointer(prop)),
                    format!("`{prop}` of `{}`: {e}", r.logical),
                )
            }),
        }
    }

    pub fn map_vpc(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some(id) = self.own_id(r) else {
            return Ok(());
        };
        let path = JsonPointer::resource("vpcs", &id);
        let v = self.prop(r, "CidrBlock")?;
        let cidr = match self.cidr(r, "CidrBlock", v.as_ref(), &path.clone().key("cidr"))? {
            Some(c) => c,
            None => {
                if v.is_none() {
                    self.unknown_at(
                        path.clone().key("cidr"),
                        "(no CidrBlock)",
                        "the block comes from an IPAM pool at deploy time",
                    );
                }
                self.pending_vpc_cidr(&id);
                self.default_cidr()
            }
        };
        let name = self.name_tag(r)?;
        self.topo.vpcs.0.insert(
            id.clone(),
            Vpc {
                cidr,
                secondary_cidrs: Vec::new(),
                aws_id: None,
                name,
            },
        );
        self.source(path, r);
        Ok(())
    }

    /// `AWS::EC2::VPCCidrBlock`: a secondary block of a VPC of the template.
    pub fn map_vpc_cidr_block(&mut self, r: &Resource<'_>) -> Result<bool, ImportError> {
        let Some(vpc) = self.prop(r, "VpcId")? else {
            return Ok(false);
        };
        let Some(vpc_id) = self.local_ref(&vpc, Coll::Vpcs) else {
            return Ok(false);
        };
        let at = JsonPointer::resource("vpcs", &vpc_id).key("secondary_cidrs");
        let v = self.prop(r, "CidrBlock")?;
        let Some(cidr) = self.cidr(r, "CidrBlock", v.as_ref(), &at)? else {
            return Ok(v.is_some());
        };
        if let Some(vpc) = self.topo.vpcs.0.get_mut(&vpc_id) {
            vpc.secondary_cidrs.push(cidr);
        }
        Ok(true)
    }

    pub fn map_subnet(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some(id) = self.own_id(r) else {
            return Ok(());
        };
        let path = JsonPointer::resource("subnets", &id);
        let vpc_v = self.prop(r, "VpcId")?.unwrap_or(Val::Null);
        let vpc = match self.reference(
            &vpc_v,
            Coll::Vpcs,
            &Hint::default(),
            &path.clone().key("vpc"),
        )? {
            Some(v) => v,
            None => self.default_vpc(),
        };
        let az_v = self.prop(r, "AvailabilityZone")?;
        let az = match az_v.as_ref().and_then(Val::as_lit) {
            Some(s) => s.trim().parse().map_err(|e: String| {
                error_at(
                    r.props
                        .get("AvailabilityZone")
                        .map(|n| n.pos)
                        .unwrap_or(r.pos),
                    Some(r.pointer("AvailabilityZone")),
                    e,
                )
            })?,
            None => {
                let at = path.clone().key("az");
                let index = az_v
                    .as_ref()
                    .and_then(Val::first_unknown)
                    .and_then(|u| u.index);
                match az_v.as_ref().and_then(Val::first_unknown) {
                    Some(u) => {
                        let u = u.clone();
                        self.unknown(at, &u);
                    }
                    None => self.unknown_at(
                        at,
                        "(no AvailabilityZone)",
                        "AWS picks the zone at deploy time",
                    ),
                }
                self.next_zone(index)
            }
        };
        let cidr_v = self.prop(r, "CidrBlock")?;
        let cidr = match self.cidr(r, "CidrBlock", cidr_v.as_ref(), &path.clone().key("cidr"))? {
            Some(c) => c,
            None => {
                if cidr_v.is_none() {
                    self.unknown_at(
                        path.clone().key("cidr"),
                        "(no CidrBlock)",
                        "the block is assigned at deploy time",
                    );
                }
                self.pending_subnet_cidrs.push(id.clone());
                self.default_cidr()
            }
        };
        let name = self.name_tag(r)?;
        self.topo.subnets.0.insert(
            id.clone(),
            Subnet {
                vpc,
                az,
                cidr,
                network_acl: None,
                aws_id: None,
                name,
            },
        );
        self.source(path, r);
        Ok(())
    }

    pub fn map_network_acl(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some(id) = self.own_id(r) else {
            return Ok(());
        };
        let path = JsonPointer::resource("network_acls", &id);
        let vpc_v = self.prop(r, "VpcId")?.unwrap_or(Val::Null);
        let vpc = match self.reference(
            &vpc_v,
            Coll::Vpcs,
            &Hint::default(),
            &path.clone().key("vpc"),
        )? {
            Some(v) => v,
            None => self.default_vpc(),
        };
        let name = self.name_tag(r)?;
        self.topo.network_acls.0.insert(
            id.clone(),
            NetworkAcl {
                vpc,
                ingress: Vec::new(),
                egress: Vec::new(),
                default: false,
                aws_id: None,
                name,
            },
        );
        self.source(path, r);
        Ok(())
    }

    /// `AWS::EC2::NetworkAclEntry` into its ACL. Protocol numbers: -1 all, 6 TCP, 17 UDP,
    /// 1 ICMP (facts §11).
    pub fn map_nacl_entry(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let acl_v = self.prop(r, "NetworkAclId")?.unwrap_or(Val::Null);
        let Some(acl) = self.local_ref(&acl_v, Coll::NetworkAcls) else {
            self.skip(r, "its network ACL is not declared in this template (a default or existing ACL), so the entry has nothing to join");
            return Ok(());
        };
        let egress_v = self.prop(r, "Egress")?;
        let acl_path = JsonPointer::resource("network_acls", &acl);
        let egress = self.bool(egress_v.as_ref(), &acl_path).unwrap_or(false);
        let list_path = acl_path.key(if egress { "egress" } else { "ingress" });
        let index = self
            .topo
            .network_acls
            .get(acl.as_str())
            .map(|a| {
                if egress {
                    a.egress.len()
                } else {
                    a.ingress.len()
                }
            })
            .unwrap_or(0);
        let at = list_path.clone().index(index);

        let rule_v = self.prop(r, "RuleNumber")?;
        let rule: Option<u32> =
            self.number(r, "RuleNumber", rule_v.as_ref(), &at.clone().key("rule"))?;
        let action_v = self.prop(r, "RuleAction")?;
        let action = match self
            .text(action_v.as_ref(), &at)
            .map(|s| s.to_ascii_lowercase())
        {
            Some(a) if a == "allow" => Some(NaclAction::Allow),
            Some(a) if a == "deny" => Some(NaclAction::Deny),
            Some(a) => {
                return Err(error_at(
                    r.props.get("RuleAction").map(|n| n.pos).unwrap_or(r.pos),
                    Some(r.pointer("RuleAction")),
                    format!("`RuleAction` must be allow or deny, not `{a}`"),
                ))
            }
            None => None,
        };
        let proto_v = self.prop(r, "Protocol")?;
        let protocol = match self.text(proto_v.as_ref(), &at) {
            Some(p) => Some(p.trim().parse::<IpProtocol>().map_err(|e| {
                error_at(
                    r.props.get("Protocol").map(|n| n.pos).unwrap_or(r.pos),
                    Some(r.pointer("Protocol")),
                    e,
                )
            })?),
            None => None,
        };
        let cidr_v = match self.prop(r, "CidrBlock")? {
            Some(v) => Some(v),
            None => self.prop(r, "Ipv6CidrBlock")?,
        };
        let cidr = self.cidr(r, "CidrBlock", cidr_v.as_ref(), &at)?;
        let ports = match self.prop(r, "PortRange")? {
            Some(pr) => {
                let from: Option<u16> = self.number(r, "PortRange", pr.get("From"), &at)?;
                let to: Option<u16> = self.number(r, "PortRange", pr.get("To"), &at)?;
                match (from, to) {
                    (Some(f), Some(t)) if f <= t => Some(PortRange { from: f, to: t }),
                    (Some(f), None) => Some(PortRange::single(f)),
                    (Some(_), Some(_)) => {
                        return Err(error_at(
                            r.props.get("PortRange").map(|n| n.pos).unwrap_or(r.pos),
                            Some(r.pointer("PortRange")),
                            "`PortRange` runs backwards: `From` is above `To`",
                        ))
                    }
                    _ => None,
                }
            }
            None => None,
        };
        let Some(rule) = rule else {
            self.skip(r, "its rule number is known only at deploy time");
            return Ok(());
        };
        // An unknown part only ever widens an allow (any address, any protocol) and drops a
        // deny, so that the entry cannot block what it might not block.
        let (protocol, cidr) = match (action, protocol, cidr) {
            (Some(NaclAction::Allow), p, c) => (p.unwrap_or(IpProtocol::All), c.or_else(any_v4)),
            (Some(NaclAction::Deny), Some(p), Some(c)) => (p, Some(c)),
            _ => {
                self.unknown_at(
                    list_path,
                    &format!("{} (rule {rule})", r.logical),
                    "a deny entry whose action, protocol or block is unknown is left out",
                );
                self.skip(r, "a deny entry with unknown parts is left out (its unknown is recorded on the list)");
                return Ok(());
            }
        };
        let Some(cidr) = cidr else { return Ok(()) };
        let entry = NaclEntry {
            rule,
            protocol,
            ports: if protocol.has_ports() { ports } else { None },
            cidr,
            action: action.unwrap_or(NaclAction::Allow),
        };
        if let Some(a) = self.topo.network_acls.0.get_mut(&acl) {
            if egress {
                a.egress.push(entry);
            } else {
                a.ingress.push(entry);
            }
        }
        self.source(at, r);
        Ok(())
    }

    pub fn map_nacl_association(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let subnet_v = self.prop(r, "SubnetId")?.unwrap_or(Val::Null);
        let acl_v = self.prop(r, "NetworkAclId")?.unwrap_or(Val::Null);
        let subnet = self.local_ref(&subnet_v, Coll::Subnets);
        let acl = self.local_ref(&acl_v, Coll::NetworkAcls);
        match (subnet, acl) {
            (Some(s), Some(a)) => {
                let at = JsonPointer::resource("subnets", &s).key("network_acl");
                if let Some(sub) = self.topo.subnets.0.get_mut(&s) {
                    sub.network_acl = Some(a);
                }
                self.source(at, r);
            }
            (Some(s), None) => {
                // The subnet keeps the default ACL (allows everything): the unknown ACL could
                // only block more.
                let at = JsonPointer::resource("subnets", &s).key("network_acl");
                let expr = acl_v
                    .first_unknown()
                    .map(|u| u.expr.clone())
                    .or_else(|| acl_v.display())
                    .unwrap_or_default();
                self.unknown_at(
                    at,
                    &expr,
                    "the subnet's network ACL is outside the template; the subnet is treated as using an allow-all ACL",
                );
            }
            (None, _) => {
                self.skip(r, "its subnet is not declared in this template");
            }
        }
        Ok(())
    }

    pub fn map_security_group(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some(id) = self.own_id(r) else {
            return Ok(());
        };
        let path = JsonPointer::resource("security_groups", &id);
        let vpc_v = self.prop(r, "VpcId")?.unwrap_or(Val::Null);
        let vpc = match self.reference(
            &vpc_v,
            Coll::Vpcs,
            &Hint::default(),
            &path.clone().key("vpc"),
        )? {
            Some(v) => v,
            None => self.default_vpc(),
        };
        let description = Self::name(self.prop(r, "GroupDescription")?.as_ref());
        let name = match Self::name(self.prop(r, "GroupName")?.as_ref()) {
            Some(n) => Some(n),
            None => self.name_tag(r)?,
        };
        // Insert first, so that rules referring to the group itself resolve.
        self.topo.security_groups.0.insert(
            id.clone(),
            SecurityGroup {
                default: false,
                vpc: vpc.clone(),
                ingress: Vec::new(),
                egress: None,
                aws_id: None,
                name,
                description,
            },
        );
        self.source(path.clone(), r);
        let hint = Hint {
            vpc: Some(vpc),
            ..Hint::default()
        };
        if let Some(list) = self.prop(r, "SecurityGroupIngress")? {
            for (i, rule) in list_items(&list).iter().enumerate() {
                let at = path.clone().key("ingress").index(i);
                // An unknown rule (or list) might allow anything: a permissive stand-in.
                if let Some(u) = rule.as_unk() {
                    let u = u.clone();
                    self.unknown(at, &u);
                    self.push_rule(&id, super::build::permissive_rule(), true);
                    continue;
                }
                if let Some(rule) = self.sg_rule(r, rule, true, &hint, &at)? {
                    self.push_rule(&id, rule, true);
                }
            }
        }
        if let Some(list) = self.prop(r, "SecurityGroupEgress")? {
            let items = list_items(&list);
            // An empty list keeps AWS's default allow-all rule; so does an unknown one here,
            // since allowing everything cannot block by mistake.
            if let Some(u) = items.iter().find_map(Val::as_unk) {
                let u = u.clone();
                self.unknown(path.clone().key("egress"), &u);
                return Ok(());
            }
            if !items.is_empty() {
                if let Some(g) = self.topo.security_groups.0.get_mut(&id) {
                    g.egress = Some(Vec::new());
                }
            }
            // `255.255.255.255/32` is the idiom (CDK's, vpclink's export) for "no outbound
            // rule": it matches no destination, so it is read as an empty list.
            let items: Vec<Val> = items
                .into_iter()
                .filter(|rule| {
                    rule.get("CidrIp").and_then(Val::as_lit).as_deref()
                        != Some("255.255.255.255/32")
                })
                .collect();
            for (i, rule) in items.iter().enumerate() {
                let at = path.clone().key("egress").index(i);
                if let Some(rule) = self.sg_rule(r, rule, false, &hint, &at)? {
                    self.push_rule(&id, rule, false);
                }
            }
        }
        Ok(())
    }

    /// `AWS::EC2::SecurityGroupIngress` / `Egress`: one rule added to a group of the template.
    pub fn map_sg_rule_resource(
        &mut self,
        r: &Resource<'_>,
        ingress: bool,
    ) -> Result<(), ImportError> {
        let group_v = self.prop(r, "GroupId")?.unwrap_or(Val::Null);
        let Some(group) = self.local_ref(&group_v, Coll::SecurityGroups) else {
            self.skip(r, "its security group is not declared in this template");
            return Ok(());
        };
        let Some(sg) = self.topo.security_groups.get(group.as_str()) else {
            return Ok(());
        };
        let hint = Hint {
            vpc: Some(sg.vpc.clone()),
            ..Hint::default()
        };
        // A separate egress rule next to AWS's default allow-all adds nothing.
        if !ingress && sg.egress.is_none() {
            self.skip(r, "the group keeps AWS's default allow-all outbound rule, which already covers this rule");
            return Ok(());
        }
        let len = if ingress {
            sg.ingress.len()
        } else {
            sg.egress.as_ref().map(Vec::len).unwrap_or(0)
        };
        // The exporter records the rule's place in the group's list.
        let index = r.meta_index.map_or(len, |i| i.min(len));
        let at = JsonPointer::resource("security_groups", &group)
            .key(if ingress { "ingress" } else { "egress" })
            .index(index);
        let props = Val::Map(
            r.props
                .entries()
                .iter()
                .map(|e| self.t.eval(&e.value).map(|v| (e.key.clone(), v)))
                .collect::<Result<_, _>>()?,
        );
        if let Some(rule) = self.sg_rule(r, &props, ingress, &hint, &at)? {
            self.insert_rule(&group, rule, ingress, index);
            self.source(at, r);
        }
        Ok(())
    }

    fn push_rule(&mut self, group: &Id, rule: IngressRule, ingress: bool) {
        self.insert_rule(group, rule, ingress, usize::MAX);
    }

    /// Inserts a rule at `index` (or at the end) of the group's list.
    fn insert_rule(&mut self, group: &Id, rule: IngressRule, ingress: bool, index: usize) {
        let Some(g) = self.topo.security_groups.0.get_mut(group) else {
            return;
        };
        if ingress {
            let at = index.min(g.ingress.len());
            g.ingress.insert(at, rule);
        } else {
            let list = g.egress.get_or_insert_with(Vec::new);
            let at = index.min(list.len());
            list.insert(
                at,
                EgressRule {
                    protocol: rule.protocol,
                    ports: rule.ports,
                    destination: rule.source,
                    description: rule.description,
                },
            );
        }
    }

    /// One rule (inline or separate), in ingress form; egress callers swap the peer over.
    fn sg_rule(
        &mut self,
        r: &Resource<'_>,
        rule: &Val,
        ingress: bool,
        hint: &Hint,
        at: &JsonPointer,
    ) -> Result<Option<IngressRule>, ImportError> {
        let proto = match self.text(rule.get("IpProtocol"), at) {
            Some(p) => p.trim().parse::<IpProtocol>().map_err(|e| {
                error_at(
                    r.pos,
                    Some(r.pointer("IpProtocol")),
                    format!("`{}`: {e}", r.logical),
                )
            })?,
            // Unknown protocol: all protocols, so the rule cannot block by mistake.
            None => IpProtocol::All,
        };
        let from: Option<i32> = self.number(r, "FromPort", rule.get("FromPort"), at)?;
        let to: Option<i32> = self.number(r, "ToPort", rule.get("ToPort"), at)?;
        let ports = if proto.has_ports() {
            match (from, to) {
                (Some(f), Some(t)) if f >= 0 && t >= f => Some(PortRange {
                    from: u16::try_from(f).unwrap_or(0),
                    to: u16::try_from(t).unwrap_or(u16::MAX),
                }),
                // -1 or absent ports on tcp/udp mean every port.
                _ => Some(PortRange::ALL),
            }
        } else {
            None
        };
        let (cidr_key, cidr6_key, group_key, list_key) = if ingress {
            (
                "CidrIp",
                "CidrIpv6",
                "SourceSecurityGroupId",
                "SourcePrefixListId",
            )
        } else {
            (
                "CidrIp",
                "CidrIpv6",
                "DestinationSecurityGroupId",
                "DestinationPrefixListId",
            )
        };
        let peer_at = at
            .clone()
            .key(if ingress { "source" } else { "destination" });
        let peer = if let Some(v) = rule.get(cidr_key).or_else(|| rule.get(cidr6_key)) {
            match v.as_lit() {
                Some(c) => Peer::Cidr(c.trim().parse().map_err(|e: String| {
                    error_at(
                        r.pos,
                        Some(r.pointer(cidr_key)),
                        format!("`{}`: {e}", r.logical),
                    )
                })?),
                None => {
                    self.text(Some(v), &peer_at);
                    Peer::PrefixList(UNKNOWN_PEER.to_owned())
                }
            }
        } else if let Some(v) = rule.get(group_key) {
            match self.reference(v, Coll::SecurityGroups, hint, &peer_at)? {
                Some(g) => Peer::SecurityGroup(g),
                None => Peer::PrefixList(UNKNOWN_PEER.to_owned()),
            }
        } else if let Some(v) = rule.get(list_key) {
            match v.as_lit() {
                Some(pl) => Peer::PrefixList(pl),
                None => {
                    self.text(Some(v), &peer_at);
                    Peer::PrefixList(UNKNOWN_PEER.to_owned())
                }
            }
        } else if let Some(v) = rule.get("SourceSecurityGroupName") {
            match self.reference(v, Coll::SecurityGroups, hint, &peer_at)? {
                Some(g) => Peer::SecurityGroup(g),
                None => Peer::PrefixList(UNKNOWN_PEER.to_owned()),
            }
        } else {
            self.skip(
                r,
                "a security-group rule without a peer (no CIDR, group or prefix list) is left out",
            );
            return Ok(None);
        };
        Ok(Some(IngressRule {
            protocol: proto,
            ports,
            source: peer,
            description: Self::name(rule.get("Description")),
        }))
    }

    pub fn map_instance(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some(id) = self.own_id(r) else {
            return Ok(());
        };
        let path = JsonPointer::resource("instances", &id);
        let nic = self
            .prop(r, "NetworkInterfaces")?
            .and_then(|l| l.items().first().cloned());
        let subnet_v = match self.prop(r, "SubnetId")? {
            Some(v) => Some(v),
            None => nic.as_ref().and_then(|n| n.get("SubnetId")).cloned(),
        };
        let subnet = match &subnet_v {
            Some(v) => self.reference(
                v,
                Coll::Subnets,
                &Hint::default(),
                &path.clone().key("subnet"),
            )?,
            None => None,
        };
        let subnet = match subnet {
            Some(s) => s,
            None => {
                // No subnet: the default subnet of the default VPC (in the given zone).
                let vpc = self.default_vpc();
                let hint = Hint {
                    vpc: Some(vpc),
                    ..Hint::default()
                };
                let v = Val::Unk(super::value::Unk {
                    expr: "(no SubnetId)".to_owned(),
                    reason: "no subnet is named, so a default subnet of the default VPC is used"
                        .to_owned(),
                    key: "default-subnet".to_owned(),
                    show: "default-subnet".to_owned(),
                    index: None,
                });
                match self.reference(&v, Coll::Subnets, &hint, &path.clone().key("subnet"))? {
                    Some(s) => s,
                    None => return Ok(()),
                }
            }
        };
        let vpc = self
            .topo
            .subnets
            .get(subnet.as_str())
            .map(|s| s.vpc.clone());
        let hint = Hint {
            vpc,
            ..Hint::default()
        };
        let sg_at = path.clone().key("security_groups");
        let mut groups = Vec::new();
        let sg_sources = [
            self.prop(r, "SecurityGroupIds")?,
            self.prop(r, "SecurityGroups")?,
            nic.as_ref().and_then(|n| n.get("GroupSet")).cloned(),
        ];
        for v in sg_sources.iter().flatten() {
            for g in self.references(Some(v), Coll::SecurityGroups, &hint, &sg_at)? {
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
        }
        let ip_v = match self.prop(r, "PrivateIpAddress")? {
            Some(v) => Some(v),
            None => nic
                .as_ref()
                .and_then(|n| n.get("PrivateIpAddress"))
                .cloned(),
        };
        let private_ip = match self.text(ip_v.as_ref(), &path.clone().key("private_ip")) {
            Some(ip) => Some(ip.trim().parse().map_err(|e: String| {
                error_at(
                    r.pos,
                    Some(r.pointer("PrivateIpAddress")),
                    format!("`{}`: {e}", r.logical),
                )
            })?),
            None => None,
        };
        let it_v = self.prop(r, "InstanceType")?;
        let instance_type = self.text(it_v.as_ref(), &path.clone().key("instance_type"));
        let image_v = self.prop(r, "ImageId")?;
        // An SSM parameter defaulting to the latest Amazon Linux 2023 image is what a
        // topology means by no `image_id` (the exporter's `LatestAmiId`): nothing unknown.
        let latest_al2023 = image_v
            .as_ref()
            .and_then(Val::as_unk)
            .and_then(|u| u.key.strip_prefix("param:"))
            .and_then(|p| self.t.ssm_parameter_default(p))
            == Some(LATEST_AL2023_SSM_PARAMETER);
        let image_id = if latest_al2023 {
            None
        } else {
            self.text(image_v.as_ref(), &path.clone().key("image_id"))
        };
        let name = self.name_tag(r)?;
        // What the instance serves, carried in `Metadata.vpclink` by the exporter.
        let serves = match r.meta.and_then(|m| m.get("serves")) {
            Some(node) => Some(serde_json::from_value(node.to_json()).map_err(|e| {
                error_at(
                    node.pos,
                    Some(format!("/Resources/{}/Metadata/vpclink/serves", r.logical)),
                    format!(
                        "`Metadata.vpclink.serves` of `{}` must list served ports like \
                         `{{port: 8080, protocol: HTTP}}`: {e}",
                        r.logical
                    ),
                )
            })?),
            None => None,
        };
        self.topo.instances.0.insert(
            id.clone(),
            Instance {
                subnet,
                security_groups: groups,
                private_ip,
                serves,
                instance_type,
                image_id,
                aws_id: None,
                name,
            },
        );
        self.source(path, r);
        Ok(())
    }

    /// The instance's private address: its own, else a placeholder inside its subnet
    /// (recorded as unknown). Used for `!GetAtt Instance.PrivateIp`.
    pub fn instance_address(&mut self, instance: &Id, expr: &str) -> Option<String> {
        let inst = self.topo.instances.get(instance.as_str())?;
        if let Some(ip) = inst.private_ip {
            return Some(ip.to_string());
        }
        let subnet = inst.subnet.clone();
        let ip = self.placeholder_address(&subnet)?;
        if let Some(i) = self.topo.instances.0.get_mut(instance) {
            i.private_ip = Some(ip);
        }
        self.unknown_at(
            JsonPointer::resource("instances", instance).key("private_ip"),
            expr,
            "AWS assigns the address at launch; a placeholder address inside the subnet stands in for it",
        );
        Some(ip.to_string())
    }
}

/// Items of a list value (a single map counts as a list of one).
fn list_items(v: &Val) -> Vec<Val> {
    match v {
        Val::List(items) => items.clone(),
        Val::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

fn any_v4() -> Option<Cidr> {
    "0.0.0.0/0".parse().ok()
}

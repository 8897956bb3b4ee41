//! VPCs, subnets, network ACLs (inline rules, `subnet_ids`, separate rules and
//! associations), security groups (inline blocks and the three kinds of rule resource) and
//! instances, as their CloudFormation types.

use super::{node, Props, Tx};
use crate::import::cloudformation::yaml::Node;
use crate::import::terraform::ir::TfValue;

/// The rule that matches no destination: what CloudFormation templates (CDK's, vpclink's
/// export) write for "no outbound rule", which the CloudFormation reader reads as an empty
/// egress list.
fn no_egress(i: usize) -> Node {
    let pos = node::at(i);
    node::seq(
        vec![node::map(
            vec![
                ("IpProtocol".to_owned(), node::text("icmp", pos)),
                ("FromPort".to_owned(), node::text("252", pos)),
                ("ToPort".to_owned(), node::text("86", pos)),
                ("CidrIp".to_owned(), node::text("255.255.255.255/32", pos)),
            ],
            pos,
        )],
        pos,
    )
}

/// Peer keys of a rule in CloudFormation, per direction.
struct PeerKeys {
    group: &'static str,
    list: &'static str,
}

fn peer_keys(ingress: bool) -> PeerKeys {
    if ingress {
        PeerKeys {
            group: "SourceSecurityGroupId",
            list: "SourcePrefixListId",
        }
    } else {
        PeerKeys {
            group: "DestinationSecurityGroupId",
            list: "DestinationPrefixListId",
        }
    }
}

impl Tx<'_> {
    fn logical_of(&self, i: usize) -> String {
        self.logical.get(i).cloned().unwrap_or_default()
    }

    pub(super) fn vpc(&mut self, i: usize) {
        let mut p = Props::default();
        self.set(&mut p, i, "CidrBlock", "cidr_block");
        self.name_tag(&mut p, i);
        let meta = self.meta(i);
        self.push(&self.logical_of(i), "AWS::EC2::VPC", i, p, meta);
    }

    pub(super) fn cidr_block_association(&mut self, i: usize) {
        let mut p = Props::default();
        self.set(&mut p, i, "VpcId", "vpc_id");
        self.set(&mut p, i, "CidrBlock", "cidr_block");
        self.push(
            &self.logical_of(i),
            "AWS::EC2::VPCCidrBlock",
            i,
            p,
            Vec::new(),
        );
    }

    pub(super) fn subnet(&mut self, i: usize) {
        let mut p = Props::default();
        self.set(&mut p, i, "VpcId", "vpc_id");
        self.set(&mut p, i, "AvailabilityZone", "availability_zone");
        self.set(&mut p, i, "CidrBlock", "cidr_block");
        if !p.has("CidrBlock") {
            // An IPv6-only subnet: the model keeps its one block either way.
            self.set(&mut p, i, "CidrBlock", "ipv6_cidr_block");
        }
        self.name_tag(&mut p, i);
        let meta = self.meta(i);
        self.push(&self.logical_of(i), "AWS::EC2::Subnet", i, p, meta);
    }

    pub(super) fn network_acl(&mut self, i: usize) {
        let logical = self.logical_of(i);
        let pos = node::at(i);
        let mut p = Props::default();
        self.set(&mut p, i, "VpcId", "vpc_id");
        self.name_tag(&mut p, i);
        let meta = self.meta(i);
        self.push(&logical, "AWS::EC2::NetworkAcl", i, p, meta);

        for (direction, egress) in [("ingress", false), ("egress", true)] {
            match self.val(i, direction) {
                Some(TfValue::List(rules)) => {
                    // A set in Terraform: ordered by rule number, as AWS evaluates them.
                    let mut rules: Vec<&TfValue> = rules.iter().collect();
                    rules.sort_by_key(|r| {
                        r.get("rule_no")
                            .and_then(|n| self.literal(n))
                            .and_then(|n| n.parse::<u32>().ok())
                            .unwrap_or(u32::MAX)
                    });
                    for (k, rule) in rules.into_iter().enumerate() {
                        let mut e = Props::default();
                        e.put("NetworkAclId", node::reference(&logical, pos));
                        e.put("Egress", node::text(egress.to_string(), pos));
                        self.entry_fields(&mut e, i, rule, "rule_no", "action");
                        let name = self.unique(&format!("{logical}{}{k}", cap(direction)));
                        self.push(&name, "AWS::EC2::NetworkAclEntry", i, e, Vec::new());
                    }
                }
                Some(other) => {
                    // Rules known only after apply: an entry that may allow anything.
                    let mut e = Props::default();
                    e.put("NetworkAclId", node::reference(&logical, pos));
                    e.put("Egress", node::text(egress.to_string(), pos));
                    e.put("RuleNumber", node::text("32766", pos));
                    e.put("Protocol", node::text("-1", pos));
                    e.put("RuleAction", node::text("allow", pos));
                    if let Some(n) = self.conv(other, i) {
                        e.put("CidrBlock", n);
                    }
                    let name = self.unique(&format!("{logical}{}", cap(direction)));
                    self.push(&name, "AWS::EC2::NetworkAclEntry", i, e, Vec::new());
                }
                None => {}
            }
        }
        let subnets: Vec<TfValue> = match self.val(i, "subnet_ids") {
            Some(TfValue::List(items)) => items.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        for (k, s) in subnets.iter().enumerate() {
            let Some(subnet) = self.conv(s, i) else {
                continue;
            };
            let mut a = Props::default();
            a.put("SubnetId", subnet);
            a.put("NetworkAclId", node::reference(&logical, pos));
            a.names
                .push(("SubnetId".to_owned(), "subnet_ids".to_owned()));
            let name = self.unique(&format!("{logical}Association{k}"));
            self.push(
                &name,
                "AWS::EC2::SubnetNetworkAclAssociation",
                i,
                a,
                Vec::new(),
            );
        }
    }

    /// The fields of one NACL rule, inline (`rule_no`, `action`) or separate
    /// (`rule_number`, `rule_action`).
    fn entry_fields(
        &mut self,
        e: &mut Props,
        i: usize,
        rule: &TfValue,
        number: &str,
        action: &str,
    ) {
        let get = |k: &str| rule.get(k).cloned();
        for (cfn, tf) in [
            ("RuleNumber", number),
            ("Protocol", "protocol"),
            ("RuleAction", action),
            ("CidrBlock", "cidr_block"),
            ("Ipv6CidrBlock", "ipv6_cidr_block"),
        ] {
            if let Some(v) = get(tf) {
                self.set_value(e, i, cfn, tf, &v);
            }
        }
        let pos = node::at(i);
        let mut range = Vec::new();
        for (cfn, tf) in [("From", "from_port"), ("To", "to_port")] {
            if let Some(n) = get(tf).and_then(|v| self.conv(&v, i)) {
                range.push((cfn.to_owned(), n));
            }
        }
        if !range.is_empty() {
            e.put("PortRange", node::map(range, pos));
            e.names
                .push(("PortRange".to_owned(), "from_port".to_owned()));
        }
    }

    pub(super) fn network_acl_rule(&mut self, i: usize) {
        let mut e = Props::default();
        self.set(&mut e, i, "NetworkAclId", "network_acl_id");
        self.set(&mut e, i, "Egress", "egress");
        if let Some(values) = self
            .cfg
            .resources
            .get(i)
            .map(|r| TfValue::Map(r.values.clone()))
        {
            self.entry_fields(&mut e, i, &values, "rule_number", "rule_action");
        }
        self.push(
            &self.logical_of(i),
            "AWS::EC2::NetworkAclEntry",
            i,
            e,
            Vec::new(),
        );
    }

    pub(super) fn network_acl_association(&mut self, i: usize) {
        let mut a = Props::default();
        self.set(&mut a, i, "SubnetId", "subnet_id");
        self.set(&mut a, i, "NetworkAclId", "network_acl_id");
        self.push(
            &self.logical_of(i),
            "AWS::EC2::SubnetNetworkAclAssociation",
            i,
            a,
            Vec::new(),
        );
    }

    pub(super) fn security_group(&mut self, i: usize) {
        let logical = self.logical_of(i);
        let mut p = Props::default();
        self.set(&mut p, i, "GroupDescription", "description");
        self.set(&mut p, i, "GroupName", "name");
        self.set(&mut p, i, "VpcId", "vpc_id");
        self.name_tag(&mut p, i);
        match self.val(i, "ingress") {
            Some(TfValue::List(rules)) => {
                let nodes = self.inline_rules(i, rules, true, &logical);
                p.put("SecurityGroupIngress", node::seq(nodes, node::at(i)));
            }
            Some(other) => {
                if let Some(n) = self.conv(other, i) {
                    p.put("SecurityGroupIngress", n);
                }
            }
            None => {}
        }
        // Terraform removes the allow-all rule AWS gives a new group: no egress rule
        // means no egress, unless the only rules are the exported AWS default.
        match self.val(i, "egress") {
            Some(TfValue::List(rules)) if !rules.is_empty() => {
                let mut nodes = self.inline_rules(i, rules, false, &logical);
                if nodes.is_empty() {
                    nodes = no_egress(i).items().to_vec();
                }
                p.put("SecurityGroupEgress", node::seq(nodes, node::at(i)));
            }
            Some(TfValue::List(_)) | None => {
                if !self.default_egress.contains(&i) {
                    p.put("SecurityGroupEgress", no_egress(i));
                }
            }
            Some(other) => {
                if let Some(n) = self.conv(other, i) {
                    p.put("SecurityGroupEgress", n);
                }
            }
        }
        p.names
            .push(("SecurityGroupIngress".to_owned(), "ingress".to_owned()));
        p.names
            .push(("SecurityGroupEgress".to_owned(), "egress".to_owned()));
        let meta = self.meta(i);
        self.push(&logical, "AWS::EC2::SecurityGroup", i, p, meta);
    }

    /// Inline `ingress`/`egress` blocks: one CloudFormation rule per peer (each CIDR, group,
    /// prefix list and `self`).
    fn inline_rules(&mut self, i: usize, rules: &[TfValue], ingress: bool, own: &str) -> Vec<Node> {
        let pos = node::at(i);
        let keys = peer_keys(ingress);
        let mut out = Vec::new();
        for rule in rules {
            // A rule known only after apply: the reader's permissive stand-in.
            if let TfValue::Unknown { .. } = rule {
                if let Some(n) = self.conv(rule, i) {
                    out.push(n);
                }
                continue;
            }
            let mut base = Props::default();
            for (cfn, tf) in [
                ("IpProtocol", "protocol"),
                ("FromPort", "from_port"),
                ("ToPort", "to_port"),
                ("Description", "description"),
            ] {
                if let Some(v) = rule.get(tf) {
                    self.set_value(&mut base, i, cfn, tf, v);
                }
            }
            let mut peers: Vec<(&str, Node)> = Vec::new();
            for (cfn, tf) in [
                ("CidrIp", "cidr_blocks"),
                ("CidrIpv6", "ipv6_cidr_blocks"),
                (keys.list, "prefix_list_ids"),
                (keys.group, "security_groups"),
            ] {
                peers.extend(self.peer_items(i, rule.get(tf), cfn));
            }
            if matches!(rule.get("self"), Some(TfValue::Bool(true))) {
                peers.push((keys.group, node::reference(own, pos)));
            }
            for (key, peer) in peers {
                let mut entries = base.entries.clone();
                entries.push((key.to_owned(), peer));
                out.push(node::map(entries, pos));
            }
        }
        out
    }

    /// Each item of a peer list (or the unknown list as one unknown peer).
    fn peer_items<'k>(
        &mut self,
        i: usize,
        v: Option<&TfValue>,
        key: &'k str,
    ) -> Vec<(&'k str, Node)> {
        let Some(v) = v.and_then(super::present) else {
            return Vec::new();
        };
        let items: Vec<TfValue> = match v {
            TfValue::List(items) => items.clone(),
            other => vec![other.clone()],
        };
        items
            .iter()
            .filter(|x| super::present(x).is_some())
            .filter_map(|x| self.conv(x, i).map(|n| (key, n)))
            .collect()
    }

    /// `aws_security_group_rule`: one CloudFormation rule resource per peer.
    pub(super) fn security_group_rule(&mut self, i: usize) {
        let logical = self.logical_of(i);
        let ingress = matches!(
            self.role.get(i),
            Some(super::Role::Cfn("AWS::EC2::SecurityGroupIngress"))
        );
        let cfn_type = if ingress {
            "AWS::EC2::SecurityGroupIngress"
        } else {
            "AWS::EC2::SecurityGroupEgress"
        };
        let keys = peer_keys(ingress);
        let mut base = Props::default();
        for (cfn, tf) in [
            ("GroupId", "security_group_id"),
            ("IpProtocol", "protocol"),
            ("FromPort", "from_port"),
            ("ToPort", "to_port"),
            ("Description", "description"),
        ] {
            self.set(&mut base, i, cfn, tf);
        }
        let mut peers: Vec<(&str, Node)> = Vec::new();
        for (cfn, tf) in [
            ("CidrIp", "cidr_blocks"),
            ("CidrIpv6", "ipv6_cidr_blocks"),
            (keys.list, "prefix_list_ids"),
            (keys.group, "source_security_group_id"),
        ] {
            let v = self.val(i, tf);
            peers.extend(self.peer_items(i, v, cfn));
        }
        if matches!(self.val(i, "self"), Some(TfValue::Bool(true))) {
            if let Some(group) = self
                .val(i, "security_group_id")
                .and_then(|g| self.conv(g, i))
            {
                peers.push((keys.group, group));
            }
        }
        let meta = self.meta(i);
        if peers.is_empty() {
            self.push(&logical, cfn_type, i, base, meta);
            return;
        }
        for (k, (key, peer)) in peers.into_iter().enumerate() {
            let mut p = Props {
                entries: base.entries.clone(),
                names: base.names.clone(),
            };
            p.put(key, peer);
            let name = if k == 0 {
                logical.clone()
            } else {
                self.unique(&format!("{logical}Peer{k}"))
            };
            self.push(&name, cfn_type, i, p, meta.clone());
        }
    }

    /// `aws_vpc_security_group_ingress_rule` / `_egress_rule`: one rule, one peer.
    pub(super) fn vpc_security_group_rule(&mut self, i: usize, ingress: bool) {
        let keys = peer_keys(ingress);
        let mut p = Props::default();
        for (cfn, tf) in [
            ("GroupId", "security_group_id"),
            ("IpProtocol", "ip_protocol"),
            ("FromPort", "from_port"),
            ("ToPort", "to_port"),
            ("CidrIp", "cidr_ipv4"),
            ("CidrIpv6", "cidr_ipv6"),
            (keys.list, "prefix_list_id"),
            (keys.group, "referenced_security_group_id"),
            ("Description", "description"),
        ] {
            self.set(&mut p, i, cfn, tf);
        }
        let cfn_type = if ingress {
            "AWS::EC2::SecurityGroupIngress"
        } else {
            "AWS::EC2::SecurityGroupEgress"
        };
        let meta = self.meta(i);
        self.push(&self.logical_of(i), cfn_type, i, p, meta);
    }

    pub(super) fn instance(&mut self, i: usize) {
        let mut p = Props::default();
        self.set(&mut p, i, "ImageId", "ami");
        self.set(&mut p, i, "InstanceType", "instance_type");
        self.set(&mut p, i, "SubnetId", "subnet_id");
        self.set(&mut p, i, "SecurityGroupIds", "vpc_security_group_ids");
        // `security_groups` holds group names, which state also fills in for instances
        // in a VPC; the ids say the same where both are given.
        let ids_given = match self.val(i, "vpc_security_group_ids") {
            Some(TfValue::List(items)) => !items.is_empty(),
            Some(_) => true,
            None => false,
        };
        if !ids_given {
            self.set(&mut p, i, "SecurityGroups", "security_groups");
        }
        self.set(&mut p, i, "PrivateIpAddress", "private_ip");
        self.name_tag(&mut p, i);
        let meta = self.meta(i);
        self.push(&self.logical_of(i), "AWS::EC2::Instance", i, p, meta);
    }
}

/// `ingress` → `Ingress`.
fn cap(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

//! VPCs, subnets, network ACLs, security groups and instances.

use serde_json::{json, Map, Value};

use super::{carry, defaulted, metadata, name_tag, r#ref, top_metadata, Cfn};
use crate::model::{Cidr, IpProtocol, NaclAction, NaclEntry, Peer, PortRange, SecurityGroup};
use crate::pointer::JsonPointer;
use crate::render::defaults::{security_group_description, INSTANCE_TYPE};
use crate::render::RenderError;

pub(super) fn render(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    let secondary = vpcs(cfn)?;
    subnets(cfn, &secondary)?;
    network_acls(cfn)?;
    security_groups(cfn)?;
    instances(cfn)
}

/// The protocol number NACL entries take (facts §11: an integer, `-1` for all).
pub(super) fn protocol_number(p: IpProtocol) -> i64 {
    match p {
        IpProtocol::Tcp => 6,
        IpProtocol::Udp => 17,
        IpProtocol::Icmp => 1,
        IpProtocol::Icmpv6 => 58,
        IpProtocol::All => -1,
        IpProtocol::Number(n) => i64::from(n),
    }
}

/// Secondary IPv4 blocks declared as `AWS::EC2::VPCCidrBlock`: (VPC id, block, logical id).
type Secondary = Vec<(String, Cidr, String)>;

fn vpcs(cfn: &mut Cfn<'_>) -> Result<Secondary, RenderError> {
    let t = cfn.t;
    let mut secondary = Vec::new();
    for (id, vpc) in &t.vpcs {
        let Some(logical) = cfn.logical("vpcs", id).map(str::to_owned) else {
            continue;
        };
        let mut p = Map::new();
        p.insert("CidrBlock".into(), json!(vpc.cidr.to_string()));
        p.insert("Tags".into(), name_tag(vpc.name.as_deref(), id.as_str()));
        cfn.add(
            logical.clone(),
            "AWS::EC2::VPC",
            Vec::new(),
            top_metadata("vpcs", id.as_str(), vpc.name.as_ref()),
            p,
        );
        for cidr in &vpc.secondary_cidrs {
            if !cidr.is_ipv4() {
                // An IPv6 block comes from Amazon's pool or from IPAM; a chosen block
                // cannot be requested by value.
                cfn.note(format!(
                    "VPC `{id}`: the IPv6 block {cidr} is not declared; associate an \
                     Amazon-provided or IPAM IPv6 block instead."
                ));
                continue;
            }
            let text = cidr.to_string();
            let block = cfn.part_id(&logical, &["Cidr", &text], &text);
            let mut p = Map::new();
            p.insert("VpcId".into(), r#ref(&logical));
            p.insert("CidrBlock".into(), json!(text));
            cfn.add(
                block.clone(),
                "AWS::EC2::VPCCidrBlock",
                Vec::new(),
                metadata("vpcs", id.as_str(), Some(("secondary_cidr", json!(text)))),
                p,
            );
            secondary.push((id.to_string(), *cidr, block));
        }
    }
    Ok(secondary)
}

fn subnets(cfn: &mut Cfn<'_>, secondary: &Secondary) -> Result<(), RenderError> {
    let t = cfn.t;
    for (id, subnet) in &t.subnets {
        let Some(logical) = cfn.logical("subnets", id).map(str::to_owned) else {
            continue;
        };
        let at = || JsonPointer::resource("subnets", id);
        let mut p = Map::new();
        p.insert(
            "VpcId".into(),
            cfn.reference("vpcs", subnet.vpc.as_str(), None, || at().key("vpc"))?,
        );
        p.insert("AvailabilityZone".into(), json!(subnet.az.as_str()));
        if subnet.cidr.is_ipv4() {
            p.insert("CidrBlock".into(), json!(subnet.cidr.to_string()));
        } else {
            p.insert("Ipv6CidrBlock".into(), json!(subnet.cidr.to_string()));
            p.insert("Ipv6Native".into(), json!(true));
        }
        p.insert("Tags".into(), name_tag(subnet.name.as_deref(), id.as_str()));
        // A subnet in a secondary block can only be made once the block is associated.
        let depends: Vec<String> = secondary
            .iter()
            .filter(|(vpc, block, _)| vpc == subnet.vpc.as_str() && block.contains(&subnet.cidr))
            .map(|(_, _, logical)| logical.clone())
            .collect();
        cfn.add(
            logical,
            "AWS::EC2::Subnet",
            depends,
            top_metadata("subnets", id.as_str(), subnet.name.as_ref()),
            p,
        );
    }
    Ok(())
}

fn network_acls(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    let t = cfn.t;
    for (id, acl) in &t.network_acls {
        let Some(logical) = cfn.logical("network_acls", id).map(str::to_owned) else {
            continue;
        };
        let at = || JsonPointer::resource("network_acls", id);
        let mut p = Map::new();
        p.insert(
            "VpcId".into(),
            cfn.reference("vpcs", acl.vpc.as_str(), None, || at().key("vpc"))?,
        );
        p.insert("Tags".into(), name_tag(acl.name.as_deref(), id.as_str()));
        cfn.add(
            logical.clone(),
            "AWS::EC2::NetworkAcl",
            Vec::new(),
            top_metadata("network_acls", id.as_str(), acl.name.as_ref()),
            p,
        );
        for (direction, egress, entries) in [
            ("ingress", false, &acl.ingress),
            ("egress", true, &acl.egress),
        ] {
            for entry in entries {
                let rule = entry.rule.to_string();
                let word = if egress { "Egress" } else { "Ingress" };
                let name = cfn.part_id(&logical, &[word, &rule], &format!("{direction}{rule}"));
                cfn.add(
                    name,
                    "AWS::EC2::NetworkAclEntry",
                    Vec::new(),
                    metadata(
                        "network_acls",
                        id.as_str(),
                        Some((direction, json!(entry.rule))),
                    ),
                    nacl_entry(&logical, egress, entry),
                );
            }
        }
    }

    // Associations belong to the subnet: a new subnet joins its ACL. A subnet without one
    // (or with the VPC's default ACL) stays on the default ACL, which needs no resource.
    for (sid, subnet) in &t.subnets {
        let (Some(subnet_logical), Some(acl_id)) = (
            cfn.logical("subnets", sid).map(str::to_owned),
            subnet.network_acl.as_ref(),
        ) else {
            continue;
        };
        if t.network_acls
            .get(acl_id.as_str())
            .is_some_and(|a| a.default)
        {
            continue;
        }
        let acl = cfn.reference("network_acls", acl_id.as_str(), None, || {
            JsonPointer::resource("subnets", sid).key("network_acl")
        })?;
        let name = cfn.part_id(&subnet_logical, &["NetworkAclAssociation"], "acl");
        let mut p = Map::new();
        p.insert("SubnetId".into(), r#ref(&subnet_logical));
        p.insert("NetworkAclId".into(), acl);
        cfn.add(
            name,
            "AWS::EC2::SubnetNetworkAclAssociation",
            Vec::new(),
            metadata(
                "subnets",
                sid.as_str(),
                Some(("network_acl", json!(acl_id))),
            ),
            p,
        );
    }
    Ok(())
}

fn nacl_entry(acl_logical: &str, egress: bool, entry: &NaclEntry) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("NetworkAclId".into(), r#ref(acl_logical));
    p.insert("RuleNumber".into(), json!(entry.rule));
    p.insert("Protocol".into(), json!(protocol_number(entry.protocol)));
    p.insert(
        "RuleAction".into(),
        json!(match entry.action {
            NaclAction::Allow => "allow",
            NaclAction::Deny => "deny",
        }),
    );
    p.insert("Egress".into(), json!(egress));
    if entry.cidr.is_ipv4() {
        p.insert("CidrBlock".into(), json!(entry.cidr.to_string()));
    } else {
        p.insert("Ipv6CidrBlock".into(), json!(entry.cidr.to_string()));
    }
    match entry.protocol {
        IpProtocol::Tcp | IpProtocol::Udp => {
            let r = entry.port_range();
            p.insert("PortRange".into(), json!({ "From": r.from, "To": r.to }));
        }
        // ICMP entries must say which types and codes; the model allows them all.
        IpProtocol::Icmp | IpProtocol::Icmpv6 => {
            p.insert("Icmp".into(), json!({ "Code": -1, "Type": -1 }));
        }
        IpProtocol::All | IpProtocol::Number(_) => {}
    }
    p
}

/// `IpProtocol`, `FromPort` and `ToPort` of a security-group rule.
fn sg_protocol(p: &mut Map<String, Value>, protocol: IpProtocol, ports: Option<PortRange>) {
    let name = match protocol {
        IpProtocol::Tcp => "tcp".to_owned(),
        IpProtocol::Udp => "udp".to_owned(),
        IpProtocol::Icmp => "icmp".to_owned(),
        IpProtocol::Icmpv6 => "icmpv6".to_owned(),
        IpProtocol::All => "-1".to_owned(),
        IpProtocol::Number(n) => n.to_string(),
    };
    p.insert("IpProtocol".into(), json!(name));
    match protocol {
        IpProtocol::Tcp | IpProtocol::Udp => {
            let r = ports.unwrap_or(PortRange::ALL);
            p.insert("FromPort".into(), json!(r.from));
            p.insert("ToPort".into(), json!(r.to));
        }
        IpProtocol::Icmp | IpProtocol::Icmpv6 => {
            p.insert("FromPort".into(), json!(-1));
            p.insert("ToPort".into(), json!(-1));
        }
        IpProtocol::All | IpProtocol::Number(_) => {}
    }
}

/// An outbound rule that matches nothing: giving it makes CloudFormation create the group
/// without AWS's allow-all egress rule (which it adds only when no egress rule is given),
/// the same placeholder the AWS CDK uses for `allowAllOutbound: false`.
fn no_egress_placeholder() -> Value {
    json!({
        "IpProtocol": "icmp",
        "FromPort": 252,
        "ToPort": 86,
        "CidrIp": "255.255.255.255/32",
        "Description": "Disallow all traffic"
    })
}

fn security_groups(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    let t = cfn.t;
    for (id, sg) in &t.security_groups {
        let Some(logical) = cfn.logical("security_groups", id).map(str::to_owned) else {
            continue;
        };
        let at = || JsonPointer::resource("security_groups", id);
        let mut p = Map::new();
        p.insert(
            "GroupDescription".into(),
            json!(sg
                .description
                .clone()
                .unwrap_or_else(|| security_group_description(id.as_str()))),
        );
        if let Some(name) = &sg.name {
            p.insert("GroupName".into(), json!(name));
        }
        p.insert(
            "VpcId".into(),
            cfn.reference("vpcs", sg.vpc.as_str(), None, || at().key("vpc"))?,
        );
        let ingress = inline_rules(sg, false);
        if !ingress.is_empty() {
            p.insert("SecurityGroupIngress".into(), Value::Array(ingress));
        }
        if sg.egress.is_some() {
            let mut egress = inline_rules(sg, true);
            if egress.is_empty() {
                egress.push(no_egress_placeholder());
            }
            p.insert("SecurityGroupEgress".into(), Value::Array(egress));
        }
        p.insert("Tags".into(), name_tag(sg.name.as_deref(), id.as_str()));
        let mut meta = top_metadata("security_groups", id.as_str(), sg.name.as_ref());
        if sg.description.is_none() {
            let written = p.get("GroupDescription").cloned().unwrap_or_default();
            defaulted(&mut meta, vec![("description", written)]);
        }
        cfn.add(
            logical.clone(),
            "AWS::EC2::SecurityGroup",
            Vec::new(),
            meta,
            p,
        );
        standalone_rules(cfn, id.as_str(), sg, &logical)?;
    }
    Ok(())
}

/// Rules whose peer is a CIDR or a prefix list, written inside the group.
fn inline_rules(sg: &SecurityGroup, egress: bool) -> Vec<Value> {
    let views: Vec<(crate::model::SgRuleView<'_>, Option<&String>)> = if egress {
        sg.egress
            .iter()
            .flatten()
            .map(|r| (r.view(), r.description.as_ref()))
            .collect()
    } else {
        sg.ingress
            .iter()
            .map(|r| (r.view(), r.description.as_ref()))
            .collect()
    };
    let mut out = Vec::new();
    for (view, description) in views {
        let mut p = Map::new();
        sg_protocol(&mut p, view.protocol, view.ports);
        match view.peer {
            Peer::Cidr(c) => {
                let key = if c.is_ipv4() { "CidrIp" } else { "CidrIpv6" };
                p.insert(key.into(), json!(c.to_string()));
            }
            Peer::PrefixList(pl) => {
                let key = if egress {
                    "DestinationPrefixListId"
                } else {
                    "SourcePrefixListId"
                };
                p.insert(key.into(), json!(pl));
            }
            Peer::SecurityGroup(_) => continue,
        }
        if let Some(d) = description {
            p.insert("Description".into(), json!(d));
        }
        out.push(Value::Object(p));
    }
    out
}

/// Rules whose peer is another security group, as their own resources: inside the groups
/// two groups that name each other would be a dependency cycle (facts §11).
fn standalone_rules(
    cfn: &mut Cfn<'_>,
    id: &str,
    sg: &SecurityGroup,
    logical: &str,
) -> Result<(), RenderError> {
    let rules: Vec<(&str, usize, crate::model::SgRuleView<'_>, Option<&String>)> = sg
        .ingress
        .iter()
        .enumerate()
        .map(|(i, r)| ("ingress", i, r.view(), r.description.as_ref()))
        .chain(
            sg.egress
                .iter()
                .flatten()
                .enumerate()
                .map(|(i, r)| ("egress", i, r.view(), r.description.as_ref())),
        )
        .collect();
    for (direction, index, view, description) in rules {
        let Peer::SecurityGroup(other) = view.peer else {
            continue;
        };
        let (word, type_name, peer_key, peer_field) = if direction == "egress" {
            (
                "Egress",
                "AWS::EC2::SecurityGroupEgress",
                "DestinationSecurityGroupId",
                "destination",
            )
        } else {
            (
                "Ingress",
                "AWS::EC2::SecurityGroupIngress",
                "SourceSecurityGroupId",
                "source",
            )
        };
        let peer = cfn.reference("security_groups", other.as_str(), Some("GroupId"), || {
            JsonPointer::resource("security_groups", id)
                .key(direction)
                .index(index)
                .key(peer_field)
                .key("security_group")
        })?;
        let mut p = Map::new();
        p.insert("GroupId".into(), super::get_att(logical, "GroupId"));
        sg_protocol(&mut p, view.protocol, view.ports);
        p.insert(peer_key.into(), peer);
        if let Some(d) = description {
            p.insert("Description".into(), json!(d));
        }
        let index_text = index.to_string();
        let name = cfn.part_id(
            logical,
            &[word, &index_text],
            &format!("{direction}{index}"),
        );
        cfn.add(
            name,
            type_name,
            Vec::new(),
            metadata("security_groups", id, Some((direction, json!(index)))),
            p,
        );
    }
    Ok(())
}

fn instances(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    let t = cfn.t;
    for (id, instance) in &t.instances {
        let Some(logical) = cfn.logical("instances", id).map(str::to_owned) else {
            continue;
        };
        let at = || JsonPointer::resource("instances", id);
        let mut p = Map::new();
        let image = match &instance.image_id {
            Some(image) => json!(image),
            None => cfn.latest_ami(),
        };
        p.insert("ImageId".into(), image);
        p.insert(
            "InstanceType".into(),
            json!(instance.instance_type.as_deref().unwrap_or(INSTANCE_TYPE)),
        );
        p.insert(
            "SubnetId".into(),
            cfn.reference("subnets", instance.subnet.as_str(), None, || {
                at().key("subnet")
            })?,
        );
        if !instance.security_groups.is_empty() {
            let mut groups = Vec::new();
            for (i, sg) in instance.security_groups.iter().enumerate() {
                groups.push(cfn.reference(
                    "security_groups",
                    sg.as_str(),
                    Some("GroupId"),
                    || at().key("security_groups").index(i),
                )?);
            }
            p.insert("SecurityGroupIds".into(), Value::Array(groups));
        }
        if let Some(ip) = &instance.private_ip {
            p.insert("PrivateIpAddress".into(), json!(ip.to_string()));
        }
        p.insert(
            "Tags".into(),
            name_tag(instance.name.as_deref(), id.as_str()),
        );
        let mut meta = top_metadata("instances", id.as_str(), instance.name.as_ref());
        if instance.instance_type.is_none() {
            defaulted(&mut meta, vec![("instance_type", json!(INSTANCE_TYPE))]);
        }
        if let Some(serves) = &instance.serves {
            // No property says what runs on an instance; carried for the import.
            let serves = serde_json::to_value(serves).map_err(|e| RenderError {
                message: format!("could not write what instance `{id}` serves: {e}"),
                path: Some(at().key("serves")),
            })?;
            carry(&mut meta, "serves", serves);
        }
        cfn.add(logical, "AWS::EC2::Instance", Vec::new(), meta, p);
    }
    Ok(())
}

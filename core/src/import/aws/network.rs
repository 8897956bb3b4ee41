//! EC2: VPCs, network ACLs, subnets, security groups and instances (facts §10.4).

use std::collections::HashMap;

use crate::import::ImportError;
use crate::model::{
    EgressRule, IngressRule, Instance, InstanceState, IpProtocol, NaclAction, NaclEntry,
    NetworkAcl, ObservedInstance, Peer, PortRange, SecurityGroup, Subnet, Vpc,
};
use crate::pointer::JsonPointer;

use super::context::{assign_ids, dedupe, response_at, shape_error, Found, Importer};
use super::shapes::ec2;

/// AWS numbers the default deny-all entries 32767 (IPv4) and 32768 (IPv6); the topology's
/// ACLs end in that implicit deny already (facts §6, core/src/net/nacl.rs), so listing it
/// would only repeat it.
const IMPLICIT_DENY_RULE: u32 = 32767;

pub fn import(im: &mut Importer<'_>) -> Result<(), ImportError> {
    vpcs(im)?;
    let subnet_acls = network_acls(im)?;
    subnets(im, &subnet_acls)?;
    security_groups(im)?;
    instances(im)?;
    Ok(())
}

fn vpcs(im: &mut Importer<'_>) -> Result<(), ImportError> {
    let mut found = Vec::new();
    for (p, page) in im.bundle.responses.ec2.describe_vpcs.iter().enumerate() {
        for (i, v) in page.response.vpcs.iter().enumerate() {
            found.push(Found {
                item: v,
                at: response_at("ec2", "describe_vpcs", p).key("Vpcs").index(i),
                aws_id: v.vpc_id.as_str(),
                name: ec2::name_tag(&v.tags),
            });
        }
    }
    let found = dedupe(found);
    let ids = assign_ids(&found, "VpcId")?;
    for (f, id) in found.iter().zip(ids) {
        let v = f.item;
        let mut secondary = Vec::new();
        for a in &v.cidr_block_association_set {
            let state = a.cidr_block_state.as_ref().and_then(|s| s.state.as_deref());
            // Disassociated and failed blocks no longer belong to the VPC.
            if a.cidr_block != v.cidr_block
                && matches!(state, None | Some("associated" | "associating"))
                && !secondary.contains(&a.cidr_block)
            {
                secondary.push(a.cidr_block);
            }
        }
        im.refs.vpcs.insert(v.vpc_id.clone(), id.clone());
        im.source(JsonPointer::resource("vpcs", &id), &v.vpc_id, &f.at);
        im.topo.vpcs.0.insert(
            id,
            Vpc {
                cidr: v.cidr_block,
                secondary_cidrs: secondary,
                aws_id: Some(v.vpc_id.clone()),
                name: ec2::name_tag(&v.tags).map(str::to_owned),
            },
        );
    }
    Ok(())
}

/// Imports the ACLs and returns subnet AWS id → ACL id from their associations.
fn network_acls(im: &mut Importer<'_>) -> Result<HashMap<String, crate::model::Id>, ImportError> {
    let mut found = Vec::new();
    for (p, page) in im
        .bundle
        .responses
        .ec2
        .describe_network_acls
        .iter()
        .enumerate()
    {
        for (i, a) in page.response.network_acls.iter().enumerate() {
            found.push(Found {
                item: a,
                at: response_at("ec2", "describe_network_acls", p)
                    .key("NetworkAcls")
                    .index(i),
                aws_id: a.network_acl_id.as_str(),
                name: ec2::name_tag(&a.tags),
            });
        }
    }
    let found = dedupe(found);
    let ids = assign_ids(&found, "NetworkAclId")?;
    let mut by_subnet = HashMap::new();
    for (f, id) in found.iter().zip(ids) {
        let a = f.item;
        let Some(vpc) = im.refs.vpcs.get(&a.vpc_id).cloned() else {
            im.skip(
                &a.network_acl_id,
                "AWS::EC2::NetworkAcl",
                format!(
                    "its VPC `{}` is not in the bundle (ec2 describe_vpcs)",
                    a.vpc_id
                ),
            );
            continue;
        };
        let mut ingress = Vec::new();
        let mut egress = Vec::new();
        for (j, e) in a.entries.iter().enumerate() {
            let at = f.at.clone().key("Entries").index(j);
            if let Some(entry) = nacl_entry(e, &at)? {
                if e.egress {
                    egress.push(entry);
                } else {
                    ingress.push(entry);
                }
            }
        }
        for assoc in &a.associations {
            if let Some(subnet) = &assoc.subnet_id {
                by_subnet.insert(subnet.clone(), id.clone());
            }
        }
        im.refs
            .network_acls
            .insert(a.network_acl_id.clone(), id.clone());
        im.source(
            JsonPointer::resource("network_acls", &id),
            &a.network_acl_id,
            &f.at,
        );
        im.topo.network_acls.0.insert(
            id,
            NetworkAcl {
                vpc,
                ingress,
                egress,
                default: a.is_default,
                aws_id: Some(a.network_acl_id.clone()),
                name: ec2::name_tag(&a.tags).map(str::to_owned),
            },
        );
    }
    Ok(by_subnet)
}

/// One ACL entry, or `None` for the implicit deny-all AWS lists at the end.
fn nacl_entry(
    e: &ec2::NetworkAclEntry,
    at: &JsonPointer,
) -> Result<Option<NaclEntry>, ImportError> {
    let action = match e.rule_action.as_str() {
        "allow" => NaclAction::Allow,
        "deny" => NaclAction::Deny,
        other => {
            return Err(shape_error(
                &at.clone().key("RuleAction"),
                format!("`{other}` is not a network ACL rule action; AWS uses `allow` or `deny`"),
            ))
        }
    };
    let cidr = match (e.cidr_block, e.ipv6_cidr_block) {
        (Some(c), _) | (None, Some(c)) => c,
        (None, None) => {
            return Err(shape_error(
                at,
                "network ACL entry has neither `CidrBlock` nor `Ipv6CidrBlock`",
            ))
        }
    };
    if e.rule_number >= IMPLICIT_DENY_RULE && action == NaclAction::Deny && cidr.is_any() {
        return Ok(None);
    }
    let protocol = protocol(&e.protocol, &at.clone().key("Protocol"))?;
    let ports = match (&e.port_range, protocol.has_ports()) {
        (Some(r), true) => Some(port_range(r.from, r.to, &at.clone().key("PortRange"))?),
        _ => None,
    };
    Ok(Some(NaclEntry {
        rule: e.rule_number,
        protocol,
        ports,
        cidr,
        action,
    }))
}

fn protocol(text: &str, at: &JsonPointer) -> Result<IpProtocol, ImportError> {
    text.parse().map_err(|m: String| shape_error(at, m))
}

fn port_range(from: i64, to: i64, at: &JsonPointer) -> Result<PortRange, ImportError> {
    let port = |p: i64| u16::try_from(p).ok();
    match (port(from), port(to)) {
        (Some(from), Some(to)) if from <= to => Ok(PortRange { from, to }),
        _ => Err(shape_error(
            at,
            format!("ports {from}-{to} are not a port range (0-65535, lower port first)"),
        )),
    }
}

fn subnets(
    im: &mut Importer<'_>,
    acls: &HashMap<String, crate::model::Id>,
) -> Result<(), ImportError> {
    let mut found = Vec::new();
    for (p, page) in im.bundle.responses.ec2.describe_subnets.iter().enumerate() {
        for (i, s) in page.response.subnets.iter().enumerate() {
            found.push(Found {
                item: s,
                at: response_at("ec2", "describe_subnets", p)
                    .key("Subnets")
                    .index(i),
                aws_id: s.subnet_id.as_str(),
                name: ec2::name_tag(&s.tags),
            });
        }
    }
    let found = dedupe(found);
    let ids = assign_ids(&found, "SubnetId")?;
    let acls_recorded = !im.bundle.responses.ec2.describe_network_acls.is_empty();
    for (f, id) in found.iter().zip(ids) {
        let s = f.item;
        let Some(vpc) = im.refs.vpcs.get(&s.vpc_id).cloned() else {
            im.skip(
                &s.subnet_id,
                "AWS::EC2::Subnet",
                format!(
                    "its VPC `{}` is not in the bundle (ec2 describe_vpcs)",
                    s.vpc_id
                ),
            );
            continue;
        };
        let network_acl = acls.get(&s.subnet_id).cloned();
        if network_acl.is_none() {
            // Every subnet has an ACL in AWS; without the association the topology would
            // read the absence as the VPC's allow-all default.
            im.unknown(
                JsonPointer::resource("subnets", &id).key("network_acl"),
                &s.subnet_id,
                if acls_recorded {
                    "no network ACL in the bundle is associated with this subnet"
                } else {
                    "ec2 describe_network_acls is not in the bundle"
                },
            );
        }
        im.refs.subnets.insert(s.subnet_id.clone(), id.clone());
        im.source(JsonPointer::resource("subnets", &id), &s.subnet_id, &f.at);
        im.topo.subnets.0.insert(
            id,
            Subnet {
                vpc,
                az: s.availability_zone.clone(),
                cidr: s.cidr_block,
                network_acl,
                aws_id: Some(s.subnet_id.clone()),
                name: ec2::name_tag(&s.tags).map(str::to_owned),
            },
        );
    }
    Ok(())
}

fn security_groups(im: &mut Importer<'_>) -> Result<(), ImportError> {
    let mut found = Vec::new();
    for (p, page) in im
        .bundle
        .responses
        .ec2
        .describe_security_groups
        .iter()
        .enumerate()
    {
        for (i, g) in page.response.security_groups.iter().enumerate() {
            found.push(Found {
                item: g,
                at: response_at("ec2", "describe_security_groups", p)
                    .key("SecurityGroups")
                    .index(i),
                aws_id: g.group_id.as_str(),
                // The Name tag, else the group name (unique per VPC, often unique overall).
                name: ec2::name_tag(&g.tags).or(g.group_name.as_deref()),
            });
        }
    }
    let found = dedupe(found);
    let ids = assign_ids(&found, "GroupId")?;
    // Every group gets its id first: rules refer to groups in any order.
    let mut kept = Vec::new();
    for (f, id) in found.iter().zip(ids) {
        let g = f.item;
        let vpc = g.vpc_id.as_ref().and_then(|v| im.refs.vpcs.get(v).cloned());
        match vpc {
            Some(vpc) => {
                im.refs
                    .security_groups
                    .insert(g.group_id.clone(), id.clone());
                kept.push((f, id, vpc));
            }
            None => im.skip(
                &g.group_id,
                "AWS::EC2::SecurityGroup",
                match &g.vpc_id {
                    Some(v) => format!("its VPC `{v}` is not in the bundle (ec2 describe_vpcs)"),
                    None => "it belongs to no VPC (EC2-Classic)".to_owned(),
                },
            ),
        }
    }
    for (f, id, vpc) in kept {
        let g = f.item;
        let at_topo = JsonPointer::resource("security_groups", &id);
        let mut ingress = Vec::new();
        for (j, perm) in g.ip_permissions.iter().enumerate() {
            let at = f.at.clone().key("IpPermissions").index(j);
            for rule in sg_rules(im, perm, &at, &at_topo.clone().key("ingress"))? {
                ingress.push(IngressRule {
                    protocol: rule.protocol,
                    ports: rule.ports,
                    source: rule.peer,
                    description: rule.description,
                });
            }
        }
        let mut egress = Vec::new();
        for (j, perm) in g.ip_permissions_egress.iter().enumerate() {
            let at = f.at.clone().key("IpPermissionsEgress").index(j);
            for rule in sg_rules(im, perm, &at, &at_topo.clone().key("egress"))? {
                egress.push(EgressRule {
                    protocol: rule.protocol,
                    ports: rule.ports,
                    destination: rule.peer,
                    description: rule.description,
                });
            }
        }
        im.source(at_topo, &g.group_id, &f.at);
        im.topo.security_groups.0.insert(
            id,
            SecurityGroup {
                vpc,
                ingress,
                // The response lists the egress rules as they are, the default allow-all
                // included, so an empty list really means no outbound traffic.
                egress: Some(egress),
                aws_id: Some(g.group_id.clone()),
                name: ec2::name_tag(&g.tags)
                    .or(g.group_name.as_deref())
                    .map(str::to_owned),
                description: g.description.clone().filter(|d| !d.is_empty()),
                // AWS reserves the name `default` for the group it makes with each VPC.
                default: g.group_name.as_deref() == Some("default"),
            },
        );
    }
    Ok(())
}

struct Rule {
    protocol: IpProtocol,
    ports: Option<PortRange>,
    peer: Peer,
    description: Option<String>,
}

/// One rule per peer of an `IpPermission`.
fn sg_rules(
    im: &mut Importer<'_>,
    perm: &ec2::IpPermission,
    at: &JsonPointer,
    rules_path: &JsonPointer,
) -> Result<Vec<Rule>, ImportError> {
    let protocol = protocol(&perm.ip_protocol, &at.clone().key("IpProtocol"))?;
    let ports = if protocol.has_ports() {
        match (perm.from_port, perm.to_port) {
            (Some(from), Some(to)) => Some(port_range(from, to, &at.clone().key("FromPort"))?),
            _ => None,
        }
    } else {
        None
    };
    let rule = |peer: Peer, description: &Option<String>| Rule {
        protocol,
        ports,
        peer,
        description: description.clone().filter(|d| !d.is_empty()),
    };
    let mut out = Vec::new();
    for r in &perm.ip_ranges {
        out.push(rule(Peer::Cidr(r.cidr_ip), &r.description));
    }
    for r in &perm.ipv6_ranges {
        out.push(rule(Peer::Cidr(r.cidr_ipv6), &r.description));
    }
    for p in &perm.prefix_list_ids {
        out.push(rule(
            Peer::PrefixList(p.prefix_list_id.clone()),
            &p.description,
        ));
    }
    for pair in &perm.user_id_group_pairs {
        let known = pair
            .group_id
            .as_ref()
            .and_then(|g| im.refs.security_groups.get(g).cloned());
        match known {
            Some(group) => out.push(rule(Peer::SecurityGroup(group), &pair.description)),
            None => {
                let who = pair
                    .group_id
                    .clone()
                    .or_else(|| pair.group_name.clone())
                    .unwrap_or_else(|| "an unnamed group".to_owned());
                let account = pair
                    .user_id
                    .as_deref()
                    .filter(|u| Some(*u) != im.bundle.account.as_ref().map(|a| a.as_str()))
                    .map(|u| format!(" in account {u}"))
                    .unwrap_or_default();
                im.unknown(
                    rules_path.clone(),
                    format!("{who}{account}"),
                    format!(
                        "a {protocol} rule{} refers to security group `{who}`{account}, which is not in the bundle, so the rule is left out",
                        ports.map(|p| format!(" on ports {p}")).unwrap_or_default()
                    ),
                );
            }
        }
    }
    Ok(out)
}

fn instances(im: &mut Importer<'_>) -> Result<(), ImportError> {
    let mut found = Vec::new();
    for (p, page) in im
        .bundle
        .responses
        .ec2
        .describe_instances
        .iter()
        .enumerate()
    {
        for (r, res) in page.response.reservations.iter().enumerate() {
            for (i, inst) in res.instances.iter().enumerate() {
                found.push(Found {
                    item: inst,
                    at: response_at("ec2", "describe_instances", p)
                        .key("Reservations")
                        .index(r)
                        .key("Instances")
                        .index(i),
                    aws_id: inst.instance_id.as_str(),
                    name: ec2::name_tag(&inst.tags),
                });
            }
        }
    }
    let found = dedupe(found);
    let ids = assign_ids(&found, "InstanceId")?;
    for (f, id) in found.iter().zip(ids) {
        let inst = f.item;
        let subnet = inst
            .subnet_id
            .as_ref()
            .and_then(|s| im.refs.subnets.get(s).cloned());
        let Some(subnet) = subnet else {
            im.skip(
                &inst.instance_id,
                "AWS::EC2::Instance",
                match &inst.subnet_id {
                    Some(s) => {
                        format!("its subnet `{s}` is not in the bundle (ec2 describe_subnets)")
                    }
                    None => "it is in no subnet (terminated instances lose theirs)".to_owned(),
                },
            );
            continue;
        };
        let at_topo = JsonPointer::resource("instances", &id);
        let group_ids: Vec<&str> = inst
            .security_groups
            .iter()
            .map(|g| g.group_id.as_str())
            .collect();
        let security_groups = im.map_ids(
            &group_ids,
            |r| &r.security_groups,
            &at_topo.clone().key("security_groups"),
            "security group",
        );
        if let Some(state) = &inst.state {
            match instance_state(&state.name) {
                Some(state) => {
                    im.observed
                        .instances
                        .0
                        .insert(id.clone(), ObservedInstance { state });
                }
                None => im.unknown(
                    JsonPointer::root()
                        .key("observed")
                        .key("instances")
                        .key(&id),
                    &state.name,
                    "not an instance state this build knows",
                ),
            }
        }
        im.refs
            .instances
            .insert(inst.instance_id.clone(), id.clone());
        im.source(at_topo, &inst.instance_id, &f.at);
        im.topo.instances.0.insert(
            id,
            Instance {
                subnet,
                security_groups,
                private_ip: inst.private_ip_address,
                // What the instance serves cannot be seen from the API.
                serves: None,
                instance_type: inst.instance_type.clone(),
                image_id: inst.image_id.clone(),
                aws_id: Some(inst.instance_id.clone()),
                name: ec2::name_tag(&inst.tags).map(str::to_owned),
            },
        );
    }
    Ok(())
}

fn instance_state(name: &str) -> Option<InstanceState> {
    Some(match name {
        "pending" => InstanceState::Pending,
        "running" => InstanceState::Running,
        "shutting-down" => InstanceState::ShuttingDown,
        "terminated" => InstanceState::Terminated,
        "stopping" => InstanceState::Stopping,
        "stopped" => InstanceState::Stopped,
        _ => return None,
    })
}

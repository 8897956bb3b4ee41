//! VPCs, subnets, network ACLs, security groups and instances.

use super::hcl::{Body, Expr};
use super::{carry, carry_name, tags, Tf};
use crate::model::{Cidr, IpProtocol, NaclAction, NaclEntry, Peer, PortRange, SgRuleView};
use crate::pointer::JsonPointer;
use crate::render::defaults::{security_group_description, INSTANCE_TYPE};
use crate::render::RenderError;

pub(super) fn render(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    let secondary = vpcs(tf);
    subnets(tf, &secondary)?;
    network_acls(tf)?;
    security_groups(tf)?;
    instances(tf)
}

/// Secondary IPv4 blocks: (VPC id, block, name of the association).
type Secondary = Vec<(String, Cidr, String)>;

fn vpcs(tf: &mut Tf<'_>) -> Secondary {
    let t = tf.t;
    let mut secondary = Vec::new();
    for (id, vpc) in &t.vpcs {
        let Some((ty, name)) = tf.declared("vpcs", id).map(|(t, n)| (t, n.to_owned())) else {
            continue;
        };
        let mut b = Body::new();
        let mut tg = tags(
            Some(vpc.name.as_deref().unwrap_or(id.as_str())),
            "vpcs",
            id.as_str(),
            None,
        );
        carry_name(&mut b, &mut tg, id.as_str(), vpc.name.as_ref());
        b.attr("cidr_block", Expr::str(vpc.cidr.to_string()))
            .attr("tags", tg);
        tf.resource(ty, &name, b);
        for cidr in &vpc.secondary_cidrs {
            if !cidr.is_ipv4() {
                // An IPv6 block comes from Amazon's pool or from IPAM, not by value.
                tf.note(format!(
                    "VPC `{id}`: the IPv6 block {cidr} is not declared; associate an \
                     Amazon-provided or IPAM IPv6 block instead."
                ));
                continue;
            }
            let text = cidr.to_string();
            let assoc = tf.name(
                "aws_vpc_ipv4_cidr_block_association",
                &[&name, &text],
                &text,
            );
            let mut b = Body::new();
            b.attr("vpc_id", Expr::raw(format!("{ty}.{name}.id")))
                .attr("cidr_block", Expr::str(text));
            tf.resource("aws_vpc_ipv4_cidr_block_association", &assoc, b);
            secondary.push((id.to_string(), *cidr, assoc));
        }
    }
    secondary
}

fn subnets(tf: &mut Tf<'_>, secondary: &Secondary) -> Result<(), RenderError> {
    let t = tf.t;
    for (id, subnet) in &t.subnets {
        let Some((ty, name)) = tf.declared("subnets", id).map(|(t, n)| (t, n.to_owned())) else {
            continue;
        };
        let at = || JsonPointer::resource("subnets", id);
        let mut b = Body::new();
        b.attr(
            "vpc_id",
            tf.reference("vpcs", subnet.vpc.as_str(), "id", || at().key("vpc"))?,
        )
        .attr("availability_zone", Expr::str(subnet.az.as_str()));
        if subnet.cidr.is_ipv4() {
            b.attr("cidr_block", Expr::str(subnet.cidr.to_string()));
        } else {
            b.attr("ipv6_cidr_block", Expr::str(subnet.cidr.to_string()))
                .attr("ipv6_native", Expr::Bool(true));
        }
        let mut tg = tags(
            Some(subnet.name.as_deref().unwrap_or(id.as_str())),
            "subnets",
            id.as_str(),
            None,
        );
        carry_name(&mut b, &mut tg, id.as_str(), subnet.name.as_ref());
        b.attr("tags", tg);
        // A subnet in a secondary block waits for the block's association.
        let deps: Vec<Expr> = secondary
            .iter()
            .filter(|(vpc, block, _)| vpc == subnet.vpc.as_str() && block.contains(&subnet.cidr))
            .map(|(_, _, assoc)| Expr::raw(format!("aws_vpc_ipv4_cidr_block_association.{assoc}")))
            .collect();
        if !deps.is_empty() {
            b.attr("depends_on", Expr::List(deps));
        }
        tf.resource(ty, &name, b);
    }
    Ok(())
}

/// The protocol of a NACL rule, as the number the API stores.
fn nacl_protocol(p: IpProtocol) -> String {
    match p {
        IpProtocol::Tcp => "6".into(),
        IpProtocol::Udp => "17".into(),
        IpProtocol::Icmp => "1".into(),
        IpProtocol::Icmpv6 => "58".into(),
        IpProtocol::All => "-1".into(),
        IpProtocol::Number(n) => n.to_string(),
    }
}

fn network_acls(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    let t = tf.t;
    for (id, acl) in &t.network_acls {
        let Some((ty, name)) = tf
            .declared("network_acls", id)
            .map(|(t, n)| (t, n.to_owned()))
        else {
            continue;
        };
        let at = || JsonPointer::resource("network_acls", id);
        let mut b = Body::new();
        let mut tg = tags(
            Some(acl.name.as_deref().unwrap_or(id.as_str())),
            "network_acls",
            id.as_str(),
            None,
        );
        carry_name(&mut b, &mut tg, id.as_str(), acl.name.as_ref());
        b.attr(
            "vpc_id",
            tf.reference("vpcs", acl.vpc.as_str(), "id", || at().key("vpc"))?,
        )
        .attr("tags", tg);
        tf.resource(ty, &name, b);
        for (direction, egress, entries) in [
            ("ingress", false, &acl.ingress),
            ("egress", true, &acl.egress),
        ] {
            for entry in entries {
                let rule = entry.rule.to_string();
                let rule_name = tf.name(
                    "aws_network_acl_rule",
                    &[&name, direction, &rule],
                    &format!("{id}\u{0}{direction}{rule}"),
                );
                let body = nacl_rule(&format!("{ty}.{name}.id"), egress, entry);
                tf.resource("aws_network_acl_rule", &rule_name, body);
            }
        }
    }

    for (sid, subnet) in &t.subnets {
        let (Some(subnet_ref), Some(acl_id)) = (
            tf.declared("subnets", sid)
                .map(|(ty, n)| format!("{ty}.{n}.id")),
            subnet.network_acl.as_ref(),
        ) else {
            continue;
        };
        // New subnets join the default ACL by themselves.
        if t.network_acls
            .get(acl_id.as_str())
            .is_some_and(|a| a.default)
        {
            continue;
        }
        let acl = tf.reference("network_acls", acl_id.as_str(), "id", || {
            JsonPointer::resource("subnets", sid).key("network_acl")
        })?;
        let name = tf.name(
            "aws_network_acl_association",
            &[sid.as_str()],
            &format!("subnets\u{0}{sid}"),
        );
        let mut b = Body::new();
        b.attr("network_acl_id", acl)
            .attr("subnet_id", Expr::raw(subnet_ref));
        tf.resource("aws_network_acl_association", &name, b);
    }
    Ok(())
}

fn nacl_rule(acl: &str, egress: bool, entry: &NaclEntry) -> Body {
    let mut b = Body::new();
    b.attr("network_acl_id", Expr::raw(acl))
        .attr("rule_number", Expr::Int(i64::from(entry.rule)))
        .attr("egress", Expr::Bool(egress))
        .attr("protocol", Expr::str(nacl_protocol(entry.protocol)))
        .attr(
            "rule_action",
            Expr::str(match entry.action {
                NaclAction::Allow => "allow",
                NaclAction::Deny => "deny",
            }),
        );
    if entry.cidr.is_ipv4() {
        b.attr("cidr_block", Expr::str(entry.cidr.to_string()));
    } else {
        b.attr("ipv6_cidr_block", Expr::str(entry.cidr.to_string()));
    }
    match entry.protocol {
        IpProtocol::Tcp | IpProtocol::Udp => {
            let r = entry.port_range();
            b.attr("from_port", Expr::Int(i64::from(r.from)))
                .attr("to_port", Expr::Int(i64::from(r.to)));
        }
        IpProtocol::Icmp | IpProtocol::Icmpv6 => {
            b.attr("icmp_type", Expr::Int(-1))
                .attr("icmp_code", Expr::Int(-1));
        }
        IpProtocol::All | IpProtocol::Number(_) => {}
    }
    b
}

/// `ip_protocol`, `from_port` and `to_port` of a security-group rule resource.
fn sg_protocol(b: &mut Body, protocol: IpProtocol, ports: Option<PortRange>) {
    let name = match protocol {
        IpProtocol::Tcp => "tcp".to_owned(),
        IpProtocol::Udp => "udp".to_owned(),
        IpProtocol::Icmp => "icmp".to_owned(),
        IpProtocol::Icmpv6 => "icmpv6".to_owned(),
        IpProtocol::All => "-1".to_owned(),
        IpProtocol::Number(n) => n.to_string(),
    };
    b.attr("ip_protocol", Expr::Str(name));
    match protocol {
        IpProtocol::Tcp | IpProtocol::Udp => {
            let r = ports.unwrap_or(PortRange::ALL);
            b.attr("from_port", Expr::Int(i64::from(r.from)))
                .attr("to_port", Expr::Int(i64::from(r.to)));
        }
        IpProtocol::Icmp | IpProtocol::Icmpv6 => {
            b.attr("from_port", Expr::Int(-1))
                .attr("to_port", Expr::Int(-1));
        }
        IpProtocol::All | IpProtocol::Number(_) => {}
    }
}

fn security_groups(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    let t = tf.t;
    for (id, sg) in &t.security_groups {
        let Some((ty, name)) = tf
            .declared("security_groups", id)
            .map(|(t, n)| (t, n.to_owned()))
        else {
            continue;
        };
        let at = || JsonPointer::resource("security_groups", id);
        let mut b = Body::new();
        if let Some(n) = &sg.name {
            b.attr("name", Expr::str(n));
        }
        b.attr(
            "description",
            Expr::Str(
                sg.description
                    .clone()
                    .unwrap_or_else(|| security_group_description(id.as_str())),
            ),
        )
        .attr(
            "vpc_id",
            tf.reference("vpcs", sg.vpc.as_str(), "id", || at().key("vpc"))?,
        );
        let mut tg = tags(
            Some(sg.name.as_deref().unwrap_or(id.as_str())),
            "security_groups",
            id.as_str(),
            None,
        );
        carry_name(&mut b, &mut tg, id.as_str(), sg.name.as_ref());
        b.attr("tags", tg);
        tf.resource(ty, &name, b);
        let group = format!("{ty}.{name}.id");

        let mut rules: Vec<(&str, usize, SgRuleView<'_>, Option<&String>)> = sg
            .ingress
            .iter()
            .enumerate()
            .map(|(i, r)| ("ingress", i, r.view(), r.description.as_ref()))
            .collect();
        rules.extend(
            sg.egress
                .iter()
                .flatten()
                .enumerate()
                .map(|(i, r)| ("egress", i, r.view(), r.description.as_ref())),
        );
        for (direction, index, view, description) in rules {
            let (ty, peer_field) = if direction == "egress" {
                ("aws_vpc_security_group_egress_rule", "destination")
            } else {
                ("aws_vpc_security_group_ingress_rule", "source")
            };
            let mut b = Body::new();
            b.attr("security_group_id", Expr::raw(&group));
            sg_protocol(&mut b, view.protocol, view.ports);
            match view.peer {
                Peer::Cidr(c) => {
                    let key = if c.is_ipv4() {
                        "cidr_ipv4"
                    } else {
                        "cidr_ipv6"
                    };
                    b.attr(key, Expr::str(c.to_string()));
                }
                Peer::PrefixList(pl) => {
                    b.attr("prefix_list_id", Expr::str(pl));
                }
                Peer::SecurityGroup(other) => {
                    let peer = tf.reference("security_groups", other.as_str(), "id", || {
                        at().key(direction)
                            .index(index)
                            .key(peer_field)
                            .key("security_group")
                    })?;
                    b.attr("referenced_security_group_id", peer);
                }
            }
            if let Some(d) = description {
                b.attr("description", Expr::str(d));
            }
            b.attr(
                "tags",
                tags(
                    None,
                    "security_groups",
                    id.as_str(),
                    Some((direction, index.to_string())),
                ),
            );
            let index_text = index.to_string();
            let rule_name = tf.name(ty, &[&name, &index_text], &format!("{id}\u{0}{index}"));
            tf.resource(ty, &rule_name, b);
        }

        // What AWS gives a new group when no egress is listed; Terraform removes it, so
        // it is declared (IPv6 only where the VPC has IPv6 blocks, as AWS does).
        if sg.egress.is_none() {
            let vpc_has_ipv6 = t.vpcs.get(sg.vpc.as_str()).is_some_and(|v| {
                !v.cidr.is_ipv4() || v.secondary_cidrs.iter().any(|c| !c.is_ipv4())
            });
            let mut families = vec![("all_ipv4", "cidr_ipv4", "0.0.0.0/0")];
            if vpc_has_ipv6 {
                families.push(("all_ipv6", "cidr_ipv6", "::/0"));
            }
            for (suffix, key, cidr) in families {
                let ty = "aws_vpc_security_group_egress_rule";
                let rule_name = tf.name(ty, &[&name, suffix], &format!("{id}\u{0}{suffix}"));
                let mut b = Body::new();
                b.attr("security_group_id", Expr::raw(&group))
                    .attr("ip_protocol", Expr::str("-1"))
                    .attr(key, Expr::str(cidr))
                    .attr(
                        "description",
                        Expr::str("AWS default: all outbound traffic"),
                    )
                    .attr(
                        "tags",
                        tags(
                            None,
                            "security_groups",
                            id.as_str(),
                            Some(("egress", "default".to_owned())),
                        ),
                    );
                tf.resource(ty, &rule_name, b);
            }
        }
    }
    Ok(())
}

fn instances(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    let t = tf.t;
    for (id, instance) in &t.instances {
        let Some((ty, name)) = tf.declared("instances", id).map(|(t, n)| (t, n.to_owned())) else {
            continue;
        };
        let at = || JsonPointer::resource("instances", id);
        let ami = match &instance.image_id {
            Some(image) => Expr::str(image),
            None => tf.latest_ami(),
        };
        let mut b = Body::new();
        b.attr("ami", ami)
            .attr(
                "instance_type",
                Expr::str(instance.instance_type.as_deref().unwrap_or(INSTANCE_TYPE)),
            )
            .attr(
                "subnet_id",
                tf.reference("subnets", instance.subnet.as_str(), "id", || {
                    at().key("subnet")
                })?,
            );
        if !instance.security_groups.is_empty() {
            let mut groups = Vec::new();
            for (i, sg) in instance.security_groups.iter().enumerate() {
                groups.push(tf.reference("security_groups", sg.as_str(), "id", || {
                    at().key("security_groups").index(i)
                })?);
            }
            b.attr("vpc_security_group_ids", Expr::List(groups));
        }
        if let Some(ip) = &instance.private_ip {
            b.attr("private_ip", Expr::str(ip.to_string()));
        }
        let mut tg = tags(
            Some(instance.name.as_deref().unwrap_or(id.as_str())),
            "instances",
            id.as_str(),
            None,
        );
        carry_name(&mut b, &mut tg, id.as_str(), instance.name.as_ref());
        if let Some(serves) = &instance.serves {
            // No argument holds the ports an instance serves; compact JSON in a tag does.
            let json = serde_json::to_string(serves).map_err(|e| RenderError {
                message: format!("could not write what instance `{id}` serves: {e}"),
                path: Some(at().key("serves")),
            })?;
            carry(&mut b, &mut tg, "serves", json);
        }
        b.attr("tags", tg);
        tf.resource(ty, &name, b);
    }
    Ok(())
}

//! Target groups and their attachments, load balancers and listeners.

use super::hcl::{Block, Body, Expr};
use super::{carry_name, tags, Tf};
use crate::model::{
    CrossZoneSetting, HealthCheckPort, LbProtocol, LoadBalancerType, Scheme, TargetGroup,
    TargetType,
};
use crate::pointer::JsonPointer;
use crate::render::RenderError;

pub(super) fn render(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    target_groups(tf)?;
    load_balancers(tf)?;
    listeners(tf)?;
    attachments(tf)
}

fn target_type(t: TargetType) -> &'static str {
    match t {
        TargetType::Instance => "instance",
        TargetType::Ip => "ip",
        TargetType::Alb => "alb",
        TargetType::Lambda => "lambda",
    }
}

fn target_groups(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    let t = tf.t;
    for (id, tg) in &t.target_groups {
        let Some((ty, name)) = tf
            .declared("target_groups", id)
            .map(|(t, n)| (t, n.to_owned()))
        else {
            continue;
        };
        let at = || JsonPointer::resource("target_groups", id);
        let mut b = Body::new();
        if let Some(n) = &tg.name {
            b.attr("name", Expr::str(n));
        }
        b.attr("target_type", Expr::str(target_type(tg.target_type)));
        if tg.target_type != TargetType::Lambda {
            b.attr("protocol", Expr::str(tg.protocol.as_str()))
                .attr("port", Expr::Int(i64::from(tg.port)))
                .attr(
                    "vpc_id",
                    tf.reference("vpcs", tg.vpc.as_str(), "id", || at().key("vpc"))?,
                );
        }
        if let Some(preserve) = tg.preserve_client_ip {
            // A string attribute in the provider, as in the API.
            b.attr("preserve_client_ip", Expr::str(preserve.to_string()));
        }
        if let Some(cz) = tg.cross_zone {
            b.attr(
                "load_balancing_cross_zone_enabled",
                Expr::str(match cz {
                    CrossZoneSetting::On => "true",
                    CrossZoneSetting::Off => "false",
                    CrossZoneSetting::UseLoadBalancerConfiguration => {
                        "use_load_balancer_configuration"
                    }
                }),
            );
        }
        let mut tag_map = tags(None, "target_groups", id.as_str(), None);
        carry_name(&mut b, &mut tag_map, id.as_str(), tg.name.as_ref());
        b.attr("tags", tag_map);
        b.block(Block::new("health_check", &[], health_check(tg)));
        tf.resource(ty, &name, b);
    }
    Ok(())
}

fn health_check(tg: &TargetGroup) -> Body {
    let hc = &tg.health_check;
    let mut b = Body::new();
    if let Some(enabled) = hc.enabled {
        b.attr("enabled", Expr::Bool(enabled));
    }
    if let Some(p) = hc.protocol {
        b.attr("protocol", Expr::str(p.as_str()));
    }
    b.attr(
        "port",
        Expr::Str(match hc.port {
            HealthCheckPort::TrafficPort => "traffic-port".to_owned(),
            HealthCheckPort::Port(p) => p.to_string(),
        }),
    );
    // Paths and matchers belong to HTTP(S) checks only.
    let http = matches!(
        hc.protocol_or_default(),
        LbProtocol::Http | LbProtocol::Https
    );
    if http {
        if let Some(path) = &hc.path {
            b.attr("path", Expr::str(path));
        }
    }
    if let Some(v) = hc.interval_seconds {
        b.attr("interval", Expr::Int(i64::from(v)));
    }
    if let Some(v) = hc.timeout_seconds {
        b.attr("timeout", Expr::Int(i64::from(v)));
    }
    if let Some(v) = hc.healthy_threshold {
        b.attr("healthy_threshold", Expr::Int(i64::from(v)));
    }
    if let Some(v) = hc.unhealthy_threshold {
        b.attr("unhealthy_threshold", Expr::Int(i64::from(v)));
    }
    if http {
        if let Some(m) = &hc.matcher {
            b.attr("matcher", Expr::str(m));
        }
    }
    b
}

/// One attachment per target. Unlike CloudFormation, Terraform can register targets with a
/// group that exists already.
fn attachments(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    let t = tf.t;
    for (id, tg) in &t.target_groups {
        let owner = tf.owner_name("target_groups", id.as_str());
        let group = tf.reference("target_groups", id.as_str(), "arn", || {
            JsonPointer::resource("target_groups", id)
        })?;
        for (i, target) in tg.targets.iter().enumerate() {
            let at = || {
                JsonPointer::resource("target_groups", id)
                    .key("targets")
                    .index(i)
                    .key("id")
            };
            let target_id = match tg.target_type {
                TargetType::Instance => tf.reference("instances", &target.id, "id", at)?,
                TargetType::Alb => tf.reference("load_balancers", &target.id, "arn", at)?,
                TargetType::Ip | TargetType::Lambda => Expr::str(&target.id),
            };
            let mut b = Body::new();
            b.attr("target_group_arn", group.clone())
                .attr("target_id", target_id);
            if let Some(port) = target.port {
                b.attr("port", Expr::Int(i64::from(port)));
            } else if tg.target_type == TargetType::Alb {
                // An ALB target must be registered on the group's port.
                b.attr("port", Expr::Int(i64::from(tg.port)));
            }
            if let Some(az) = &target.az {
                b.attr("availability_zone", Expr::str(az.as_str()));
            }
            let name = tf.name(
                "aws_lb_target_group_attachment",
                &[&owner, &target.id],
                &format!("{id}\u{0}{i}"),
            );
            tf.resource("aws_lb_target_group_attachment", &name, b);
        }
    }
    Ok(())
}

fn load_balancers(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    let t = tf.t;
    for (id, lb) in &t.load_balancers {
        let Some((ty, name)) = tf
            .declared("load_balancers", id)
            .map(|(t, n)| (t, n.to_owned()))
        else {
            continue;
        };
        let at = || JsonPointer::resource("load_balancers", id);
        let mut b = Body::new();
        if let Some(n) = &lb.name {
            b.attr("name", Expr::str(n));
        }
        b.attr(
            "load_balancer_type",
            Expr::str(match lb.kind {
                LoadBalancerType::Network => "network",
                LoadBalancerType::Application => "application",
                LoadBalancerType::Gateway => "gateway",
            }),
        );
        if lb.kind != LoadBalancerType::Gateway {
            b.attr("internal", Expr::Bool(lb.scheme == Scheme::Internal));
        }
        let mut subnets = Vec::new();
        for (i, s) in lb.subnets.iter().enumerate() {
            subnets
                .push(tf.reference("subnets", s.as_str(), "id", || at().key("subnets").index(i))?);
        }
        b.attr("subnets", Expr::List(subnets));
        if !lb.security_groups.is_empty() {
            let mut groups = Vec::new();
            for (i, sg) in lb.security_groups.iter().enumerate() {
                groups.push(tf.reference("security_groups", sg.as_str(), "id", || {
                    at().key("security_groups").index(i)
                })?);
            }
            b.attr("security_groups", Expr::List(groups));
            if let (LoadBalancerType::Network, Some(enforce)) =
                (lb.kind, lb.enforce_inbound_rules_on_privatelink)
            {
                b.attr(
                    "enforce_security_group_inbound_rules_on_private_link_traffic",
                    Expr::str(if enforce { "on" } else { "off" }),
                );
            }
        }
        if let (LoadBalancerType::Network, Some(cz)) = (lb.kind, lb.cross_zone) {
            b.attr("enable_cross_zone_load_balancing", Expr::Bool(cz));
        }
        let mut tag_map = tags(None, "load_balancers", id.as_str(), None);
        carry_name(&mut b, &mut tag_map, id.as_str(), lb.name.as_ref());
        b.attr("tags", tag_map);
        tf.resource(ty, &name, b);
    }
    Ok(())
}

fn listeners(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    let t = tf.t;
    for (id, lb) in &t.load_balancers {
        let owner = tf.owner_name("load_balancers", id.as_str());
        for (i, listener) in lb.listeners.iter().enumerate() {
            if listener.aws_id.is_some() {
                continue;
            }
            let at = || {
                JsonPointer::resource("load_balancers", id)
                    .key("listeners")
                    .index(i)
            };
            let mut action = Body::new();
            action.attr("type", Expr::str("forward")).attr(
                "target_group_arn",
                tf.reference("target_groups", listener.forward.as_str(), "arn", || {
                    at().key("forward")
                })?,
            );
            let mut b = Body::new();
            b.attr(
                "load_balancer_arn",
                tf.reference("load_balancers", id.as_str(), "arn", at)?,
            )
            .attr("port", Expr::Int(i64::from(listener.port)))
            .attr("protocol", Expr::str(listener.protocol.as_str()));
            if let Some(cert) = &listener.certificate {
                b.attr("certificate_arn", Expr::str(cert));
            }
            let port = listener.port.to_string();
            b.attr(
                "tags",
                tags(
                    None,
                    "load_balancers",
                    id.as_str(),
                    Some(("listener", port.clone())),
                ),
            )
            .block(Block::new("default_action", &[], action));
            let name = tf.name(
                "aws_lb_listener",
                &[&owner, &port],
                &format!("{id}\u{0}{port}"),
            );
            tf.listeners
                .insert((id.to_string(), listener.port), name.clone());
            tf.resource("aws_lb_listener", &name, b);
        }
    }
    Ok(())
}

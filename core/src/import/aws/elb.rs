//! ELBv2: load balancers with their attributes and listeners, target groups with their
//! attributes, targets and observed health (facts §10.3).

use std::collections::HashMap;

use crate::import::ImportError;
use crate::model::{
    CrossZoneSetting, HealthCheck, HealthCheckPort, Id, LbProtocol, Listener, LoadBalancer,
    LoadBalancerState, LoadBalancerType, ObservedLoadBalancer, ObservedTargetHealth, Scheme,
    Target, TargetGroup, TargetHealthState, TargetType,
};
use crate::pointer::JsonPointer;

use super::context::{
    assign_ids, dedupe, dimension_of, request_at, response_at, shape_error, Found, Importer,
};
use super::shapes::elbv2;

pub fn import(im: &mut Importer<'_>) -> Result<(), ImportError> {
    load_balancers(im)?;
    target_groups(im)?;
    listeners(im)?;
    Ok(())
}

/// `Key → Value` of every attributes page, by the ARN its request names.
fn attributes<'a>(
    pages: impl Iterator<Item = (&'a str, &'a elbv2::DescribeAttributes)>,
) -> HashMap<&'a str, HashMap<&'a str, &'a str>> {
    let mut out: HashMap<&str, HashMap<&str, &str>> = HashMap::new();
    for (arn, page) in pages {
        let entry = out.entry(arn).or_default();
        for a in &page.attributes {
            entry.insert(a.key.as_str(), a.value.as_str());
        }
    }
    out
}

fn bool_attribute(
    im: &mut Importer<'_>,
    value: Option<&str>,
    path: JsonPointer,
    key: &str,
) -> Option<bool> {
    match value? {
        "true" => Some(true),
        "false" => Some(false),
        other => {
            im.unknown(
                path,
                other,
                format!("`{key}` is neither `true` nor `false`"),
            );
            None
        }
    }
}

fn lb_protocol(text: &str) -> Option<LbProtocol> {
    Some(match text {
        "TCP" => LbProtocol::Tcp,
        "TLS" => LbProtocol::Tls,
        "UDP" => LbProtocol::Udp,
        "TCP_UDP" => LbProtocol::TcpUdp,
        "QUIC" => LbProtocol::Quic,
        "TCP_QUIC" => LbProtocol::TcpQuic,
        "HTTP" => LbProtocol::Http,
        "HTTPS" => LbProtocol::Https,
        "GENEVE" => LbProtocol::Geneve,
        _ => return None,
    })
}

fn load_balancers(im: &mut Importer<'_>) -> Result<(), ImportError> {
    let calls = &im.bundle.responses.elbv2;
    let attrs = attributes(
        calls
            .describe_load_balancer_attributes
            .iter()
            .map(|p| (p.request.load_balancer_arn.as_str(), &p.response)),
    );
    let mut found = Vec::new();
    for (p, page) in calls.describe_load_balancers.iter().enumerate() {
        for (i, lb) in page.response.load_balancers.iter().enumerate() {
            found.push(Found {
                item: lb,
                at: response_at("elbv2", "describe_load_balancers", p)
                    .key("LoadBalancers")
                    .index(i),
                aws_id: lb.load_balancer_arn.as_str(),
                name: lb.load_balancer_name.as_deref(),
            });
        }
    }
    let found = dedupe(found);
    let ids = assign_ids(&found, "LoadBalancerArn")?;
    for (f, id) in found.iter().zip(ids) {
        let lb = f.item;
        let arn = lb.load_balancer_arn.as_str();
        let kind = match lb.kind.as_str() {
            "network" => LoadBalancerType::Network,
            "application" => LoadBalancerType::Application,
            "gateway" => LoadBalancerType::Gateway,
            other => {
                im.skip(
                    arn,
                    "AWS::ElasticLoadBalancingV2::LoadBalancer",
                    format!("load balancer type `{other}` is not modelled"),
                );
                continue;
            }
        };
        let at_topo = JsonPointer::resource("load_balancers", &id);
        let scheme = match lb.scheme.as_deref() {
            Some("internal") => Scheme::Internal,
            Some("internet-facing") | None => Scheme::InternetFacing,
            Some(other) => {
                return Err(shape_error(
                    &f.at.clone().key("Scheme"),
                    format!("`{other}` is not a load balancer scheme; AWS uses `internal` or `internet-facing`"),
                ))
            }
        };
        let subnet_ids: Vec<&str> = lb
            .availability_zones
            .iter()
            .filter_map(|z| z.subnet_id.as_deref())
            .collect();
        let subnets = im.map_ids(
            &subnet_ids,
            |r| &r.subnets,
            &at_topo.clone().key("subnets"),
            "subnet",
        );
        let group_ids: Vec<&str> = lb.security_groups.iter().map(String::as_str).collect();
        let security_groups = im.map_ids(
            &group_ids,
            |r| &r.security_groups,
            &at_topo.clone().key("security_groups"),
            "security group",
        );
        let lb_attrs = attrs.get(arn);
        let cross_zone = bool_attribute(
            im,
            lb_attrs.and_then(|a| a.get("load_balancing.cross_zone.enabled").copied()),
            at_topo.clone().key("cross_zone"),
            "load_balancing.cross_zone.enabled",
        );
        let enforce = match lb
            .enforce_security_group_inbound_rules_on_private_link_traffic
            .as_deref()
        {
            Some("on") => Some(true),
            Some("off") => Some(false),
            Some(other) => {
                im.unknown(
                    at_topo.clone().key("enforce_inbound_rules_on_privatelink"),
                    other,
                    "neither `on` nor `off`",
                );
                None
            }
            None => None,
        };
        if let Some(state) = &lb.state {
            let observed = match state.code.as_str() {
                "provisioning" => Some(LoadBalancerState::Provisioning),
                "active" => Some(LoadBalancerState::Active),
                "active_impaired" => Some(LoadBalancerState::ActiveImpaired),
                "failed" => Some(LoadBalancerState::Failed),
                _ => None,
            };
            match observed {
                Some(state_now) => {
                    im.observed.load_balancers.0.insert(
                        id.clone(),
                        ObservedLoadBalancer {
                            state: state_now,
                            reason: state.reason.clone().filter(|r| !r.is_empty()),
                        },
                    );
                }
                None => im.unknown(
                    JsonPointer::root()
                        .key("observed")
                        .key("load_balancers")
                        .key(&id),
                    &state.code,
                    "not a load balancer state this build knows",
                ),
            }
        }
        im.refs.load_balancers.insert(arn.to_owned(), id.clone());
        im.refs
            .load_balancer_dimensions
            .insert(dimension_of(&lb.load_balancer_arn), id.clone());
        im.source(at_topo, arn, &f.at);
        im.topo.load_balancers.0.insert(
            id,
            LoadBalancer {
                kind,
                scheme,
                subnets,
                security_groups,
                cross_zone,
                enforce_inbound_rules_on_privatelink: enforce,
                listeners: Vec::new(),
                arn: Some(lb.load_balancer_arn.clone()),
                name: lb.load_balancer_name.clone(),
            },
        );
    }
    Ok(())
}

fn target_groups(im: &mut Importer<'_>) -> Result<(), ImportError> {
    let calls = &im.bundle.responses.elbv2;
    let attrs = attributes(
        calls
            .describe_target_group_attributes
            .iter()
            .map(|p| (p.request.target_group_arn.as_str(), &p.response)),
    );
    let mut found = Vec::new();
    for (p, page) in calls.describe_target_groups.iter().enumerate() {
        for (i, tg) in page.response.target_groups.iter().enumerate() {
            found.push(Found {
                item: tg,
                at: response_at("elbv2", "describe_target_groups", p)
                    .key("TargetGroups")
                    .index(i),
                aws_id: tg.target_group_arn.as_str(),
                name: tg.target_group_name.as_deref(),
            });
        }
    }
    let found = dedupe(found);
    let ids = assign_ids(&found, "TargetGroupArn")?;
    for (f, id) in found.iter().zip(ids) {
        let tg = f.item;
        let arn = tg.target_group_arn.as_str();
        const KIND: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";
        let target_type = match tg.target_type.as_deref() {
            Some("instance") | None => TargetType::Instance,
            Some("ip") => TargetType::Ip,
            Some("alb") => TargetType::Alb,
            Some("lambda") => {
                im.skip(
                    arn,
                    KIND,
                    "Lambda target groups are outside the private path",
                );
                continue;
            }
            Some(other) => {
                im.skip(arn, KIND, format!("target type `{other}` is not modelled"));
                continue;
            }
        };
        let (Some(protocol_text), Some(port), Some(vpc_id)) =
            (tg.protocol.as_deref(), tg.port, tg.vpc_id.as_deref())
        else {
            im.skip(arn, KIND, "it has no protocol, port or VPC");
            continue;
        };
        let Some(protocol) = lb_protocol(protocol_text) else {
            im.skip(
                arn,
                KIND,
                format!("protocol `{protocol_text}` is not modelled"),
            );
            continue;
        };
        let Some(vpc) = im.refs.vpcs.get(vpc_id).cloned() else {
            im.skip(
                arn,
                KIND,
                format!("its VPC `{vpc_id}` is not in the bundle (ec2 describe_vpcs)"),
            );
            continue;
        };
        let at_topo = JsonPointer::resource("target_groups", &id);
        let health_check = HealthCheck {
            enabled: tg.health_check_enabled,
            protocol: match tg.health_check_protocol.as_deref() {
                None => None,
                Some(text) => Some(lb_protocol(text).ok_or_else(|| {
                    shape_error(
                        &f.at.clone().key("HealthCheckProtocol"),
                        format!("`{text}` is not a health check protocol"),
                    )
                })?),
            },
            port: match tg.health_check_port.as_deref() {
                None | Some("traffic-port") => HealthCheckPort::TrafficPort,
                Some(text) => HealthCheckPort::Port(text.parse().map_err(|_| {
                    shape_error(
                        &f.at.clone().key("HealthCheckPort"),
                        format!("`{text}` is neither `traffic-port` nor a port number"),
                    )
                })?),
            },
            path: tg.health_check_path.clone(),
            interval_seconds: tg.health_check_interval_seconds,
            timeout_seconds: tg.health_check_timeout_seconds,
            healthy_threshold: tg.healthy_threshold_count,
            unhealthy_threshold: tg.unhealthy_threshold_count,
            matcher: tg.matcher.as_ref().and_then(|m| m.http_code.clone()),
        };
        let tg_attrs = attrs.get(arn);
        let preserve_client_ip = bool_attribute(
            im,
            tg_attrs.and_then(|a| a.get("preserve_client_ip.enabled").copied()),
            at_topo.clone().key("preserve_client_ip"),
            "preserve_client_ip.enabled",
        );
        let cross_zone = match tg_attrs.and_then(|a| a.get("load_balancing.cross_zone.enabled")) {
            None => None,
            Some(&"true") => Some(CrossZoneSetting::On),
            Some(&"false") => Some(CrossZoneSetting::Off),
            Some(&"use_load_balancer_configuration") => {
                Some(CrossZoneSetting::UseLoadBalancerConfiguration)
            }
            Some(other) => {
                im.unknown(
                    at_topo.clone().key("cross_zone"),
                    *other,
                    "`load_balancing.cross_zone.enabled` has a value this build does not know",
                );
                None
            }
        };
        im.refs.target_groups.insert(arn.to_owned(), id.clone());
        im.refs
            .target_group_dimensions
            .insert(dimension_of(&tg.target_group_arn), id.clone());
        im.source(at_topo, arn, &f.at);
        im.topo.target_groups.0.insert(
            id,
            TargetGroup {
                vpc,
                protocol,
                port,
                target_type,
                health_check,
                targets: Vec::new(),
                preserve_client_ip,
                cross_zone,
                arn: Some(tg.target_group_arn.clone()),
                name: tg.target_group_name.clone(),
            },
        );
    }
    targets(im)
}

/// Registered targets and their health, from `describe_target_health`.
fn targets(im: &mut Importer<'_>) -> Result<(), ImportError> {
    let pages = &im.bundle.responses.elbv2.describe_target_health;
    for (p, page) in pages.iter().enumerate() {
        let arn = page.request.target_group_arn.as_str();
        let Some(tg_id) = im.refs.target_groups.get(arn).cloned() else {
            im.unknown(
                request_at("elbv2", "describe_target_health", p, "TargetGroupArn"),
                arn,
                "target health of a target group that is not imported (not in elbv2 describe_target_groups, or skipped)",
            );
            continue;
        };
        let Some((target_type, tg_port)) = im
            .topo
            .target_groups
            .get(tg_id.as_str())
            .map(|tg| (tg.target_type, tg.port))
        else {
            continue;
        };
        let at_topo = JsonPointer::resource("target_groups", &tg_id).key("targets");
        for (i, d) in page.response.target_health_descriptions.iter().enumerate() {
            let at = response_at("elbv2", "describe_target_health", p)
                .key("TargetHealthDescriptions")
                .index(i);
            let health = d.target_health.as_ref();
            // Asking for a target by id answers even when it is not registered.
            if health.and_then(|h| h.reason.as_deref()) == Some("Target.NotRegistered") {
                continue;
            }
            let aws_id = d.target.id.as_str();
            let id = match target_type {
                TargetType::Instance => im.refs.instances.get(aws_id).map(|i| i.to_string()),
                TargetType::Alb => im.refs.load_balancers.get(aws_id).map(|i| i.to_string()),
                TargetType::Ip | TargetType::Lambda => Some(aws_id.to_owned()),
            };
            let Some(id) = id else {
                im.unknown(
                    at_topo.clone(),
                    aws_id,
                    format!(
                        "registered target `{aws_id}` is not in the bundle ({}), so it is left out",
                        if target_type == TargetType::Alb {
                            "elbv2 describe_load_balancers"
                        } else {
                            "ec2 describe_instances"
                        }
                    ),
                );
                continue;
            };
            let port = d.target.port.filter(|p| *p != tg_port);
            let az = d
                .target
                .availability_zone
                .as_deref()
                .filter(|_| target_type == TargetType::Ip)
                .and_then(|z| z.parse().ok());
            let target = Target {
                id: id.clone(),
                port,
                az,
            };
            let Some(tg) = im.topo.target_groups.0.get_mut(tg_id.as_str()) else {
                continue;
            };
            if tg.targets.contains(&target) {
                continue;
            }
            tg.targets.push(target);
            if let Some(h) = health {
                match target_health_state(&h.state) {
                    Some(state) => im
                        .observed
                        .target_health
                        .0
                        .entry(tg_id.clone())
                        .or_default()
                        .push(ObservedTargetHealth {
                            target: id,
                            port: d.target.port,
                            state,
                            reason: h.reason.clone().filter(|r| !r.is_empty()),
                            description: h.description.clone().filter(|r| !r.is_empty()),
                        }),
                    None => im.unknown(
                        JsonPointer::root()
                            .key("observed")
                            .key("target_health")
                            .key(&tg_id),
                        &h.state,
                        format!(
                            "target `{aws_id}` has a health state this build does not know ({})",
                            at.key("TargetHealth").key("State")
                        ),
                    ),
                }
            }
        }
    }
    Ok(())
}

fn target_health_state(text: &str) -> Option<TargetHealthState> {
    Some(match text {
        "initial" => TargetHealthState::Initial,
        "healthy" => TargetHealthState::Healthy,
        "unhealthy" => TargetHealthState::Unhealthy,
        "unhealthy.draining" => TargetHealthState::UnhealthyDraining,
        "unused" => TargetHealthState::Unused,
        "draining" => TargetHealthState::Draining,
        "unavailable" => TargetHealthState::Unavailable,
        _ => return None,
    })
}

fn listeners(im: &mut Importer<'_>) -> Result<(), ImportError> {
    const KIND: &str = "AWS::ElasticLoadBalancingV2::Listener";
    let pages = &im.bundle.responses.elbv2.describe_listeners;
    let mut seen = std::collections::HashSet::new();
    for (p, page) in pages.iter().enumerate() {
        for (i, l) in page.response.listeners.iter().enumerate() {
            if !seen.insert(l.listener_arn.as_str()) {
                continue;
            }
            let at = response_at("elbv2", "describe_listeners", p)
                .key("Listeners")
                .index(i);
            let arn = l.listener_arn.as_str();
            let Some(lb_id) = im.refs.load_balancers.get(&l.load_balancer_arn).cloned() else {
                im.skip(
                    arn,
                    KIND,
                    format!(
                        "its load balancer `{}` is not in the bundle (elbv2 describe_load_balancers)",
                        l.load_balancer_arn
                    ),
                );
                continue;
            };
            let (Some(port), Some(protocol_text)) = (l.port, l.protocol.as_deref()) else {
                im.skip(
                    arn,
                    KIND,
                    "it has no port or protocol (Gateway Load Balancer)",
                );
                continue;
            };
            let Some(protocol) = lb_protocol(protocol_text) else {
                im.skip(
                    arn,
                    KIND,
                    format!("protocol `{protocol_text}` is not modelled"),
                );
                continue;
            };
            let Some(forward) = forward_target(im, l, &lb_id) else {
                continue;
            };
            let Some(lb) = im.topo.load_balancers.0.get_mut(lb_id.as_str()) else {
                continue;
            };
            let index = lb.listeners.len();
            lb.listeners.push(Listener {
                port,
                protocol,
                forward,
                certificate: l
                    .certificates
                    .iter()
                    .find_map(|c| c.certificate_arn.clone()),
                aws_id: Some(l.listener_arn.clone()),
            });
            im.refs
                .listeners
                .insert(l.listener_arn.clone(), (lb_id.clone(), port));
            im.source(
                JsonPointer::resource("load_balancers", &lb_id)
                    .key("listeners")
                    .index(index),
                arn,
                &at,
            );
        }
    }
    Ok(())
}

/// The target group the listener's default action forwards to. Listeners that do not
/// forward (redirects, fixed responses) or forward to a group outside the bundle are
/// skipped; a weighted forward keeps its heaviest group and notes the rest.
fn forward_target(im: &mut Importer<'_>, l: &elbv2::Listener, lb_id: &Id) -> Option<Id> {
    const KIND: &str = "AWS::ElasticLoadBalancingV2::Listener";
    let arn = l.listener_arn.as_str();
    let mut actions: Vec<&elbv2::Action> = l.default_actions.iter().collect();
    actions.sort_by_key(|a| a.order.unwrap_or(i64::MAX));
    let Some(action) = actions.into_iter().find(|a| a.kind == "forward") else {
        im.skip(
            arn,
            KIND,
            "its default action does not forward to a target group",
        );
        return None;
    };
    let mut groups: Vec<(&str, i64)> = action
        .forward_config
        .iter()
        .flat_map(|c| &c.target_groups)
        .map(|g| (g.target_group_arn.as_str(), g.weight.unwrap_or(1)))
        .collect();
    if let Some(direct) = action.target_group_arn.as_deref() {
        if !groups.iter().any(|(g, _)| *g == direct) {
            groups.insert(0, (direct, i64::MAX));
        }
    }
    // Heaviest first; ties keep their order.
    groups.sort_by_key(|(_, w)| std::cmp::Reverse(*w));
    let Some((first, _)) = groups.first().copied() else {
        im.skip(arn, KIND, "its forward action names no target group");
        return None;
    };
    let Some(tg) = im.refs.target_groups.get(first).cloned() else {
        im.skip(
            arn,
            KIND,
            format!("it forwards to target group `{first}`, which is not imported (not in elbv2 describe_target_groups, or skipped)"),
        );
        return None;
    };
    for (other, _) in groups.iter().skip(1) {
        im.unknown(
            JsonPointer::resource("load_balancers", lb_id).key("listeners"),
            *other,
            format!("listener `{arn}` also forwards to this target group with a smaller weight; only `{tg}` is modelled"),
        );
    }
    Some(tg)
}

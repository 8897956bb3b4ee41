//! Target groups, load balancers and listeners (Elastic Load Balancing v2).

use serde_json::{json, Map, Value};

use super::{metadata, top_metadata, Cfn};
use crate::model::{
    CrossZoneSetting, HealthCheckPort, LbProtocol, LoadBalancerType, Scheme, TargetGroup,
    TargetType,
};
use crate::pointer::JsonPointer;
use crate::render::RenderError;

pub(super) fn render(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    target_groups(cfn)?;
    load_balancers(cfn)?;
    listeners(cfn)
}

pub(super) fn target_type(t: TargetType) -> &'static str {
    match t {
        TargetType::Instance => "instance",
        TargetType::Ip => "ip",
        TargetType::Alb => "alb",
        TargetType::Lambda => "lambda",
    }
}

pub(super) fn cross_zone_value(s: CrossZoneSetting) -> &'static str {
    match s {
        CrossZoneSetting::On => "true",
        CrossZoneSetting::Off => "false",
        CrossZoneSetting::UseLoadBalancerConfiguration => "use_load_balancer_configuration",
    }
}

fn target_groups(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    let t = cfn.t;
    for (id, tg) in &t.target_groups {
        let at = || JsonPointer::resource("target_groups", id);
        let Some(logical) = cfn.logical("target_groups", id).map(str::to_owned) else {
            if !tg.targets.is_empty() {
                // CloudFormation registers targets only as a property of the group.
                cfn.note(format!(
                    "Target group `{id}` exists already, so its targets are not registered \
                     by this template; register them with `aws elbv2 register-targets`."
                ));
            }
            continue;
        };
        let mut p = Map::new();
        if let Some(name) = &tg.name {
            p.insert("Name".into(), json!(name));
        }
        p.insert("TargetType".into(), json!(target_type(tg.target_type)));
        // Lambda target groups have no protocol, port or VPC.
        if tg.target_type != TargetType::Lambda {
            p.insert("Protocol".into(), json!(tg.protocol.as_str()));
            p.insert("Port".into(), json!(tg.port));
            p.insert(
                "VpcId".into(),
                cfn.reference("vpcs", tg.vpc.as_str(), None, || at().key("vpc"))?,
            );
        }
        health_check(&mut p, tg);
        let targets = targets(cfn, id.as_str(), tg)?;
        if !targets.is_empty() {
            p.insert("Targets".into(), Value::Array(targets));
        }
        let mut attributes = Vec::new();
        if let Some(preserve) = tg.preserve_client_ip {
            attributes.push(json!({
                "Key": "preserve_client_ip.enabled",
                "Value": if preserve { "true" } else { "false" }
            }));
        }
        if let Some(cross_zone) = tg.cross_zone {
            attributes.push(json!({
                "Key": "load_balancing.cross_zone.enabled",
                "Value": cross_zone_value(cross_zone)
            }));
        }
        if !attributes.is_empty() {
            p.insert("TargetGroupAttributes".into(), Value::Array(attributes));
        }
        cfn.add(
            logical,
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            Vec::new(),
            top_metadata("target_groups", id.as_str(), tg.name.as_ref()),
            p,
        );
    }
    Ok(())
}

fn health_check(p: &mut Map<String, Value>, tg: &TargetGroup) {
    let hc = &tg.health_check;
    if let Some(enabled) = hc.enabled {
        p.insert("HealthCheckEnabled".into(), json!(enabled));
    }
    if let Some(protocol) = hc.protocol {
        p.insert("HealthCheckProtocol".into(), json!(protocol.as_str()));
    }
    p.insert(
        "HealthCheckPort".into(),
        json!(match hc.port {
            HealthCheckPort::TrafficPort => "traffic-port".to_owned(),
            HealthCheckPort::Port(port) => port.to_string(),
        }),
    );
    // A path and a matcher only mean something to HTTP(S) checks; AWS rejects them on TCP.
    let http = matches!(
        hc.protocol_or_default(),
        LbProtocol::Http | LbProtocol::Https
    );
    if http {
        if let Some(path) = &hc.path {
            p.insert("HealthCheckPath".into(), json!(path));
        }
    }
    if let Some(v) = hc.interval_seconds {
        p.insert("HealthCheckIntervalSeconds".into(), json!(v));
    }
    if let Some(v) = hc.timeout_seconds {
        p.insert("HealthCheckTimeoutSeconds".into(), json!(v));
    }
    if let Some(v) = hc.healthy_threshold {
        p.insert("HealthyThresholdCount".into(), json!(v));
    }
    if let Some(v) = hc.unhealthy_threshold {
        p.insert("UnhealthyThresholdCount".into(), json!(v));
    }
    if http {
        if let Some(m) = &hc.matcher {
            p.insert("Matcher".into(), json!({ "HttpCode": m }));
        }
    }
}

fn targets(cfn: &Cfn<'_>, id: &str, tg: &TargetGroup) -> Result<Vec<Value>, RenderError> {
    let mut out = Vec::new();
    for (i, target) in tg.targets.iter().enumerate() {
        let at = || {
            JsonPointer::resource("target_groups", id)
                .key("targets")
                .index(i)
                .key("id")
        };
        let target_id = match tg.target_type {
            TargetType::Instance => cfn.reference("instances", &target.id, None, at)?,
            TargetType::Alb => cfn.reference("load_balancers", &target.id, None, at)?,
            TargetType::Ip | TargetType::Lambda => json!(target.id),
        };
        let mut m = Map::new();
        m.insert("Id".into(), target_id);
        if let Some(port) = target.port {
            m.insert("Port".into(), json!(port));
        }
        if let Some(az) = &target.az {
            m.insert("AvailabilityZone".into(), json!(az.as_str()));
        }
        out.push(Value::Object(m));
    }
    Ok(out)
}

fn load_balancers(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    let t = cfn.t;
    for (id, lb) in &t.load_balancers {
        let Some(logical) = cfn.logical("load_balancers", id).map(str::to_owned) else {
            continue;
        };
        let at = || JsonPointer::resource("load_balancers", id);
        let mut p = Map::new();
        if let Some(name) = &lb.name {
            p.insert("Name".into(), json!(name));
        }
        p.insert(
            "Type".into(),
            json!(match lb.kind {
                LoadBalancerType::Network => "network",
                LoadBalancerType::Application => "application",
                LoadBalancerType::Gateway => "gateway",
            }),
        );
        // Gateway load balancers take no scheme.
        if lb.kind != LoadBalancerType::Gateway {
            p.insert(
                "Scheme".into(),
                json!(match lb.scheme {
                    Scheme::Internal => "internal",
                    Scheme::InternetFacing => "internet-facing",
                }),
            );
        }
        let mut subnets = Vec::new();
        for (i, s) in lb.subnets.iter().enumerate() {
            subnets
                .push(cfn.reference("subnets", s.as_str(), None, || at().key("subnets").index(i))?);
        }
        p.insert("Subnets".into(), Value::Array(subnets));
        if !lb.security_groups.is_empty() {
            let mut groups = Vec::new();
            for (i, sg) in lb.security_groups.iter().enumerate() {
                groups.push(cfn.reference(
                    "security_groups",
                    sg.as_str(),
                    Some("GroupId"),
                    || at().key("security_groups").index(i),
                )?);
            }
            p.insert("SecurityGroups".into(), Value::Array(groups));
            // Only an NLB with security groups takes this setting (facts §4.3).
            if let (LoadBalancerType::Network, Some(enforce)) =
                (lb.kind, lb.enforce_inbound_rules_on_privatelink)
            {
                p.insert(
                    "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic".into(),
                    json!(if enforce { "on" } else { "off" }),
                );
            }
        }
        // ALBs always balance across zones; the attribute is the NLB's (facts §4.2).
        if let (LoadBalancerType::Network, Some(cross_zone)) = (lb.kind, lb.cross_zone) {
            p.insert(
                "LoadBalancerAttributes".into(),
                json!([{
                    "Key": "load_balancing.cross_zone.enabled",
                    "Value": if cross_zone { "true" } else { "false" }
                }]),
            );
        }
        cfn.add(
            logical,
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Vec::new(),
            top_metadata("load_balancers", id.as_str(), lb.name.as_ref()),
            p,
        );
    }
    Ok(())
}

fn listeners(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    let t = cfn.t;
    for (id, lb) in &t.load_balancers {
        let owner = cfn.owner_id("load_balancers", id.as_str());
        for (i, listener) in lb.listeners.iter().enumerate() {
            if listener.aws_id.is_some() {
                continue;
            }
            let at = || {
                JsonPointer::resource("load_balancers", id)
                    .key("listeners")
                    .index(i)
            };
            let mut p = Map::new();
            p.insert(
                "LoadBalancerArn".into(),
                cfn.reference("load_balancers", id.as_str(), None, at)?,
            );
            p.insert("Port".into(), json!(listener.port));
            p.insert("Protocol".into(), json!(listener.protocol.as_str()));
            if let Some(cert) = &listener.certificate {
                p.insert("Certificates".into(), json!([{ "CertificateArn": cert }]));
            }
            let tg = cfn.reference("target_groups", listener.forward.as_str(), None, || {
                at().key("forward")
            })?;
            p.insert(
                "DefaultActions".into(),
                json!([{ "Type": "forward", "TargetGroupArn": tg }]),
            );
            let port = listener.port.to_string();
            let name = cfn.part_id(&owner, &["Listener", &port], &port);
            cfn.listeners
                .insert((id.to_string(), listener.port), name.clone());
            cfn.add(
                name,
                "AWS::ElasticLoadBalancingV2::Listener",
                Vec::new(),
                metadata(
                    "load_balancers",
                    id.as_str(),
                    Some(("listener", json!(listener.port))),
                ),
                p,
            );
        }
    }
    Ok(())
}

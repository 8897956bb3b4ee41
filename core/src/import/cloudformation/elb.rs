//! Load balancers with their listeners, and target groups with their targets (ELBv2).

use super::build::{Coll, Hint, Importer};
use super::template::{error_at, Resource};
use super::value::{Part, Val};
use crate::import::ImportError;
use crate::model::{
    CrossZoneSetting, HealthCheck, HealthCheckPort, Id, LbProtocol, Listener, LoadBalancer,
    LoadBalancerType, Scheme, Target, TargetGroup, TargetType,
};
use crate::pointer::JsonPointer;

fn protocol(s: &str) -> Option<LbProtocol> {
    Some(match s.trim().to_ascii_uppercase().as_str() {
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

/// `[{Key, Value}]` attribute lists as (key, value) pairs of literals.
fn attributes(v: Option<&Val>) -> Vec<(String, Option<String>)> {
    v.map(|l| {
        l.items()
            .iter()
            .filter_map(|a| {
                let key = a.get("Key")?.as_lit()?;
                Some((key, a.get("Value").and_then(Val::as_lit)))
            })
            .collect()
    })
    .unwrap_or_default()
}

impl Importer<'_> {
    fn lb_protocol(
        &mut self,
        r: &Resource<'_>,
        prop: &str,
        v: Option<&Val>,
        at: &JsonPointer,
    ) -> Result<Option<LbProtocol>, ImportError> {
        match self.text(v, at) {
            None => Ok(None),
            Some(s) => protocol(&s).map(Some).ok_or_else(|| {
                error_at(
                    r.props.get(prop).map(|n| n.pos).unwrap_or(r.pos),
                    Some(r.pointer(prop)),
                    format!(
                        "`{prop}` of `{}`: `{s}` is not a load balancer protocol",
                        r.logical
                    ),
                )
            }),
        }
    }

    pub fn map_load_balancer(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some((_, id)) = self.id_of(&r.logical).map(|(c, id)| (c, id.clone())) else {
            return Ok(());
        };
        let path = JsonPointer::resource("load_balancers", &id);
        let type_v = self.prop(r, "Type")?;
        let kind = match self
            .text(type_v.as_ref(), &path.clone().key("type"))
            .as_deref()
        {
            // AWS's default when no type is given.
            None | Some("application") => LoadBalancerType::Application,
            Some("network") => LoadBalancerType::Network,
            Some("gateway") => LoadBalancerType::Gateway,
            Some(other) => {
                return Err(error_at(
                    r.props.get("Type").map(|n| n.pos).unwrap_or(r.pos),
                    Some(r.pointer("Type")),
                    format!(
                        "`Type` of `{}` must be application, network or gateway, not `{other}`",
                        r.logical
                    ),
                ))
            }
        };
        let scheme_v = self.prop(r, "Scheme")?;
        let scheme = match self
            .text(scheme_v.as_ref(), &path.clone().key("scheme"))
            .as_deref()
        {
            Some("internal") => Scheme::Internal,
            Some(_) => Scheme::InternetFacing,
            // Unknown scheme: internal, the value that raises no internet-facing warning.
            None if scheme_v.is_some() => Scheme::Internal,
            None => Scheme::InternetFacing,
        };
        let subnets_at = path.clone().key("subnets");
        let mut subnet_vals = self.prop(r, "Subnets")?;
        if subnet_vals.is_none() {
            if let Some(m) = self.prop(r, "SubnetMappings")? {
                subnet_vals = Some(Val::List(
                    m.items()
                        .iter()
                        .filter_map(|i| i.get("SubnetId").cloned())
                        .collect(),
                ));
            }
        }
        let vpc = self.vpc_of_values(subnet_vals.as_ref());
        let hint = Hint {
            vpc,
            ..Hint::default()
        };
        let subnets = self.references(subnet_vals.as_ref(), Coll::Subnets, &hint, &subnets_at)?;
        let hint = Hint {
            vpc: subnets
                .first()
                .and_then(|s| self.topo.subnets.get(s.as_str()))
                .map(|s| s.vpc.clone()),
            ..Hint::default()
        };
        let sg_v = self.prop(r, "SecurityGroups")?;
        let security_groups = self.references(
            sg_v.as_ref(),
            Coll::SecurityGroups,
            &hint,
            &path.clone().key("security_groups"),
        )?;
        let enforce_v = self.prop(r, "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")?;
        let enforce = self.bool(
            enforce_v.as_ref(),
            &path.clone().key("enforce_inbound_rules_on_privatelink"),
        );
        let attrs = attributes(self.prop(r, "LoadBalancerAttributes")?.as_ref());
        let cross_zone = attrs
            .iter()
            .find(|(k, _)| k == "load_balancing.cross_zone.enabled")
            .and_then(|(_, v)| v.as_deref())
            .map(|v| v.eq_ignore_ascii_case("true"));
        let name = Self::name(self.prop(r, "Name")?.as_ref());
        self.topo.load_balancers.0.insert(
            id.clone(),
            LoadBalancer {
                kind,
                scheme,
                subnets,
                security_groups,
                cross_zone,
                enforce_inbound_rules_on_privatelink: enforce,
                listeners: Vec::new(),
                arn: None,
                name,
            },
        );
        self.source(path, r);
        Ok(())
    }

    /// The VPC of the first subnet in `v` that the template declares.
    fn vpc_of_values(&self, v: Option<&Val>) -> Option<Id> {
        let items: Vec<Val> = match v? {
            Val::List(items) => items.clone(),
            other => vec![other.clone()],
        };
        items.iter().find_map(|i| {
            let s = self.local_ref(i, Coll::Subnets)?;
            self.topo.subnets.get(s.as_str()).map(|s| s.vpc.clone())
        })
    }

    pub fn map_target_group(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some(id) = self.id_of(&r.logical).map(|(_, id)| id.clone()) else {
            return Ok(());
        };
        let path = JsonPointer::resource("target_groups", &id);
        let tt_v = self.prop(r, "TargetType")?;
        let target_type = match self
            .text(tt_v.as_ref(), &path.clone().key("target_type"))
            .as_deref()
        {
            None | Some("instance") => TargetType::Instance,
            Some("ip") => TargetType::Ip,
            Some("alb") => TargetType::Alb,
            Some("lambda") => {
                self.skip(r, "a Lambda target group belongs to an Application Load Balancer path that is not modelled");
                self.ids.remove(&r.logical);
                return Ok(());
            }
            Some(other) => {
                return Err(error_at(
                    r.props.get("TargetType").map(|n| n.pos).unwrap_or(r.pos),
                    Some(r.pointer("TargetType")),
                    format!(
                        "`TargetType` of `{}` must be instance, ip, alb or lambda, not `{other}`",
                        r.logical
                    ),
                ))
            }
        };
        let vpc_v = self.prop(r, "VpcId")?.unwrap_or(Val::Null);
        let vpc = match self.reference(
            &vpc_v,
            Coll::Vpcs,
            &Hint::default(),
            &path.clone().key("vpc"),
        )? {
            Some(v) => v,
            None => self.context_vpc(&Hint::default()),
        };
        let proto_v = self.prop(r, "Protocol")?;
        let protocol = match self.lb_protocol(
            r,
            "Protocol",
            proto_v.as_ref(),
            &path.clone().key("protocol"),
        )? {
            Some(p) => p,
            None => {
                if proto_v.is_none() {
                    self.unknown_at(
                        path.clone().key("protocol"),
                        "(no Protocol)",
                        "the target group names no protocol; TCP is assumed",
                    );
                }
                LbProtocol::Tcp
            }
        };
        let port_v = self.prop(r, "Port")?;
        let port =
            match self.number::<u16>(r, "Port", port_v.as_ref(), &path.clone().key("port"))? {
                Some(p) => p,
                None => {
                    if port_v.is_none() {
                        self.unknown_at(
                            path.clone().key("port"),
                            "(no Port)",
                            "the target group names no port; 80 is assumed",
                        );
                    }
                    80
                }
            };

        let hc_at = path.clone().key("health_check");
        let mut hc = HealthCheck::default();
        let v = self.prop(r, "HealthCheckEnabled")?;
        hc.enabled = self.bool(v.as_ref(), &hc_at.clone().key("enabled"));
        let v = self.prop(r, "HealthCheckProtocol")?;
        hc.protocol = self.lb_protocol(
            r,
            "HealthCheckProtocol",
            v.as_ref(),
            &hc_at.clone().key("protocol"),
        )?;
        let v = self.prop(r, "HealthCheckPort")?;
        hc.port = match self.text(v.as_ref(), &hc_at.clone().key("port")) {
            None => HealthCheckPort::TrafficPort,
            Some(p) if p == "traffic-port" => HealthCheckPort::TrafficPort,
            Some(p) => HealthCheckPort::Port(p.trim().parse().map_err(|_| {
                error_at(
                    r.props
                        .get("HealthCheckPort")
                        .map(|n| n.pos)
                        .unwrap_or(r.pos),
                    Some(r.pointer("HealthCheckPort")),
                    format!(
                        "`HealthCheckPort` of `{}` must be traffic-port or a port, not `{p}`",
                        r.logical
                    ),
                )
            })?),
        };
        let v = self.prop(r, "HealthCheckPath")?;
        hc.path = self.text(v.as_ref(), &hc_at.clone().key("path"));
        let v = self.prop(r, "HealthCheckIntervalSeconds")?;
        hc.interval_seconds = self.number(
            r,
            "HealthCheckIntervalSeconds",
            v.as_ref(),
            &hc_at.clone().key("interval_seconds"),
        )?;
        let v = self.prop(r, "HealthCheckTimeoutSeconds")?;
        hc.timeout_seconds = self.number(
            r,
            "HealthCheckTimeoutSeconds",
            v.as_ref(),
            &hc_at.clone().key("timeout_seconds"),
        )?;
        let v = self.prop(r, "HealthyThresholdCount")?;
        hc.healthy_threshold = self.number(
            r,
            "HealthyThresholdCount",
            v.as_ref(),
            &hc_at.clone().key("healthy_threshold"),
        )?;
        let v = self.prop(r, "UnhealthyThresholdCount")?;
        hc.unhealthy_threshold = self.number(
            r,
            "UnhealthyThresholdCount",
            v.as_ref(),
            &hc_at.clone().key("unhealthy_threshold"),
        )?;
        if let Some(m) = self.prop(r, "Matcher")? {
            hc.matcher = self.text(m.get("HttpCode"), &hc_at.clone().key("matcher"));
        }

        let attrs = attributes(self.prop(r, "TargetGroupAttributes")?.as_ref());
        let attr = |k: &str| {
            attrs
                .iter()
                .find(|(key, _)| key == k)
                .and_then(|(_, v)| v.clone())
        };
        let preserve_client_ip =
            attr("preserve_client_ip.enabled").map(|v| v.eq_ignore_ascii_case("true"));
        let cross_zone = attr("load_balancing.cross_zone.enabled").map(|v| match v.as_str() {
            "true" => CrossZoneSetting::On,
            "false" => CrossZoneSetting::Off,
            _ => CrossZoneSetting::UseLoadBalancerConfiguration,
        });

        let targets_at = path.clone().key("targets");
        let mut targets = Vec::new();
        if let Some(list) = self.prop(r, "Targets")? {
            if let Some(u) = list.as_unk() {
                let u = u.clone();
                self.unknown(targets_at.clone(), &u);
            }
            for (i, t) in list.items().iter().enumerate() {
                let at = targets_at.clone().index(i);
                let Some(id_v) = t.get("Id") else { continue };
                let Some(target_id) = self.target_id(id_v, target_type, &targets_at)? else {
                    continue;
                };
                let port =
                    self.number::<u16>(r, "Targets", t.get("Port"), &at.clone().key("port"))?;
                let az = match self.text(t.get("AvailabilityZone"), &at.clone().key("az")) {
                    Some(z) if z != "all" => z.parse().ok(),
                    _ => None,
                };
                targets.push(Target {
                    id: target_id,
                    port,
                    az,
                });
            }
        }
        let name = Self::name(self.prop(r, "Name")?.as_ref());
        self.topo.target_groups.0.insert(
            id.clone(),
            TargetGroup {
                vpc,
                protocol,
                port,
                target_type,
                health_check: hc,
                targets,
                preserve_client_ip,
                cross_zone,
                arn: None,
                name,
            },
        );
        self.source(path, r);
        Ok(())
    }

    /// A target's id: an instance of the template (instance targets), an address (ip
    /// targets, `!GetAtt Instance.PrivateIp` included) or a load balancer (alb targets).
    /// Targets outside the template are left out, with the unknown recorded.
    fn target_id(
        &mut self,
        v: &Val,
        target_type: TargetType,
        at: &JsonPointer,
    ) -> Result<Option<String>, ImportError> {
        let want = match target_type {
            TargetType::Instance => Some(Coll::Instances),
            TargetType::Alb => Some(Coll::LoadBalancers),
            _ => None,
        };
        if let Some(coll) = want {
            if let Some(id) = self.local_ref(v, coll) {
                return Ok(Some(id.to_string()));
            }
        }
        if target_type == TargetType::Ip {
            if let Some((logical, Some("PrivateIp"))) = v.as_res() {
                if let Some((Coll::Instances, inst)) =
                    self.id_of(logical).map(|(c, i)| (c, i.clone()))
                {
                    let expr = format!("!GetAtt {logical}.PrivateIp");
                    return Ok(self.instance_address(&inst, &expr));
                }
            }
            if let Some(ip) = v.as_lit() {
                return Ok(Some(ip));
            }
        }
        let expr = v
            .first_unknown()
            .map(|u| u.expr.clone())
            .or_else(|| v.display())
            .unwrap_or_default();
        self.unknown_at(
            at.clone(),
            &expr,
            "the target is outside the template (or known only at deploy time); it is left out",
        );
        Ok(None)
    }

    pub fn map_listener(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let lb_v = self.prop(r, "LoadBalancerArn")?.unwrap_or(Val::Null);
        let Some(lb) = self.local_ref(&lb_v, Coll::LoadBalancers) else {
            self.skip(r, "its load balancer is not declared in this template");
            return Ok(());
        };
        let Some(index) = self
            .topo
            .load_balancers
            .get(lb.as_str())
            .map(|l| l.listeners.len())
        else {
            return Ok(());
        };
        let at = JsonPointer::resource("load_balancers", &lb)
            .key("listeners")
            .index(index);
        let port_v = self.prop(r, "Port")?;
        let port = match self.number::<u16>(r, "Port", port_v.as_ref(), &at.clone().key("port"))? {
            Some(p) => p,
            None => {
                self.skip(r, "its port is not known offline");
                return Ok(());
            }
        };
        let proto_v = self.prop(r, "Protocol")?;
        let protocol =
            match self.lb_protocol(r, "Protocol", proto_v.as_ref(), &at.clone().key("protocol"))? {
                Some(p) => p,
                None => match self.topo.load_balancers.get(lb.as_str()).map(|l| l.kind) {
                    Some(LoadBalancerType::Network) => LbProtocol::Tcp,
                    _ => LbProtocol::Http,
                },
            };
        // The default action's target group: `TargetGroupArn`, or the first of
        // `ForwardConfig.TargetGroups`.
        let actions = self.prop(r, "DefaultActions")?.unwrap_or(Val::Null);
        let forward = actions.items().iter().find_map(|a| {
            let kind = a.get("Type").and_then(Val::as_lit)?;
            if !kind.eq_ignore_ascii_case("forward") {
                return None;
            }
            a.get("TargetGroupArn").cloned().or_else(|| {
                a.get("ForwardConfig")?
                    .get("TargetGroups")?
                    .items()
                    .first()?
                    .get("TargetGroupArn")
                    .cloned()
            })
        });
        let Some(forward) = forward else {
            self.skip(r, "its default action does not forward to a target group (redirect or fixed response), which the model does not cover");
            return Ok(());
        };
        let vpc = self.topo.load_balancers.get(lb.as_str()).and_then(|l| {
            l.subnets
                .first()
                .and_then(|s| self.topo.subnets.get(s.as_str()))
                .map(|s| s.vpc.clone())
        });
        let hint = Hint {
            vpc,
            protocol: Some(match protocol {
                // A TLS listener may forward to TCP or TLS; TCP keeps a placeholder quiet.
                LbProtocol::Tls => LbProtocol::Tcp,
                p => p,
            }),
            ..Hint::default()
        };
        let Some(forward) = self.reference(
            &forward,
            Coll::TargetGroups,
            &hint,
            &at.clone().key("forward"),
        )?
        else {
            self.skip(r, "its target group could not be resolved");
            return Ok(());
        };
        let certificate = self
            .prop(r, "Certificates")?
            .and_then(|c| {
                c.items()
                    .first()
                    .and_then(|c| c.get("CertificateArn"))
                    .cloned()
            })
            .and_then(|c| Self::name(Some(&c)));
        if let Some(l) = self.topo.load_balancers.0.get_mut(&lb) {
            l.listeners.push(Listener {
                port,
                protocol,
                forward,
                certificate,
                aws_id: None,
            });
        }
        self.source(at, r);
        Ok(())
    }

    /// The load balancer and port of a listener of the template: what `!Ref Listener`
    /// means in an HTTP API integration URI.
    pub fn listener_target(&self, v: &Val) -> Option<(Id, u16)> {
        let parts = v.parts()?;
        let logical = parts.iter().find_map(|p| match p {
            Part::Res { logical, attr } if attr.as_deref().is_none_or(|a| a == "ListenerArn") => {
                Some(logical.clone())
            }
            _ => None,
        })?;
        let r = self.t.resource(&logical)?;
        if r.kind != "AWS::ElasticLoadBalancingV2::Listener" {
            return None;
        }
        let lb = self
            .t
            .eval(r.props.get("LoadBalancerArn")?)
            .ok()
            .and_then(|v| self.local_ref(&v, Coll::LoadBalancers))?;
        let port = self
            .t
            .eval(r.props.get("Port")?)
            .ok()
            .and_then(|v| v.as_lit())
            .and_then(|p| p.trim().parse().ok())?;
        Some((lb, port))
    }
}

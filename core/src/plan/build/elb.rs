//! Target groups, load balancers, listeners and target registration (facts §9.2 steps
//! 7–12).

use serde_json::{json, Value};

use crate::model::{HealthCheck, HealthCheckPort, LbProtocol, Target, TargetGroup, TargetType};

use super::super::aws::{self, key_value_tags, POLL_SECONDS, WAITER_TIMEOUT};
use super::super::ctx::Ctx;
use super::super::error::PlanError;
use super::super::key::{Key, Kind};
use super::super::step::{call, out, out_after, output_ref, wait, wait_gone};
use super::super::types::{Action, ResourceRef, Step, StepId, Wait};

impl Ctx<'_> {
    pub(crate) fn create_target_group(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(tg) = self.d.target_groups.get(&key.id) else {
            return Ok(());
        };
        let vpc = self.id_of(&Key::new(Kind::Vpc, tg.vpc.as_str()))?;
        let name = self.name(key);
        let mut params = json!({
            "Name": name,
            "Protocol": tg.protocol.as_str(),
            "Port": tg.port,
            "VpcId": vpc,
            "TargetType": target_type(tg.target_type),
            "Tags": key_value_tags(None, &Ctx::tag_id(key)),
        });
        health_check_params(&mut params, &tg.health_check);
        let id = Ctx::create_id(key);
        let me = output_ref(&id, "TargetGroupArn");
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.res(key),
            format!(
                "{} target group `{key}` ({} {}, {} targets) with its health check.",
                self.verb(key),
                tg.protocol.as_str(),
                tg.port,
                target_type(tg.target_type)
            ),
            call("elbv2", "create_target_group", params),
        )
        .outputs(vec![
            out("TargetGroupArn", "TargetGroups[0].TargetGroupArn"),
            // `name/id`: the `TargetGroup` CloudWatch dimension is `targetgroup/` and this
            // (facts §1, §7.1); alarms join the prefix back on.
            out_after(
                "TargetGroupNameAndId",
                "TargetGroups[0].TargetGroupArn",
                "targetgroup/",
            ),
        ])
        .lookup(
            call(
                "elbv2",
                "describe_target_groups",
                json!({ "PageSize": 400 }),
            ),
            vec![
                out(
                    "TargetGroupArn",
                    &format!(
                        "TargetGroups[?TargetGroupName=={}].TargetGroupArn | [0]",
                        aws::lit(&name)
                    ),
                ),
                out_after(
                    "TargetGroupNameAndId",
                    &format!(
                        "TargetGroups[?TargetGroupName=={}].TargetGroupArn | [0]",
                        aws::lit(&name)
                    ),
                    "targetgroup/",
                ),
            ],
        )
        .undo(
            call(
                "elbv2",
                "delete_target_group",
                json!({ "TargetGroupArn": me }),
            ),
            None,
        )
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        let attributes = target_group_attributes(tg);
        if !attributes.is_empty() {
            self.modify_target_group_attributes(key, attributes, false)?;
        }
        let targets: Vec<&Target> = tg.targets.iter().collect();
        if !targets.is_empty() {
            self.register_targets(key, &targets, false)?;
        }
        Ok(())
    }

    pub(crate) fn modify_target_group_attributes(
        &mut self,
        key: &Key,
        attributes: Vec<Value>,
        update: bool,
    ) -> Result<StepId, PlanError> {
        let arn = self.id_of(key)?;
        let step = Step::new(
            key.step_with("modify", "target_group_attributes"),
            if update {
                Action::Update
            } else {
                Action::Create
            },
            self.res(key),
            format!(
                "Set {} on target group `{key}`.",
                attribute_list(&attributes)
            ),
            call(
                "elbv2",
                "modify_target_group_attributes",
                json!({ "TargetGroupArn": arn, "Attributes": attributes }),
            ),
        );
        if update {
            self.add_update(key, step, false)
        } else {
            self.add(step)
        }
    }

    /// The `Targets` list of `register_targets` for these targets.
    pub(crate) fn target_descriptions(
        &mut self,
        tg: &TargetGroup,
        targets: &[&Target],
        old: bool,
    ) -> Result<Vec<Value>, PlanError> {
        let mut out = Vec::new();
        for t in targets {
            let id = match tg.target_type {
                TargetType::Instance => {
                    let k = Key::new(Kind::Instance, t.id.as_str());
                    if old {
                        self.old_id_of(&k)?
                    } else {
                        self.id_of(&k)?
                    }
                }
                TargetType::Alb => {
                    let k = Key::new(Kind::LoadBalancer, t.id.as_str());
                    if old {
                        self.old_id_of(&k)?
                    } else {
                        self.id_of(&k)?
                    }
                }
                TargetType::Ip | TargetType::Lambda => json!(t.id),
            };
            let mut d = json!({ "Id": id });
            if let Some(port) = t.port {
                d["Port"] = json!(port);
            } else if tg.target_type == TargetType::Alb {
                d["Port"] = json!(tg.port);
            }
            if let Some(az) = &t.az {
                d["AvailabilityZone"] = json!(az.to_string());
            }
            out.push(d);
        }
        Ok(out)
    }

    /// Registers targets and waits until every one is healthy: after the instances run
    /// and after a listener forwards to the group, since until then targets stay `unused`
    /// (facts §4.7, §9.2 step 12).
    pub(crate) fn register_targets(
        &mut self,
        key: &Key,
        targets: &[&Target],
        update: bool,
    ) -> Result<StepId, PlanError> {
        let Some(tg) = self.d.target_groups.get(&key.id) else {
            return Err(PlanError::internal(format!("no target group `{key}`")));
        };
        let arn = self.id_of(key)?;
        let list = self.target_descriptions(tg, targets, false)?;
        let listeners: Vec<StepId> = self
            .forwarders
            .get(&key.id)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|(lb, port)| Key::sub(Kind::Listener, lb, port.to_string()))
            .filter(|k| self.creates(k))
            .map(|k| k.step("create"))
            .collect();
        let network = self.health_check_path_steps(&key.id, targets);
        let hc = &tg.health_check;
        // Healthy after `healthy_threshold` passing checks, one per interval (facts §4.6:
        // defaults 5 and 30 s), once registration is through.
        let seconds = hc.healthy_threshold.unwrap_or(5) * hc.interval_or_default()
            + aws::REGISTRATION_SECONDS;
        let n = targets.len();
        let step = Step::new(
            key.step_with("register", "targets"),
            Action::Register,
            ResourceRef {
                kind: "target".into(),
                id: key.id.clone(),
                path: self.res(key).path.key("targets"),
            },
            format!(
                "Register {n} target{} with target group `{key}` and wait until {} healthy.",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it is" } else { "all are" }
            ),
            call(
                "elbv2",
                "register_targets",
                json!({ "TargetGroupArn": arn.clone(), "Targets": list.clone() }),
            ),
        )
        .wait(target_health_wait(
            arn.clone(),
            list.clone(),
            seconds.max(WAITER_TIMEOUT / 2) * 2,
        ))
        .undo(
            call(
                "elbv2",
                "deregister_targets",
                json!({ "TargetGroupArn": arn, "Targets": list }),
            ),
            None,
        )
        .seconds(seconds)
        .after(listeners)
        .after(network);
        if update {
            self.add_update(key, step, false)
        } else {
            self.add(step)
        }
    }

    /// The steps this plan makes that health checks of these targets cross: rules of the
    /// targets' and the load balancers' groups, and the ACL entries and associations of
    /// their subnets (facts §5.3, §6). Registering waits for them, so the wait for
    /// `healthy` measures the targets, not rules still on their way.
    fn health_check_path_steps(&self, tg: &str, targets: &[&Target]) -> Vec<StepId> {
        let mut groups = std::collections::BTreeSet::new();
        let mut subnets = std::collections::BTreeSet::new();
        for t in targets {
            if let Some(i) = self.d.instances.get(t.id.as_str()) {
                subnets.insert(i.subnet.as_str().to_owned());
                groups.extend(i.security_groups.iter().map(|g| g.as_str().to_owned()));
            }
        }
        for (lb, _) in self
            .forwarders
            .get(tg)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if let Some(lb) = self.d.load_balancers.get(lb.as_str()) {
                subnets.extend(lb.subnets.iter().map(|s| s.as_str().to_owned()));
                groups.extend(lb.security_groups.iter().map(|g| g.as_str().to_owned()));
            }
        }
        let mut acls = std::collections::BTreeSet::new();
        for s in &subnets {
            if let Some(acl) = self.d.subnets.get(s).and_then(|s| s.network_acl.as_ref()) {
                acls.insert(acl.as_str().to_owned());
            }
        }
        let mut candidates = Vec::new();
        for g in &groups {
            for (verb, dir) in [
                ("authorize", "ingress"),
                ("authorize", "egress"),
                ("revoke", "ingress"),
                ("revoke", "egress"),
            ] {
                candidates.push(format!("{verb}.{dir}.{g}"));
            }
        }
        for sn in &subnets {
            candidates.push(format!("associate.network_acl.{sn}"));
        }
        for a in &acls {
            let entries = |t: &crate::model::Topology| {
                t.network_acls
                    .get(a.as_str())
                    .map(|x| {
                        x.ingress
                            .iter()
                            .map(|e| ("ingress", e.rule))
                            .chain(x.egress.iter().map(|e| ("egress", e.rule)))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            };
            let mut rules = entries(self.d);
            if let Some(c) = self.c {
                rules.extend(entries(c));
            }
            for (dir, rule) in rules {
                for verb in ["create", "update", "delete"] {
                    candidates.push(format!("{verb}.network_acl_entry.{a}.{dir}.{rule}"));
                }
            }
        }
        let mut out: Vec<StepId> = Vec::new();
        for id in candidates {
            if self.has_step(&id) && !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    pub(crate) fn create_load_balancer(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(lb) = self.d.load_balancers.get(&key.id) else {
            return Ok(());
        };
        let name = self.name(key);
        let mut subnets = Vec::new();
        for s in &lb.subnets {
            subnets.push(self.id_of(&Key::new(Kind::Subnet, s.as_str()))?);
        }
        let mut groups = Vec::new();
        for g in &lb.security_groups {
            groups.push(self.id_of(&Key::new(Kind::SecurityGroup, g.as_str()))?);
        }
        let mut params = json!({
            "Name": name,
            "Type": lb_type(lb.kind),
            "Scheme": scheme(lb.scheme),
            "Subnets": subnets,
            "Tags": key_value_tags(None, &Ctx::tag_id(key)),
        });
        if !groups.is_empty() {
            // Only at creation: an NLB made without groups never gets one (facts §4.3).
            params["SecurityGroups"] = Value::Array(groups.clone());
        }
        let id = Ctx::create_id(key);
        let me = output_ref(&id, "LoadBalancerArn");
        let query = format!("LoadBalancers[?LoadBalancerName=={}]", aws::lit(&name));
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.res(key),
            format!(
                "{} {} {} load balancer `{key}` in {} subnet{} and wait until it is active.",
                self.verb(key),
                scheme(lb.scheme),
                lb_type(lb.kind),
                lb.subnets.len(),
                if lb.subnets.len() == 1 { "" } else { "s" }
            ),
            call("elbv2", "create_load_balancer", params),
        )
        .outputs(vec![
            out("LoadBalancerArn", "LoadBalancers[0].LoadBalancerArn"),
            out("DNSName", "LoadBalancers[0].DNSName"),
            // `net/name/id`, the CloudWatch `LoadBalancer` dimension (facts §1, §7.1).
            out_after(
                "LoadBalancerFullName",
                "LoadBalancers[0].LoadBalancerArn",
                "loadbalancer/",
            ),
        ])
        .wait(
            wait(
                call(
                    "elbv2",
                    "describe_load_balancers",
                    json!({ "LoadBalancerArns": [me.clone()] }),
                ),
                "LoadBalancers[0].State.Code",
                &["active"],
                &["failed"],
                POLL_SECONDS,
                WAITER_TIMEOUT,
            )
            .with_message("LoadBalancers[0].State.Reason"),
        )
        .lookup(
            call(
                "elbv2",
                "describe_load_balancers",
                json!({ "PageSize": 400 }),
            ),
            vec![
                out("LoadBalancerArn", &format!("{query}.LoadBalancerArn | [0]")),
                out("DNSName", &format!("{query}.DNSName | [0]")),
                out_after(
                    "LoadBalancerFullName",
                    &format!("{query}.LoadBalancerArn | [0]"),
                    "loadbalancer/",
                ),
            ],
        )
        .undo(
            call(
                "elbv2",
                "delete_load_balancer",
                json!({ "LoadBalancerArn": me.clone() }),
            ),
            Some(load_balancer_gone(me)),
        )
        .seconds(aws::LOAD_BALANCER_SECONDS)
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        if !groups.is_empty() && lb.enforce_inbound_rules_on_privatelink == Some(false) {
            self.set_security_groups(key, groups, false, false)?;
        }
        // Cross-zone is off by default on an NLB (facts §4.2): only turning it on is a call.
        if lb.cross_zone == Some(true) {
            self.modify_load_balancer_attributes(key, true, false)?;
        }
        Ok(())
    }

    /// `set_security_groups`, which replaces the whole set and carries the PrivateLink
    /// enforcement setting (facts §4.3, §9.2 step 9).
    pub(crate) fn set_security_groups(
        &mut self,
        key: &Key,
        groups: Vec<Value>,
        enforce: bool,
        update: bool,
    ) -> Result<StepId, PlanError> {
        let arn = if update {
            self.old_id_of(key)?
        } else {
            self.id_of(key)?
        };
        let flag = if enforce { "on" } else { "off" };
        let step = Step::new(
            key.step_with("set", "security_groups"),
            // Configures a resource; deleting that resource undoes it, so even in a new
            // deployment it is an update without an undo of its own (rollback then
            // reports nothing left behind).
            Action::Update,
            self.res(key),
            if enforce {
                format!("Set the security groups of load balancer `{key}`.")
            } else {
                format!(
                    "Set the security groups of load balancer `{key}` and stop evaluating their \
                     inbound rules on PrivateLink traffic, as AWS advises behind a VPC link \
                     (facts §4.3)."
                )
            },
            call(
                "elbv2",
                "set_security_groups",
                json!({ "LoadBalancerArn": arn,
                        "SecurityGroups": groups,
                        "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic": flag }),
            ),
        );
        if update {
            self.add_update(key, step, false)
        } else {
            self.add(step)
        }
    }

    pub(crate) fn modify_load_balancer_attributes(
        &mut self,
        key: &Key,
        cross_zone: bool,
        update: bool,
    ) -> Result<StepId, PlanError> {
        let arn = if update {
            self.old_id_of(key)?
        } else {
            self.id_of(key)?
        };
        let step = Step::new(
            key.step_with("modify", "load_balancer_attributes"),
            if update {
                Action::Update
            } else {
                Action::Create
            },
            self.res(key),
            format!(
                "Turn cross-zone load balancing {} on load balancer `{key}`.",
                if cross_zone { "on" } else { "off" }
            ),
            call(
                "elbv2",
                "modify_load_balancer_attributes",
                json!({ "LoadBalancerArn": arn,
                        "Attributes": [{ "Key": "load_balancing.cross_zone.enabled",
                                         "Value": cross_zone.to_string() }] }),
            ),
        );
        if update {
            self.add_update(key, step, false)
        } else {
            self.add(step)
        }
    }

    pub(crate) fn create_listener(&mut self, key: &Key) -> Result<(), PlanError> {
        let lb_key = Key::new(Kind::LoadBalancer, key.id.clone());
        let Some(l) = self.d.load_balancers.get(&key.id).and_then(|lb| {
            lb.listeners
                .iter()
                .find(|l| Some(l.port.to_string().as_str()) == key.sub.as_deref())
        }) else {
            return Ok(());
        };
        let lb = self.id_of(&lb_key)?;
        let tg = self.id_of(&Key::new(Kind::TargetGroup, l.forward.as_str()))?;
        let mut params = json!({
            "LoadBalancerArn": lb.clone(),
            "Protocol": l.protocol.as_str(),
            "Port": l.port,
            "DefaultActions": [{ "Type": "forward", "TargetGroupArn": tg }],
            "Tags": key_value_tags(None, &Ctx::tag_id(key)),
        });
        if let Some(cert) = &l.certificate {
            params["Certificates"] = json!([{ "CertificateArn": cert }]);
        }
        let id = Ctx::create_id(key);
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.res(key),
            format!(
                "{} the {} listener on port {} of load balancer `{}`, forwarding to target group `{}`.",
                self.verb(key),
                l.protocol.as_str(),
                l.port,
                key.id,
                l.forward
            ),
            call("elbv2", "create_listener", params),
        )
        .outputs(vec![out("ListenerArn", "Listeners[0].ListenerArn")])
        .lookup(
            call(
                "elbv2",
                "describe_listeners",
                json!({ "LoadBalancerArn": lb }),
            ),
            vec![out(
                "ListenerArn",
                &format!("Listeners[?Port==`{}`].ListenerArn | [0]", l.port),
            )],
        )
        .undo(
            call(
                "elbv2",
                "delete_listener",
                json!({ "ListenerArn": output_ref(&id, "ListenerArn") }),
            ),
            None,
        )
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        Ok(())
    }
}

/// Polls `describe_target_health` until every listed target is `healthy`. There is no
/// failure state: a target that stays unhealthy runs into the timeout.
pub(crate) fn target_health_wait(arn: Value, targets: Vec<Value>, timeout: u32) -> Wait {
    wait(
        call(
            "elbv2",
            "describe_target_health",
            json!({ "TargetGroupArn": arn, "Targets": targets }),
        ),
        "TargetHealthDescriptions[].TargetHealth.State",
        &["healthy"],
        &[],
        POLL_SECONDS,
        timeout,
    )
    .with_message(
        "TargetHealthDescriptions[?TargetHealth.State!='healthy'].TargetHealth.Description | [0]",
    )
}

/// Polls until `describe_load_balancers` answers `LoadBalancerNotFound` (waiter
/// `load_balancers_deleted`, facts §9.3).
pub(crate) fn load_balancer_gone(arn: Value) -> Wait {
    wait_gone(
        call(
            "elbv2",
            "describe_load_balancers",
            json!({ "LoadBalancerArns": [arn] }),
        ),
        "LoadBalancers[0].State.Code",
        &["LoadBalancerNotFound"],
        POLL_SECONDS,
        WAITER_TIMEOUT,
    )
}

pub(crate) fn lb_type(kind: crate::model::LoadBalancerType) -> &'static str {
    match kind {
        crate::model::LoadBalancerType::Network => "network",
        crate::model::LoadBalancerType::Application => "application",
        crate::model::LoadBalancerType::Gateway => "gateway",
    }
}

pub(crate) fn scheme(s: crate::model::Scheme) -> &'static str {
    match s {
        crate::model::Scheme::Internal => "internal",
        crate::model::Scheme::InternetFacing => "internet-facing",
    }
}

pub(crate) fn target_type(t: TargetType) -> &'static str {
    match t {
        TargetType::Instance => "instance",
        TargetType::Ip => "ip",
        TargetType::Alb => "alb",
        TargetType::Lambda => "lambda",
    }
}

/// The health-check fields the topology sets, as `create_target_group` and
/// `modify_target_group` name them (facts §4.6, §10.3); unset fields keep AWS's defaults.
pub(crate) fn health_check_params(params: &mut Value, h: &HealthCheck) {
    if let Some(e) = h.enabled {
        params["HealthCheckEnabled"] = json!(e);
    }
    if let Some(p) = h.protocol {
        params["HealthCheckProtocol"] = json!(p.as_str());
    }
    params["HealthCheckPort"] = json!(match h.port {
        HealthCheckPort::TrafficPort => "traffic-port".to_owned(),
        HealthCheckPort::Port(p) => p.to_string(),
    });
    let http = matches!(
        h.protocol_or_default(),
        LbProtocol::Http | LbProtocol::Https
    );
    if let (Some(path), true) = (&h.path, http) {
        params["HealthCheckPath"] = json!(path);
    }
    if let Some(v) = h.interval_seconds {
        params["HealthCheckIntervalSeconds"] = json!(v);
    }
    if let Some(v) = h.timeout_seconds {
        params["HealthCheckTimeoutSeconds"] = json!(v);
    }
    if let Some(v) = h.healthy_threshold {
        params["HealthyThresholdCount"] = json!(v);
    }
    if let Some(v) = h.unhealthy_threshold {
        params["UnhealthyThresholdCount"] = json!(v);
    }
    if let (Some(m), true) = (&h.matcher, http) {
        params["Matcher"] = json!({ "HttpCode": m });
    }
}

/// Target-group attributes the topology sets (facts §4.5, §4.8).
pub(crate) fn target_group_attributes(tg: &TargetGroup) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(p) = tg.preserve_client_ip {
        out.push(json!({ "Key": "preserve_client_ip.enabled", "Value": p.to_string() }));
    }
    if let Some(c) = tg.cross_zone {
        let v = match c {
            crate::model::CrossZoneSetting::On => "true",
            crate::model::CrossZoneSetting::Off => "false",
            crate::model::CrossZoneSetting::UseLoadBalancerConfiguration => {
                "use_load_balancer_configuration"
            }
        };
        out.push(json!({ "Key": "load_balancing.cross_zone.enabled", "Value": v }));
    }
    out
}

fn attribute_list(attributes: &[Value]) -> String {
    attributes
        .iter()
        .map(|a| {
            format!(
                "`{}` to `{}`",
                a["Key"].as_str().unwrap_or_default(),
                a["Value"].as_str().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

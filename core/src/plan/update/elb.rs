//! In-place changes to target groups, their targets, load balancers and listeners.

use serde_json::{json, Value};

use crate::model::{LbProtocol, Target};

use super::super::build::{health_check_params, target_group_attributes};
use super::super::ctx::Ctx;
use super::super::diff::{health_check, targets};
use super::super::error::PlanError;
use super::super::key::{Key, Kind};
use super::super::step::call;
use super::super::types::{Action, Change, ResourceRef, Step};
use super::{touches, under};

/// Every health-check field, AWS defaults filled in, so that a field the topology drops
/// goes back to its default instead of keeping its old value (facts §4.6).
fn full_health_check(params: &mut Value, h: &crate::model::HealthCheck) {
    health_check_params(params, h);
    let n = health_check(h);
    let set = |params: &mut Value, field: &str, v: &Value| {
        if params.get(field).is_none() && !v.is_null() {
            params[field] = v.clone();
        }
    };
    set(
        params,
        "HealthCheckProtocol",
        &json!(h.protocol_or_default().as_str()),
    );
    set(params, "HealthCheckIntervalSeconds", &n["interval_seconds"]);
    set(params, "HealthCheckTimeoutSeconds", &n["timeout_seconds"]);
    set(params, "HealthyThresholdCount", &n["healthy_threshold"]);
    set(params, "UnhealthyThresholdCount", &n["unhealthy_threshold"]);
    if matches!(
        h.protocol_or_default(),
        LbProtocol::Http | LbProtocol::Https
    ) {
        set(params, "HealthCheckPath", &n["path"]);
        if params.get("Matcher").is_none() {
            params["Matcher"] = json!({ "HttpCode": n["matcher"] });
        }
    }
}

impl Ctx<'_> {
    pub(crate) fn update_target_group(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        let (Some(c), Some(d)) = (
            self.c.and_then(|c| c.target_groups.get(&key.id)).cloned(),
            self.d.target_groups.get(&key.id).cloned(),
        ) else {
            return Ok(());
        };
        let arn = self.old_id_of(key)?;
        if touches(changes, "/health_check") {
            let mut params = json!({ "TargetGroupArn": arn.clone() });
            full_health_check(&mut params, &d.health_check);
            let mut old = json!({ "TargetGroupArn": arn.clone() });
            full_health_check(&mut old, &c.health_check);
            let fields = under(changes, "/health_check")
                .iter()
                .map(|c| c.property.trim_start_matches("/health_check/").to_owned())
                .collect::<Vec<_>>()
                .join(", ");
            let step = Step::new(
                key.step("modify"),
                Action::Update,
                self.res(key),
                format!("Change the health check of target group `{key}` ({fields})."),
                call("elbv2", "modify_target_group", params),
            )
            .undo(call("elbv2", "modify_target_group", old), None)
            .changes(under(changes, "/health_check"));
            self.add_update(key, step, false)?;
        }
        if touches(changes, "/preserve_client_ip") || touches(changes, "/cross_zone") {
            let mut attrs = target_group_attributes(&d);
            if touches(changes, "/preserve_client_ip") && d.preserve_client_ip.is_none() {
                attrs.push(json!({ "Key": "preserve_client_ip.enabled",
                                   "Value": d.preserves_client_ip().to_string() }));
            }
            if touches(changes, "/cross_zone") && d.cross_zone.is_none() {
                attrs.push(json!({ "Key": "load_balancing.cross_zone.enabled",
                                   "Value": "use_load_balancer_configuration" }));
            }
            let id = self.modify_target_group_attributes(key, attrs, true)?;
            if let Some(s) = self.step_mut(&id) {
                s.changes = [
                    under(changes, "/preserve_client_ip"),
                    under(changes, "/cross_zone"),
                ]
                .concat();
            }
        }
        if touches(changes, "/targets") {
            let old = targets(&c);
            let new = targets(&d);
            let renewed = |ctx: &Ctx<'_>, id: &str| {
                let kind = match d.target_type {
                    crate::model::TargetType::Alb => Kind::LoadBalancer,
                    _ => Kind::Instance,
                };
                ctx.creates(&Key::new(kind, id))
            };
            let removed: Vec<&Target> = c
                .targets
                .iter()
                .filter(|t| {
                    let k = (
                        t.id.clone(),
                        c.target_port(t),
                        t.az.as_ref().map(|a| a.to_string()),
                    );
                    !new.contains(&k) || renewed(self, &t.id)
                })
                .collect();
            let added: Vec<&Target> = d
                .targets
                .iter()
                .filter(|t| {
                    let k = (
                        t.id.clone(),
                        d.target_port(t),
                        t.az.as_ref().map(|a| a.to_string()),
                    );
                    !old.contains(&k) || renewed(self, &t.id)
                })
                .collect();
            let mut deregister = None;
            if !removed.is_empty() {
                let list = self.target_descriptions(&c, &removed, true)?;
                let n = list.len();
                let step = Step::new(
                    key.step_with("deregister", "targets"),
                    Action::Deregister,
                    ResourceRef {
                        kind: "target".into(),
                        id: key.id.clone(),
                        path: self.res(key).path.key("targets"),
                    },
                    format!(
                        "Deregister {n} target{} from target group `{key}` (connections drain first).",
                        if n == 1 { "" } else { "s" }
                    ),
                    call(
                        "elbv2",
                        "deregister_targets",
                        json!({ "TargetGroupArn": arn.clone(), "Targets": list.clone() }),
                    ),
                )
                .undo(
                    call(
                        "elbv2",
                        "register_targets",
                        json!({ "TargetGroupArn": arn.clone(), "Targets": list }),
                    ),
                    None,
                )
                .changes(under(changes, "/targets"));
                deregister = Some(self.add_update(key, step, true)?);
            }
            if !added.is_empty() {
                let id = self.register_targets(key, &added, true)?;
                if let Some(s) = self.step_mut(&id) {
                    s.changes = under(changes, "/targets");
                }
                // Make before break: old targets leave once the new ones are healthy.
                if let Some(d) = deregister {
                    self.soft.push((d, id));
                }
            }
        }
        Ok(())
    }

    pub(crate) fn update_load_balancer(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        let Some(lb) = self.d.load_balancers.get(&key.id).cloned() else {
            return Ok(());
        };
        let arn = self.old_id_of(key)?;
        if touches(changes, "/subnets") {
            let mut subnets = Vec::new();
            for s in &lb.subnets {
                subnets.push(self.id_of(&Key::new(Kind::Subnet, s.as_str()))?);
            }
            // The list replaces the whole set: every zone kept and added (facts §4.1).
            self.update_step(
                key,
                key.step_with("set", "subnets"),
                format!(
                    "Set the subnets of load balancer `{key}` to {}.",
                    super::listed(
                        &lb.subnets
                            .iter()
                            .map(|s| json!(s.as_str()))
                            .collect::<Vec<_>>()
                    )
                ),
                call(
                    "elbv2",
                    "set_subnets",
                    json!({ "LoadBalancerArn": arn, "Subnets": subnets }),
                ),
                under(changes, "/subnets"),
                false,
            )?;
        }
        if touches(changes, "/security_groups")
            || touches(changes, "/enforce_inbound_rules_on_privatelink")
        {
            let mut groups = Vec::new();
            for g in &lb.security_groups {
                groups.push(self.id_of(&Key::new(Kind::SecurityGroup, g.as_str()))?);
            }
            let enforce = lb.enforce_inbound_rules_on_privatelink.unwrap_or(true);
            let id = self.set_security_groups(key, groups, enforce, true)?;
            if let Some(s) = self.step_mut(&id) {
                s.changes = [
                    under(changes, "/security_groups"),
                    under(changes, "/enforce_inbound_rules_on_privatelink"),
                ]
                .concat();
            }
        }
        if touches(changes, "/cross_zone") {
            let id =
                self.modify_load_balancer_attributes(key, lb.cross_zone.unwrap_or(false), true)?;
            if let Some(s) = self.step_mut(&id) {
                s.changes = under(changes, "/cross_zone");
            }
        }
        Ok(())
    }

    pub(crate) fn update_listener(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        let Some(l) = self.d.load_balancers.get(&key.id).and_then(|lb| {
            lb.listeners
                .iter()
                .find(|l| Some(l.port.to_string().as_str()) == key.sub.as_deref())
                .cloned()
        }) else {
            return Ok(());
        };
        let arn = self.old_id_of(key)?;
        let tg = self.id_of(&Key::new(Kind::TargetGroup, l.forward.as_str()))?;
        let mut params = json!({
            "ListenerArn": arn,
            "Protocol": l.protocol.as_str(),
            "Port": l.port,
            "DefaultActions": [{ "Type": "forward", "TargetGroupArn": tg }],
        });
        if let Some(cert) = &l.certificate {
            params["Certificates"] = json!([{ "CertificateArn": cert }]);
        }
        self.update_step(
            key,
            key.step("modify"),
            format!(
                "Change listener {} of load balancer `{}` to {} forwarding to target group `{}`.",
                l.port,
                key.id,
                l.protocol.as_str(),
                l.forward
            ),
            call("elbv2", "modify_listener", params),
            changes.to_vec(),
            false,
        )?;
        Ok(())
    }
}

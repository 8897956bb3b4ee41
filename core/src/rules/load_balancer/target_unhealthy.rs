//! VL224: observed target health is healthy (or on its way there).

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::TargetHealthState;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL224",
        name: "target-unhealthy-or-unused",
        family: Family::LoadBalancer,
        severity: Severity::Warning,
        title: "Target is observed unhealthy or unused",
        rationale: "Unhealthy targets fail their checks and unused ones receive no traffic; the reason code says which part of the path is broken.",
        source: "facts §4.7, §12 [S1][S32][S33]; https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html",
    },
    check,
};

/// What a reason code means and where to look (facts §4.7 and §12).
fn meaning(reason: &str) -> Option<&'static str> {
    Some(match reason {
        "Target.FailedHealthChecks" => "health checks fail: wrong port or path, the target's security group or a network ACL blocks the check, or the app answers outside the matcher",
        "Target.ResponseCodeMismatch" => "the health check got a status code outside the matcher",
        "Target.Timeout" => "the health check timed out",
        "Target.NotRegistered" => "the target is not registered in this target group",
        "Target.NotInUse" => "no listener forwards to the target group, or the target's Availability Zone is not enabled on the load balancer",
        "Target.DeregistrationInProgress" => "the target is being deregistered",
        "Target.InvalidState" => "the instance is stopped or terminated",
        "Target.IpUnusable" => "the IP address is reserved for use by a load balancer",
        "Target.HealthCheckDisabled" => "health checks are disabled",
        "Elb.InternalError" => "Elastic Load Balancing had an internal error",
        "Elb.RegistrationInProgress" => "registration is still in progress",
        "Elb.InitialHealthChecking" => "the first health checks are still running",
        _ => return None,
    })
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    let Some(observed) = g.observed() else {
        return;
    };
    for (tg_id, entries) in &observed.target_health {
        for (i, h) in entries.iter().enumerate() {
            let state = match h.state {
                TargetHealthState::Unhealthy => "unhealthy",
                TargetHealthState::UnhealthyDraining => "unhealthy and draining",
                TargetHealthState::Unused => "unused",
                _ => continue,
            };
            let consequence = if h.state == TargetHealthState::Unused {
                "it receives no traffic"
            } else {
                "it fails its health checks (if every target does, the NLB fails open and sends traffic to all of them)"
            };
            let reason = match (&h.reason, h.reason.as_deref().and_then(meaning)) {
                (Some(code), Some(m)) => format!(" with `{code}` ({m})"),
                (Some(code), None) => format!(" with `{code}`"),
                (None, _) => String::new(),
            };
            let description = h
                .description
                .as_deref()
                .filter(|d| !d.is_empty())
                .map(|d| format!(" AWS says: \"{d}\"."))
                .unwrap_or_default();
            let port = h.port.map(|p| format!(" on port {p}")).unwrap_or_default();
            let mut d = Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("target_groups", tg_id),
                JsonPointer::root()
                    .key("observed")
                    .key("target_health")
                    .key(tg_id)
                    .index(i)
                    .key("state"),
                format!(
                    "Target `{}`{port} of `{tg_id}` is {state}{reason}, so {consequence}.{description}",
                    h.target
                ),
            )
            .with_help(match h.reason.as_deref() {
                Some("Target.NotInUse") => "Make a listener forward to the target group and enable the target's Availability Zone on the load balancer.",
                Some("Target.InvalidState") => "Start the instance, or deregister it and register a running one.",
                Some("Target.FailedHealthChecks" | "Target.ResponseCodeMismatch" | "Target.Timeout") => "Compare the health check's port, protocol and path with what the target serves, and check that its security group and network ACLs allow the check from the load balancer's subnets.",
                _ => "Read the reason code and description, and fix the part of the path they point at.",
            });
            if let Some(t) = g
                .targets_of(tg_id.as_str())
                .iter()
                .find(|t| t.target.id == h.target && h.port.is_none_or(|p| p == t.port))
            {
                d = d.with_related(t.path(), "the registered target");
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example_and_for_healthy_targets() {
        assert_quiet("VL224", unchanged());
        assert_quiet(
            "VL224",
            json!([{ "op": "add", "path": "/observed", "value": { "target_health": { "backend": [
                { "target": "web-1", "state": "healthy" },
                { "target": "web-2", "state": "initial", "reason": "Elb.InitialHealthChecking" }
            ] } } }]),
        );
    }

    #[test]
    fn fires_for_unhealthy_and_unused_targets_and_names_the_reason() {
        let got = assert_fires_at(
            "VL224",
            json!([{ "op": "add", "path": "/observed", "value": { "target_health": { "backend": [
                { "target": "web-1", "state": "healthy" },
                { "target": "web-2", "state": "unhealthy", "reason": "Target.FailedHealthChecks" },
                { "target": "web-3", "state": "unused", "reason": "Target.NotInUse" }
            ] } } }]),
            &[
                "/observed/target_health/backend/1/state",
                "/observed/target_health/backend/2/state",
            ],
        );
        assert!(got.iter().any(|d| d.message.contains("Target.NotInUse")
            && d.message.contains("Availability Zone is not enabled")));
    }
}

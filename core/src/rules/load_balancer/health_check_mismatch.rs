//! VL220: the health check asks what the instances say they serve.

use crate::diagnostic::{Diagnostic, Family, PatchOp, ResourceRef, RuleMeta, Severity};
use crate::model::{AppProtocol, LbProtocol, TargetType};
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};
use crate::service::{health_check_mismatch, ServiceMismatch};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL220",
        name: "health-check-does-not-match-service",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Health check does not match what the instances serve",
        rationale: "A check on a port, protocol or path the instance does not answer marks every target unhealthy (Target.FailedHealthChecks); the NLB then fails open and requests hit broken backends.",
        source: "facts §4.6, §4.7, §12 [S32][S33]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html",
    },
    check,
};

/// A patch that makes the check ask what the service answers, when that is clear.
fn repair(
    hc_at: &JsonPointer,
    m: &ServiceMismatch,
    has_path: bool,
) -> Option<(String, Vec<PatchOp>, bool)> {
    match m {
        ServiceMismatch::PathMismatch { health_path, .. } => Some((
            format!("Check path `{health_path}`"),
            vec![fixes::set(hc_at.clone().key("path"), health_path)],
            true,
        )),
        ServiceMismatch::ProtocolMismatch { served, .. } => {
            let protocol = match served {
                AppProtocol::Http => LbProtocol::Http,
                AppProtocol::Https => LbProtocol::Https,
                AppProtocol::Tcp | AppProtocol::Tls => LbProtocol::Tcp,
                AppProtocol::Udp => return None,
            };
            let mut patch = vec![fixes::set(hc_at.clone().key("protocol"), &protocol)];
            if protocol == LbProtocol::Tcp && has_path {
                patch.push(fixes::remove(hc_at.clone().key("path")));
            }
            Some((format!("Check over {}", protocol.as_str()), patch, false))
        }
        ServiceMismatch::PortNotServed { .. } => None,
    }
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (tg_id, tg) in &g.topology.target_groups {
        // A relative path is VL216's finding; comparing it with the service would only
        // repeat it.
        if tg.health_check.enabled == Some(false)
            || tg.target_type != TargetType::Instance
            || tg
                .health_check
                .path
                .as_deref()
                .is_some_and(|p| !p.starts_with('/'))
        {
            continue;
        }
        // Targets sharing one mismatch are reported together: one cause, one finding.
        let mut groups: Vec<(ServiceMismatch, Vec<&str>)> = Vec::new();
        for t in g.targets_of(tg_id.as_str()) {
            let Some((instance_id, instance)) = t.instance else {
                continue;
            };
            let Some(m) = health_check_mismatch(instance, &tg.health_check, t.port) else {
                continue;
            };
            // A traffic port nothing listens on is VL221's finding.
            if matches!(m, ServiceMismatch::PortNotServed { port } if port == t.port) {
                continue;
            }
            match groups.iter_mut().find(|(seen, _)| *seen == m) {
                Some((_, ids)) => ids.push(instance_id.as_str()),
                None => groups.push((m, vec![instance_id.as_str()])),
            }
        }
        let hc_at = JsonPointer::resource("target_groups", tg_id).key("health_check");
        let single = groups.len() == 1;
        for (m, ids) in &groups {
            let Some(first) = ids.first() else { continue };
            let others = match ids.len() {
                1 => String::new(),
                2 => " (the same holds for 1 more target)".to_owned(),
                n => format!(" (the same holds for {} more targets)", n - 1),
            };
            let mut d = Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("target_groups", tg_id),
                hc_at.clone(),
                format!(
                    "The health check of `{tg_id}` will fail: {}{others}; AWS marks such targets unhealthy (Target.FailedHealthChecks) and, once all are, the NLB fails open and sends requests to them anyway.",
                    m.describe(first)
                ),
            )
            .with_help("Point the health check at the port, protocol and path the instances declare in `serves`, or correct `serves` if it is out of date.");
            // A fix only when one change satisfies every target that disagrees.
            if single {
                if let Some((description, patch, safe)) =
                    repair(&hc_at, m, tg.health_check.path.is_some())
                {
                    d = d.with_fix(if safe {
                        fixes::safe(description, patch)
                    } else {
                        fixes::unsafe_fix(description, patch)
                    });
                }
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const HC: &str = "/target_groups/backend/health_check";

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL220", unchanged());
    }

    #[test]
    fn fires_once_for_a_wrong_path_and_the_fix_uses_the_served_path() {
        let patch = json!([{ "op": "replace", "path": format!("{HC}/path"), "value": "/status" }]);
        assert_fires_at(
            "VL220",
            patch.clone(),
            &["/target_groups/backend/health_check"],
        );
        assert_fix_clears("VL220", patch);
    }

    #[test]
    fn fires_for_a_wrong_protocol_and_the_fix_uses_the_served_one() {
        let patch =
            json!([{ "op": "replace", "path": format!("{HC}/protocol"), "value": "HTTPS" }]);
        assert_fires_at(
            "VL220",
            patch.clone(),
            &["/target_groups/backend/health_check"],
        );
        assert_fix_clears("VL220", patch);
    }

    #[test]
    fn fires_for_a_health_check_port_nothing_serves() {
        assert_fires_at(
            "VL220",
            json!([{ "op": "replace", "path": format!("{HC}/port"), "value": 9000 }]),
            &["/target_groups/backend/health_check"],
        );
    }

    #[test]
    fn quiet_when_the_instances_do_not_say_what_they_serve() {
        assert_quiet(
            "VL220",
            json!([
                { "op": "remove", "path": "/instances/web-1/serves" },
                { "op": "remove", "path": "/instances/web-2/serves" },
                { "op": "remove", "path": "/instances/web-3/serves" },
                { "op": "replace", "path": format!("{HC}/path"), "value": "/status" }
            ]),
        );
    }
}

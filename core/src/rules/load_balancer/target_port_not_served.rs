//! VL221: an instance target serves the port traffic is sent to.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};
use crate::service::port_mismatch;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL221",
        name: "target-port-not-served",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Target port is not served by the instance",
        rationale: "Traffic goes to the target group's port (or the target's own); if nothing listens there, connections are refused and API Gateway returns 500 or 504.",
        source: "facts §3.5, §4.5, §12 [S21][S22]; https://repost.aws/knowledge-center/api-gateway-500-error-vpc",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (tg_id, _) in &g.topology.target_groups {
        for t in g.targets_of(tg_id.as_str()) {
            let Some((instance_id, instance)) = t.instance else {
                continue;
            };
            // `serves` absent means unknown: port_mismatch answers None and the rule is quiet.
            let Some(m) = port_mismatch(instance, t.port) else {
                continue;
            };
            let served: Vec<String> = instance
                .serves
                .iter()
                .flatten()
                .map(|s| s.port.to_string())
                .collect();
            let served = if served.is_empty() {
                "nothing".to_owned()
            } else {
                format!("port {}", served.join(", "))
            };
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("target_groups", tg_id),
                    t.path(),
                    format!(
                        "Target group `{tg_id}` sends traffic to port {} of `{instance_id}`, but {}; connections are refused and requests through the API fail with 500 or 504.",
                        t.port,
                        m.describe(instance_id.as_str())
                    ),
                )
                .with_help(format!(
                    "`{instance_id}` declares {served}: register it with that `port`, change the target group's port, or update `serves` if the instance does listen on {}.",
                    t.port
                ))
                .with_related(
                    JsonPointer::resource("instances", instance_id).key("serves"),
                    "what the instance serves",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL221", unchanged());
    }

    #[test]
    fn fires_at_the_target_whose_port_is_not_served() {
        assert_fires_at(
            "VL221",
            json!([{ "op": "add", "path": "/target_groups/backend/targets/0/port", "value": 9090 }]),
            &["/target_groups/backend/targets/0"],
        );
    }

    #[test]
    fn quiet_when_the_instance_does_not_say_what_it_serves() {
        assert_quiet(
            "VL221",
            json!([
                { "op": "remove", "path": "/instances/web-1/serves" },
                { "op": "add", "path": "/target_groups/backend/targets/0/port", "value": 9090 }
            ]),
        );
    }
}

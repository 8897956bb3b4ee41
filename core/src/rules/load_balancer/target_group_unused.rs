//! VL226: a target group with targets is used by a listener.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL226",
        name: "target-group-unused",
        family: Family::LoadBalancer,
        severity: Severity::Warning,
        title: "Target group is not used by any listener",
        rationale: "Until a listener forwards to a target group, AWS marks every target in it unused (Target.NotInUse) and neither health-checks nor routes to them.",
        source: "facts §4.5, §4.7, §12 [S1][S33]; https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (tg_id, tg) in &g.topology.target_groups {
        // An empty group is VL212's finding; this one is about targets left idle.
        if tg.targets.is_empty() || !g.listeners_forwarding_to(tg_id.as_str()).is_empty() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("target_groups", tg_id),
                JsonPointer::resource("target_groups", tg_id),
                format!(
                    "No listener forwards to target group `{tg_id}`, so AWS marks its {} target(s) unused (Target.NotInUse) and sends them nothing.",
                    tg.targets.len()
                ),
            )
            .with_help(format!(
                "Make a listener of the load balancer forward to `{tg_id}`, or remove the target group if it is left over."
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL226", unchanged());
    }

    #[test]
    fn fires_for_a_target_group_no_listener_uses() {
        assert_fires_at(
            "VL226",
            json!([{ "op": "add", "path": "/target_groups/spare", "value":
                { "vpc": "app", "protocol": "TCP", "port": 8080, "targets": [ { "id": "web-1" } ] } }]),
            &["/target_groups/spare"],
        );
    }
}

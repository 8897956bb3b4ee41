//! VL212: a target group has registered targets.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL212",
        name: "target-group-empty",
        family: Family::LoadBalancer,
        severity: Severity::Warning,
        title: "Target group has no targets",
        rationale: "With no registered targets a listener forwarding to the group has nowhere to send connections, and requests through the VPC link fail.",
        source: "facts §4.5, §12 [S1][S22]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (tg_id, tg) in &g.topology.target_groups {
        if !tg.targets.is_empty() {
            continue;
        }
        let used_by = g.listeners_forwarding_to(tg_id.as_str()).first();
        let consequence = match used_by {
            Some(l) => format!(
                "listener {} of `{}` forwards to it, so connections there have no backend and fail",
                l.listener.port, l.load_balancer_id
            ),
            None => "nothing can be served through it".to_owned(),
        };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("target_groups", tg_id),
                JsonPointer::resource("target_groups", tg_id).key("targets"),
                format!("Target group `{tg_id}` has no registered targets; {consequence}."),
            )
            .with_help("Register the instances (or IPs) that serve this port, ideally in every Availability Zone the load balancer serves."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL212", unchanged());
    }

    #[test]
    fn fires_for_a_target_group_without_targets() {
        assert_fires_at(
            "VL212",
            json!([{ "op": "replace", "path": "/target_groups/backend/targets", "value": [] }]),
            &["/target_groups/backend/targets"],
        );
    }
}

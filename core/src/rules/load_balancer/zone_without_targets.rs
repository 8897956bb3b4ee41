//! VL215: with cross-zone load balancing off, every zone the load balancer serves has a
//! target of each target group it forwards to.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::{CrossZoneSetting, LoadBalancerType};
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

use super::zones::zones_of_targets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL215",
        name: "zone-without-targets",
        family: Family::LoadBalancer,
        severity: Severity::Warning,
        title: "A zone of the load balancer has no target while cross-zone is off",
        rationale: "Without cross-zone load balancing each NLB node only sends to targets in its own AZ; a zone with no target leaves its node with nothing to send to.",
        source: "facts §4.2, TG-06 [S35][S36]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (tg_id, tg) in &g.topology.target_groups {
        if tg.targets.is_empty() {
            continue;
        }
        let Some(target_zones) = zones_of_targets(g, tg_id.as_str(), tg) else {
            continue;
        };
        for (lb_id, lb) in g.load_balancers_of_target_group(tg_id.as_str()) {
            if lb.kind != LoadBalancerType::Network || tg.cross_zone_behind(lb) {
                continue;
            }
            for (i, subnet_id) in lb.subnets.iter().enumerate() {
                let Some(subnet) = g.subnet(subnet_id.as_str()) else {
                    continue;
                };
                if target_zones.contains(&&subnet.az) {
                    continue;
                }
                let zone = &subnet.az;
                let at = JsonPointer::resource("target_groups", tg_id);
                out.push(
                    Diagnostic::new(
                        &RULE.meta,
                        ResourceRef::new("target_groups", tg_id),
                        at.clone().key("targets"),
                        format!(
                            "Load balancer `{lb_id}` serves `{zone}` but `{tg_id}` has no target there, and cross-zone load balancing is off; the `{zone}` node has no target of its own, so connections that reach it have nowhere to go."
                        ),
                    )
                    .with_help(format!(
                        "Register a target in `{zone}`, or turn cross-zone load balancing on for `{tg_id}` (inter-AZ traffic is then charged)."
                    ))
                    .with_related(
                        JsonPointer::resource("load_balancers", lb_id).key("subnets").index(i),
                        format!("the subnet that enables `{zone}`"),
                    )
                    .with_fix(fixes::unsafe_fix(
                        format!("Turn cross-zone load balancing on for `{tg_id}`"),
                        vec![fixes::set(at.key("cross_zone"), &CrossZoneSetting::On)],
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL215", unchanged());
    }

    #[test]
    fn fires_when_a_served_zone_has_no_target_and_the_fix_turns_cross_zone_on() {
        let patch = json!([{ "op": "remove", "path": "/target_groups/backend/targets/1" }]);
        assert_fires_at("VL215", patch.clone(), &["/target_groups/backend/targets"]);
        assert_fix_clears("VL215", patch);
    }

    #[test]
    fn quiet_when_cross_zone_is_on() {
        assert_quiet(
            "VL215",
            json!([
                { "op": "remove", "path": "/target_groups/backend/targets/1" },
                { "op": "replace", "path": "/load_balancers/nlb/cross_zone", "value": true }
            ]),
        );
    }
}

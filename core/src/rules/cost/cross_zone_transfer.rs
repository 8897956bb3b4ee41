//! VL601: cross-zone load balancing on an NLB is billed as inter-AZ data transfer.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::{CrossZoneSetting, LoadBalancerType};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL601",
        name: "nlb-cross-zone-data-transfer",
        family: Family::Cost,
        severity: Severity::Info,
        title: "Cross-zone load balancing adds inter-AZ data transfer charges",
        rationale: "NLB cross-zone is off by default; with it on, flows that cross Availability Zones are billed as regional data transfer.",
        source: "facts §4.2, §8.1, LB-07 [S36][S44]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (lb_id, lb) in &g.topology.load_balancers {
        if lb.kind != LoadBalancerType::Network {
            continue;
        }
        // One zone has nothing to cross to.
        let mut zones = g.zones_of_load_balancer(lb);
        zones.sort();
        zones.dedup();
        if zones.len() < 2 {
            continue;
        }
        let help = "Keep it if targets are unevenly spread across zones (it evens the load); otherwise turn it off and keep at least one healthy target in every zone.";
        if lb.cross_zone == Some(true) {
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("load_balancers", lb_id),
                    JsonPointer::resource("load_balancers", lb_id).key("cross_zone"),
                    format!(
                        "Network load balancer `{lb_id}` has cross-zone load balancing on across {} Availability Zones; traffic a node sends to a target in another zone is billed as inter-AZ data transfer.",
                        zones.len()
                    ),
                )
                .with_help(help),
            );
            continue;
        }
        // A target group can turn it on for itself behind an NLB that has it off.
        for l in &lb.listeners {
            let Some(tg) = g.target_group(l.forward.as_str()) else {
                continue;
            };
            if tg.cross_zone != Some(CrossZoneSetting::On) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("target_groups", &l.forward),
                    JsonPointer::resource("target_groups", &l.forward).key("cross_zone"),
                    format!(
                        "Target group `{}` turns cross-zone load balancing on behind network load balancer `{lb_id}`; traffic sent to its targets in another zone is billed as inter-AZ data transfer.",
                        l.forward
                    ),
                )
                .with_help(help),
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
        assert_quiet("VL601", unchanged());
    }

    #[test]
    fn notes_cross_zone_on_the_load_balancer() {
        let patch =
            json!([{ "op": "replace", "path": "/load_balancers/nlb/cross_zone", "value": true }]);
        assert_fires_at("VL601", patch, &["/load_balancers/nlb/cross_zone"]);
    }

    #[test]
    fn notes_cross_zone_on_a_target_group() {
        let patch =
            json!([{ "op": "add", "path": "/target_groups/backend/cross_zone", "value": "on" }]);
        assert_fires_at("VL601", patch, &["/target_groups/backend/cross_zone"]);
    }

    #[test]
    fn quiet_for_a_single_zone_load_balancer() {
        let patch = json!([
            { "op": "replace", "path": "/load_balancers/nlb/cross_zone", "value": true },
            { "op": "replace", "path": "/load_balancers/nlb/subnets", "value": ["nlb-a"] }
        ]);
        assert_quiet("VL601", patch);
    }
}

//! VL225: with cross-zone load balancing off, targets are spread evenly across zones.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::LoadBalancerType;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

use super::zones::{zones_of, zones_of_targets};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL225",
        name: "cross-zone-off-uneven-targets",
        family: Family::LoadBalancer,
        severity: Severity::Info,
        title: "Targets are spread unevenly across zones while cross-zone is off",
        rationale: "Each NLB node gets an equal share of traffic and, without cross-zone, hands it only to its own zone's targets; uneven zones mean unevenly loaded targets. Turning cross-zone on evens it out at the price of inter-AZ data transfer.",
        source: "facts §4.2, LB-07 [S36]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html",
    },
    check,
};

/// `max / min` as people write it: `2`, `1.5`.
fn ratio(max: usize, min: usize) -> String {
    if min > 0 && max % min == 0 {
        (max / min).to_string()
    } else {
        format!("{:.1}", max as f64 / min.max(1) as f64)
    }
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (tg_id, tg) in &g.topology.target_groups {
        let Some(target_zones) = zones_of_targets(g, tg_id.as_str(), tg) else {
            continue;
        };
        for (lb_id, lb) in g.load_balancers_of_target_group(tg_id.as_str()) {
            if lb.kind != LoadBalancerType::Network || tg.cross_zone_behind(lb) {
                continue;
            }
            let mut counts: BTreeMap<_, usize> =
                zones_of(g, lb).into_iter().map(|z| (z, 0)).collect();
            for z in &target_zones {
                if let Some(n) = counts.get_mut(z) {
                    *n += 1;
                }
            }
            let (Some(min), Some(max)) = (counts.values().min(), counts.values().max()) else {
                continue;
            };
            // An empty zone is VL215's warning; this note is about uneven, not missing, targets.
            if *min == 0 || min == max {
                continue;
            }
            let spread: Vec<String> = counts
                .iter()
                .map(|(z, n)| format!("{n} in `{z}`"))
                .collect();
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("target_groups", tg_id),
                    JsonPointer::resource("target_groups", tg_id).key("targets"),
                    format!(
                        "`{tg_id}` has {} behind `{lb_id}` with cross-zone load balancing off; each zone's node gets the same share of traffic, so a target in the thinnest zone carries {}× the load of one in the fullest.",
                        spread.join(" and "),
                        ratio(*max, *min),
                    ),
                )
                .with_help("Register the same number of targets in each zone, or turn cross-zone load balancing on (inter-AZ data transfer is then charged)."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn notes_the_clean_example_only_as_info() {
        // Two targets in us-east-1a, one in us-east-1b: worth knowing, nothing more.
        let got = assert_fires_at("VL225", unchanged(), &["/target_groups/backend/targets"]);
        assert!(got.iter().all(|d| d.severity == Severity::Info));
        assert!(got.iter().all(|d| d.message.contains("2× the load")));
    }

    #[test]
    fn quiet_when_even_or_cross_zone_is_on() {
        assert_quiet(
            "VL225",
            json!([{ "op": "remove", "path": "/target_groups/backend/targets/2" }]),
        );
        assert_quiet(
            "VL225",
            json!([{ "op": "replace", "path": "/load_balancers/nlb/cross_zone", "value": true }]),
        );
    }
}

//! VL214: every target is in an Availability Zone its load balancer serves.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::LoadBalancerType;
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

use super::zones::{subnet_in_zone, zone_of, zones_of};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL214",
        name: "target-zone-not-enabled",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Target is in an Availability Zone the load balancer does not serve",
        rationale: "Targets in an AZ not enabled on the load balancer are marked unused (Target.NotInUse) and get no traffic; with cross-zone on AWS still leaves them unused except for constrained zones, so that case is a warning.",
        source: "facts §4.7, §12, I3, TG-05 [S33][S35]; https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (tg_id, tg) in &g.topology.target_groups {
        for (lb_id, lb) in g.load_balancers_of_target_group(tg_id.as_str()) {
            if lb.kind == LoadBalancerType::Gateway || lb.subnets.is_empty() {
                continue;
            }
            let served = zones_of(g, lb);
            let cross_zone = tg.cross_zone_behind(lb);
            for t in g.targets_of(tg_id.as_str()) {
                let Some(zone) = zone_of(g, tg, t) else {
                    continue;
                };
                if served.contains(zone) {
                    continue;
                }
                let served_list: Vec<String> = served.iter().map(|z| format!("`{z}`")).collect();
                let why = if cross_zone {
                    "even with cross-zone load balancing on, AWS marks such targets unused (Target.NotInUse) unless their zone is constrained"
                } else {
                    "AWS marks it unused (Target.NotInUse) and sends it no traffic"
                };
                let mut d = Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("target_groups", tg_id),
                    t.path(),
                    format!(
                        "Target `{}` of `{tg_id}` is in `{zone}`, but load balancer `{lb_id}` only serves {}; {why}.",
                        t.target.id,
                        served_list.join(", ")
                    ),
                )
                .with_help(format!(
                    "Add a subnet in `{zone}` to `{lb_id}`, or move the target to a zone `{lb_id}` serves."
                ));
                if cross_zone {
                    d = d.with_severity(Severity::Warning);
                }
                let subnet = g
                    .vpc_of_load_balancer(lb)
                    .and_then(|vpc| subnet_in_zone(g, vpc.as_str(), zone));
                if let Some(subnet) = subnet {
                    d = d.with_fix(fixes::unsafe_fix(
                        format!("Enable `{zone}` on `{lb_id}` with subnet `{subnet}`"),
                        vec![fixes::append(
                            JsonPointer::resource("load_balancers", lb_id).key("subnets"),
                            subnet,
                        )],
                    ));
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::*;
    use serde_json::json;

    fn one_zone_nlb() -> serde_json::Value {
        json!({ "op": "replace", "path": "/load_balancers/nlb/subnets", "value": ["nlb-a"] })
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL214", unchanged());
    }

    #[test]
    fn errs_for_a_target_outside_the_zones_with_cross_zone_off_and_the_fix_enables_the_zone() {
        let patch = json!([one_zone_nlb()]);
        let got = assert_fires_at(
            "VL214",
            patch.clone(),
            &["/target_groups/backend/targets/1"],
        );
        assert!(got.iter().all(|d| d.severity == Severity::Error));
        assert_fix_clears("VL214", patch);
    }

    #[test]
    fn warns_when_cross_zone_is_on() {
        let got = assert_fires_at(
            "VL214",
            json!([
                one_zone_nlb(),
                { "op": "replace", "path": "/load_balancers/nlb/cross_zone", "value": true }
            ]),
            &["/target_groups/backend/targets/1"],
        );
        assert!(got.iter().all(|d| d.severity == Severity::Warning));
    }
}

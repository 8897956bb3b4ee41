//! VL213: a target group's targets span at least two Availability Zones.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

use super::zones::zones_of_targets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL213",
        name: "targets-single-zone",
        family: Family::LoadBalancer,
        severity: Severity::Warning,
        title: "All targets are in one Availability Zone",
        rationale: "Targets in a single AZ make that zone a single point of failure for the whole API, whatever the load balancer spans.",
        source: "facts §4.1, C21, TG-06 [S35]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/availability-zones.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (tg_id, tg) in &g.topology.target_groups {
        // Unknown zones (ip targets outside every modelled subnet) keep the rule quiet.
        let Some(zones) = zones_of_targets(g, tg_id.as_str(), tg) else {
            continue;
        };
        let distinct: BTreeSet<_> = zones.into_iter().collect();
        let Some(zone) = distinct.first().filter(|_| distinct.len() == 1) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("target_groups", tg_id),
                JsonPointer::resource("target_groups", tg_id).key("targets"),
                format!(
                    "Every target of `{tg_id}` is in `{zone}`, so an outage of that zone leaves the target group with nothing to serve."
                ),
            )
            .with_help("Register targets in a second Availability Zone that the load balancer also serves."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL213", unchanged());
    }

    #[test]
    fn fires_when_every_target_is_in_one_zone() {
        assert_fires_at(
            "VL213",
            json!([{ "op": "remove", "path": "/target_groups/backend/targets/1" }]),
            &["/target_groups/backend/targets"],
        );
    }

    #[test]
    fn places_ip_targets_by_their_subnet_and_stays_quiet_when_unknown() {
        let ip_group = |ips: [&str; 2]| {
            json!([{ "op": "add", "path": "/target_groups/ips", "value":
                { "vpc": "app", "protocol": "TCP", "port": 8080, "target_type": "ip",
                  "targets": [ { "id": ips[0] }, { "id": ips[1] } ] } }])
        };
        assert_fires_at(
            "VL213",
            ip_group(["10.0.1.10", "10.0.1.11"]),
            &["/target_groups/ips/targets"],
        );
        assert_quiet("VL213", ip_group(["10.0.1.10", "10.0.2.10"]));
        // 10.0.50.10 is in no modelled subnet: its zone is unknown.
        assert_quiet("VL213", ip_group(["10.0.1.10", "10.0.50.10"]));
    }
}

//! VL201: a network load balancer serves at least two Availability Zones.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::LoadBalancerType;
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

use super::zones::zones_of;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL201",
        name: "nlb-single-zone",
        family: Family::LoadBalancer,
        severity: Severity::Warning,
        title: "Network load balancer serves only one Availability Zone",
        rationale: "An NLB may run in one AZ, but then an outage of that zone takes the whole private API down; AWS recommends two or more.",
        source: "facts §4.1, C21, LB-01 [S1][S35]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/availability-zones.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (id, lb) in &g.topology.load_balancers {
        if lb.kind != LoadBalancerType::Network {
            continue;
        }
        let zones = zones_of(g, lb);
        let Some(zone) = zones.first().filter(|_| zones.len() == 1) else {
            continue;
        };
        let at = JsonPointer::resource("load_balancers", id).key("subnets");
        let mut d = Diagnostic::new(
            &RULE.meta,
            ResourceRef::new("load_balancers", id),
            at.clone(),
            format!(
                "Network load balancer `{id}` only has subnets in `{zone}`, so an outage of that zone takes down everything behind it."
            ),
        )
        .with_help(format!(
            "Add a subnet of another Availability Zone to `{id}` (one subnet per zone), and register targets there."
        ));
        // Offer the first subnet of the same VPC in a zone the load balancer lacks.
        let other = g.vpc_of_load_balancer(lb).and_then(|vpc| {
            g.subnets_of_vpc(vpc.as_str())
                .iter()
                .find(|s| g.subnet(s.as_str()).is_some_and(|sub| &sub.az != *zone))
        });
        if let Some(subnet) = other {
            d = d.with_fix(fixes::unsafe_fix(
                format!("Add subnet `{subnet}` to `{id}`"),
                vec![fixes::append(at, subnet)],
            ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL201", unchanged());
    }

    #[test]
    fn fires_for_one_zone_and_the_fix_adds_another() {
        let patch = json!([
            { "op": "replace", "path": "/load_balancers/nlb/subnets", "value": ["nlb-a"] }
        ]);
        assert_fires_at("VL201", patch.clone(), &["/load_balancers/nlb/subnets"]);
        assert_fix_clears("VL201", patch);
    }

    #[test]
    fn quiet_for_an_application_load_balancer() {
        // ALBs need two zones outright; that is VL205's error, not this warning.
        assert_quiet(
            "VL201",
            json!([{ "op": "add", "path": "/load_balancers/alb", "value":
                { "type": "application", "scheme": "internal", "subnets": ["nlb-a"] } }]),
        );
    }
}

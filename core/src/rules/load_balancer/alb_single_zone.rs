//! VL205: an application load balancer serves at least two Availability Zones.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::LoadBalancerType;
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

use super::zones::zones_of;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL205",
        name: "alb-single-zone",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Application load balancer needs subnets in two Availability Zones",
        rationale: "Unlike an NLB, an ALB cannot be created with subnets in fewer than two AZs.",
        source: "facts §4.1, C21 [S1][S35]; https://boto3.amazonaws.com/v1/documentation/api/latest/reference/services/elbv2/client/create_load_balancer.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (id, lb) in &g.topology.load_balancers {
        if lb.kind != LoadBalancerType::Application {
            continue;
        }
        let zones = zones_of(g, lb);
        // No subnets at all is VL203's finding.
        let Some(zone) = zones.first().filter(|_| zones.len() == 1) else {
            continue;
        };
        let at = JsonPointer::resource("load_balancers", id).key("subnets");
        let mut d = Diagnostic::new(
            &RULE.meta,
            ResourceRef::new("load_balancers", id),
            at.clone(),
            format!(
                "Application load balancer `{id}` only has subnets in `{zone}`; AWS requires an ALB to span at least two Availability Zones, so it cannot be created."
            ),
        )
        .with_help(format!("Add a subnet of another Availability Zone to `{id}`."));
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
        assert_quiet("VL205", unchanged());
    }

    #[test]
    fn fires_for_a_one_zone_alb_and_the_fix_adds_a_zone() {
        let patch = json!([{ "op": "add", "path": "/load_balancers/alb", "value":
            { "type": "application", "scheme": "internal", "subnets": ["nlb-a"] } }]);
        assert_fires_at("VL205", patch.clone(), &["/load_balancers/alb/subnets"]);
        assert_fix_clears("VL205", patch);
    }

    #[test]
    fn quiet_for_a_one_zone_nlb() {
        assert_quiet(
            "VL205",
            json!([{ "op": "replace", "path": "/load_balancers/nlb/subnets", "value": ["nlb-a"] }]),
        );
    }
}

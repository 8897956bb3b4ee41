//! VL203: a load balancer has at least one subnet.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL203",
        name: "lb-without-subnets",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Load balancer has no subnets",
        rationale: "A load balancer runs one node per subnet (AZ) it is given; with none it cannot be created, and its VPC is undefined.",
        source: "facts §4.1, LB-01 [S1][S35]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/availability-zones.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, lb) in &cx.graph.topology.load_balancers {
        if !lb.subnets.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("load_balancers", id),
                JsonPointer::resource("load_balancers", id).key("subnets"),
                format!(
                    "Load balancer `{id}` has no subnets; AWS places a load balancer node in each subnet it is given, so it cannot be created without one."
                ),
            )
            .with_help("List one subnet per Availability Zone the load balancer should serve, all in the VPC of its target groups."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL203", unchanged());
    }

    #[test]
    fn fires_for_a_load_balancer_without_subnets() {
        assert_fires_at(
            "VL203",
            json!([{ "op": "replace", "path": "/load_balancers/nlb/subnets", "value": [] }]),
            &["/load_balancers/nlb/subnets"],
        );
    }
}

//! VL202: a load balancer has one subnet per Availability Zone.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL202",
        name: "lb-two-subnets-in-one-zone",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Load balancer has two subnets in the same Availability Zone",
        rationale: "Elastic Load Balancing takes exactly one subnet per AZ; a second subnet of the same zone is rejected.",
        source: "facts §4.1, LB-01 [S1][S35]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/availability-zones.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (id, lb) in &g.topology.load_balancers {
        let mut first_in_zone = BTreeMap::new();
        for (i, subnet_id) in lb.subnets.iter().enumerate() {
            let Some(subnet) = g.subnet(subnet_id.as_str()) else {
                continue;
            };
            let Some(first) = first_in_zone.get(&subnet.az) else {
                first_in_zone.insert(&subnet.az, subnet_id);
                continue;
            };
            let at = JsonPointer::resource("load_balancers", id)
                .key("subnets")
                .index(i);
            let message = if *first == subnet_id {
                format!(
                    "Load balancer `{id}` lists subnet `{subnet_id}` twice; Elastic Load Balancing takes one subnet per Availability Zone, so the request is rejected."
                )
            } else {
                format!(
                    "Load balancer `{id}` has subnets `{first}` and `{subnet_id}`, both in `{}`; Elastic Load Balancing takes exactly one subnet per Availability Zone, so the request is rejected.",
                    subnet.az
                )
            };
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("load_balancers", id),
                    at.clone(),
                    message,
                )
                .with_help(format!(
                    "Keep one subnet in `{}`, and use subnets of other zones for more resilience.",
                    subnet.az
                ))
                .with_fix(fixes::unsafe_fix(
                    format!("Remove `{subnet_id}` from `{id}`, keeping `{first}`"),
                    vec![fixes::remove(at)],
                )),
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
        assert_quiet("VL202", unchanged());
    }

    #[test]
    fn fires_at_the_second_subnet_of_a_zone_and_the_fix_removes_it() {
        let patch = json!([
            { "op": "add", "path": "/load_balancers/nlb/subnets/-", "value": "private-a" }
        ]);
        assert_fires_at("VL202", patch.clone(), &["/load_balancers/nlb/subnets/2"]);
        assert_fix_clears("VL202", patch);
    }
}

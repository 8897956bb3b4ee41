//! VL204: the subnets of a load balancer belong to one VPC.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL204",
        name: "lb-subnets-span-vpcs",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Load balancer has subnets in different VPCs",
        rationale: "A load balancer lives in exactly one VPC; all its subnets must belong to it.",
        source: "facts §4.1, LB-01 [S1]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/availability-zones.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (id, lb) in &g.topology.load_balancers {
        let Some(((first, first_vpc), strays)) = g.subnets_outside_first_vpc(&lb.subnets) else {
            continue;
        };
        for (i, subnet, vpc) in strays {
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("load_balancers", id),
                    JsonPointer::resource("load_balancers", id).key("subnets").index(i),
                    format!(
                        "Load balancer `{id}` has subnet `{subnet}` of VPC `{vpc}` next to `{first}` of VPC `{first_vpc}`; a load balancer lives in one VPC, so AWS rejects the subnets."
                    ),
                )
                .with_help(format!(
                    "Use only subnets of VPC `{first_vpc}`, or create a separate load balancer in `{vpc}`."
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
        assert_quiet("VL204", unchanged());
    }

    #[test]
    fn fires_at_the_subnet_of_another_vpc() {
        assert_fires_at(
            "VL204",
            json!([
                { "op": "add", "path": "/vpcs/other", "value": { "cidr": "10.1.0.0/16" } },
                { "op": "add", "path": "/subnets/other-c", "value":
                    { "vpc": "other", "az": "us-east-1c", "cidr": "10.1.1.0/24" } },
                { "op": "add", "path": "/load_balancers/nlb/subnets/-", "value": "other-c" }
            ]),
            &["/load_balancers/nlb/subnets/2"],
        );
    }
}

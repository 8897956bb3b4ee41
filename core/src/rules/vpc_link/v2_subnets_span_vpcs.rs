//! VL109: the subnets of a V2 VPC link belong to one VPC.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL109",
        name: "vpc-link-v2-subnets-span-vpcs",
        family: Family::VpcLink,
        severity: Severity::Error,
        title: "V2 VPC link has subnets in different VPCs",
        rationale: "A V2 link places its network interfaces in one VPC and reaches load balancers of that VPC; subnets of several VPCs are rejected.",
        source: "facts §2.6, §1 [S1][S15]; https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-vpc-links-v2.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (id, link) in &g.topology.vpc_links {
        let Some(((first, first_vpc), strays)) = g.subnets_outside_first_vpc(&link.subnets) else {
            continue;
        };
        for (i, subnet, vpc) in strays {
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("vpc_links", id),
                    JsonPointer::resource("vpc_links", id).key("subnets").index(i),
                    format!(
                        "VPC link `{id}` puts subnet `{subnet}` of VPC `{vpc}` next to `{first}` of VPC `{first_vpc}`; a VPC link lives in one VPC, so AWS rejects subnets from several."
                    ),
                )
                .with_help(format!(
                    "Use only subnets of VPC `{first_vpc}` (the load balancer's VPC), or create one VPC link per VPC."
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
    fn quiet_on_the_clean_example_and_for_a_one_vpc_link() {
        assert_quiet("VL109", unchanged());
        assert_quiet(
            "VL109",
            json!([{ "op": "add", "path": "/vpc_links/v2", "value":
                { "subnets": ["private-a", "private-b"] } }]),
        );
    }

    #[test]
    fn fires_at_the_subnet_from_another_vpc() {
        assert_fires_at(
            "VL109",
            json!([
                { "op": "add", "path": "/vpcs/other", "value": { "cidr": "10.1.0.0/16" } },
                { "op": "add", "path": "/subnets/other-a", "value":
                    { "vpc": "other", "az": "us-east-1a", "cidr": "10.1.1.0/24" } },
                { "op": "add", "path": "/vpc_links/v2", "value":
                    { "subnets": ["private-a", "other-a"] } }
            ]),
            &["/vpc_links/v2/subnets/1"],
        );
    }
}

//! VL319: a subnet's CIDR lies inside one of its VPC's CIDR blocks.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL319",
        name: "subnet-outside-vpc",
        family: Family::Network,
        severity: Severity::Error,
        title: "Subnet CIDR is not inside its VPC's CIDR blocks",
        rationale: "A subnet's block must be carved from the VPC's primary or a secondary CIDR block; EC2 rejects anything else.",
        source: "facts §1, §10.4 (CreateSubnet) [S1]; https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let graph = cx.graph;
    for (id, subnet) in &graph.topology.subnets {
        let Some(vpc) = graph.vpc(subnet.vpc.as_str()) else {
            continue;
        };
        let inside = std::iter::once(&vpc.cidr)
            .chain(&vpc.secondary_cidrs)
            .any(|c| c.contains(&subnet.cidr));
        if inside {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("subnets", id),
                JsonPointer::resource("subnets", id).key("cidr"),
                format!(
                    "Subnet `{id}` has CIDR `{}`, which is not inside any CIDR block of VPC `{}` (`{}`); EC2 refuses to create it.",
                    subnet.cidr, subnet.vpc, vpc.cidr
                ),
            )
            .with_help("Pick a block inside the VPC's CIDR, or add a secondary CIDR block to the VPC that contains it."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn subnet(cidr: &str) -> serde_json::Value {
        json!({ "op": "add", "path": "/subnets/extra", "value":
            { "vpc": "app", "az": "us-east-1a", "cidr": cidr } })
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL319", unchanged());
    }

    #[test]
    fn fires_for_a_block_outside_the_vpc() {
        assert_fires_at(
            "VL319",
            json!([subnet("10.1.0.0/24")]),
            &["/subnets/extra/cidr"],
        );
    }

    #[test]
    fn secondary_blocks_count() {
        assert_quiet(
            "VL319",
            json!([
                { "op": "add", "path": "/vpcs/app/secondary_cidrs", "value": ["10.1.0.0/16"] },
                subnet("10.1.0.0/24")
            ]),
        );
    }
}

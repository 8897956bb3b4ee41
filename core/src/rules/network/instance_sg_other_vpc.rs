//! VL322: an instance's security groups belong to its subnet's VPC.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL322",
        name: "instance-security-group-other-vpc",
        family: Family::Network,
        severity: Severity::Error,
        title: "Instance uses a security group of another VPC",
        rationale: "Security groups are per VPC; an instance can only carry groups of the VPC its subnet belongs to.",
        source: "facts §5.1, §1 [S1][S40]; https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let graph = cx.graph;
    for (id, inst) in &graph.topology.instances {
        let Some(subnet) = graph.subnet(inst.subnet.as_str()) else {
            continue;
        };
        for (i, sg_id) in inst.security_groups.iter().enumerate() {
            let Some(sg) = graph.security_group(sg_id.as_str()) else {
                continue;
            };
            if sg.vpc == subnet.vpc {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("instances", id),
                    JsonPointer::resource("instances", id).key("security_groups").index(i),
                    format!(
                        "Instance `{id}` is in VPC `{}` (subnet `{}`) but uses security group `{sg_id}` of VPC `{}`; EC2 refuses groups of another VPC.",
                        subnet.vpc, inst.subnet, sg.vpc
                    ),
                )
                .with_help(format!("Use a security group of VPC `{}`.", subnet.vpc)),
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
        assert_quiet("VL322", unchanged());
    }

    #[test]
    fn fires_at_the_foreign_group() {
        assert_fires_at(
            "VL322",
            json!([
                { "op": "add", "path": "/vpcs/other", "value": { "cidr": "10.9.0.0/16" } },
                { "op": "add", "path": "/security_groups/far", "value": { "vpc": "other" } },
                { "op": "add", "path": "/instances/web-1/security_groups/-", "value": "far" }
            ]),
            &["/instances/web-1/security_groups/1"],
        );
    }
}

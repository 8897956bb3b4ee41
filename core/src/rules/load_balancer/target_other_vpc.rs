//! VL222: an instance target lives in its target group's VPC.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL222",
        name: "target-instance-in-other-vpc",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Instance target is in another VPC than its target group",
        rationale: "Instance targets must be in the target group's VPC; RegisterTargets rejects instances of other VPCs.",
        source: "facts §1 I2, §4.5 [S1]; https://boto3.amazonaws.com/v1/documentation/api/latest/reference/services/elbv2/client/create_target_group.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (tg_id, tg) in &g.topology.target_groups {
        for t in g.targets_of(tg_id.as_str()) {
            let Some((instance_id, instance)) = t.instance else {
                continue;
            };
            let Some(subnet) = g.subnet(instance.subnet.as_str()) else {
                continue;
            };
            if subnet.vpc == tg.vpc {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("target_groups", tg_id),
                    t.path().key("id"),
                    format!(
                        "Instance `{instance_id}` is in VPC `{}` but target group `{tg_id}` is in VPC `{}`; AWS only registers instances of the target group's VPC.",
                        subnet.vpc, tg.vpc
                    ),
                )
                .with_help(format!(
                    "Register instances of VPC `{}`, or register this one by IP address in an `ip` target group (reachable through peering or a transit gateway).",
                    tg.vpc
                ))
                .with_related(
                    JsonPointer::resource("instances", instance_id).key("subnet"),
                    "the instance's subnet",
                ),
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
        assert_quiet("VL222", unchanged());
    }

    #[test]
    fn fires_for_an_instance_of_another_vpc() {
        assert_fires_at(
            "VL222",
            json!([
                { "op": "add", "path": "/vpcs/other", "value": { "cidr": "10.1.0.0/16" } },
                { "op": "add", "path": "/subnets/other-a", "value":
                    { "vpc": "other", "az": "us-east-1a", "cidr": "10.1.1.0/24" } },
                { "op": "replace", "path": "/instances/web-3/subnet", "value": "other-a" },
                { "op": "replace", "path": "/instances/web-3/security_groups", "value": [] }
            ]),
            &["/target_groups/backend/targets/2/id"],
        );
    }
}

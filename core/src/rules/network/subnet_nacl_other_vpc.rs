//! VL323: a subnet's network ACL belongs to the subnet's VPC.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL323",
        name: "subnet-network-acl-other-vpc",
        family: Family::Network,
        severity: Severity::Error,
        title: "Subnet uses a network ACL of another VPC",
        rationale: "A network ACL serves subnets of its own VPC only; associating it elsewhere is refused.",
        source: "facts §6 (associations) [S1][S41]; https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let graph = cx.graph;
    for (id, subnet) in &graph.topology.subnets {
        let Some((acl_id, acl)) = graph.acl_of_subnet(id.as_str()) else {
            continue;
        };
        if acl.vpc == subnet.vpc {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("subnets", id),
                JsonPointer::resource("subnets", id).key("network_acl"),
                format!(
                    "Subnet `{id}` of VPC `{}` is associated with network ACL `{acl_id}` of VPC `{}`; EC2 refuses the association, so the subnet keeps its VPC's default ACL.",
                    subnet.vpc, acl.vpc
                ),
            )
            .with_help(format!("Associate a network ACL of VPC `{}`.", subnet.vpc)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL323", unchanged());
    }

    #[test]
    fn fires_at_the_association() {
        assert_fires_at(
            "VL323",
            json!([
                { "op": "add", "path": "/vpcs/other", "value": { "cidr": "10.9.0.0/16" } },
                { "op": "add", "path": "/network_acls/far", "value": { "vpc": "other" } },
                { "op": "replace", "path": "/subnets/private-a/network_acl", "value": "far" }
            ]),
            &["/subnets/private-a/network_acl"],
        );
    }
}

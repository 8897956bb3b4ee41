//! VL316: a security-group rule references a group in another VPC.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::Peer;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL316",
        name: "security-group-reference-other-vpc",
        family: Family::Network,
        severity: Severity::Error,
        title: "Security group rule references a group in another VPC",
        rationale: "Group references work inside one VPC, and across VPCs only over a peering connection in the same Region, which this topology does not model.",
        source: "facts §5.1, SG-02 [S43]; https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let graph = cx.graph;
    for (sg_id, sg) in &graph.topology.security_groups {
        let ingress = sg
            .ingress
            .iter()
            .enumerate()
            .map(|(i, r)| ("ingress", "source", i, &r.source));
        let egress = sg
            .egress
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, r)| ("egress", "destination", i, &r.destination));
        for (direction, field, i, peer) in ingress.chain(egress) {
            let Peer::SecurityGroup(other) = peer else {
                continue;
            };
            let Some(other_sg) = graph.security_group(other.as_str()) else {
                continue;
            };
            if other_sg.vpc == sg.vpc {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("security_groups", sg_id),
                    JsonPointer::resource("security_groups", sg_id)
                        .key(direction)
                        .index(i)
                        .key(field)
                        .key("security_group"),
                    format!(
                        "Security group `{sg_id}` (VPC `{}`) references security group `{other}` of VPC `{}`; EC2 resolves such references only across a same-Region peering connection, so the rule is rejected or matches nothing.",
                        sg.vpc, other_sg.vpc
                    ),
                )
                .with_help(format!(
                    "Reference a group in VPC `{}`, or use the other VPC's CIDR block.",
                    sg.vpc
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
        assert_quiet("VL316", unchanged());
    }

    #[test]
    fn fires_at_the_reference() {
        assert_fires_at(
            "VL316",
            json!([
                { "op": "add", "path": "/vpcs/other", "value": { "cidr": "10.9.0.0/16" } },
                { "op": "add", "path": "/security_groups/far", "value": { "vpc": "other" } },
                { "op": "add", "path": "/security_groups/app/ingress/-", "value":
                    { "protocol": "tcp", "ports": "8080", "source": { "security_group": "far" } } }
            ]),
            &["/security_groups/app/ingress/1/source/security_group"],
        );
    }
}

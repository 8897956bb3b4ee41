//! VL320: subnets of one VPC do not overlap.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::{Id, Subnet};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL320",
        name: "subnets-overlap",
        family: Family::Network,
        severity: Severity::Error,
        title: "Subnets of one VPC overlap",
        rationale: "Subnet blocks within a VPC must be disjoint; EC2 rejects a subnet whose block overlaps another's.",
        source: "facts §1, §10.4 (CreateSubnet) [S1]; https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    // Per VPC, sort by first address and sweep: near-linear however many subnets there are.
    let mut by_vpc: BTreeMap<&str, Vec<(u128, u128, &Id, &Subnet)>> = BTreeMap::new();
    for (id, s) in &cx.graph.topology.subnets {
        let (a, b) = s.cidr.bounds();
        by_vpc
            .entry(s.vpc.as_str())
            .or_default()
            .push((a, b, id, s));
    }
    for (vpc, mut line) in by_vpc {
        line.sort_by(|x, y| (x.0, x.1, x.2).cmp(&(y.0, y.1, y.2)));
        let mut widest: Option<(u128, &Id, &Subnet)> = None;
        for (first, last, id, s) in line {
            if let Some((end, other_id, other)) = widest {
                if first <= end {
                    out.push(
                        Diagnostic::new(
                            &RULE.meta,
                            ResourceRef::new("subnets", id),
                            JsonPointer::resource("subnets", id).key("cidr"),
                            format!(
                                "Subnet `{id}` (`{}`) overlaps subnet `{other_id}` (`{}`) in VPC `{vpc}`; EC2 refuses overlapping subnet blocks.",
                                s.cidr, other.cidr
                            ),
                        )
                        .with_help("Give each subnet of the VPC its own, disjoint CIDR block.")
                        .with_related(
                            JsonPointer::resource("subnets", other_id).key("cidr"),
                            "the subnet it overlaps",
                        ),
                    );
                }
            }
            if widest.is_none_or(|(end, _, _)| last > end) {
                widest = Some((last, id, s));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL320", unchanged());
    }

    #[test]
    fn fires_at_the_later_overlapping_subnet() {
        assert_fires_at(
            "VL320",
            json!([{ "op": "add", "path": "/subnets/extra", "value":
                { "vpc": "app", "az": "us-east-1a", "cidr": "10.0.1.128/25" } }]),
            &["/subnets/extra/cidr"],
        );
    }

    #[test]
    fn the_same_block_in_another_vpc_is_fine() {
        assert_quiet(
            "VL320",
            json!([
                { "op": "add", "path": "/vpcs/other", "value": { "cidr": "10.0.0.0/16" } },
                { "op": "add", "path": "/subnets/extra", "value":
                    { "vpc": "other", "az": "us-east-1a", "cidr": "10.0.1.0/24" } }
            ]),
        );
    }
}

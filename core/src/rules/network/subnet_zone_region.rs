//! VL321: a subnet's Availability Zone belongs to the topology's Region.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL321",
        name: "subnet-zone-outside-region",
        family: Family::Network,
        severity: Severity::Error,
        title: "Subnet Availability Zone is not in the topology's Region",
        rationale: "A VPC and its subnets live in one Region; a zone of another Region cannot hold them.",
        source: "facts §1, §4.1 [S1][S35]; https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let region = &cx.graph.topology.region;
    for (id, subnet) in &cx.graph.topology.subnets {
        let Some(zone_region) = subnet.az.region() else {
            continue;
        };
        if &zone_region == region {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("subnets", id),
                JsonPointer::resource("subnets", id).key("az"),
                format!(
                    "Subnet `{id}` is in {}, a zone of {zone_region}, but the topology is in {region}; the subnet cannot be created there.",
                    subnet.az
                ),
            )
            .with_help(format!("Use a zone of {region}, such as `{region}a`.")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL321", unchanged());
    }

    #[test]
    fn fires_for_a_zone_of_another_region() {
        assert_fires_at(
            "VL321",
            json!([{ "op": "add", "path": "/subnets/extra", "value":
                { "vpc": "app", "az": "eu-west-1a", "cidr": "10.0.50.0/24" } }]),
            &["/subnets/extra/az"],
        );
    }
}

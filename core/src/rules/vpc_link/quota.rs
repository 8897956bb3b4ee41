//! VL113: the topology stays within the default quota of REST-API (V1) VPC links.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::VpcLinkVersion;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

/// VPC links per account per Region for REST APIs, by default (adjustable).
const DEFAULT_QUOTA: usize = 20;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL113",
        name: "vpc-link-quota",
        family: Family::VpcLink,
        severity: Severity::Warning,
        title: "More REST VPC links than the default quota",
        rationale: "An account may create 20 V1 VPC links per Region unless the quota was raised; beyond it CreateVpcLink fails with LimitExceededException.",
        source: "facts §2.3, VL-05 [S12][S53]; https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let topology = cx.graph.topology;
    let n = topology
        .vpc_links
        .iter()
        .filter(|(_, l)| l.version() == VpcLinkVersion::V1)
        .count();
    if n <= DEFAULT_QUOTA {
        return;
    }
    out.push(
        Diagnostic::new(
            &RULE.meta,
            ResourceRef::new("vpc_links", ""),
            JsonPointer::root().key("vpc_links"),
            format!(
                "The topology has {n} REST-API VPC links in `{}`; the default quota is {DEFAULT_QUOTA} per account and Region, so creating the rest fails with LimitExceededException unless the quota was raised.",
                topology.region
            ),
        )
        .with_help("Share links: one network load balancer per VPC with one link, backends told apart by listener port. Or request a quota increase before deploying."),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::{json, Value};

    /// Adds `n` more V1 links, each with its own load balancer so no other rule objects.
    fn more_links(n: usize) -> Value {
        let mut ops = Vec::new();
        for i in 0..n {
            ops.push(
                json!({ "op": "add", "path": format!("/load_balancers/nlb{i}"), "value":
                { "type": "network", "scheme": "internal", "subnets": ["nlb-a", "nlb-b"],
                  "listeners": [ { "port": 80, "protocol": "TCP", "forward": "backend" } ] } }),
            );
            ops.push(
                json!({ "op": "add", "path": format!("/vpc_links/link{i}"), "value":
                { "targets": [format!("nlb{i}")] } }),
            );
        }
        Value::Array(ops)
    }

    #[test]
    fn quiet_on_the_clean_example_and_at_the_quota() {
        assert_quiet("VL113", unchanged());
        assert_quiet("VL113", more_links(19));
    }

    #[test]
    fn fires_above_the_quota() {
        assert_fires_at("VL113", more_links(20), &["/vpc_links"]);
    }
}

//! VL306: a V2 link's security groups let the listener port out to the load balancer.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL306",
        name: "vpc-link-security-group-blocks-listener",
        family: Family::Network,
        severity: Severity::Error,
        title: "VPC link security group does not allow the listener port out",
        rationale: "A V2 link's ENIs send only where the link's outbound rules allow; the listener port to the load balancer must be among them.",
        source: "facts §2.6, §5.3 [S15][S20]; https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::VpcLinkSecurityGroupEgress,
        &Wording {
            why: "The link's ENIs cannot connect to the load balancer, so API Gateway answers with a 5xx error.",
            help: "Add an outbound rule for the listener port whose destination is the load balancer's security group or subnets.",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/security_groups/link/egress";

    fn v2_with(op: serde_json::Value) -> serde_json::Value {
        let mut p = super::super::fixtures::v2_link(true);
        p.as_array_mut().unwrap().push(op);
        p
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL306", unchanged());
    }

    #[test]
    fn fires_when_the_link_may_send_nothing_and_the_fix_allows_the_nlb() {
        let patch = v2_with(json!({ "op": "replace", "path": AT, "value": [] }));
        assert_fires_at("VL306", patch.clone(), &[AT]);
        assert_fix_clears("VL306", patch);
    }

    #[test]
    fn quiet_when_outbound_rules_are_aws_defaults() {
        assert_quiet("VL306", v2_with(json!({ "op": "remove", "path": AT })));
    }
}

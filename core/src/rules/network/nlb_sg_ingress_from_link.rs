//! VL305: the load balancer's security groups accept the listener port from a V2 link.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL305",
        name: "nlb-security-group-blocks-vpc-link",
        family: Family::Network,
        severity: Severity::Error,
        title: "Load balancer security group does not allow the listener port from the VPC link",
        rationale: "A V2 link sends from ENIs in your subnets with the link's security groups; the NLB's inbound rules must allow them on the listener port.",
        source: "facts §2.6, §5.3, C14 [S15][S28]; https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::LoadBalancerSecurityGroupIngress,
        &Wording {
            why: "The load balancer drops requests from the VPC link, so API Gateway answers with a 5xx error.",
            help: "Add an inbound rule for the listener port whose source is the VPC link's security group.",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/security_groups/nlb/ingress";

    fn with(mut base: serde_json::Value, op: serde_json::Value) -> serde_json::Value {
        base.as_array_mut().unwrap().push(op);
        base
    }

    fn v2() -> serde_json::Value {
        super::super::fixtures::v2_link(true)
    }

    #[test]
    fn quiet_on_the_clean_example_and_a_clean_v2_link() {
        assert_quiet("VL305", unchanged());
        assert_quiet("VL305", v2());
    }

    #[test]
    fn fires_when_the_nlb_allows_nothing_in_and_the_fix_allows_the_link() {
        let patch = with(v2(), json!({ "op": "replace", "path": AT, "value": [] }));
        let d = assert_fires_at("VL305", patch.clone(), &[AT]);
        assert!(d[0].message.contains("`v2`"), "{}", d[0].message);
        assert_fix_clears("VL305", patch);
    }

    #[test]
    fn quiet_for_rest_links_without_enforcement() {
        assert_quiet(
            "VL305",
            json!([{ "op": "replace", "path": AT, "value": [] }]),
        );
    }
}

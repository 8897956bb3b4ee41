//! VL301: a target's security groups allow the traffic port from where requests arrive.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL301",
        name: "target-security-group-blocks-traffic",
        family: Family::Network,
        severity: Severity::Error,
        title: "Target security group does not allow the traffic port from the load balancer",
        rationale: "Targets must accept the target port from the NLB (its security group, else its subnets), or from the VPC link's ENIs when client IP preservation passes their addresses through.",
        source: "facts §5.3, §4.8, SG-01 [S31][S39]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::TargetSecurityGroupIngress && c.traffic,
        &Wording {
            why: "Requests through the load balancer never reach the target, so API Gateway answers with a 5xx error.",
            help: "Add an inbound rule for the target port whose source is the load balancer's security group (or the sending subnets' CIDRs when the load balancer has no security group, or the VPC link's security group when client IPs are preserved).",
        },
    );
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::v2_link;
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/security_groups/app/ingress";

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL301", unchanged());
    }

    #[test]
    fn fires_when_the_target_group_has_no_inbound_rule_and_the_fix_references_the_nlb() {
        let patch = json!([{ "op": "replace", "path": AT, "value": [] }]);
        let d = assert_fires_at("VL301", patch.clone(), &[AT]);
        assert!(d[0].message.contains("`app`"), "{}", d[0].message);
        assert_fix_clears("VL301", patch);
        // Same port for health checks: one finding, not a second one from VL302.
        assert_quiet(
            "VL302",
            json!([{ "op": "replace", "path": AT, "value": [] }]),
        );
    }

    #[test]
    fn a_group_reference_does_not_cover_an_nlb_without_groups() {
        let patch = json!([
            { "op": "replace", "path": "/load_balancers/nlb/security_groups", "value": [] }
        ]);
        let d = assert_fires_at("VL301", patch.clone(), &[AT]);
        assert!(d[0].message.contains("10.0.10"), "{}", d[0].message);
        assert_fix_clears("VL301", patch);
    }

    #[test]
    fn v2_links_with_client_ip_preservation_need_the_link_as_source() {
        assert_fires_at("VL301", v2_link(false), &[AT]);
        assert_fix_clears("VL301", v2_link(false));
        assert_quiet("VL301", v2_link(true));
    }

    #[test]
    fn quiet_when_a_prefix_list_might_allow_it() {
        assert_quiet(
            "VL301",
            json!([{ "op": "replace", "path": AT, "value": [
                { "protocol": "tcp", "ports": "8080", "source": { "prefix_list": "pl-1" } } ] }]),
        );
    }
}

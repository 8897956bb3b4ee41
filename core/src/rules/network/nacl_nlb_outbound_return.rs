//! VL313: the load balancer subnet's network ACL lets responses out to the request source.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL313",
        name: "nlb-subnet-acl-blocks-responses",
        family: Family::Network,
        severity: Severity::Error,
        title: "Load balancer subnet network ACL does not allow responses out to the request source",
        rationale: "Network ACLs are stateless: the NLB's answers go back to the source's ephemeral ports 1024-65535 and need an outbound allow.",
        source: "facts §6 (minimum custom-NACL rules; PrivateLink source UNCONFIRMED), NA-02 [S38][S41]; https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::LoadBalancerSubnetOutboundReturn,
        &Wording {
            why: "Answers never get back to API Gateway, so requests hang until the integration times out (504).",
            help: "Add an outbound allow entry for TCP 1024-65535 to the request sources (the VPC's CIDRs for a REST VPC link, the link's subnets for a V2 link).",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL313", unchanged());
    }

    #[test]
    fn fires_when_responses_may_only_reach_part_of_the_vpc() {
        let patch = json!([{ "op": "replace", "path": "/network_acls/nlb/egress/1/cidr", "value": "10.0.0.0/20" }]);
        assert_fires_at("VL313", patch.clone(), &["/network_acls/nlb/egress"]);
        assert_fix_clears("VL313", patch);
    }

    #[test]
    fn quiet_when_the_subnets_use_the_default_acl() {
        assert_quiet(
            "VL313",
            json!([
                { "op": "replace", "path": "/network_acls/nlb/egress", "value": [] },
                { "op": "remove", "path": "/subnets/nlb-a/network_acl" },
                { "op": "remove", "path": "/subnets/nlb-b/network_acl" }
            ]),
        );
    }
}

//! VL311: the load balancer subnet's network ACL lets targets' responses back in.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL311",
        name: "nlb-subnet-acl-blocks-target-responses",
        family: Family::Network,
        severity: Severity::Error,
        title: "Load balancer subnet network ACL does not allow target responses in on ephemeral ports",
        rationale: "Network ACLs are stateless: answers from targets arrive at the NLB nodes on ports 1024-65535 and need an inbound allow from the target subnets.",
        source: "facts §6, NA-02 [S38][S41]; https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::LoadBalancerSubnetInboundReturn,
        &Wording {
            why: "The targets' answers are dropped at the load balancer's subnet, so connections hang until API Gateway times out (504) and health checks fail.",
            help: "Add an inbound allow entry for TCP 1024-65535 from the target subnets' CIDRs.",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL311", unchanged());
    }

    #[test]
    fn fires_when_one_target_subnet_is_not_allowed_back() {
        let patch = json!([{ "op": "replace", "path": "/network_acls/nlb/ingress/1/cidr", "value": "10.0.2.0/24" }]);
        let d = assert_fires_at("VL311", patch.clone(), &["/network_acls/nlb/ingress"]);
        assert!(d[0].message.contains("10.0.1.0/24"), "{}", d[0].message);
        assert_fix_clears("VL311", patch);
    }

    #[test]
    fn quiet_for_ip_targets_outside_any_modelled_subnet() {
        assert_quiet(
            "VL311",
            json!([
                { "op": "replace", "path": "/network_acls/nlb/ingress/1/cidr", "value": "10.0.2.0/24" },
                { "op": "replace", "path": "/target_groups/backend/target_type", "value": "ip" },
                { "op": "replace", "path": "/target_groups/backend/targets", "value": [ { "id": "10.0.200.10" } ] }
            ]),
        );
    }
}

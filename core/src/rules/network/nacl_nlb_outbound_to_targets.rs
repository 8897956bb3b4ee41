//! VL310: the load balancer subnet's network ACL lets traffic and health checks out to targets.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL310",
        name: "nlb-subnet-acl-blocks-targets",
        family: Family::Network,
        severity: Severity::Error,
        title: "Load balancer subnet network ACL does not allow the target or health-check port out",
        rationale: "The NLB nodes' subnets must let the target and health-check ports out to the target subnets; ACLs apply even though the NLB has no instance in them.",
        source: "facts §6, NA-02 [S38][S41]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-troubleshooting.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::LoadBalancerSubnetOutbound,
        &Wording {
            why: "The load balancer's connections to the target never leave its subnet, so requests fail and health checks mark the target unhealthy.",
            help: "Add an outbound allow entry for the port to the target subnets' CIDRs, numbered before any deny that matches.",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL310", unchanged());
    }

    #[test]
    fn fires_at_a_deny_that_shadows_the_allow() {
        let patch = json!([{ "op": "add", "path": "/network_acls/nlb/egress/-", "value":
            { "rule": 90, "protocol": "tcp", "ports": "8080", "cidr": "10.0.1.0/24", "action": "deny" } }]);
        let d = assert_fires_at("VL310", patch.clone(), &["/network_acls/nlb/egress/2"]);
        assert!(d[0].message.contains("web-1"), "{}", d[0].message);
        assert_fix_clears("VL310", patch);
    }

    #[test]
    fn fires_at_the_implicit_deny_when_nothing_may_leave() {
        let patch = json!([{ "op": "replace", "path": "/network_acls/nlb/egress", "value": [] }]);
        assert_fires_at("VL310", patch.clone(), &["/network_acls/nlb/egress"]);
        assert_fix_clears("VL310", patch);
    }

    #[test]
    fn quiet_when_the_subnets_use_the_default_acl() {
        assert_quiet(
            "VL310",
            json!([
                { "op": "replace", "path": "/network_acls/nlb/egress", "value": [] },
                { "op": "remove", "path": "/subnets/nlb-a/network_acl" },
                { "op": "remove", "path": "/subnets/nlb-b/network_acl" }
            ]),
        );
    }
}

//! VL308: the target subnet's network ACL lets traffic and health checks in.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL308",
        name: "target-subnet-acl-blocks-inbound",
        family: Family::Network,
        severity: Severity::Error,
        title: "Target subnet network ACL does not allow traffic or health checks in",
        rationale: "Network ACLs are stateless: the target subnet must admit the target and health-check ports from the NLB subnets (or the link's subnets when client IPs are preserved).",
        source: "facts §6, NA-01 [S38][S41]; https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::TargetSubnetInbound,
        &Wording {
            why: "Connections to the target are dropped before its security group, so requests time out and health checks fail.",
            help: "Add an inbound allow entry for the port from the sending subnets' CIDRs, numbered before any deny that matches.",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL308", unchanged());
    }

    #[test]
    fn fires_at_the_implicit_deny_when_one_nlb_subnet_is_missing() {
        let patch = json!([{ "op": "replace", "path": "/network_acls/private/ingress/0/cidr", "value": "10.0.101.0/24" }]);
        let d = assert_fires_at("VL308", patch.clone(), &["/network_acls/private/ingress"]);
        assert!(d[0].message.contains("10.0.102.0/24"), "{}", d[0].message);
        assert_eq!(
            d[0].fix.as_ref().unwrap().applicability,
            crate::diagnostic::Applicability::Safe
        );
        assert_fix_clears("VL308", patch);
    }

    #[test]
    fn fires_at_a_lower_numbered_deny_and_offers_an_unsafe_fix_below_it() {
        let patch = json!([{ "op": "add", "path": "/network_acls/private/ingress/-", "value":
            { "rule": 50, "protocol": "tcp", "ports": "8000-9000", "cidr": "10.0.0.0/16", "action": "deny" } }]);
        let d = assert_fires_at("VL308", patch.clone(), &["/network_acls/private/ingress/1"]);
        assert!(d[0].message.contains("rule 50"), "{}", d[0].message);
        assert_eq!(
            d[0].fix.as_ref().unwrap().applicability,
            crate::diagnostic::Applicability::Unsafe
        );
        assert_fix_clears("VL308", patch);
    }

    #[test]
    fn quiet_when_the_subnets_use_the_default_acl() {
        assert_quiet(
            "VL308",
            json!([
                { "op": "replace", "path": "/network_acls/private/ingress", "value": [] },
                { "op": "remove", "path": "/subnets/private-a/network_acl" },
                { "op": "remove", "path": "/subnets/private-b/network_acl" }
            ]),
        );
    }
}

//! VL309: the target subnet's network ACL lets responses out to the load balancer.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL309",
        name: "target-subnet-acl-blocks-responses",
        family: Family::Network,
        severity: Severity::Error,
        title: "Target subnet network ACL does not allow responses out on ephemeral ports",
        rationale: "Network ACLs are stateless: answers from targets go to the NLB's ephemeral ports 1024-65535 and need an outbound allow.",
        source: "facts §6, NA-01 [S38][S41]; https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::TargetSubnetOutboundReturn,
        &Wording {
            why: "The target's answers never leave its subnet, so connections hang until API Gateway times out (504) and health checks fail.",
            help: "Add an outbound allow entry for TCP 1024-65535 to the sending subnets' CIDRs.",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL309", unchanged());
    }

    #[test]
    fn fires_when_only_part_of_the_ephemeral_range_is_open() {
        let patch = json!([{ "op": "replace", "path": "/network_acls/private/egress/0/ports", "value": "32768-65535" }]);
        assert_fires_at("VL309", patch.clone(), &["/network_acls/private/egress"]);
        assert_fix_clears("VL309", patch);
    }

    #[test]
    fn quiet_when_the_subnets_use_the_default_acl() {
        assert_quiet(
            "VL309",
            json!([
                { "op": "replace", "path": "/network_acls/private/egress", "value": [] },
                { "op": "remove", "path": "/subnets/private-a/network_acl" },
                { "op": "remove", "path": "/subnets/private-b/network_acl" }
            ]),
        );
    }
}

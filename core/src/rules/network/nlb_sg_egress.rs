//! VL303: the load balancer's security groups let traffic and health checks out to targets.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL303",
        name: "nlb-security-group-blocks-targets",
        family: Family::Network,
        severity: Severity::Error,
        title: "Load balancer security group does not allow the target or health-check port out",
        rationale: "An NLB with security groups sends traffic and health checks only where its outbound rules allow.",
        source: "facts §4.3, §5.3, LB-05 [S28]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::LoadBalancerSecurityGroupEgress,
        &Wording {
            why: "The load balancer cannot open connections to the target, so requests fail and health checks mark it unhealthy.",
            help: "Add an outbound rule for the target port (and the health-check port) whose destination is the targets' security group or subnets.",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/security_groups/nlb/egress";

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL303", unchanged());
    }

    #[test]
    fn fires_when_nothing_may_leave_and_the_fix_allows_the_targets() {
        let patch = json!([{ "op": "replace", "path": AT, "value": [] }]);
        assert_fires_at("VL303", patch.clone(), &[AT]);
        assert_fix_clears("VL303", patch);
    }

    #[test]
    fn fires_for_a_health_check_port_that_is_not_allowed_out() {
        let patch = json!([{ "op": "replace", "path": "/target_groups/backend/health_check/port", "value": 9090 }]);
        let d = assert_fires_at("VL303", patch, &[AT]);
        assert!(d[0].message.contains("9090"), "{}", d[0].message);
    }

    #[test]
    fn quiet_when_outbound_rules_are_aws_defaults() {
        assert_quiet("VL303", json!([{ "op": "remove", "path": AT }]));
    }
}

//! VL302: a target's security groups allow the health-check port from the load balancer.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL302",
        name: "target-security-group-blocks-health-checks",
        family: Family::Network,
        severity: Severity::Error,
        title: "Target security group does not allow health checks from the load balancer",
        rationale: "Health checks come from the NLB nodes on the health-check port; when it differs from the traffic port it needs its own inbound rule.",
        source: "facts §4.6, §5.3, SG-01 [S32][S39]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    // Checks that request traffic needs as well are VL301's.
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::TargetSecurityGroupIngress && c.health && !c.traffic,
        &Wording {
            why: "The target fails its health checks (`Target.FailedHealthChecks`); with every target unhealthy the NLB fails open and requests still break.",
            help: "Add an inbound rule for the health-check port whose source is the load balancer's security group, or its subnets' CIDRs when it has none.",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn other_port() -> serde_json::Value {
        json!([{ "op": "replace", "path": "/target_groups/backend/health_check/port", "value": 9090 }])
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL302", unchanged());
    }

    #[test]
    fn fires_when_the_health_check_port_differs_and_the_fix_opens_it() {
        let d = assert_fires_at("VL302", other_port(), &["/security_groups/app/ingress"]);
        assert!(d[0].message.contains("9090"), "{}", d[0].message);
        assert_fix_clears("VL302", other_port());
    }

    #[test]
    fn quiet_when_the_target_has_no_modelled_groups() {
        let mut patch = other_port();
        for i in ["web-1", "web-2", "web-3"] {
            patch.as_array_mut().unwrap().push(json!(
                { "op": "replace", "path": format!("/instances/{i}/security_groups"), "value": [] }));
        }
        assert_quiet("VL302", patch);
    }
}

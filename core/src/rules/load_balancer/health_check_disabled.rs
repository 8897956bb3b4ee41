//! VL219: health checks stay enabled for instance, ip and alb targets.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::TargetType;
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL219",
        name: "health-check-disabled",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Health checks are disabled for instance, ip or alb targets",
        rationale: "Only Lambda target groups may turn health checks off; for instance, ip and alb targets AWS rejects `HealthCheckEnabled=false`.",
        source: "facts §4.6, TG-03 [S1][S32]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (tg_id, tg) in &cx.graph.topology.target_groups {
        if tg.health_check.enabled != Some(false) || tg.target_type == TargetType::Lambda {
            continue;
        }
        let path = JsonPointer::resource("target_groups", tg_id)
            .key("health_check")
            .key("enabled");
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("target_groups", tg_id),
                path.clone(),
                format!(
                    "Health checks of `{tg_id}` are disabled, but its targets are not Lambda functions; AWS cannot turn health checks off for instance, ip or alb targets and rejects the setting."
                ),
            )
            .with_help("Leave health checks on and point them at a port and path the targets answer.")
            // Enabled is the only value AWS accepts here, so the fix keeps what can be deployed.
            .with_fix(fixes::safe(
                "Leave health checks enabled",
                vec![fixes::remove(path)],
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL219", unchanged());
    }

    #[test]
    fn fires_when_disabled_and_the_fix_enables() {
        let patch = json!([{ "op": "add", "path": "/target_groups/backend/health_check/enabled", "value": false }]);
        assert_fires_at(
            "VL219",
            patch.clone(),
            &["/target_groups/backend/health_check/enabled"],
        );
        assert_fix_clears("VL219", patch);
    }

    #[test]
    fn quiet_for_lambda_targets() {
        assert_quiet(
            "VL219",
            json!([{ "op": "add", "path": "/target_groups/fn", "value":
                { "vpc": "app", "protocol": "HTTP", "port": 80, "target_type": "lambda",
                  "health_check": { "enabled": false } } }]),
        );
    }
}

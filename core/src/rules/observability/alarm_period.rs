//! VL504: alarm periods CloudWatch accepts, and that the metric is published at.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::observability::common::{is_elb_namespace, APIGW_NAMESPACE};
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL504",
        name: "alarm-period-invalid",
        family: Family::Observability,
        severity: Severity::Error,
        title: "Alarm period is not 10, 20, 30 or a multiple of 60 seconds",
        rationale: "CloudWatch accepts periods of 10, 20, 30 or a multiple of 60 seconds; ELB and API Gateway metrics are published every 60 seconds, so shorter periods have no data.",
        source: "facts §7.3, CW-02 [S1][S37]; https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, alarm) in &cx.graph.topology.alarms {
        let Some(p) = alarm.period_seconds else {
            continue;
        };
        let ns = alarm.effective_namespace();
        let minute_metrics = is_elb_namespace(ns) || ns == APIGW_NAMESPACE;
        let accepted = matches!(p, 10 | 20 | 30) || (p > 0 && p % 60 == 0);
        let problem = if !accepted {
            format!(
                "CloudWatch accepts only 10, 20, 30 or a multiple of 60 seconds and rejects {p}"
            )
        } else if minute_metrics && p < 60 {
            format!("{ns} metrics are published once a minute, so a {p}-second period has no data")
        } else {
            continue;
        };
        let at = JsonPointer::resource("alarms", id).key("period_seconds");
        // Below a minute, 60 is the only period that works; otherwise the nearest minute
        // multiple changes how fast the alarm reacts, which a person decides.
        let fix = if p < 60 {
            fixes::safe(
                "Use a 60-second period",
                vec![fixes::set(at.clone(), &60u32)],
            )
        } else {
            let nearest = ((p + 30) / 60).max(1) * 60;
            fixes::unsafe_fix(
                format!("Use a {nearest}-second period"),
                vec![fixes::set(at.clone(), &nearest)],
            )
        };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("alarms", id),
                at,
                format!("Alarm `{id}` has a period of {p} seconds; {problem}."),
            )
            .with_help(if minute_metrics {
                "Use 60 seconds or a multiple of 60."
            } else {
                "Use 10, 20 or 30 seconds (high-resolution metrics only) or a multiple of 60."
            })
            .with_fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn period(p: u32) -> serde_json::Value {
        json!([{ "op": "replace", "path": "/alarms/unhealthy/period_seconds", "value": p }])
    }

    #[test]
    fn quiet_on_the_clean_example_and_on_minute_multiples() {
        assert_quiet("VL504", unchanged());
        assert_quiet("VL504", period(300));
    }

    #[test]
    fn fires_on_periods_cloudwatch_rejects_and_the_fix_clears_them() {
        for p in [45, 0, 90] {
            assert_fires_at("VL504", period(p), &["/alarms/unhealthy/period_seconds"]);
            assert_fix_clears("VL504", period(p));
        }
    }

    #[test]
    fn fires_on_sub_minute_periods_for_elb_metrics_only() {
        assert_fires_at("VL504", period(10), &["/alarms/unhealthy/period_seconds"]);
        let custom = json!([
            { "op": "replace", "path": "/alarms/unhealthy/period_seconds", "value": 10 },
            { "op": "add", "path": "/alarms/unhealthy/namespace", "value": "Custom/App" }
        ]);
        assert_quiet("VL504", custom);
    }
}

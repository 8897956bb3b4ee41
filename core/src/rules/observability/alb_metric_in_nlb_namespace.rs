//! VL505: Application Load Balancer metric names do not exist for NLBs.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::observability::common::NLB_NAMESPACE;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL505",
        name: "alb-metric-in-nlb-namespace",
        family: Family::Observability,
        severity: Severity::Error,
        title: "Alarm uses an Application Load Balancer metric in AWS/NetworkELB",
        rationale: "`TargetResponseTime`, `ActiveConnectionCount`, `RequestCount` and `HTTPCode_Target_5XX_Count` exist only in AWS/ApplicationELB; in AWS/NetworkELB the alarm never gets data.",
        source: "facts C10, §7.1 [S37]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html",
    },
    check,
};

/// ALB-only metrics, with the NLB metric that measures the same thing where there is one.
const ALB_ONLY: &[(&str, Option<&str>)] = &[
    ("TargetResponseTime", None),
    ("ActiveConnectionCount", Some("ActiveFlowCount")),
    ("RequestCount", None),
    ("HTTPCode_Target_5XX_Count", None),
];

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, alarm) in &cx.graph.topology.alarms {
        if alarm.effective_namespace() != NLB_NAMESPACE {
            continue;
        }
        let Some((metric, equivalent)) = ALB_ONLY.iter().find(|(m, _)| *m == alarm.metric) else {
            continue;
        };
        let at = JsonPointer::resource("alarms", id).key("metric");
        let mut d = Diagnostic::new(
            &RULE.meta,
            ResourceRef::new("alarms", id),
            at.clone(),
            format!(
                "Alarm `{id}` watches `{metric}` in AWS/NetworkELB, but that is an Application Load Balancer metric; a network load balancer never publishes it, so the alarm stays INSUFFICIENT_DATA."
            ),
        )
        .with_help(match equivalent {
            Some(e) => format!("Use `{e}`, the NLB metric for the same thing."),
            None => "NLBs have no response-time or HTTP-status metrics: watch API Gateway's `IntegrationLatency` and `5XXError`, or NLB metrics such as `UnHealthyHostCount` and `TCP_Target_Reset_Count`.".to_owned(),
        });
        if let Some(e) = equivalent {
            d = d.with_fix(fixes::safe(format!("Watch `{e}`"), vec![fixes::set(at, e)]));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn metric(m: &str) -> serde_json::Value {
        json!([{ "op": "replace", "path": "/alarms/unhealthy/metric", "value": m }])
    }

    #[test]
    fn quiet_on_the_clean_example_and_nlb_metrics() {
        assert_quiet("VL505", unchanged());
        assert_quiet("VL505", metric("ActiveFlowCount"));
    }

    #[test]
    fn fires_on_alb_metrics_and_the_fix_clears_where_offered() {
        for m in [
            "TargetResponseTime",
            "RequestCount",
            "HTTPCode_Target_5XX_Count",
            "ActiveConnectionCount",
        ] {
            assert_fires_at("VL505", metric(m), &["/alarms/unhealthy/metric"]);
        }
        assert_fix_clears("VL505", metric("ActiveConnectionCount"));
    }

    #[test]
    fn quiet_in_the_alb_namespace() {
        let mut patch = metric("TargetResponseTime");
        if let Some(ops) = patch.as_array_mut() {
            ops.push(json!({ "op": "add", "path": "/alarms/unhealthy/namespace", "value": "AWS/ApplicationELB" }));
        }
        assert_quiet("VL505", patch);
    }
}

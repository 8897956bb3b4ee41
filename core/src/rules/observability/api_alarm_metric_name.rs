//! VL507: REST and HTTP APIs name their error metrics differently.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::pointer::JsonPointer;
use crate::rules::observability::common::{api_kind_of_alarm, APIGW_NAMESPACE};
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL507",
        name: "api-alarm-metric-name",
        family: Family::Observability,
        severity: Severity::Warning,
        title: "API alarm uses the other API kind's metric name",
        rationale: "REST APIs publish `4XXError` and `5XXError`; HTTP APIs publish `4xx` and `5xx`. The other name has no data.",
        source: "facts §7.2, CW-03 [S26][S62]; https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html",
    },
    check,
};

/// (REST name, HTTP API name) of the metrics that differ.
const PAIRS: &[(&str, &str)] = &[("4XXError", "4xx"), ("5XXError", "5xx")];

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, alarm) in &cx.graph.topology.alarms {
        if alarm.effective_namespace() != APIGW_NAMESPACE {
            continue;
        }
        let Some(kind) = api_kind_of_alarm(cx.graph, alarm, false) else {
            continue;
        };
        let m = alarm.metric.as_str();
        let right = match kind {
            ApiKind::Rest => PAIRS
                .iter()
                .find(|(_, http)| *http == m)
                .map(|(rest, _)| *rest),
            ApiKind::Http => PAIRS
                .iter()
                .find(|(rest, _)| *rest == m)
                .map(|(_, http)| *http),
        };
        let Some(right) = right else { continue };
        let noun = match kind {
            ApiKind::Rest => "a REST API",
            ApiKind::Http => "an HTTP API",
        };
        let at = JsonPointer::resource("alarms", id).key("metric");
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("alarms", id),
                at.clone(),
                format!("Alarm `{id}` watches `{m}` for {noun}, which publishes this metric as `{right}`; the alarm never gets data."),
            )
            .with_help(format!("Use `{right}`."))
            .with_fix(fixes::safe(format!("Watch `{right}`"), vec![fixes::set(at, &right)])),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn rest_alarm(metric: &str) -> serde_json::Value {
        json!([{ "op": "add", "path": "/alarms/errors", "value": {
            "metric": metric, "api": "shop", "stage": "prod", "period_seconds": 60, "threshold": 1 } }])
    }

    #[test]
    fn quiet_on_the_clean_example_and_the_right_name() {
        assert_quiet("VL507", unchanged());
        assert_quiet("VL507", rest_alarm("5XXError"));
    }

    #[test]
    fn fires_on_the_http_api_name_for_a_rest_api_and_the_fix_clears_it() {
        assert_fires_at("VL507", rest_alarm("5xx"), &["/alarms/errors/metric"]);
        assert_fix_clears("VL507", rest_alarm("5xx"));
    }

    #[test]
    fn infers_an_http_api_from_a_literal_api_id() {
        let patch = json!([{ "op": "add", "path": "/alarms/errors", "value": {
            "metric": "5XXError", "namespace": "AWS/ApiGateway", "period_seconds": 60, "threshold": 1,
            "dimensions": [ { "name": "ApiId", "value": "a1b2c3" } ] } }]);
        assert_fires_at("VL507", patch.clone(), &["/alarms/errors/metric"]);
        assert_fix_clears("VL507", patch);
    }
}

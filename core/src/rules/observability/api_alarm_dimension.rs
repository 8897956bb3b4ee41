//! VL506: REST API metrics are keyed by ApiName, HTTP API metrics by ApiId.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::pointer::JsonPointer;
use crate::rules::observability::common::{api_kind_of_alarm, literal, APIGW_NAMESPACE};
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL506",
        name: "api-alarm-dimension-kind",
        family: Family::Observability,
        severity: Severity::Warning,
        title: "API alarm uses the other API kind's dimension",
        rationale: "REST API metrics carry `ApiName` (the name, not the id); HTTP API metrics carry `ApiId`. The wrong one matches no series.",
        source: "facts §7.2, CW-03 [S26][S62]; https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, alarm) in &cx.graph.topology.alarms {
        if alarm.effective_namespace() != APIGW_NAMESPACE {
            continue;
        }
        // Only the `api` reference says for sure which kind of API is meant.
        let Some(kind) = api_kind_of_alarm(cx.graph, alarm, true) else {
            continue;
        };
        let (wrong, right, noun) = match kind {
            ApiKind::Rest => ("ApiId", "ApiName", "REST API"),
            ApiKind::Http => ("ApiName", "ApiId", "HTTP API"),
        };
        let Some((i, _)) = literal(alarm, wrong) else {
            continue;
        };
        let api = alarm.api.as_ref().map(|a| a.as_str()).unwrap_or_default();
        let at = JsonPointer::resource("alarms", id)
            .key("dimensions")
            .index(i);
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("alarms", id),
                at.clone().key("name"),
                format!(
                    "Alarm `{id}` on {noun} `{api}` has a `{wrong}` dimension, but {noun} metrics are published with `{right}`; the alarm matches no data."
                ),
            )
            .with_help(format!("Remove the `{wrong}` dimension: `api` already supplies `{right}`."))
            // Safe: `api` supplies the right dimension, so the literal one only breaks it.
            .with_fix(fixes::safe(
                format!("Remove the `{wrong}` dimension"),
                vec![fixes::remove(at)],
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn api_alarm(dim: &str) -> serde_json::Value {
        json!([{ "op": "add", "path": "/alarms/errors", "value": {
            "metric": "5XXError", "api": "shop", "stage": "prod", "period_seconds": 60, "threshold": 1,
            "dimensions": [ { "name": dim, "value": "shop" } ] } }])
    }

    #[test]
    fn quiet_on_the_clean_example_and_the_right_dimension() {
        assert_quiet("VL506", unchanged());
        assert_quiet("VL506", api_alarm("ApiName"));
    }

    #[test]
    fn fires_on_api_id_for_a_rest_api_and_the_fix_clears_it() {
        assert_fires_at(
            "VL506",
            api_alarm("ApiId"),
            &["/alarms/errors/dimensions/0/name"],
        );
        assert_fix_clears("VL506", api_alarm("ApiId"));
    }
}

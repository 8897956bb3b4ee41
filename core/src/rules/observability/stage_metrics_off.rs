//! VL509: stages of an API with VPC-link routes without detailed metrics.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::model::{KeyMap, Stage};
use crate::pointer::JsonPointer;
use crate::rules::observability::common::has_vpc_link_routes;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL509",
        name: "stage-detailed-metrics-off",
        family: Family::Observability,
        severity: Severity::Info,
        title: "Stage without detailed metrics",
        rationale: "Without detailed metrics API Gateway reports errors and latency only per API and stage, not per route, so one failing private backend is hard to single out.",
        source: "facts §7.2, §3.6, §8.4 [S26][S62][S25]; https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let t = cx.graph.topology;
    let apis = t
        .rest_apis
        .iter()
        .map(|(id, a)| (ApiKind::Rest, id, &a.stages))
        .chain(
            t.http_apis
                .iter()
                .map(|(id, a)| (ApiKind::Http, id, &a.stages)),
        );
    for (kind, api_id, stages) in apis {
        let stages: &KeyMap<Stage> = stages;
        if !has_vpc_link_routes(cx.graph, kind, api_id) {
            continue;
        }
        let (noun, per) = match kind {
            ApiKind::Rest => ("REST API", "method and resource"),
            ApiKind::Http => ("HTTP API", "route"),
        };
        for (stage_name, stage) in stages.iter() {
            if stage.metrics == Some(true) {
                continue;
            }
            let at = JsonPointer::resource(kind.collection(), api_id)
                .key("stages")
                .key(stage_name)
                .key("metrics");
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new(kind.collection(), api_id),
                    at.clone(),
                    format!(
                        "Stage `{stage_name}` of {noun} `{api_id}` has no detailed metrics, so 5xx errors and integration latency are not broken down per {per}."
                    ),
                )
                .with_help("Set `metrics` to true to see which route's backend fails; detailed metrics are billed as custom CloudWatch metrics.")
                // Unsafe: detailed metrics add CloudWatch charges.
                .with_fix(fixes::unsafe_fix("Enable detailed metrics", vec![fixes::set(at, &true)])),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/stages/prod/metrics";

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL509", unchanged());
    }

    #[test]
    fn notes_a_stage_without_detailed_metrics_and_the_fix_clears_it() {
        let patch = json!([{ "op": "remove", "path": AT }]);
        assert_fires_at("VL509", patch.clone(), &[AT]);
        assert_fix_clears("VL509", patch);
    }
}

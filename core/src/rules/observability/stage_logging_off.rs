//! VL508: stages of a REST API with VPC-link routes should write execution logs.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::model::LogLevel;
use crate::pointer::JsonPointer;
use crate::rules::observability::common::has_vpc_link_routes;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL508",
        name: "stage-logging-off",
        family: Family::Observability,
        severity: Severity::Warning,
        title: "Stage of a REST API with VPC-link routes has execution logging off",
        rationale: "VPC-link failures reach clients as a bare 500 or 504; only the execution log says why (\"Execution failed due to configuration error\", \"vpc link error\", a hostname mismatch).",
        source: "facts §3.5, §3.6, §12 [S22][S25][S57]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (api_id, api) in &cx.graph.topology.rest_apis {
        if !has_vpc_link_routes(cx.graph, ApiKind::Rest, api_id) {
            continue;
        }
        for (stage_name, stage) in api.stages.iter() {
            if !matches!(stage.logging, None | Some(LogLevel::Off)) {
                continue;
            }
            let at = JsonPointer::resource("rest_apis", api_id)
                .key("stages")
                .key(stage_name)
                .key("logging");
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("rest_apis", api_id),
                    at.clone(),
                    format!(
                        "Stage `{stage_name}` of REST API `{api_id}` writes no execution logs; when a request through the VPC link fails, clients get a bare 500 or 504 and nothing records why."
                    ),
                )
                .with_help("Set `logging` to `ERROR` (or `INFO` while debugging); the account also needs a CloudWatch Logs role for API Gateway.")
                .with_fix(fixes::safe("Log errors", vec![fixes::set(at, &LogLevel::Error)])),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/stages/prod/logging";

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL508", unchanged());
    }

    #[test]
    fn fires_when_logging_is_off_or_absent_and_the_fix_clears_it() {
        let off = json!([{ "op": "replace", "path": AT, "value": "OFF" }]);
        assert_fires_at("VL508", off.clone(), &[AT]);
        assert_fix_clears("VL508", off);
        let absent = json!([{ "op": "remove", "path": AT }]);
        assert_fires_at("VL508", absent.clone(), &[AT]);
        assert_fix_clears("VL508", absent);
    }

    #[test]
    fn quiet_for_apis_without_vpc_link_routes() {
        let patch = json!([
            { "op": "remove", "path": AT },
            { "op": "remove", "path": "/rest_apis/shop/routes/GET ~1products/integration/vpc_link" }
        ]);
        assert_quiet("VL508", patch);
    }
}

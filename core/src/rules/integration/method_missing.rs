//! VL411: HTTP and HTTP_PROXY integrations of REST APIs need an integration method.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::model::IntegrationType;
use crate::rules::integration::resolve::{is_http_type, route_name};
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL411",
        name: "integration-method-missing",
        family: Family::Integration,
        severity: Severity::Error,
        title: "HTTP integration without an integration method",
        rationale: "`integrationHttpMethod` is required for HTTP and HTTP_PROXY integrations: it is the verb sent to the backend.",
        source: "facts §3.1 [S1][S48]; https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-method-integration.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for ia in cx.graph.integrations() {
        let i = ia.integration;
        // HTTP APIs default the method; the requirement is documented for REST APIs.
        if ia.api_kind != ApiKind::Rest || !is_http_type(i.kind) || i.method.is_some() {
            continue;
        }
        let at = ia.path().key("method");
        let method = ia.route.method;
        // A proxy passes the client's method on, so the route's method keeps its intent;
        // a non-proxy integration may translate it, so a person confirms.
        let description = format!("Send `{method}` to the backend");
        let fix = if i.kind == IntegrationType::HttpProxy {
            fixes::safe(description, vec![fixes::set(at.clone(), &method)])
        } else {
            fixes::unsafe_fix(description, vec![fixes::set(at.clone(), &method)])
        };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new(ia.api_kind.collection(), ia.api_id),
                at,
                format!(
                    "The integration of {} has no `method`; API Gateway requires the integration HTTP method for HTTP and HTTP_PROXY integrations and rejects it without one.",
                    route_name(ia)
                ),
            )
            .with_help(format!(
                "Set `method` to the verb the backend expects — usually `{method}` for this route."
            ))
            .with_fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    fn without_method() -> serde_json::Value {
        json!([{ "op": "remove", "path": format!("{AT}/method") }])
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL411", unchanged());
    }

    #[test]
    fn fires_without_method_and_the_fix_clears_it() {
        let got = assert_fires_at("VL411", without_method(), &[&format!("{AT}/method")]);
        assert_eq!(
            got[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::diagnostic::Applicability::Safe)
        );
        assert_fix_clears("VL411", without_method());
    }

    #[test]
    fn quiet_for_mock_integrations() {
        let mut patch = without_method();
        if let Some(ops) = patch.as_array_mut() {
            ops.push(json!({ "op": "remove", "path": format!("{AT}/vpc_link") }));
            ops.push(json!({ "op": "replace", "path": format!("{AT}/type"), "value": "MOCK" }));
        }
        assert_quiet("VL411", patch);
    }
}

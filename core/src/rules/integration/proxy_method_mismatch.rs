//! VL410: an HTTP_PROXY integration should send the client's method on.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::IntegrationType;
use crate::rules::integration::resolve::route_name;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL410",
        name: "proxy-integration-method-mismatch",
        family: Family::Integration,
        severity: Severity::Warning,
        title: "Proxy integration sends a different method than the route's",
        rationale: "API Gateway accepts it, but an `HTTP_PROXY` route for GET that sends POST gives the backend a request the client never made.",
        source: "facts C6, IN-07 (derived) [S1]; https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for ia in cx.graph.integrations() {
        let i = ia.integration;
        if i.kind != IntegrationType::HttpProxy || ia.route.method == "ANY" {
            continue;
        }
        let Some(method) = &i.method else { continue };
        if method.eq_ignore_ascii_case(ia.route.method) || method.eq_ignore_ascii_case("ANY") {
            continue;
        }
        let at = ia.path().key("method");
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new(ia.api_kind.collection(), ia.api_id),
                at.clone(),
                format!(
                    "The proxy integration of {} sends `{method}` to the backend for a `{}` request; a pass-through integration normally keeps the client's method.",
                    route_name(ia),
                    ia.route.method
                ),
            )
            .with_help(format!(
                "Set `method` to `{}` (or `ANY`), or use an `HTTP` integration if translating the method is intended.",
                ia.route.method
            ))
            // Unsafe: the backend may really expect the other method.
            .with_fix(fixes::unsafe_fix(
                format!("Send `{}` to the backend", ia.route.method),
                vec![fixes::set(at, &ia.route.method)],
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    fn method(m: &str) -> serde_json::Value {
        json!([{ "op": "replace", "path": format!("{AT}/method"), "value": m }])
    }

    #[test]
    fn quiet_on_the_clean_example_and_on_any() {
        assert_quiet("VL410", unchanged());
        assert_quiet("VL410", method("ANY"));
        assert_quiet("VL410", method("get"));
    }

    #[test]
    fn fires_on_post_for_get_and_the_fix_clears_it() {
        assert_fires_at("VL410", method("POST"), &[&format!("{AT}/method")]);
        assert_fix_clears("VL410", method("POST"));
    }

    #[test]
    fn quiet_for_any_routes_and_non_proxy_integrations() {
        let any_route = json!([
            { "op": "move", "from": "/rest_apis/shop/routes/GET ~1products", "path": "/rest_apis/shop/routes/ANY ~1products" },
            { "op": "replace", "path": "/rest_apis/shop/routes/ANY ~1products/integration/method", "value": "POST" }
        ]);
        assert_quiet("VL410", any_route);
        let mut http = method("POST");
        if let Some(ops) = http.as_array_mut() {
            ops.push(json!({ "op": "replace", "path": format!("{AT}/type"), "value": "HTTP" }));
        }
        assert_quiet("VL410", http);
    }
}

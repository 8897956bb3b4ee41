//! VL409: integration timeouts within API Gateway's limits.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::model::EndpointType;
use crate::rules::integration::resolve::route_name;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL409",
        name: "integration-timeout-range",
        family: Family::Integration,
        severity: Severity::Error,
        title: "Integration timeout outside API Gateway's limits",
        rationale: "`timeoutInMillis` is 50–29,000 ms for REST APIs (more only for Regional and private APIs after a quota increase, never edge-optimized) and 50–30,000 ms for HTTP APIs.",
        source: "facts §3.3, C17, IN-04 [S1][S12][S13][S27]; https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html",
    },
    check,
};

const MIN_MS: u32 = 50;
const REST_MAX_MS: u32 = 29_000;
const HTTP_MAX_MS: u32 = 30_000;

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let t = cx.graph.topology;
    for ia in cx.graph.integrations() {
        let Some(ms) = ia.integration.timeout_ms else {
            continue;
        };
        let at = ia.path().key("timeout_ms");
        let resource = ResourceRef::new(ia.api_kind.collection(), ia.api_id);
        let route = route_name(ia);
        if ms < MIN_MS {
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    resource,
                    at.clone(),
                    format!("The integration of {route} has a timeout of {ms} ms; API Gateway rejects timeouts below {MIN_MS} ms."),
                )
                .with_help("Set `timeout_ms` to at least 50 — in practice to the slowest response the backend should still deliver.")
                .with_fix(fixes::safe("Raise the timeout to 50 ms", vec![fixes::set(at, &MIN_MS)])),
            );
            continue;
        }
        let endpoint = match ia.api_kind {
            ApiKind::Rest => t.rest_apis.get(ia.api_id.as_str()).map(|a| a.endpoint_type),
            ApiKind::Http => None,
        };
        let (max, severity, why) = match (ia.api_kind, endpoint) {
            (ApiKind::Http, _) => (
                HTTP_MAX_MS,
                Severity::Error,
                "HTTP APIs allow at most 30,000 ms and the limit cannot be raised".to_owned(),
            ),
            (ApiKind::Rest, Some(EndpointType::Edge)) => (
                REST_MAX_MS,
                Severity::Error,
                "edge-optimized REST APIs allow at most 29,000 ms; only Regional and private APIs can have the quota raised".to_owned(),
            ),
            (ApiKind::Rest, _) => (
                REST_MAX_MS,
                Severity::Warning,
                "REST APIs allow at most 29,000 ms unless the account's integration-timeout quota was raised (which can lower the account throttle quota)".to_owned(),
            ),
        };
        if ms <= max {
            continue;
        }
        let fix = if severity == Severity::Error {
            fixes::safe(
                format!("Lower the timeout to {max} ms"),
                vec![fixes::set(at.clone(), &max)],
            )
        } else {
            // The quota may really have been raised: a person decides.
            fixes::unsafe_fix(
                format!("Lower the timeout to {max} ms"),
                vec![fixes::set(at.clone(), &max)],
            )
        };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                resource,
                at,
                format!("The integration of {route} has a timeout of {ms} ms; {why}."),
            )
            .with_severity(severity)
            .with_help(format!(
                "Set `timeout_ms` to {max} or less{}.",
                if severity == Severity::Warning {
                    ", or keep it if a Service Quotas increase for this Region is in place"
                } else {
                    ""
                }
            ))
            .with_fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    fn timeout(ms: u32) -> serde_json::Value {
        json!([{ "op": "replace", "path": format!("{AT}/timeout_ms"), "value": ms }])
    }

    #[test]
    fn quiet_on_the_clean_example_and_at_the_limits() {
        assert_quiet("VL409", unchanged());
        assert_quiet("VL409", timeout(50));
        assert_quiet("VL409", timeout(29_000));
        assert_quiet(
            "VL409",
            json!([{ "op": "remove", "path": format!("{AT}/timeout_ms") }]),
        );
    }

    #[test]
    fn errors_below_fifty_and_the_fix_clears_it() {
        let got = assert_fires_at("VL409", timeout(10), &[&format!("{AT}/timeout_ms")]);
        assert_eq!(got[0].severity, Severity::Error);
        assert_fix_clears("VL409", timeout(10));
    }

    #[test]
    fn warns_above_29s_on_a_regional_api() {
        let got = assert_fires_at("VL409", timeout(60_000), &[&format!("{AT}/timeout_ms")]);
        assert_eq!(got[0].severity, Severity::Warning);
        assert_fix_clears("VL409", timeout(60_000));
    }

    #[test]
    fn errors_above_29s_on_an_edge_api() {
        let mut patch = timeout(29_001);
        if let Some(ops) = patch.as_array_mut() {
            ops.push(json!({ "op": "replace", "path": "/rest_apis/shop/endpoint_type", "value": "EDGE" }));
        }
        let got = assert_fires_at("VL409", patch.clone(), &[&format!("{AT}/timeout_ms")]);
        assert_eq!(got[0].severity, Severity::Error);
        assert_fix_clears("VL409", patch);
    }

    #[test]
    fn http_apis_allow_30s_but_not_more() {
        let api = |ms: u32| {
            json!([{ "op": "add", "path": "/http_apis", "value": { "orders": { "routes": {
                "GET /orders": { "integration": { "type": "HTTP_PROXY", "method": "GET", "timeout_ms": ms } } } } } }])
        };
        assert_quiet("VL409", api(30_000));
        let got = assert_fires_at(
            "VL409",
            api(30_001),
            &["/http_apis/orders/routes/GET ~1orders/integration/timeout_ms"],
        );
        assert_eq!(got[0].severity, Severity::Error);
    }
}

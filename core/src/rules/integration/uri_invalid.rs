//! VL405: a REST VPC-link integration needs an absolute http(s) URI.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::rules::integration::resolve::{is_http_type, is_vpc_link, route_name};
use crate::rules::{Context, Rule};
use crate::uri::{Uri, UriError};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL405",
        name: "integration-uri-invalid",
        family: Family::Integration,
        severity: Severity::Error,
        title: "REST VPC-link integration needs an absolute http or https URI",
        rationale: "The URI must be a fully formed `http(s)://` URL even for private integrations: its port picks the listener and its host becomes the Host header and TLS name.",
        source: "facts §3.2, C7, IN-03 [S1][S7]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for ia in cx.graph.integrations() {
        // HTTP APIs name a listener instead; other integration types are VL403's concern.
        if ia.api_kind != ApiKind::Rest || !is_vpc_link(ia) || !is_http_type(ia.integration.kind) {
            continue;
        }
        let problem = match ia.integration.uri.as_deref() {
            None => Some("has no URI".to_owned()),
            Some(text) => match Uri::parse(text) {
                Ok(_) | Err(UriError::Templated) => None,
                Err(e) => Some(format!("has URI `{text}`, but {e}")),
            },
        };
        let Some(problem) = problem else { continue };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new(ia.api_kind.collection(), ia.api_id),
                ia.path().key("uri"),
                format!(
                    "The VPC-link integration of {} {problem}; API Gateway requires a fully formed `http://` or `https://` URL, whose port selects the load balancer's listener.",
                    route_name(ia)
                ),
            )
            .with_help("Set `uri` to something like `http://<nlb-dns-name>:<listener-port>/path`; `{proxy}` path parameters and `${stageVariables.host}` are allowed."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    fn uri(v: &str) -> serde_json::Value {
        json!([{ "op": "replace", "path": format!("{AT}/uri"), "value": v }])
    }

    #[test]
    fn quiet_on_the_clean_example_and_templates() {
        assert_quiet("VL405", unchanged());
        assert_quiet("VL405", uri("http://${stageVariables.host}/{proxy}"));
        assert_quiet("VL405", uri("${stageVariables.backendUrl}"));
    }

    #[test]
    fn fires_on_a_missing_or_relative_uri() {
        let at = format!("{AT}/uri");
        assert_fires_at("VL405", json!([{ "op": "remove", "path": &at }]), &[&at]);
        for bad in [
            "nlb.internal/products",
            "ftp://nlb.internal/",
            "http://nlb.internal:0/",
            "http://nlb internal/",
        ] {
            assert_fires_at("VL405", uri(bad), &[&at]);
        }
    }

    #[test]
    fn quiet_for_public_integrations() {
        let patch = json!([
            { "op": "remove", "path": format!("{AT}/vpc_link") },
            { "op": "remove", "path": format!("{AT}/uri") }
        ]);
        assert_quiet("VL405", patch);
    }
}

//! VL403: a VPC-link integration must be of type HTTP or HTTP_PROXY.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::model::IntegrationType;
use crate::rules::integration::resolve::{is_vpc_link, route_name};
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL403",
        name: "vpc-link-integration-type",
        family: Family::Integration,
        severity: Severity::Error,
        title: "VPC-link integration must be HTTP or HTTP_PROXY",
        rationale: "Private integrations carry HTTP to a load balancer: REST APIs accept `HTTP` or `HTTP_PROXY`, HTTP APIs only `HTTP_PROXY`.",
        source: "facts §3.1, §3.7, IN-01 [S1][S9][S16][S17]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html",
    },
    check,
};

fn type_name(t: IntegrationType) -> &'static str {
    match t {
        IntegrationType::Http => "HTTP",
        IntegrationType::HttpProxy => "HTTP_PROXY",
        IntegrationType::Aws => "AWS",
        IntegrationType::AwsProxy => "AWS_PROXY",
        IntegrationType::Mock => "MOCK",
    }
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for ia in cx.graph.integrations() {
        if !is_vpc_link(ia) {
            continue;
        }
        let kind = ia.integration.kind;
        let (allowed, suggested) = match ia.api_kind {
            ApiKind::Rest => (
                matches!(kind, IntegrationType::Http | IntegrationType::HttpProxy),
                // Keep the mapping style: a non-proxy integration keeps its templates.
                if kind == IntegrationType::Aws {
                    IntegrationType::Http
                } else {
                    IntegrationType::HttpProxy
                },
            ),
            ApiKind::Http => (
                kind == IntegrationType::HttpProxy,
                IntegrationType::HttpProxy,
            ),
        };
        if allowed {
            continue;
        }
        let accepted = match ia.api_kind {
            ApiKind::Rest => "`HTTP` or `HTTP_PROXY`",
            ApiKind::Http => "`HTTP_PROXY`",
        };
        let at = ia.path().key("type");
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new(ia.api_kind.collection(), ia.api_id),
                at.clone(),
                format!(
                    "The integration of {} goes through a VPC link but has type `{}`; API Gateway accepts only {accepted} for private integrations.",
                    route_name(ia),
                    type_name(kind)
                ),
            )
            .with_help(format!(
                "Set `type` to {accepted}, or drop the VPC link if this route calls an AWS service or a mock."
            ))
            .with_fix(fixes::unsafe_fix(
                format!("Set the integration type to `{}`", type_name(suggested)),
                vec![fixes::set(at, &suggested)],
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    fn of_type(t: &str) -> serde_json::Value {
        json!([{ "op": "replace", "path": format!("{AT}/type"), "value": t }])
    }

    #[test]
    fn quiet_on_the_clean_example_and_for_http() {
        assert_quiet("VL403", unchanged());
        assert_quiet("VL403", of_type("HTTP"));
    }

    #[test]
    fn fires_on_aws_proxy_and_mock_and_the_fix_clears_it() {
        for t in ["AWS_PROXY", "AWS", "MOCK"] {
            assert_fires_at("VL403", of_type(t), &[&format!("{AT}/type")]);
            assert_fix_clears("VL403", of_type(t));
        }
    }

    #[test]
    fn quiet_when_the_integration_is_not_private() {
        let patch = json!([
            { "op": "remove", "path": format!("{AT}/vpc_link") },
            { "op": "replace", "path": format!("{AT}/type"), "value": "AWS_PROXY" }
        ]);
        assert_quiet("VL403", patch);
    }
}

//! VL402: an integration names a VPC link but its connection type is INTERNET.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::ConnectionType;
use crate::rules::integration::resolve::route_name;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL402",
        name: "vpc-link-with-internet-connection",
        family: Family::Integration,
        severity: Severity::Error,
        title: "Connection id set on an INTERNET integration",
        rationale: "`connectionId` must be set only with `connectionType=VPC_LINK`; with `INTERNET` API Gateway rejects it or ignores the link and calls the URI over the internet.",
        source: "facts §3.1, IN-01 [S1]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for ia in cx.graph.integrations() {
        let i = ia.integration;
        let Some(link) = &i.vpc_link else { continue };
        if i.connection_type != Some(ConnectionType::Internet) {
            continue;
        }
        let at = ia.path().key("connection_type");
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new(ia.api_kind.collection(), ia.api_id),
                at.clone(),
                format!(
                    "The integration of {} names VPC link `{link}` but has connection type `INTERNET`; API Gateway accepts a connection id only with `VPC_LINK`.",
                    route_name(ia)
                ),
            )
            .with_help("Set `connection_type` to `VPC_LINK` to go through the link, or remove `vpc_link` if the backend is public.")
            // Unsafe: the two fields disagree and either may be the one meant.
            .with_fix(fixes::unsafe_fix(
                "Set the connection type to `VPC_LINK`",
                vec![fixes::set(at, &"VPC_LINK")],
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    fn internet() -> serde_json::Value {
        json!([{ "op": "add", "path": format!("{AT}/connection_type"), "value": "INTERNET" }])
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL402", unchanged());
    }

    #[test]
    fn fires_on_a_link_with_internet_type_and_the_fix_clears_it() {
        assert_fires_at("VL402", internet(), &[&format!("{AT}/connection_type")]);
        assert_fix_clears("VL402", internet());
    }

    #[test]
    fn quiet_when_the_type_is_vpc_link() {
        assert_quiet(
            "VL402",
            json!([{ "op": "add", "path": format!("{AT}/connection_type"), "value": "VPC_LINK" }]),
        );
    }
}

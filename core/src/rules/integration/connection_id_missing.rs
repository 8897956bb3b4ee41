//! VL401: an integration whose connection type is VPC_LINK names no VPC link.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::ConnectionType;
use crate::rules::integration::resolve::route_name;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL401",
        name: "vpc-link-connection-without-id",
        family: Family::Integration,
        severity: Severity::Error,
        title: "VPC_LINK integration needs a connection id",
        rationale: "`connectionType=VPC_LINK` requires `connectionId`; API Gateway rejects the integration without it.",
        source: "facts §3.1, IN-01 [S1]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let links = &cx.graph.topology.vpc_links;
    for ia in cx.graph.integrations() {
        let i = ia.integration;
        if i.connection_type != Some(ConnectionType::VpcLink) || i.vpc_link.is_some() {
            continue;
        }
        let mut d = Diagnostic::new(
            &RULE.meta,
            ResourceRef::new(ia.api_kind.collection(), ia.api_id),
            ia.path().key("connection_type"),
            format!(
                "The integration of {} has connection type `VPC_LINK` but names no VPC link, so API Gateway rejects it (`connectionId` is required).",
                route_name(ia)
            ),
        )
        .with_help("Set `vpc_link` to the VPC link this route goes through (or `${stageVariables.name}`), or set `connection_type` to `INTERNET` for a public backend.");
        // With a single link in the topology the intent is plain, but a person still
        // confirms it: the route starts sending traffic somewhere.
        if let (1, Some((only, _))) = (links.len(), links.iter().next()) {
            d = d.with_fix(fixes::unsafe_fix(
                format!("Send this route through VPC link `{only}`"),
                vec![fixes::set(ia.path().key("vpc_link"), only)],
            ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    fn without_id() -> serde_json::Value {
        json!([
            { "op": "remove", "path": format!("{AT}/vpc_link") },
            { "op": "add", "path": format!("{AT}/connection_type"), "value": "VPC_LINK" }
        ])
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL401", unchanged());
    }

    #[test]
    fn fires_when_vpc_link_type_has_no_link_and_the_fix_names_the_only_link() {
        assert_fires_at("VL401", without_id(), &[&format!("{AT}/connection_type")]);
        assert_fix_clears("VL401", without_id());
    }

    #[test]
    fn quiet_when_the_connection_type_is_left_to_default() {
        assert_quiet(
            "VL401",
            json!([{ "op": "remove", "path": format!("{AT}/vpc_link") }]),
        );
    }
}

//! VL412: a REST API with private routes but no stage is never deployed.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::pointer::JsonPointer;
use crate::rules::integration::resolve::is_vpc_link;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL412",
        name: "rest-api-without-stage",
        family: Family::Integration,
        severity: Severity::Warning,
        title: "REST API with VPC-link routes has no stage",
        rationale: "A REST API serves nothing until a deployment is bound to a stage; its VPC-link routes cannot be called.",
        source: "facts §9, IN-08 [S2][S50]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (api_id, api) in &cx.graph.topology.rest_apis {
        if !api.stages.is_empty() {
            continue;
        }
        let private = cx
            .graph
            .integrations()
            .iter()
            .filter(|ia| ia.api_kind == ApiKind::Rest && ia.api_id == api_id && is_vpc_link(ia))
            .count();
        if private == 0 {
            continue;
        }
        let at = JsonPointer::resource("rest_apis", api_id).key("stages");
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("rest_apis", api_id),
                at.clone(),
                format!(
                    "REST API `{api_id}` has {private} route(s) through a VPC link but no stage, so it is never deployed and nothing can call them."
                ),
            )
            .with_help("Add a stage (and deploy to it after every integration change).")
            // Unsafe: it creates a stage, whose name is the caller's choice.
            .with_fix(fixes::unsafe_fix(
                "Add a stage `prod` with error logging",
                // The whole map: `stages` may be absent, and an empty map loses nothing.
                vec![fixes::set(at, &serde_json::json!({ "prod": { "logging": "ERROR" } }))],
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL412", unchanged());
    }

    #[test]
    fn fires_without_stages_and_the_fix_clears_it() {
        let patch = json!([{ "op": "replace", "path": "/rest_apis/shop/stages", "value": {} }]);
        assert_fires_at("VL412", patch.clone(), &["/rest_apis/shop/stages"]);
        assert_fix_clears("VL412", patch);
    }

    #[test]
    fn the_fix_works_when_stages_are_absent() {
        let patch = json!([{ "op": "remove", "path": "/rest_apis/shop/stages" }]);
        assert_fires_at("VL412", patch.clone(), &["/rest_apis/shop/stages"]);
        assert_fix_clears("VL412", patch);
    }

    #[test]
    fn quiet_for_apis_without_private_routes() {
        let patch = json!([
            { "op": "replace", "path": "/rest_apis/shop/stages", "value": {} },
            { "op": "remove", "path": "/rest_apis/shop/routes/GET ~1products/integration/vpc_link" }
        ]);
        assert_quiet("VL412", patch);
    }
}

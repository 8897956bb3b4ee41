//! VL404: a connection id `${stageVariables.x}` needs `x` in every stage of the API.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::model::{KeyMap, Stage};
use crate::pointer::JsonPointer;
use crate::rules::integration::resolve::api_noun;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL404",
        name: "vpc-link-stage-variable-undefined",
        family: Family::Integration,
        severity: Severity::Error,
        title: "Stage does not define the VPC link stage variable",
        rationale: "A connection id `${stageVariables.x}` is resolved per stage; a stage without `x` has no VPC link and its requests fail.",
        source: "facts §3.1, IN-02 [S9][S17][S1]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-api-with-vpclink-cli.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let t = cx.graph.topology;
    // One finding per stage and variable, however many routes use it.
    let mut wanted: BTreeSet<(ApiKind, &str, &str, &str)> = BTreeSet::new();
    for ia in cx.graph.integrations() {
        if let Some(var) = ia.integration.connection_stage_variable() {
            wanted.insert((ia.api_kind, ia.api_id.as_str(), var, ia.route_key));
        }
    }
    let mut seen: BTreeSet<(ApiKind, &str, &str)> = BTreeSet::new();
    for (kind, api_id, var, route_key) in wanted {
        if !seen.insert((kind, api_id, var)) {
            continue;
        }
        let stages: Option<&KeyMap<Stage>> = match kind {
            ApiKind::Rest => t.rest_apis.get(api_id).map(|a| &a.stages),
            ApiKind::Http => t.http_apis.get(api_id).map(|a| &a.stages),
        };
        let Some(stages) = stages else { continue };
        // The value the other stages agree on, if they all use the same link.
        let values: BTreeSet<&str> = stages
            .iter()
            .filter_map(|(_, s)| s.variables.get(var).map(String::as_str))
            .collect();
        let agreed = match (values.len(), values.iter().next()) {
            (1, Some(v)) => Some(*v),
            _ if t.vpc_links.len() == 1 => t.vpc_links.iter().next().map(|(id, _)| id.as_str()),
            _ => None,
        };
        for (stage_name, stage) in stages.iter() {
            if stage.variables.get(var).is_some() {
                continue;
            }
            let stage_at = JsonPointer::resource(kind.collection(), api_id)
                .key("stages")
                .key(stage_name);
            let mut d = Diagnostic::new(
                &RULE.meta,
                ResourceRef::new(kind.collection(), api_id),
                stage_at.clone(),
                format!(
                    "Stage `{stage_name}` of {} `{api_id}` does not define stage variable `{var}`, which route `{route_key}` uses as its VPC link id; in that stage API Gateway has no link to send the request through.",
                    api_noun(kind)
                ),
            )
            .with_help(format!(
                "Add `{var}` to the stage's `variables` with the id of the VPC link this stage should use."
            ));
            if let Some(value) = agreed {
                let op = if stage.variables.is_empty() {
                    fixes::set(
                        stage_at.key("variables"),
                        &serde_json::json!({ var: value }),
                    )
                } else {
                    fixes::set(stage_at.key("variables").key(var), &value)
                };
                // Unsafe: which link a stage uses is a choice (stages often differ on purpose).
                d = d.with_fix(fixes::unsafe_fix(
                    format!("Set `{var}` to `{value}` in stage `{stage_name}`"),
                    vec![op],
                ));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    fn via_variable() -> serde_json::Value {
        json!([
            { "op": "replace", "path": format!("{AT}/vpc_link"), "value": "${stageVariables.linkId}" },
            { "op": "add", "path": "/rest_apis/shop/stages/prod/variables", "value": { "linkId": "link" } },
            { "op": "add", "path": "/rest_apis/shop/stages/dev", "value": { "logging": "ERROR" } }
        ])
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL404", unchanged());
    }

    #[test]
    fn fires_at_the_stage_missing_the_variable_and_the_fix_clears_it() {
        assert_fires_at("VL404", via_variable(), &["/rest_apis/shop/stages/dev"]);
        assert_fix_clears("VL404", via_variable());
    }

    #[test]
    fn fix_adds_to_existing_variables() {
        let mut patch = via_variable();
        if let Some(ops) = patch.as_array_mut() {
            ops.push(json!({ "op": "add", "path": "/rest_apis/shop/stages/dev/variables", "value": { "other": "x" } }));
        }
        assert_fires_at("VL404", patch.clone(), &["/rest_apis/shop/stages/dev"]);
        assert_fix_clears("VL404", patch);
    }

    #[test]
    fn quiet_when_every_stage_defines_it() {
        let patch = json!([
            { "op": "replace", "path": format!("{AT}/vpc_link"), "value": "${stageVariables.linkId}" },
            { "op": "add", "path": "/rest_apis/shop/stages/prod/variables", "value": { "linkId": "link" } }
        ]);
        assert_quiet("VL404", patch);
    }
}

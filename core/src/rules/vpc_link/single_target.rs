//! VL101: a REST-API (V1) VPC link targets exactly one network load balancer.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::VpcLinkVersion;
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL101",
        name: "vpc-link-single-target",
        family: Family::VpcLink,
        severity: Severity::Error,
        title: "REST VPC link must target exactly one load balancer",
        rationale: "API Gateway accepts exactly one NLB ARN in `targetArns`; none or several is rejected at creation.",
        source: "facts §2.1, C1 [S5][S6]; https://docs.aws.amazon.com/apigateway/latest/api/API_CreateVpcLink.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, link) in &cx.graph.topology.vpc_links {
        if link.version() != VpcLinkVersion::V1 {
            continue;
        }
        let at = JsonPointer::resource("vpc_links", id).key("targets");
        let resource = ResourceRef::new("vpc_links", id);
        match link.targets.len() {
            1 => {}
            0 => out.push(
                Diagnostic::new(
                    &RULE.meta,
                    resource,
                    at,
                    format!("VPC link `{id}` targets no load balancer, so API Gateway refuses to create it."),
                )
                .with_help("Add the network load balancer this link fronts to `targets`."),
            ),
            n => {
                let extra: Vec<_> = (1..n)
                    .rev()
                    .map(|i| fixes::remove(at.clone().index(i)))
                    .collect();
                out.push(
                    Diagnostic::new(
                        &RULE.meta,
                        resource,
                        at,
                        format!(
                            "VPC link `{id}` targets {n} load balancers; API Gateway rejects more than one target ARN (\"More than one target arn specified for vpc link\")."
                        ),
                    )
                    .with_help("Keep one NLB per link and spread backends over that NLB's listener ports, or create one link per NLB.")
                    .with_fix(fixes::unsafe_fix(
                        format!("Keep only `{}` as the link's target", link.targets[0]),
                        extra,
                    )),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL101", unchanged());
    }

    #[test]
    fn fires_when_the_link_has_no_target() {
        assert_fires_at(
            "VL101",
            json!([{ "op": "replace", "path": "/vpc_links/link/targets", "value": [] }]),
            &["/vpc_links/link/targets"],
        );
    }

    #[test]
    fn fires_when_the_link_has_two_targets_and_the_fix_keeps_one() {
        let patch = json!([
            { "op": "add", "path": "/load_balancers/nlb2", "value":
                { "type": "network", "scheme": "internal", "subnets": ["nlb-a"] } },
            { "op": "add", "path": "/vpc_links/link/targets/-", "value": "nlb2" }
        ]);
        assert_fires_at("VL101", patch.clone(), &["/vpc_links/link/targets"]);
        assert_fix_clears("VL101", patch);
    }
}

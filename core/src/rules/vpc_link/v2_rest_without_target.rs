//! VL110: a REST integration over a V2 VPC link names its load balancer (`integrationTarget`).

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::{ApiKind, Graph};
use crate::model::{Id, ListenerRef, VpcLink};
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL110",
        name: "vpc-link-v2-rest-without-target",
        family: Family::VpcLink,
        severity: Severity::Error,
        // The facts' catalogue (VL-08) says warning, but §2.6 quotes the rejection
        // (`BadRequestException: IntegrationTarget is required for VpcLinkV2`): an error.
        title: "REST integration over a V2 VPC link has no target",
        rationale: "A V2 link can reach any load balancer in its VPC, so a REST integration must say which one; without `integrationTarget` PutIntegration is rejected.",
        source: "facts §2.6, VL-08 [S16][S17][S19]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html",
    },
    check,
};

fn is_v2(link: &VpcLink) -> bool {
    link.targets.is_empty() && !link.subnets.is_empty()
}

/// The only load balancer in the link's VPC, when there is exactly one: then it is the
/// obvious target.
fn only_load_balancer_near<'t>(g: &Graph<'t>, link: &VpcLink) -> Option<&'t Id> {
    let vpc = link
        .subnets
        .iter()
        .find_map(|s| g.subnet(s.as_str()).map(|s| &s.vpc))?;
    let mut candidates = g
        .topology
        .load_balancers
        .iter()
        .filter(|(_, lb)| g.vpc_of_load_balancer(lb) == Some(vpc))
        .map(|(id, _)| id);
    let only = candidates.next()?;
    candidates.next().is_none().then_some(only)
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for at in g.integrations() {
        if at.api_kind != ApiKind::Rest || at.integration.target.is_some() {
            continue;
        }
        let Some((link_id, link)) = at
            .links
            .iter()
            .find_map(|l| g.vpc_link(l.as_str()).filter(|v| is_v2(v)).map(|v| (*l, v)))
        else {
            continue;
        };
        let path = at.path();
        let mut d = Diagnostic::new(
            &RULE.meta,
            ResourceRef::new("rest_apis", at.api_id),
            path.clone(),
            format!(
                "Route `{}` of REST API `{}` goes through V2 VPC link `{link_id}` but names no `target`; a V2 link can reach any load balancer in its VPC, so API Gateway rejects the integration (\"IntegrationTarget is required for VpcLinkV2\").",
                at.route_key, at.api_id
            ),
        )
        .with_help("Set the integration's `target` to the load balancer (and listener port) the route should reach.");
        if let Some(lb) = only_load_balancer_near(g, link) {
            let target = ListenerRef {
                load_balancer: lb.clone(),
                port: None,
            };
            d = d.with_fix(fixes::unsafe_fix(
                format!("Target `{lb}`, the only load balancer in the link's VPC"),
                vec![fixes::set(path.key("target"), &target)],
            ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::{json, Value};

    fn v2_link() -> Value {
        json!({ "op": "add", "path": "/vpc_links/v2", "value":
            { "subnets": ["private-a", "private-b"], "security_groups": ["app"] } })
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL110", unchanged());
    }

    #[test]
    fn fires_without_a_target_and_the_fix_names_the_only_load_balancer() {
        let patch = json!([
            v2_link(),
            { "op": "replace", "path": "/rest_apis/shop/routes/GET ~1products/integration/vpc_link", "value": "v2" }
        ]);
        assert_fires_at(
            "VL110",
            patch.clone(),
            &["/rest_apis/shop/routes/GET ~1products/integration"],
        );
        assert_fix_clears("VL110", patch);
    }

    #[test]
    fn quiet_when_the_target_is_given() {
        assert_quiet(
            "VL110",
            json!([
                v2_link(),
                { "op": "replace", "path": "/rest_apis/shop/routes/GET ~1products/integration/vpc_link", "value": "v2" },
                { "op": "add", "path": "/rest_apis/shop/routes/GET ~1products/integration/target",
                  "value": { "load_balancer": "nlb", "port": 80 } }
            ]),
        );
    }
}

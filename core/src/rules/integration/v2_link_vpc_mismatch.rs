//! VL414: a V2 VPC link reaches only load balancers in its own VPC.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::Graph;
use crate::model::{Id, VpcLink, VpcLinkVersion};
use crate::pointer::JsonPointer;
use crate::rules::integration::resolve::{is_vpc_link, route_name};
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL414",
        name: "v2-link-vpc-mismatch",
        family: Family::Integration,
        severity: Severity::Error,
        title: "V2 VPC link and its target load balancer are in different VPCs",
        rationale: "A V2 link sends traffic from ENIs in its own subnets, so it reaches only load balancers in that VPC; one link cannot serve load balancers in several VPCs.",
        source: "facts §2.6, C12 [S15][S20]; https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html",
    },
    check,
};

/// The VPC of a V2 link: its subnets', else its security groups'.
fn vpc_of_link<'t>(graph: &Graph<'t>, link: &'t VpcLink) -> Option<&'t Id> {
    link.subnets
        .iter()
        .find_map(|s| graph.subnet(s.as_str()).map(|s| &s.vpc))
        .or_else(|| {
            link.security_groups
                .iter()
                .find_map(|g| graph.security_group(g.as_str()).map(|g| &g.vpc))
        })
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for ia in g.integrations() {
        if !is_vpc_link(ia) {
            continue;
        }
        let Some(target) = &ia.integration.target else {
            continue;
        };
        let Some(lb) = g.load_balancer(target.load_balancer.as_str()) else {
            continue;
        };
        let Some(lb_vpc) = g.vpc_of_load_balancer(lb) else {
            continue;
        };
        for link_id in &ia.links {
            let Some(link) = g.vpc_link(link_id.as_str()) else {
                continue;
            };
            if link.version() != VpcLinkVersion::V2 {
                continue;
            }
            let Some(link_vpc) = vpc_of_link(g, link) else {
                continue;
            };
            if link_vpc == lb_vpc {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new(ia.api_kind.collection(), ia.api_id),
                    ia.path().key("target").key("load_balancer"),
                    format!(
                        "The integration of {} sends VPC link `{link_id}` (VPC `{link_vpc}`) to load balancer `{}` in VPC `{lb_vpc}`; a V2 link only reaches load balancers in its own VPC, so the request never arrives.",
                        route_name(ia),
                        target.load_balancer
                    ),
                )
                .with_help(format!(
                    "Use a V2 link whose subnets are in VPC `{lb_vpc}` for this route, or target a load balancer in VPC `{link_vpc}`."
                ))
                .with_related(
                    JsonPointer::resource("vpc_links", link_id).key("subnets"),
                    format!("subnets of `{link_id}`"),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/http_apis/orders/routes/GET ~1orders/integration";

    /// A second VPC with its own NLB, and an HTTP API through a V2 link in the first VPC
    /// targeting `lb`.
    fn two_vpcs(lb: &str) -> serde_json::Value {
        json!([
            { "op": "add", "path": "/vpcs/other", "value": { "cidr": "10.1.0.0/16" } },
            { "op": "add", "path": "/subnets/other-a", "value": { "vpc": "other", "az": "us-east-1a", "cidr": "10.1.1.0/24" } },
            { "op": "add", "path": "/target_groups/other", "value": { "vpc": "other", "protocol": "TCP", "port": 8080 } },
            { "op": "add", "path": "/load_balancers/nlb-other", "value": { "type": "network", "scheme": "internal",
                "subnets": ["other-a"], "listeners": [ { "port": 80, "protocol": "TCP", "forward": "other" } ] } },
            { "op": "add", "path": "/vpc_links/link2", "value": { "subnets": ["private-a"], "security_groups": ["app"] } },
            { "op": "add", "path": "/http_apis", "value": { "orders": { "routes": { "GET /orders": { "integration":
                { "type": "HTTP_PROXY", "vpc_link": "link2", "method": "GET", "target": { "load_balancer": lb, "port": 80 } } } } } } }
        ])
    }

    #[test]
    fn quiet_on_the_clean_example_and_within_one_vpc() {
        assert_quiet("VL414", unchanged());
        assert_quiet("VL414", two_vpcs("nlb"));
    }

    #[test]
    fn fires_when_the_load_balancer_is_in_another_vpc() {
        assert_fires_at(
            "VL414",
            two_vpcs("nlb-other"),
            &[&format!("{AT}/target/load_balancer")],
        );
    }
}

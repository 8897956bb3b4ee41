//! VL102: a REST-API (V1) VPC link can only front a network load balancer.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::{LoadBalancer, LoadBalancerType, VpcLinkVersion};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL102",
        name: "vpc-link-target-not-network",
        family: Family::VpcLink,
        severity: Severity::Error,
        title: "REST VPC link must target a network load balancer",
        rationale: "A V1 VPC link creates a PrivateLink endpoint service, which only a network load balancer can back; an ALB or gateway ARN leaves the link FAILED.",
        source: "facts §2.1, §12, C13, VL-02 [S3][S54]; https://docs.aws.amazon.com/apigateway/latest/api/API_CreateVpcLink.html",
    },
    check,
};

/// What the load balancer is, when it is not a network load balancer: its declared type,
/// or the kind its ARN names (`loadbalancer/app/…`, `loadbalancer/gwy/…`).
fn non_network_kind(lb: &LoadBalancer) -> Option<&'static str> {
    match lb.kind {
        LoadBalancerType::Application => return Some("an application load balancer"),
        LoadBalancerType::Gateway => return Some("a gateway load balancer"),
        LoadBalancerType::Network => {}
    }
    let resource = lb.arn.as_ref()?.resource();
    if resource.starts_with("loadbalancer/app/") {
        Some("an application load balancer (by its ARN)")
    } else if resource.starts_with("loadbalancer/gwy/") {
        Some("a gateway load balancer (by its ARN)")
    } else {
        None
    }
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, link) in &cx.graph.topology.vpc_links {
        if link.version() != VpcLinkVersion::V1 {
            continue;
        }
        for (i, lb_id) in link.targets.iter().enumerate() {
            let Some(lb) = cx.graph.load_balancer(lb_id.as_str()) else {
                continue;
            };
            let Some(kind) = non_network_kind(lb) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("vpc_links", id),
                    JsonPointer::resource("vpc_links", id).key("targets").index(i),
                    format!(
                        "VPC link `{id}` targets `{lb_id}`, which is {kind}; a REST-API VPC link can only front a network load balancer, so the link ends up FAILED (\"NLB ARN is malformed\")."
                    ),
                )
                .with_help(format!(
                    "Put a network load balancer in front of `{lb_id}` (an NLB can forward to an ALB with an `alb` target group) and target that, or reach the ALB through a V2 VPC link (`subnets` and `security_groups`) with the integration's `target` set."
                ))
                .with_related(
                    JsonPointer::resource("load_balancers", lb_id).key("type"),
                    "the load balancer's type",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL102", unchanged());
    }

    #[test]
    fn fires_when_the_link_targets_an_application_load_balancer() {
        assert_fires_at(
            "VL102",
            json!([{ "op": "replace", "path": "/load_balancers/nlb/type", "value": "application" }]),
            &["/vpc_links/link/targets/0"],
        );
    }

    #[test]
    fn fires_when_the_arn_names_an_application_load_balancer() {
        assert_fires_at(
            "VL102",
            json!([{ "op": "add", "path": "/load_balancers/nlb/arn", "value":
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/0123456789abcdef" }]),
            &["/vpc_links/link/targets/0"],
        );
    }

    #[test]
    fn quiet_for_a_network_arn() {
        assert_quiet(
            "VL102",
            json!([{ "op": "add", "path": "/load_balancers/nlb/arn", "value":
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/shop/0123456789abcdef" }]),
        );
    }
}

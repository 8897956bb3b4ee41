//! VL103: the load balancer a REST-API (V1) VPC link targets lives in the topology's
//! Region and account.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::VpcLinkVersion;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL103",
        name: "vpc-link-target-in-other-region-or-account",
        family: Family::VpcLink,
        severity: Severity::Error,
        title: "REST VPC link targets a load balancer in another Region or account",
        rationale: "A V1 VPC link is created in one Region under one account and must name an NLB owned by that account in that Region; a foreign ARN leaves the link FAILED.",
        source: "facts §2.1, I1, VL-02 [S1][S3][S4]; https://docs.aws.amazon.com/cli/latest/reference/apigateway/create-vpc-link.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let topology = cx.graph.topology;
    for (id, link) in &topology.vpc_links {
        if link.version() != VpcLinkVersion::V1 {
            continue;
        }
        for (i, lb_id) in link.targets.iter().enumerate() {
            // Without an ARN the load balancer is created by the plan, in this Region and
            // account, so there is nothing to compare.
            let Some(arn) = cx
                .graph
                .load_balancer(lb_id.as_str())
                .and_then(|lb| lb.arn.as_ref())
            else {
                continue;
            };
            let (other_region, other_account) = topology.arn_elsewhere(arn);
            let mut problems = Vec::new();
            if other_region {
                problems.push(format!(
                    "its ARN is in Region `{}`, not `{}`",
                    arn.region(),
                    topology.region
                ));
            }
            // The account is only compared when the topology says which account it is.
            if let (true, Some(account)) = (other_account, &topology.account) {
                problems.push(format!(
                    "its ARN belongs to account `{}`, not `{account}`",
                    arn.account()
                ));
            }
            if problems.is_empty() {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("vpc_links", id),
                    JsonPointer::resource("vpc_links", id).key("targets").index(i),
                    format!(
                        "VPC link `{id}` targets `{lb_id}`, but {}; API Gateway only links to a network load balancer of its own Region and account, so the link ends up FAILED.",
                        problems.join(" and ")
                    ),
                )
                .with_help(format!(
                    "Create the VPC link (and the REST API) in the Region and account of `{lb_id}`, or use a network load balancer that lives in `{}`{}.",
                    topology.region,
                    topology
                        .account
                        .as_ref()
                        .map(|a| format!(" under account `{a}`"))
                        .unwrap_or_default()
                ))
                .with_related(
                    JsonPointer::resource("load_balancers", lb_id).key("arn"),
                    "the load balancer's ARN",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const HOME: &str =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/shop/0123456789abcdef";

    #[test]
    fn quiet_on_the_clean_example_and_for_a_local_arn() {
        assert_quiet("VL103", unchanged());
        assert_quiet(
            "VL103",
            json!([
                { "op": "add", "path": "/account", "value": "123456789012" },
                { "op": "add", "path": "/load_balancers/nlb/arn", "value": HOME }
            ]),
        );
    }

    #[test]
    fn fires_when_the_arn_is_in_another_region() {
        assert_fires_at(
            "VL103",
            json!([{ "op": "add", "path": "/load_balancers/nlb/arn", "value":
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/shop/0123456789abcdef" }]),
            &["/vpc_links/link/targets/0"],
        );
    }

    #[test]
    fn fires_when_the_arn_is_in_another_account() {
        assert_fires_at(
            "VL103",
            json!([
                { "op": "add", "path": "/account", "value": "210987654321" },
                { "op": "add", "path": "/load_balancers/nlb/arn", "value": HOME }
            ]),
            &["/vpc_links/link/targets/0"],
        );
    }

    #[test]
    fn quiet_when_the_topology_account_is_unknown() {
        assert_quiet(
            "VL103",
            json!([{ "op": "add", "path": "/load_balancers/nlb/arn", "value": HOME }]),
        );
    }
}

//! VL106: the network load balancer behind a REST-API (V1) VPC link should be internal.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::{Scheme, VpcLinkVersion};
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL106",
        name: "vpc-link-internet-facing-load-balancer",
        family: Family::VpcLink,
        severity: Severity::Warning,
        title: "Load balancer behind a REST VPC link is internet-facing",
        rationale: "A private integration is meant to keep the backend off the internet; AWS's guides use an internal NLB (whether an internet-facing one is rejected is unconfirmed), and an internet-facing one also exposes the backend directly.",
        source: "facts §2.1, §14 item 7 [S7][S8]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-nlb-for-vpclink-using-console.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (lb_id, lb) in &g.topology.load_balancers {
        if lb.scheme != Scheme::InternetFacing {
            continue;
        }
        let Some(link) = g.links_targeting(lb_id.as_str()).iter().find(|l| {
            g.vpc_link(l.as_str())
                .is_some_and(|link| link.version() == VpcLinkVersion::V1)
        }) else {
            continue;
        };
        let at = JsonPointer::resource("load_balancers", lb_id).key("scheme");
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("load_balancers", lb_id),
                at.clone(),
                format!(
                    "Load balancer `{lb_id}` behind VPC link `{link}` is internet-facing (AWS's default when no scheme is given), so the backend the private integration is meant to hide also answers on public addresses."
                ),
            )
            .with_help(format!(
                "Make `{lb_id}` internal. The scheme cannot change after creation: AWS replaces the load balancer, which gives it a new ARN and so also replaces VPC link `{link}`."
            ))
            .with_fix(fixes::unsafe_fix(
                format!("Set the scheme of `{lb_id}` to internal (replaces the load balancer and its VPC link)"),
                vec![fixes::set(at, &Scheme::Internal)],
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
        assert_quiet("VL106", unchanged());
    }

    #[test]
    fn fires_for_an_internet_facing_load_balancer_and_the_fix_makes_it_internal() {
        let patch = json!([
            { "op": "replace", "path": "/load_balancers/nlb/scheme", "value": "internet-facing" }
        ]);
        assert_fires_at("VL106", patch.clone(), &["/load_balancers/nlb/scheme"]);
        assert_fix_clears("VL106", patch);
    }

    #[test]
    fn fires_when_the_scheme_is_left_to_aws_default() {
        let patch = json!([{ "op": "remove", "path": "/load_balancers/nlb/scheme" }]);
        assert_fires_at("VL106", patch.clone(), &["/load_balancers/nlb/scheme"]);
        assert_fix_clears("VL106", patch);
    }

    #[test]
    fn quiet_for_an_internet_facing_load_balancer_without_a_link() {
        assert_quiet(
            "VL106",
            json!([{ "op": "add", "path": "/load_balancers/public", "value":
                { "type": "network", "scheme": "internet-facing", "subnets": ["nlb-a"] } }]),
        );
    }
}

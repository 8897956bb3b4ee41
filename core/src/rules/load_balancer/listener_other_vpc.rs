//! VL206: a listener forwards to a target group of its load balancer's VPC.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL206",
        name: "listener-target-group-in-other-vpc",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Listener forwards to a target group in another VPC",
        rationale: "A target group can only be used by load balancers of its own VPC; attaching one from another VPC fails with InvalidConfigurationRequest.",
        source: "facts §4.5, §12, I2, TG-01 [S55]; https://boto3.amazonaws.com/v1/documentation/api/latest/reference/services/elbv2/client/create_target_group.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (id, lb) in &g.topology.load_balancers {
        let Some(lb_vpc) = g.vpc_of_load_balancer(lb) else {
            continue;
        };
        for (i, listener) in lb.listeners.iter().enumerate() {
            let tg_id = &listener.forward;
            let Some(tg) = g.target_group(tg_id.as_str()) else {
                continue;
            };
            if &tg.vpc == lb_vpc {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("load_balancers", id),
                    JsonPointer::resource("load_balancers", id)
                        .key("listeners")
                        .index(i)
                        .key("forward"),
                    format!(
                        "Listener {} of `{id}` forwards to target group `{tg_id}` in VPC `{}`, but `{id}` lives in VPC `{lb_vpc}`; AWS refuses target groups of another VPC (InvalidConfigurationRequest).",
                        listener.port, tg.vpc
                    ),
                )
                .with_help(format!(
                    "Create the target group in VPC `{lb_vpc}` (a target group's VPC cannot change, so this means a new one) and register the targets there."
                ))
                .with_related(
                    JsonPointer::resource("target_groups", tg_id).key("vpc"),
                    "the target group's VPC",
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
        assert_quiet("VL206", unchanged());
    }

    #[test]
    fn fires_when_the_target_group_is_in_another_vpc() {
        assert_fires_at(
            "VL206",
            json!([
                { "op": "add", "path": "/vpcs/other", "value": { "cidr": "10.1.0.0/16" } },
                { "op": "replace", "path": "/target_groups/backend/vpc", "value": "other" }
            ]),
            &["/load_balancers/nlb/listeners/0/forward"],
        );
    }
}

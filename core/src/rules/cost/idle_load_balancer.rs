//! VL602: a network load balancer that nothing in the topology can send traffic through.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::LoadBalancerType;
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL602",
        name: "idle-network-load-balancer",
        family: Family::Cost,
        severity: Severity::Info,
        title: "Network load balancer carries no traffic but is billed hourly",
        rationale: "An NLB is billed per hour whether or not it carries traffic (about $16.43 a month in us-east-1).",
        source: "facts §8.1, C11 [S44]; https://aws.amazon.com/elasticloadbalancing/pricing/",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    let t = g.topology;
    // Load balancers that HTTP-API integrations name directly, gathered once.
    let integration_targets: std::collections::BTreeSet<&str> = g
        .integrations()
        .iter()
        .filter_map(|ia| ia.integration.target.as_ref())
        .map(|tr| tr.load_balancer.as_str())
        .collect();
    for (lb_id, lb) in &t.load_balancers {
        if lb.kind != LoadBalancerType::Network {
            continue;
        }
        let behind_link = !g.links_targeting(lb_id.as_str()).is_empty()
            || integration_targets.contains(lb_id.as_str());
        if behind_link {
            continue;
        }
        // Listeners that reach registered targets may serve clients inside the VPC that
        // the topology does not model; only a load balancer with nowhere to send traffic
        // is certainly idle.
        let serves = lb
            .listeners
            .iter()
            .any(|l| !g.targets_of(l.forward.as_str()).is_empty());
        if serves {
            continue;
        }
        let why = if lb.listeners.is_empty() {
            "has no listeners"
        } else {
            "has listeners only for target groups without targets"
        };
        let mut d = Diagnostic::new(
            &RULE.meta,
            ResourceRef::new("load_balancers", lb_id),
            JsonPointer::resource("load_balancers", lb_id),
            format!(
                "Network load balancer `{lb_id}` is not behind any VPC link and {why}, so it carries no traffic, yet it is billed every hour (about $16.43 a month in us-east-1; prices vary by Region)."
            ),
        )
        .with_help("Delete it if it is left over, or connect it: a VPC link, a listener, registered targets.");
        // Removing is offered only when nothing else names it, so the patch leaves a
        // topology whose references still resolve.
        let referenced = t
            .alarms
            .iter()
            .any(|(_, a)| a.load_balancer.as_ref() == Some(lb_id))
            || t.target_groups
                .iter()
                .any(|(_, tg)| tg.targets.iter().any(|x| x.id == lb_id.as_str()))
            || t.observed
                .as_ref()
                .is_some_and(|o| o.load_balancers.contains(lb_id.as_str()));
        if !referenced {
            d = d.with_fix(fixes::unsafe_fix(
                format!("Delete load balancer `{lb_id}`"),
                vec![fixes::remove(JsonPointer::resource(
                    "load_balancers",
                    lb_id,
                ))],
            ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn spare(listeners: serde_json::Value) -> serde_json::Value {
        json!([
            { "op": "add", "path": "/target_groups/empty", "value": { "vpc": "app", "protocol": "TCP", "port": 9090 } },
            { "op": "add", "path": "/load_balancers/spare", "value": { "type": "network", "scheme": "internal",
                "subnets": ["nlb-a", "nlb-b"], "listeners": listeners } }
        ])
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL602", unchanged());
    }

    #[test]
    fn notes_a_load_balancer_without_listeners_and_the_fix_clears_it() {
        assert_fires_at("VL602", spare(json!([])), &["/load_balancers/spare"]);
        assert_fix_clears("VL602", spare(json!([])));
    }

    #[test]
    fn notes_listeners_to_empty_target_groups() {
        let l = json!([{ "port": 80, "protocol": "TCP", "forward": "empty" }]);
        assert_fires_at("VL602", spare(l), &["/load_balancers/spare"]);
    }

    #[test]
    fn quiet_when_listeners_reach_targets() {
        let l = json!([{ "port": 80, "protocol": "TCP", "forward": "backend" }]);
        assert_quiet("VL602", spare(l));
    }
}

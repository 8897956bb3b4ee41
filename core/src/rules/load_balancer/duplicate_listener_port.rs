//! VL207: each listener port is used once per load balancer.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL207",
        name: "listener-duplicate-port",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Two listeners of one load balancer use the same port",
        rationale: "Listener ports are unique per load balancer; a second listener on a port fails with DuplicateListener (TCP and UDP on one port need a single TCP_UDP listener).",
        source: "facts §4.4, LB-06 [S1][S34]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, lb) in &cx.graph.topology.load_balancers {
        let mut first_on_port = BTreeMap::new();
        for (i, listener) in lb.listeners.iter().enumerate() {
            let Some(first) = first_on_port.get(&listener.port) else {
                first_on_port.insert(listener.port, i);
                continue;
            };
            let listeners = JsonPointer::resource("load_balancers", id).key("listeners");
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("load_balancers", id),
                    listeners.clone().index(i).key("port"),
                    format!(
                        "Load balancer `{id}` already has a listener on port {} (`listeners[{first}]`); AWS allows one listener per port and rejects this one with DuplicateListener.",
                        listener.port
                    ),
                )
                .with_help("Move this listener to a free port, or merge the two (a TCP_UDP listener serves TCP and UDP on one port).")
                .with_related(listeners.index(*first), "the first listener on this port"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example_and_for_distinct_ports() {
        assert_quiet("VL207", unchanged());
        assert_quiet(
            "VL207",
            json!([{ "op": "add", "path": "/load_balancers/nlb/listeners/-", "value":
                { "port": 81, "protocol": "TCP", "forward": "backend" } }]),
        );
    }

    #[test]
    fn fires_at_the_second_listener_on_a_port() {
        assert_fires_at(
            "VL207",
            json!([{ "op": "add", "path": "/load_balancers/nlb/listeners/-", "value":
                { "port": 80, "protocol": "UDP", "forward": "backend" } }]),
            &["/load_balancers/nlb/listeners/1/port"],
        );
    }
}

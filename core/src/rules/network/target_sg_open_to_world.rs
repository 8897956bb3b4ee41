//! VL307: a target's security group opens the backend port to every address.

use std::collections::BTreeSet;

use super::{opens_tcp_port, peer_words};
use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::Peer;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL307",
        name: "target-port-open-to-everyone",
        family: Family::Network,
        severity: Severity::Warning,
        title: "Target security group opens the backend port to every address",
        rationale: "A backend behind a private VPC link needs only the load balancer (or the link) as a source; `0.0.0.0/0` or `::/0` exposes it to anything that can route to it.",
        source: "facts §5.3, SG-01 [S39][S40]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let graph = cx.graph;
    let mut seen: BTreeSet<(&str, usize)> = BTreeSet::new();
    for (tg_id, _) in &graph.topology.target_groups {
        for ta in graph.targets_of(tg_id.as_str()) {
            let Some((inst_id, inst)) = ta.instance else {
                continue;
            };
            for sg_id in &inst.security_groups {
                let Some(sg) = graph.security_group(sg_id.as_str()) else {
                    continue;
                };
                for (i, rule) in sg.ingress.iter().enumerate() {
                    let open = matches!(&rule.source, Peer::Cidr(c) if c.is_any());
                    let view = rule.view();
                    if !open || !opens_tcp_port(view.protocol, view.port_range(), ta.port) {
                        continue;
                    }
                    if !seen.insert((sg_id.as_str(), i)) {
                        continue;
                    }
                    out.push(
                        Diagnostic::new(
                            &RULE.meta,
                            ResourceRef::new("security_groups", sg_id),
                            JsonPointer::resource("security_groups", sg_id).key("ingress").index(i),
                            format!(
                                "Security group `{sg_id}` allows port {} from {} on instance `{inst_id}`, the backend of target group `{tg_id}`. Anything that can route to the instance reaches the backend directly, bypassing API Gateway's authorization and throttling.",
                                ta.port,
                                peer_words(&rule.source)
                            ),
                        )
                        .with_help("Allow the port from the load balancer's security group (or its subnets) instead of every address."),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn open(ports: &str) -> serde_json::Value {
        json!([{ "op": "add", "path": "/security_groups/app/ingress/-", "value":
            { "protocol": "tcp", "ports": ports, "source": { "cidr": "0.0.0.0/0" } } }])
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL307", unchanged());
    }

    #[test]
    fn fires_once_per_rule_that_opens_the_backend_port() {
        assert_fires_at(
            "VL307",
            open("8000-9000"),
            &["/security_groups/app/ingress/1"],
        );
    }

    #[test]
    fn quiet_for_other_ports() {
        assert_quiet("VL307", open("22"));
    }
}

//! VL210: a listener forwards to a target group whose protocol it can carry.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::{LbProtocol, LoadBalancerType, TargetType};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

use super::listener_protocol::supported;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL210",
        name: "listener-target-group-protocol-mismatch",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Listener and target group protocols do not fit",
        rationale: "A listener can only forward to target groups of a matching protocol (a TCP_UDP listener needs a TCP_UDP target group, UDP cannot go to TCP, HTTP(S) only to HTTP(S)); CreateListener rejects other pairs.",
        source: "facts §4.4, §4.5, LB-06 [S1][S34]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html",
    },
    check,
};

/// The target-group protocols a listener can forward to, or `None` when the pair is not
/// one this rule can judge (it then stays quiet rather than guess).
fn accepts(kind: LoadBalancerType, listener: LbProtocol) -> Option<&'static [LbProtocol]> {
    use LbProtocol::*;
    match (kind, listener) {
        (LoadBalancerType::Network, Tcp) => Some(&[Tcp, TcpUdp]),
        (LoadBalancerType::Network, Tls) => Some(&[Tcp, Tls]),
        (LoadBalancerType::Network, Udp) => Some(&[Udp, TcpUdp]),
        (LoadBalancerType::Network, TcpUdp) => Some(&[TcpUdp]),
        (LoadBalancerType::Network, Quic) => Some(&[Quic, TcpQuic]),
        (LoadBalancerType::Network, TcpQuic) => Some(&[TcpQuic]),
        (LoadBalancerType::Application, Http | Https) => Some(&[Http, Https]),
        _ => None,
    }
}

/// Pairs AWS documents as refused; pairs outside both lists (such as TCP to TLS) are left
/// alone, since no source settles them.
fn clearly_refused(listener: LbProtocol, tg: LbProtocol) -> bool {
    use LbProtocol::*;
    match listener {
        Tcp => matches!(tg, Udp | Quic),
        Tls => matches!(tg, Udp | TcpUdp | Quic | TcpQuic),
        Udp => matches!(tg, Tcp | Tls | Quic | TcpQuic),
        TcpUdp | TcpQuic => true,
        Quic => matches!(tg, Tcp | Tls | Udp | TcpUdp),
        Http | Https => true,
        Geneve => false,
    }
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (id, lb) in &g.topology.load_balancers {
        for (i, listener) in lb.listeners.iter().enumerate() {
            let tg_id = &listener.forward;
            let Some(tg) = g.target_group(tg_id.as_str()) else {
                continue;
            };
            // Unsupported listener protocols are VL208's, target groups that cannot sit
            // behind an NLB at all are VL211's, and Lambda targets have no protocol.
            if supported(lb.kind, listener.protocol).is_err()
                || tg.target_type == TargetType::Lambda
                || (lb.kind == LoadBalancerType::Network
                    && matches!(
                        tg.protocol,
                        LbProtocol::Http | LbProtocol::Https | LbProtocol::Geneve
                    ))
            {
                continue;
            }
            let Some(ok) = accepts(lb.kind, listener.protocol) else {
                continue;
            };
            if ok.contains(&tg.protocol) || !clearly_refused(listener.protocol, tg.protocol) {
                continue;
            }
            let allowed: Vec<&str> = ok.iter().map(LbProtocol::as_str).collect();
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("load_balancers", id),
                    JsonPointer::resource("load_balancers", id)
                        .key("listeners")
                        .index(i)
                        .key("protocol"),
                    format!(
                        "{} listener {} of `{id}` forwards to target group `{tg_id}`, which speaks {}; a {} listener can only forward to {} target groups, so AWS rejects the listener.",
                        listener.protocol.as_str(),
                        listener.port,
                        tg.protocol.as_str(),
                        listener.protocol.as_str(),
                        allowed.join(" or ")
                    ),
                )
                .with_help(format!(
                    "Forward to a {} target group (a target group's protocol cannot change, so create one), or change the listener's protocol to fit `{tg_id}`.",
                    allowed.join(" or ")
                ))
                .with_related(
                    JsonPointer::resource("target_groups", tg_id).key("protocol"),
                    "the target group's protocol",
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
        assert_quiet("VL210", unchanged());
    }

    #[test]
    fn fires_for_a_tcp_udp_listener_to_a_tcp_target_group() {
        assert_fires_at(
            "VL210",
            json!([{ "op": "replace", "path": "/load_balancers/nlb/listeners/0/protocol", "value": "TCP_UDP" }]),
            &["/load_balancers/nlb/listeners/0/protocol"],
        );
    }

    #[test]
    fn fires_for_a_udp_listener_to_a_tcp_target_group() {
        assert_fires_at(
            "VL210",
            json!([{ "op": "replace", "path": "/load_balancers/nlb/listeners/0/protocol", "value": "UDP" }]),
            &["/load_balancers/nlb/listeners/0/protocol"],
        );
    }

    #[test]
    fn quiet_for_a_tcp_listener_to_a_tcp_udp_target_group() {
        assert_quiet(
            "VL210",
            json!([{ "op": "replace", "path": "/target_groups/backend/protocol", "value": "TCP_UDP" }]),
        );
    }
}

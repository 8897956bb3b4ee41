//! VL208: a listener's protocol is one its load balancer type supports.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::{LbProtocol, LoadBalancerType};
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL208",
        name: "listener-protocol-invalid-for-type",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Listener protocol is not supported by the load balancer type",
        rationale: "NLB listeners speak TCP, TLS, UDP, TCP_UDP, QUIC or TCP_QUIC; ALB listeners HTTP or HTTPS; anything else is rejected by CreateListener.",
        source: "facts §4.4, LB-06 [S1][S34]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html",
    },
    check,
};

/// Whether the load balancer type accepts the listener protocol, and, when it does not,
/// the closest protocol it does accept. Gateway load balancers are not checked: their
/// listeners carry no protocol of their own.
pub(super) fn supported(kind: LoadBalancerType, p: LbProtocol) -> Result<(), Option<LbProtocol>> {
    match kind {
        LoadBalancerType::Network => match p {
            LbProtocol::Tcp
            | LbProtocol::Tls
            | LbProtocol::Udp
            | LbProtocol::TcpUdp
            | LbProtocol::Quic
            | LbProtocol::TcpQuic => Ok(()),
            LbProtocol::Http => Err(Some(LbProtocol::Tcp)),
            LbProtocol::Https => Err(Some(LbProtocol::Tls)),
            LbProtocol::Geneve => Err(None),
        },
        LoadBalancerType::Application => match p {
            LbProtocol::Http | LbProtocol::Https => Ok(()),
            LbProtocol::Tcp => Err(Some(LbProtocol::Http)),
            LbProtocol::Tls => Err(Some(LbProtocol::Https)),
            _ => Err(None),
        },
        LoadBalancerType::Gateway => Ok(()),
    }
}

fn kind_name(kind: LoadBalancerType) -> &'static str {
    match kind {
        LoadBalancerType::Network => "network load balancer",
        LoadBalancerType::Application => "application load balancer",
        LoadBalancerType::Gateway => "gateway load balancer",
    }
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, lb) in &cx.graph.topology.load_balancers {
        for (i, listener) in lb.listeners.iter().enumerate() {
            let Err(closest) = supported(lb.kind, listener.protocol) else {
                continue;
            };
            let allowed = match lb.kind {
                LoadBalancerType::Application => "HTTP or HTTPS",
                _ => "TCP, TLS, UDP, TCP_UDP, QUIC or TCP_QUIC",
            };
            let at = JsonPointer::resource("load_balancers", id)
                .key("listeners")
                .index(i)
                .key("protocol");
            let mut d = Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("load_balancers", id),
                at.clone(),
                format!(
                    "Listener {} of {} `{id}` uses {}; a {} listener speaks {allowed}, so AWS rejects it.",
                    listener.port,
                    kind_name(lb.kind),
                    listener.protocol.as_str(),
                    kind_name(lb.kind)
                ),
            )
            .with_help(format!("Use one of {allowed} for this listener."));
            if let Some(p) = closest {
                d = d.with_fix(fixes::unsafe_fix(
                    format!("Make the listener {}", p.as_str()),
                    vec![fixes::set(at, &p)],
                ));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL208", unchanged());
    }

    #[test]
    fn fires_for_an_http_listener_on_an_nlb_and_the_fix_uses_tcp() {
        let patch = json!([
            { "op": "replace", "path": "/load_balancers/nlb/listeners/0/protocol", "value": "HTTP" }
        ]);
        assert_fires_at(
            "VL208",
            patch.clone(),
            &["/load_balancers/nlb/listeners/0/protocol"],
        );
        assert_fix_clears("VL208", patch);
    }

    #[test]
    fn fires_for_a_tcp_listener_on_an_alb() {
        assert_fires_at(
            "VL208",
            json!([{ "op": "add", "path": "/load_balancers/alb", "value":
                { "type": "application", "scheme": "internal", "subnets": ["nlb-a", "nlb-b"],
                  "listeners": [ { "port": 80, "protocol": "TCP", "forward": "backend" } ] } }]),
            &["/load_balancers/alb/listeners/0/protocol"],
        );
    }
}

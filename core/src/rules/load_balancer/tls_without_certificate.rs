//! VL209: a TLS or HTTPS listener has a server certificate.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

use super::listener_protocol::supported;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL209",
        name: "listener-tls-without-certificate",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "TLS or HTTPS listener has no certificate",
        rationale: "A listener that terminates TLS needs a server certificate; CreateListener rejects TLS and HTTPS listeners without one.",
        source: "facts §4.4, LB-06 [S1][S34]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, lb) in &cx.graph.topology.load_balancers {
        for (i, listener) in lb.listeners.iter().enumerate() {
            // A protocol the type does not support is VL208's finding.
            if !listener.protocol.terminates_tls()
                || listener
                    .certificate
                    .as_deref()
                    .is_some_and(|c| !c.is_empty())
                || supported(lb.kind, listener.protocol).is_err()
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("load_balancers", id),
                    JsonPointer::resource("load_balancers", id)
                        .key("listeners")
                        .index(i),
                    format!(
                        "{} listener {} of `{id}` has no `certificate`; the load balancer terminates TLS there and needs a server certificate, so AWS rejects the listener.",
                        listener.protocol.as_str(),
                        listener.port
                    ),
                )
                .with_help("Set `certificate` to an ACM certificate ARN for the name clients use, or use a TCP listener to pass TLS through to the targets."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example_and_with_a_certificate() {
        assert_quiet("VL209", unchanged());
        assert_quiet(
            "VL209",
            json!([
                { "op": "replace", "path": "/load_balancers/nlb/listeners/0/protocol", "value": "TLS" },
                { "op": "add", "path": "/load_balancers/nlb/listeners/0/certificate", "value":
                    "arn:aws:acm:us-east-1:123456789012:certificate/abc" }
            ]),
        );
    }

    #[test]
    fn fires_for_a_tls_listener_without_certificate() {
        assert_fires_at(
            "VL209",
            json!([{ "op": "replace", "path": "/load_balancers/nlb/listeners/0/protocol", "value": "TLS" }]),
            &["/load_balancers/nlb/listeners/0"],
        );
    }
}

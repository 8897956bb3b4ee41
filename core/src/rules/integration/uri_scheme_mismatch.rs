//! VL407: the URI scheme must match what the listener and its targets speak.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::LbProtocol;
use crate::rules::integration::resolve::{
    backends, declared_behind, listener_on_port, protocol_word, rest_uris, route_name,
};
use crate::rules::{fixes, Context, Rule};
use crate::uri::Scheme;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL407",
        name: "integration-uri-scheme-mismatch",
        family: Family::Integration,
        severity: Severity::Warning,
        title: "Integration URI scheme does not match the backend's protocol",
        rationale: "API Gateway speaks TLS only for `https` URIs: plain HTTP to a TLS listener, or TLS to a target that serves plain HTTP behind a TCP listener, fails the handshake.",
        source: "facts §3.2, C7, C8, IN-06 (derived) [S1][S7]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (ia, uri, port) in rest_uris(cx.graph) {
        for b in backends(cx.graph, ia) {
            let Some((_, listener)) = listener_on_port(b.lb, port) else {
                continue;
            };
            let why = if listener.protocol.terminates_tls() {
                (uri.scheme == Scheme::Http).then(|| {
                    format!(
                        "listener {port} of `{}` is {} and expects a TLS handshake, so plain HTTP never reaches a target",
                        b.lb_id,
                        listener.protocol.as_str()
                    )
                })
            } else if listener.protocol == LbProtocol::Http {
                // An ALB HTTP listener (REST over a V2 link) reads plain HTTP itself.
                (uri.scheme == Scheme::Https).then(|| {
                    format!(
                        "listener {port} of `{}` is HTTP and cannot answer a TLS handshake",
                        b.lb_id
                    )
                })
            } else {
                // A pass-through listener: the targets decide. Only a unanimous declaration
                // counts; targets that declare nothing leave it unknown.
                let declared = declared_behind(cx.graph, listener);
                let tls: Vec<_> = declared
                    .iter()
                    .filter(|d| d.served.protocol.is_tls())
                    .collect();
                let plain: Vec<_> = declared
                    .iter()
                    .filter(|d| !d.served.protocol.is_tls())
                    .collect();
                match (uri.scheme, tls.first(), plain.first()) {
                    (Scheme::Https, None, Some(p)) => Some(format!(
                        "listener {port} of `{}` passes TCP straight through and target `{}` serves {} on port {}, so the TLS handshake fails",
                        b.lb_id,
                        p.instance_id,
                        protocol_word(p.served.protocol),
                        p.served.port
                    )),
                    (Scheme::Http, Some(t), None) => Some(format!(
                        "listener {port} of `{}` passes TCP straight through and target `{}` serves {} on port {}, so it receives plain HTTP it cannot read",
                        b.lb_id,
                        t.instance_id,
                        protocol_word(t.served.protocol),
                        t.served.port
                    )),
                    _ => None,
                }
            };
            let Some(why) = why else { continue };
            let other = match uri.scheme {
                Scheme::Http => Scheme::Https,
                Scheme::Https => Scheme::Http,
            };
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new(ia.api_kind.collection(), ia.api_id),
                    ia.path().key("uri"),
                    format!(
                        "The integration URI of {} is `{}`, but {why}.",
                        route_name(ia),
                        uri.scheme.as_str()
                    ),
                )
                .with_help(format!(
                    "Use `{}://` with the same port, or change the listener or targets so that the protocols agree.",
                    other.as_str()
                ))
                .with_related(
                    crate::pointer::JsonPointer::resource("load_balancers", b.lb_id).key("listeners"),
                    format!("listeners of `{}`", b.lb_id),
                )
                .with_fix(fixes::unsafe_fix(
                    format!("Use `{}://` on port {port}", other.as_str()),
                    vec![fixes::set(ia.path().key("uri"), &uri.with_scheme(other))],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::{json, Value};

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    fn with(mut ops: Vec<Value>, uri: &str) -> Value {
        ops.push(json!({ "op": "replace", "path": format!("{AT}/uri"), "value": uri }));
        Value::Array(ops)
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL407", unchanged());
    }

    #[test]
    fn fires_on_https_to_targets_serving_plain_http_and_the_fix_clears_it() {
        let patch = with(vec![], "https://nlb.internal:80/products");
        assert_fires_at("VL407", patch.clone(), &[&format!("{AT}/uri")]);
        assert_fix_clears("VL407", patch);
    }

    #[test]
    fn fires_on_http_to_a_tls_listener() {
        let patch = with(
            vec![
                json!({ "op": "add", "path": "/load_balancers/nlb/listeners/0/protocol", "value": "TLS" }),
            ],
            "http://nlb.internal:80/products",
        );
        assert_fires_at("VL407", patch.clone(), &[&format!("{AT}/uri")]);
        assert_fix_clears("VL407", patch);
    }

    #[test]
    fn fires_on_https_to_an_alb_http_listener_over_a_v2_link() {
        let patch = with(
            vec![
                json!({ "op": "add", "path": "/target_groups/web", "value": { "vpc": "app", "protocol": "HTTP", "port": 8080 } }),
                json!({ "op": "add", "path": "/load_balancers/alb", "value": { "type": "application", "scheme": "internal",
                    "subnets": ["nlb-a", "nlb-b"], "listeners": [ { "port": 80, "protocol": "HTTP", "forward": "web" } ] } }),
                json!({ "op": "add", "path": "/vpc_links/link2", "value": { "subnets": ["private-a"], "security_groups": ["app"] } }),
                json!({ "op": "replace", "path": format!("{AT}/vpc_link"), "value": "link2" }),
                json!({ "op": "add", "path": format!("{AT}/target"), "value": { "load_balancer": "alb" } }),
            ],
            "https://alb.internal:80/products",
        );
        assert_fires_at("VL407", patch.clone(), &[&format!("{AT}/uri")]);
        assert_fix_clears("VL407", patch);
    }

    #[test]
    fn fires_on_http_to_targets_serving_tls_behind_tcp() {
        let ops = (1..=3)
            .map(|i| json!({ "op": "replace", "path": format!("/instances/web-{i}/serves/0/protocol"), "value": "HTTPS" }))
            .collect();
        assert_fires_at(
            "VL407",
            with(ops, "http://nlb.internal:80/products"),
            &[&format!("{AT}/uri")],
        );
    }

    #[test]
    fn quiet_when_targets_do_not_say_what_they_serve() {
        let ops = (1..=3)
            .map(|i| json!({ "op": "remove", "path": format!("/instances/web-{i}/serves") }))
            .collect();
        assert_quiet("VL407", with(ops, "https://nlb.internal:80/products"));
    }
}

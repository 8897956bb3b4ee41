//! VL408: an https URI host must be a name on the backend's certificate.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::LbProtocol;
use crate::rules::integration::resolve::{
    backends, declared_behind, listener_on_port, rest_uris, route_name,
};
use crate::rules::{fixes, Context, Rule};
use crate::uri::{certificate_name_matches, Scheme};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL408",
        name: "integration-uri-host-certificate",
        family: Family::Integration,
        severity: Severity::Warning,
        title: "HTTPS URI host is not on the backend certificate",
        rationale: "API Gateway verifies the backend certificate against the URI host; a mismatch fails with a 500 (\"Host name does not match the certificate subject\"), even with `insecureSkipVerification`.",
        source: "facts §3.2, §3.4, §12, IN-05 [S22][S23][S24]; https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integration-tls-config.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (ia, uri, port) in rest_uris(cx.graph) {
        if uri.scheme != Scheme::Https || uri.host_is_templated() {
            continue;
        }
        let host = uri.host_name();
        for b in backends(cx.graph, ia) {
            let Some((_, listener)) = listener_on_port(b.lb, port) else {
                continue;
            };
            // Only a pass-through listener shows the targets' certificates: a TLS or HTTPS
            // listener presents its own (ACM) certificate, whose names the topology does
            // not hold, and a plain HTTP listener is VL407's finding.
            if !matches!(listener.protocol, LbProtocol::Tcp | LbProtocol::TcpUdp) {
                continue;
            }
            let declared: Vec<_> = declared_behind(cx.graph, listener)
                .into_iter()
                .filter(|d| !d.served.certificate_names.is_empty())
                .collect();
            let Some(first_bad) = declared.iter().find(|d| {
                !d.served
                    .certificate_names
                    .iter()
                    .any(|n| certificate_name_matches(n, host))
            }) else {
                continue;
            };
            let names = first_bad.served.certificate_names.join("`, `");
            let skip = ia
                .integration
                .tls
                .as_ref()
                .is_some_and(|t| t.insecure_skip_verification);
            let skip_note = if skip {
                " `insecure_skip_verification` does not help: it skips only the CA chain check, not the hostname check."
            } else {
                ""
            };
            // A name every declaring target's certificate covers, to put in the URI.
            let candidate = first_bad
                .served
                .certificate_names
                .iter()
                .filter(|n| !n.starts_with("*."))
                .find(|n| {
                    declared.iter().all(|d| {
                        d.served
                            .certificate_names
                            .iter()
                            .any(|m| certificate_name_matches(m, n))
                    })
                });
            let mut d = Diagnostic::new(
                &RULE.meta,
                ResourceRef::new(ia.api_kind.collection(), ia.api_id),
                ia.path().key("uri"),
                format!(
                    "The integration URI of {} uses host `{host}`, but target `{}` behind `{}` presents a certificate for `{names}`; API Gateway checks the hostname and fails the request with a 500.{skip_note}",
                    route_name(ia),
                    first_bad.instance_id,
                    b.lb_id
                ),
            )
            .with_help("Put a name from the certificate in the URI (the host is only the Host header and TLS name; the VPC link does the routing), or reissue the certificate for this host.");
            if let Some(name) = candidate {
                d = d.with_fix(fixes::unsafe_fix(
                    format!("Use host `{name}` in the URI"),
                    vec![fixes::set(ia.path().key("uri"), &uri.with_host(name))],
                ));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::{json, Value};

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    /// Targets serving HTTPS on 8080 with `names`, and the URI set to `uri`.
    fn tls_backend(names: Value, uri: &str) -> Value {
        let mut ops: Vec<Value> = (1..=3)
            .map(|i| json!({ "op": "replace", "path": format!("/instances/web-{i}/serves/0"),
                             "value": { "port": 8080, "protocol": "HTTPS", "certificate_names": names } }))
            .collect();
        ops.push(json!({ "op": "replace", "path": format!("{AT}/uri"), "value": uri }));
        Value::Array(ops)
    }

    #[test]
    fn quiet_on_the_clean_example_and_on_matching_names() {
        assert_quiet("VL408", unchanged());
        assert_quiet(
            "VL408",
            tls_backend(json!(["*.shop.internal"]), "https://api.shop.internal:80/p"),
        );
    }

    #[test]
    fn fires_on_a_host_the_certificate_does_not_name_and_the_fix_clears_it() {
        let patch = tls_backend(
            json!(["api.shop.internal"]),
            "https://nlb.internal:80/products",
        );
        let got = assert_fires_at("VL408", patch.clone(), &[&format!("{AT}/uri")]);
        assert!(!got[0].message.contains("insecure_skip_verification"));
        assert_fix_clears("VL408", patch);
    }

    #[test]
    fn mentions_that_skipping_verification_does_not_help() {
        let mut patch = tls_backend(
            json!(["api.shop.internal"]),
            "https://nlb.internal:80/products",
        );
        if let Some(ops) = patch.as_array_mut() {
            ops.push(json!({ "op": "add", "path": format!("{AT}/tls"), "value": { "insecure_skip_verification": true } }));
        }
        let got = assert_fires_at("VL408", patch, &[&format!("{AT}/uri")]);
        assert!(got[0].message.contains("insecure_skip_verification"));
    }

    #[test]
    fn quiet_when_targets_declare_no_names_or_the_host_is_a_variable() {
        assert_quiet(
            "VL408",
            tls_backend(json!([]), "https://nlb.internal:80/products"),
        );
        assert_quiet(
            "VL408",
            tls_backend(json!(["a.b"]), "https://${stageVariables.host}:80/products"),
        );
    }
}

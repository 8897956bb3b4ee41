//! VL406: the integration URI's port must match a listener on the linked load balancer.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::integration::resolve::{backends, listener_on_port, rest_uris, route_name};
use crate::rules::{fixes, Context, Rule};
use crate::uri::Port;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL406",
        name: "integration-uri-port-no-listener",
        family: Family::Integration,
        severity: Severity::Error,
        title: "Integration URI port matches no listener on the load balancer",
        rationale: "For a private integration the URI's port (80 for http, 443 for https when absent) selects the NLB listener; with no listener there, requests fail with a 500 \"vpc link error\".",
        source: "facts §3.2, C7, I4, §12 [S1][S7][S57]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-nlb-for-vpclink-using-console.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (ia, uri, port) in rest_uris(cx.graph) {
        for b in backends(cx.graph, ia) {
            // A load balancer without listeners is reported by the load-balancer rules;
            // repeating it for every route adds noise, not information.
            if b.lb.listeners.is_empty() || listener_on_port(b.lb, port).is_some() {
                continue;
            }
            let ports: Vec<String> =
                b.lb.listeners
                    .iter()
                    .filter(|l| l.protocol.carries_tcp())
                    .map(|l| l.port.to_string())
                    .collect();
            let implicit = if uri.port == Port::Default {
                format!(" (the default for `{}`)", uri.scheme.as_str())
            } else {
                String::new()
            };
            let mut d = Diagnostic::new(
                &RULE.meta,
                ResourceRef::new(ia.api_kind.collection(), ia.api_id),
                ia.path().key("uri"),
                format!(
                    "The integration URI of {} uses port {port}{implicit}, but load balancer `{}` (through VPC link `{}`) has no TCP listener on that port; API Gateway picks the listener by this port, so requests fail with a 500 \"vpc link error\".",
                    route_name(ia),
                    b.lb_id,
                    b.link_id
                ),
            )
            .with_help(if ports.is_empty() {
                format!("Add a listener on port {port} to `{}`.", b.lb_id)
            } else {
                format!(
                    "Use one of the listener ports ({}) in the URI, or add a listener on port {port} to `{}`.",
                    ports.join(", "),
                    b.lb_id
                )
            })
            .with_related(
                JsonPointer::resource("load_balancers", b.lb_id).key("listeners"),
                format!("listeners of `{}`", b.lb_id),
            );
            if let [only] = ports.as_slice() {
                if let Ok(p) = only.parse::<u16>() {
                    // Unsafe: a scheme/port pair changes meaning (http on 443 is rarely meant).
                    d = d.with_fix(fixes::unsafe_fix(
                        format!("Send to the listener on port {p}"),
                        vec![fixes::set(ia.path().key("uri"), &uri.with_port(p))],
                    ));
                }
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/rest_apis/shop/routes/GET ~1products/integration";

    fn uri(v: &str) -> serde_json::Value {
        json!([{ "op": "replace", "path": format!("{AT}/uri"), "value": v }])
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL406", unchanged());
        assert_quiet("VL406", uri("http://nlb.internal/products"));
    }

    #[test]
    fn fires_on_a_port_without_listener_and_the_fix_clears_it() {
        let at = format!("{AT}/uri");
        assert_fires_at("VL406", uri("http://nlb.internal:8080/products"), &[&at]);
        assert_fix_clears("VL406", uri("http://nlb.internal:8080/products"));
        // https without a port means 443.
        assert_fires_at("VL406", uri("https://nlb.internal/products"), &[&at]);
    }

    #[test]
    fn follows_a_v2_link_to_the_integration_target() {
        let patch = json!([
            { "op": "add", "path": "/vpc_links/link2", "value": { "subnets": ["private-a"], "security_groups": ["app"] } },
            { "op": "replace", "path": format!("{AT}/vpc_link"), "value": "link2" },
            { "op": "add", "path": format!("{AT}/target"), "value": { "load_balancer": "nlb" } },
            { "op": "replace", "path": format!("{AT}/uri"), "value": "http://nlb.internal:8080/products" }
        ]);
        assert_fires_at("VL406", patch, &[&format!("{AT}/uri")]);
    }

    #[test]
    fn quiet_when_the_port_is_unknown_or_the_uri_malformed() {
        assert_quiet("VL406", uri("http://nlb.internal:${stageVariables.port}/x"));
        assert_quiet("VL406", uri("nlb.internal:8080"));
    }

    #[test]
    fn quiet_when_the_load_balancer_has_no_listeners() {
        let mut patch = uri("http://nlb.internal:8080/products");
        if let Some(ops) = patch.as_array_mut() {
            ops.push(
                json!({ "op": "replace", "path": "/load_balancers/nlb/listeners", "value": [] }),
            );
        }
        assert_quiet("VL406", patch);
    }
}

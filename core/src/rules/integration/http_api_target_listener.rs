//! VL413: an HTTP API private integration must name an existing listener.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::{ApiKind, Graph, IntegrationAt};
use crate::model::{Id, ListenerRef, LoadBalancer};
use crate::pointer::JsonPointer;
use crate::rules::integration::resolve::{is_vpc_link, route_name};
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL413",
        name: "http-api-integration-listener",
        family: Family::Integration,
        severity: Severity::Error,
        title: "HTTP API private integration must target an existing listener",
        rationale: "For HTTP APIs the integration URI is a load balancer listener ARN; without one, or with a listener that does not exist, API Gateway has nowhere to send the request.",
        source: "facts §3.7, C12 [S1][S15]; https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html",
    },
    check,
};

/// Load balancers in the VPC of the integration's V2 links, for suggesting a target.
fn candidates<'t>(graph: &Graph<'t>, ia: &IntegrationAt<'t>) -> Vec<(&'t Id, &'t LoadBalancer)> {
    let vpcs: Vec<&Id> = ia
        .links
        .iter()
        .filter_map(|l| graph.vpc_link(l.as_str()))
        .filter_map(|l| {
            l.subnets
                .iter()
                .find_map(|s| graph.subnet(s.as_str()))
                .map(|s| &s.vpc)
        })
        .collect();
    graph
        .topology
        .load_balancers
        .iter()
        .filter(|(_, lb)| {
            graph
                .vpc_of_load_balancer(lb)
                .is_some_and(|v| vpcs.contains(&v))
        })
        .collect()
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for ia in cx.graph.integrations() {
        if ia.api_kind != ApiKind::Http || !is_vpc_link(ia) {
            continue;
        }
        let resource = ResourceRef::new(ia.api_kind.collection(), ia.api_id);
        let at = ia.path().key("target");
        let route = route_name(ia);
        let Some(target) = &ia.integration.target else {
            let mut d = Diagnostic::new(
                &RULE.meta,
                resource,
                at.clone(),
                format!("The private integration of {route} names no listener; an HTTP API sends private requests to a load balancer listener (its ARN is the integration URI), so API Gateway rejects the integration."),
            )
            .with_help("Set `target` to the load balancer and listener port this route should reach.");
            if let [(lb_id, lb)] = candidates(cx.graph, ia).as_slice() {
                if let [only] = lb.listeners.as_slice() {
                    let value = ListenerRef {
                        load_balancer: (*lb_id).clone(),
                        port: Some(only.port),
                    };
                    d = d.with_fix(fixes::unsafe_fix(
                        format!("Target listener {} of `{lb_id}`", only.port),
                        vec![fixes::set(at, &value)],
                    ));
                }
            }
            out.push(d);
            continue;
        };
        let Some(lb) = cx.graph.load_balancer(target.load_balancer.as_str()) else {
            continue;
        };
        let lb_id = &target.load_balancer;
        let related = JsonPointer::resource("load_balancers", lb_id).key("listeners");
        match target.port {
            Some(port) if !lb.listeners.iter().any(|l| l.port == port) => {
                let ports: Vec<String> = lb.listeners.iter().map(|l| l.port.to_string()).collect();
                let mut d = Diagnostic::new(
                    &RULE.meta,
                    resource,
                    at.clone().key("port"),
                    format!("The private integration of {route} targets listener {port} of `{lb_id}`, which has no listener on that port; the listener ARN API Gateway needs does not exist."),
                )
                .with_help(if ports.is_empty() {
                    format!("Add a listener on port {port} to `{lb_id}`.")
                } else {
                    format!("Target one of the listener ports of `{lb_id}` ({}), or add a listener on port {port}.", ports.join(", "))
                })
                .with_related(related, format!("listeners of `{lb_id}`"));
                if let [only] = lb.listeners.as_slice() {
                    d = d.with_fix(fixes::unsafe_fix(
                        format!("Target listener {}", only.port),
                        vec![fixes::set(at.key("port"), &only.port)],
                    ));
                }
                out.push(d);
            }
            None if lb.listeners.is_empty() => out.push(
                Diagnostic::new(
                    &RULE.meta,
                    resource,
                    at,
                    format!("The private integration of {route} targets `{lb_id}`, which has no listeners; an HTTP API integration needs a listener ARN."),
                )
                .with_help(format!("Add a listener to `{lb_id}` and name its port in `target`."))
                .with_related(related, format!("listeners of `{lb_id}`")),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::{json, Value};

    const AT: &str = "/http_apis/orders/routes/GET ~1orders/integration";

    /// An HTTP API through a V2 link in the example's VPC, with `integration` merged in.
    fn http_api(integration: Value) -> Value {
        let mut i = json!({ "type": "HTTP_PROXY", "vpc_link": "link2", "method": "GET" });
        if let (Some(i), Some(extra)) = (i.as_object_mut(), integration.as_object()) {
            for (k, v) in extra {
                i.insert(k.clone(), v.clone());
            }
        }
        json!([
            { "op": "add", "path": "/vpc_links/link2", "value": { "subnets": ["private-a", "private-b"], "security_groups": ["app"] } },
            { "op": "add", "path": "/http_apis", "value": { "orders": {
                "routes": { "GET /orders": { "integration": i } },
                "stages": { "$default": {} } } } }
        ])
    }

    #[test]
    fn quiet_on_the_clean_example_and_a_correct_target() {
        assert_quiet("VL413", unchanged());
        assert_quiet(
            "VL413",
            http_api(json!({ "target": { "load_balancer": "nlb", "port": 80 } })),
        );
        assert_quiet(
            "VL413",
            http_api(json!({ "target": { "load_balancer": "nlb" } })),
        );
    }

    #[test]
    fn fires_without_target_and_the_fix_clears_it() {
        let patch = http_api(json!({}));
        assert_fires_at("VL413", patch.clone(), &[&format!("{AT}/target")]);
        assert_fix_clears("VL413", patch);
    }

    #[test]
    fn fires_on_a_port_without_listener_and_the_fix_clears_it() {
        let patch = http_api(json!({ "target": { "load_balancer": "nlb", "port": 443 } }));
        assert_fires_at("VL413", patch.clone(), &[&format!("{AT}/target/port")]);
        assert_fix_clears("VL413", patch);
    }
}

//! VL105: the network load balancer behind a REST-API (V1) VPC link has a listener.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::VpcLinkVersion;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL105",
        name: "vpc-link-load-balancer-without-listener",
        family: Family::VpcLink,
        severity: Severity::Error,
        // The facts' catalogue (VL-04) ranks this a warning because creation succeeds; it is
        // an error here because every request through the link then fails (§13: E = fails at
        // deploy or runtime).
        title: "Load balancer behind a REST VPC link has no listener",
        rationale: "An NLB without listeners accepts no connections, so every request sent through the VPC link fails with a 500 even though the link itself may be AVAILABLE.",
        source: "facts §4.4, §12, VL-04 [S7][S9][S22]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (lb_id, lb) in &g.topology.load_balancers {
        if !lb.listeners.is_empty() {
            continue;
        }
        let links: Vec<String> = g
            .links_targeting(lb_id.as_str())
            .iter()
            .filter(|l| {
                g.vpc_link(l.as_str())
                    .is_some_and(|link| link.version() == VpcLinkVersion::V1)
            })
            .map(|l| format!("`{l}`"))
            .collect();
        if links.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("load_balancers", lb_id),
                JsonPointer::resource("load_balancers", lb_id),
                format!(
                    "Load balancer `{lb_id}` has no listener, so nothing accepts the traffic VPC link {} sends it and every request through the link fails with a 500.",
                    links.join(", ")
                ),
            )
            .with_help(format!(
                "Add a listener to `{lb_id}` on the port the integration URIs use (80 for `http://` without a port), forwarding to the target group of the backend."
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL105", unchanged());
    }

    #[test]
    fn fires_when_the_linked_load_balancer_has_no_listener() {
        assert_fires_at(
            "VL105",
            json!([{ "op": "replace", "path": "/load_balancers/nlb/listeners", "value": [] }]),
            &["/load_balancers/nlb"],
        );
    }

    #[test]
    fn quiet_for_a_load_balancer_no_link_targets() {
        assert_quiet(
            "VL105",
            json!([{ "op": "add", "path": "/load_balancers/spare", "value":
                { "type": "network", "scheme": "internal", "subnets": ["nlb-a"] } }]),
        );
    }
}

//! VL104: a network load balancer backs at most one REST-API (V1) VPC link.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::VpcLinkVersion;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL104",
        name: "vpc-link-shared-load-balancer",
        family: Family::VpcLink,
        severity: Severity::Error,
        title: "Two REST VPC links target the same load balancer",
        rationale: "Each V1 link creates a VPC endpoint service on its NLB and an NLB can belong to only one endpoint service, so the second link fails.",
        source: "facts §2.2, VL-03 [S9][S31]; https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (lb_id, _) in &g.topology.load_balancers {
        let links: Vec<_> = g
            .links_targeting(lb_id.as_str())
            .iter()
            .filter_map(|l| g.vpc_link(l.as_str()).map(|link| (*l, link)))
            .filter(|(_, link)| link.version() == VpcLinkVersion::V1)
            .collect();
        let Some(((first, _), rest)) = links.split_first() else {
            continue;
        };
        for (id, link) in rest {
            for (i, _) in link.targets.iter().enumerate().filter(|(_, t)| *t == lb_id) {
                out.push(
                    Diagnostic::new(
                        &RULE.meta,
                        ResourceRef::new("vpc_links", id),
                        JsonPointer::resource("vpc_links", id).key("targets").index(i),
                        format!(
                            "VPC links `{first}` and `{id}` both target `{lb_id}`; each link creates a VPC endpoint service on its load balancer and a load balancer can belong to only one, so `{id}` fails (\"NLB is already associated with another VPC Endpoint Service\")."
                        ),
                    )
                    .with_help(format!(
                        "Route these integrations through `{first}` and tell the backends apart by listener port (the URI's port), or give `{id}` its own network load balancer."
                    ))
                    .with_related(
                        JsonPointer::resource("vpc_links", first).key("targets"),
                        "the first link to this load balancer",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL104", unchanged());
    }

    #[test]
    fn fires_on_the_second_link_to_the_same_load_balancer() {
        assert_fires_at(
            "VL104",
            json!([{ "op": "add", "path": "/vpc_links/other", "value": { "targets": ["nlb"] } }]),
            &["/vpc_links/other/targets/0"],
        );
    }

    #[test]
    fn quiet_when_the_links_target_different_load_balancers() {
        assert_quiet(
            "VL104",
            json!([
                { "op": "add", "path": "/load_balancers/nlb2", "value":
                    { "type": "network", "scheme": "internal", "subnets": ["nlb-a"] } },
                { "op": "add", "path": "/vpc_links/other", "value": { "targets": ["nlb2"] } }
            ]),
        );
    }
}

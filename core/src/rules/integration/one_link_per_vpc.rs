//! VL415: one API fronting several NLBs of one VPC through several V1 links.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::graph::ApiKind;
use crate::model::{Id, VpcLinkVersion};
use crate::pointer::JsonPointer;
use crate::rules::integration::resolve::backends;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL415",
        name: "one-vpc-link-per-vpc",
        family: Family::Integration,
        severity: Severity::Info,
        title: "Several V1 VPC links into one VPC for one API",
        rationale: "AWS recommends one NLB with one VPC link per VPC, telling backends apart by listener port; each extra NLB is billed hourly and counts against the VPC link quota.",
        source: "facts §2.2, §2.3, §8.1 [S7][S12][S44]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-nlb-for-vpclink-using-console.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    // API → VPC → links (with their NLB), in a stable order.
    let mut by_api: BTreeMap<&Id, BTreeMap<&Id, BTreeMap<&Id, &Id>>> = BTreeMap::new();
    for ia in g.integrations() {
        if ia.api_kind != ApiKind::Rest {
            continue;
        }
        for b in backends(g, ia) {
            if b.link_version != VpcLinkVersion::V1 {
                continue;
            }
            let Some(vpc) = g.vpc_of_load_balancer(b.lb) else {
                continue;
            };
            by_api
                .entry(ia.api_id)
                .or_default()
                .entry(vpc)
                .or_default()
                .insert(b.link_id, b.lb_id);
        }
    }
    for (api_id, vpcs) in by_api {
        for (vpc, links) in vpcs {
            if links.len() < 2 {
                continue;
            }
            let list: Vec<String> = links
                .iter()
                .map(|(l, lb)| format!("`{l}` → `{lb}`"))
                .collect();
            let mut d = Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("rest_apis", api_id),
                JsonPointer::resource("rest_apis", api_id),
                format!(
                    "REST API `{api_id}` reaches VPC `{vpc}` through {} VPC links ({}); each needs its own NLB, billed hourly, and the links count against the Region's quota of 20.",
                    links.len(),
                    list.join(", ")
                ),
            )
            .with_help("Consider one NLB with one VPC link for the VPC, giving each backend its own listener port and pointing each route's URI at that port.");
            for l in links.keys() {
                d = d.with_related(
                    JsonPointer::resource("vpc_links", l),
                    format!("VPC link `{l}`"),
                );
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn second_link() -> serde_json::Value {
        json!([
            { "op": "add", "path": "/load_balancers/nlb2", "value": { "type": "network", "scheme": "internal",
                "subnets": ["nlb-a", "nlb-b"], "listeners": [ { "port": 80, "protocol": "TCP", "forward": "backend" } ] } },
            { "op": "add", "path": "/vpc_links/link2", "value": { "targets": ["nlb2"] } },
            { "op": "add", "path": "/rest_apis/shop/routes/GET ~1orders", "value": { "integration":
                { "type": "HTTP_PROXY", "vpc_link": "link2", "method": "GET", "uri": "http://nlb2.internal/orders" } } }
        ])
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL415", unchanged());
    }

    #[test]
    fn notes_two_links_into_one_vpc() {
        assert_fires_at("VL415", second_link(), &["/rest_apis/shop"]);
    }
}

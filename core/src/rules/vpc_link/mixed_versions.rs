//! VL107: a VPC link is either a REST-API link (V1, `targets`) or a V2 link (`subnets`
//! and `security_groups`), never both.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL107",
        name: "vpc-link-mixed-versions",
        family: Family::VpcLink,
        severity: Severity::Error,
        title: "VPC link mixes V1 targets with V2 subnets or security groups",
        rationale: "V1 links (`apigateway`) take only target ARNs and V2 links (`apigatewayv2`) only subnets and security groups; no API call creates a link with both.",
        source: "facts §2.1, §2.6, C2 [S1][S15]; https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-vpc-links-v2.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, link) in &cx.graph.topology.vpc_links {
        if link.targets.is_empty() || (link.subnets.is_empty() && link.security_groups.is_empty()) {
            continue;
        }
        let v2_fields = match (link.subnets.is_empty(), link.security_groups.is_empty()) {
            (false, false) => "`subnets` and `security_groups`",
            (false, true) => "`subnets`",
            _ => "`security_groups`",
        };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("vpc_links", id),
                JsonPointer::resource("vpc_links", id),
                format!(
                    "VPC link `{id}` lists `targets` (a REST-API V1 link) and also {v2_fields} (a V2 link); AWS has no link with both, so it cannot be created."
                ),
            )
            .with_help(
                "For a V1 link to a network load balancer keep only `targets`; for a V2 link keep `subnets` and `security_groups` and name the load balancer in each integration's `target`.",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL107", unchanged());
    }

    #[test]
    fn fires_when_targets_and_subnets_are_both_given() {
        assert_fires_at(
            "VL107",
            json!([{ "op": "add", "path": "/vpc_links/link/subnets", "value": ["private-a"] }]),
            &["/vpc_links/link"],
        );
    }

    #[test]
    fn quiet_for_a_pure_v2_link() {
        assert_quiet(
            "VL107",
            json!([{ "op": "add", "path": "/vpc_links/v2", "value":
                { "subnets": ["private-a", "private-b"], "security_groups": ["app"] } }]),
        );
    }
}

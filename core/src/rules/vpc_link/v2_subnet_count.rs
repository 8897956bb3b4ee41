//! VL108: a V2 VPC link has between one and ten subnets.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

/// Subnets per V2 VPC link (HTTP API quota page).
const MAX_SUBNETS: usize = 10;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL108",
        name: "vpc-link-v2-subnet-count",
        family: Family::VpcLink,
        severity: Severity::Error,
        title: "V2 VPC link needs one to ten subnets",
        rationale: "`SubnetIds` is required when creating a V2 link and AWS allows at most 10 subnets per link; subnets cannot be changed later.",
        source: "facts §2.3, §2.6, VL-07 [S1][S13]; https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, link) in &cx.graph.topology.vpc_links {
        // Only V2 links; a link that also lists `targets` is VL107's concern.
        if !link.targets.is_empty() || (link.subnets.is_empty() && link.security_groups.is_empty())
        {
            continue;
        }
        let n = link.subnets.len();
        let (message, help) = if n == 0 {
            (
                format!("V2 VPC link `{id}` has security groups but no subnets; AWS requires `SubnetIds` to create the link's network interfaces, so creation fails."),
                "List the subnets (one or more, ideally one per Availability Zone of the backend) the link's network interfaces go in.".to_owned(),
            )
        } else if n > MAX_SUBNETS {
            (
                format!("V2 VPC link `{id}` lists {n} subnets; AWS allows at most {MAX_SUBNETS} subnets per VPC link, so creation fails."),
                format!("Keep at most {MAX_SUBNETS} subnets, one per Availability Zone is enough."),
            )
        } else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("vpc_links", id),
                JsonPointer::resource("vpc_links", id).key("subnets"),
                message,
            )
            .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example_and_for_a_sound_v2_link() {
        assert_quiet("VL108", unchanged());
        assert_quiet(
            "VL108",
            json!([{ "op": "add", "path": "/vpc_links/v2", "value":
                { "subnets": ["private-a", "private-b"], "security_groups": ["app"] } }]),
        );
    }

    #[test]
    fn fires_for_a_v2_link_without_subnets() {
        assert_fires_at(
            "VL108",
            json!([{ "op": "add", "path": "/vpc_links/v2", "value": { "security_groups": ["app"] } }]),
            &["/vpc_links/v2/subnets"],
        );
    }

    #[test]
    fn fires_for_more_than_ten_subnets() {
        let subnets: Vec<&str> = std::iter::repeat_n("private-a", 11).collect();
        assert_fires_at(
            "VL108",
            json!([{ "op": "add", "path": "/vpc_links/v2", "value": { "subnets": subnets } }]),
            &["/vpc_links/v2/subnets"],
        );
    }
}

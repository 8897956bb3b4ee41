//! VL112: an observed VPC link is still PENDING or has gone INACTIVE.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::VpcLinkStatus;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL112",
        name: "vpc-link-status-not-ready",
        family: Family::VpcLink,
        severity: Severity::Warning,
        title: "VPC link is PENDING or INACTIVE",
        rationale: "A PENDING link is still being created (typically 2–4 minutes) and deployments wait for it; an INACTIVE V2 link (60 days idle) fails requests until it is re-provisioned.",
        source: "facts §2.1, §2.2, §2.6, §12 [S2][S3][S15]; https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-vpc-links-v2.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let Some(observed) = cx.graph.observed() else {
        return;
    };
    for (id, link) in &observed.vpc_links {
        let (status, why, help) = match link.status {
            VpcLinkStatus::Pending => (
                "PENDING",
                "it is still being created, so deployments wait and requests through it fail until it is AVAILABLE",
                "Wait for AVAILABLE (usually 2–4 minutes; allow up to 10–15 before treating it as stuck), then deploy.",
            ),
            VpcLinkStatus::Inactive => (
                "INACTIVE",
                "it carried no traffic for 60 days, so AWS removed its network interfaces and requests fail until it is re-provisioned",
                "Send traffic through the link to re-provision it (PENDING, then AVAILABLE), and expect the first requests to fail.",
            ),
            _ => continue,
        };
        let message = match &link.status_message {
            Some(m) if !m.is_empty() => format!("VPC link `{id}` is {status} (\"{m}\"); {why}."),
            _ => format!("VPC link `{id}` is {status}; {why}."),
        };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("vpc_links", id),
                JsonPointer::root()
                    .key("observed")
                    .key("vpc_links")
                    .key(id)
                    .key("status"),
                message,
            )
            .with_help(help)
            .with_related(JsonPointer::resource("vpc_links", id), "the VPC link"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example_and_for_other_states() {
        assert_quiet("VL112", unchanged());
        assert_quiet(
            "VL112",
            json!([{ "op": "add", "path": "/observed", "value":
                { "vpc_links": { "link": { "status": "FAILED" } } } }]),
        );
    }

    #[test]
    fn fires_for_a_pending_link() {
        assert_fires_at(
            "VL112",
            json!([{ "op": "add", "path": "/observed", "value":
                { "vpc_links": { "link": { "status": "PENDING" } } } }]),
            &["/observed/vpc_links/link/status"],
        );
    }

    #[test]
    fn fires_for_an_inactive_link() {
        assert_fires_at(
            "VL112",
            json!([{ "op": "add", "path": "/observed", "value":
                { "vpc_links": { "link": { "status": "INACTIVE", "status_message": "idle" } } } }]),
            &["/observed/vpc_links/link/status"],
        );
    }
}

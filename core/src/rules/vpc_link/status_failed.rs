//! VL111: an observed VPC link is FAILED or being deleted.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::VpcLinkStatus;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL111",
        name: "vpc-link-status-failed",
        family: Family::VpcLink,
        severity: Severity::Error,
        title: "VPC link is FAILED or DELETING",
        rationale: "A FAILED link carries no traffic and a DELETING one is going away (deployments that use it fail); every integration through it returns 500.",
        source: "facts §2.1, §2.4, §12, C4, C18 [S2][S9][S22]; https://docs.aws.amazon.com/apigateway/latest/api/API_VpcLink.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let Some(observed) = cx.graph.observed() else {
        return;
    };
    for (id, link) in &observed.vpc_links {
        let (status, why, help) = match link.status {
            VpcLinkStatus::Failed => (
                "FAILED",
                "it carries no traffic, so every integration through it returns 500",
                format!("Read the status message, fix the cause (usually the target ARN: not an NLB, another Region or account, or an NLB already used by another link; or missing `ec2:*VpcEndpointService*` permissions), then delete and recreate `{id}`."),
            ),
            VpcLinkStatus::Deleting => (
                "DELETING",
                "it is being deleted, so deployments that use it fail and its integrations stop working",
                format!("Point the integrations at another link and redeploy, or recreate `{id}` once the deletion finishes."),
            ),
            _ => continue,
        };
        let message = match &link.status_message {
            Some(m) if !m.is_empty() => {
                format!("VPC link `{id}` is {status} (\"{m}\"); {why}.")
            }
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
    fn quiet_on_the_clean_example_and_for_an_available_link() {
        assert_quiet("VL111", unchanged());
        assert_quiet(
            "VL111",
            json!([{ "op": "add", "path": "/observed", "value":
                { "vpc_links": { "link": { "status": "AVAILABLE" } } } }]),
        );
    }

    #[test]
    fn fires_for_a_failed_link_and_quotes_its_message() {
        let got = assert_fires_at(
            "VL111",
            json!([{ "op": "add", "path": "/observed", "value":
                { "vpc_links": { "link": { "status": "FAILED",
                    "status_message": "NLB is already associated with another VPC Endpoint Service" } } } }]),
            &["/observed/vpc_links/link/status"],
        );
        assert!(got.iter().all(|d| d.message.contains("already associated")));
    }

    #[test]
    fn fires_for_a_deleting_link() {
        assert_fires_at(
            "VL111",
            json!([{ "op": "add", "path": "/observed", "value":
                { "vpc_links": { "link": { "status": "DELETING" } } } }]),
            &["/observed/vpc_links/link/status"],
        );
    }
}

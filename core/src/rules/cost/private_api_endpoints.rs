//! VL603: private REST APIs are reached through billed interface VPC endpoints.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::EndpointType;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL603",
        name: "private-api-endpoint-charges",
        family: Family::Cost,
        severity: Severity::Info,
        title: "Private REST API is reached through billed interface endpoints",
        rationale: "Private APIs have no data-transfer-out charge, but the interface VPC endpoints clients use are billed per endpoint per AZ-hour and per GB processed.",
        source: "facts §8.2, §8.3 [S45][S47]; https://aws.amazon.com/privatelink/pricing/",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (api_id, api) in &cx.graph.topology.rest_apis {
        if api.endpoint_type != EndpointType::Private {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("rest_apis", api_id),
                JsonPointer::resource("rest_apis", api_id).key("endpoint_type"),
                format!(
                    "REST API `{api_id}` is private: clients reach it through `execute-api` interface VPC endpoints, billed at about $0.01 per endpoint per Availability Zone-hour plus $0.01 per GB processed (us-east-1), on top of the API's request charges."
                ),
            )
            .with_help("Share one `execute-api` endpoint per VPC across private APIs, and enable it only in the zones clients run in."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL603", unchanged());
    }

    #[test]
    fn notes_a_private_api() {
        let patch = json!([{ "op": "replace", "path": "/rest_apis/shop/endpoint_type", "value": "PRIVATE" }]);
        assert_fires_at("VL603", patch, &["/rest_apis/shop/endpoint_type"]);
    }
}

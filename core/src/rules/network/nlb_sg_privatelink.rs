//! VL304: an NLB with security groups behind a V1 VPC link should not enforce its inbound
//! rules on PrivateLink traffic.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::VpcLinkVersion;
use crate::pointer::JsonPointer;
use crate::reach::HopKind;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL304",
        name: "nlb-enforces-security-groups-on-privatelink",
        family: Family::Network,
        severity: Severity::Warning,
        title: "Load balancer behind a REST VPC link enforces inbound rules on PrivateLink traffic",
        rationale: "API Gateway reaches a V1 link's NLB through PrivateLink from addresses nobody publishes; AWS's setup guide turns inbound-rule enforcement for that traffic off.",
        source: "facts §4.3, C14, LB-04 [S7][S28][S56]; https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-nlb-for-vpclink-using-console.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let graph = cx.graph;
    for (lb_id, lb) in &graph.topology.load_balancers {
        if !lb.enforces_privatelink_inbound() {
            continue;
        }
        let Some(link) = graph.links_targeting(lb_id.as_str()).iter().find(|l| {
            graph
                .vpc_link(l.as_str())
                .is_some_and(|l| l.version() == VpcLinkVersion::V1)
        }) else {
            continue;
        };
        // When the groups do not open the listener ports to every address, the path is
        // blocked (reach reports this code for it), so the finding is an error.
        let blocked = cx.network().checks().iter().find(|c| {
            c.kind == HopKind::LoadBalancerSecurityGroupPrivateLink
                && c.witness.load_balancer == lb_id
                && c.block.is_some()
        });
        let at = JsonPointer::resource("load_balancers", lb_id)
            .key("enforce_inbound_rules_on_privatelink");
        let fix = fixes::safe(
            format!("Turn off inbound-rule enforcement for PrivateLink traffic on `{lb_id}`"),
            vec![fixes::set(at.clone(), &false)],
        );
        let d = match blocked.and_then(|c| c.block.as_ref()) {
            Some(b) => Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("load_balancers", lb_id),
                at,
                format!(
                    "{} Requests through VPC link `{link}` are dropped at the load balancer, and API Gateway answers 500.",
                    b.explanation
                ),
            )
            .with_severity(Severity::Error),
            None => Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("load_balancers", lb_id),
                at,
                format!(
                    "Load balancer `{lb_id}` has security groups and enforces their inbound rules on PrivateLink traffic from VPC link `{link}`. It works only while those rules allow the listener ports from every address, since API Gateway's PrivateLink addresses are not published."
                ),
            ),
        };
        out.push(
            d.with_help("Set `enforce_inbound_rules_on_privatelink` to false, as AWS's VPC-link setup guide does.")
                .with_fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::*;
    use serde_json::json;

    const AT: &str = "/load_balancers/nlb/enforce_inbound_rules_on_privatelink";

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL304", unchanged());
    }

    #[test]
    fn errors_when_enforcement_drops_api_gateway_and_the_fix_turns_it_off() {
        let patch = json!([{ "op": "remove", "path": AT }]);
        let d = assert_fires_at("VL304", patch.clone(), &[AT]);
        assert_eq!(d[0].severity, Severity::Error);
        assert_fix_clears("VL304", patch);
    }

    #[test]
    fn warns_when_the_groups_happen_to_allow_everyone() {
        let patch = json!([
            { "op": "remove", "path": AT },
            { "op": "replace", "path": "/security_groups/nlb/ingress/0/source", "value": { "cidr": "0.0.0.0/0" } }
        ]);
        let d = assert_fires_at("VL304", patch, &[AT]);
        assert_eq!(d[0].severity, Severity::Warning);
    }

    #[test]
    fn quiet_without_load_balancer_security_groups() {
        assert_quiet(
            "VL304",
            json!([
                { "op": "remove", "path": AT },
                { "op": "replace", "path": "/load_balancers/nlb/security_groups", "value": [] }
            ]),
        );
    }
}

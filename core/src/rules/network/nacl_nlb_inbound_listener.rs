//! VL312: the load balancer subnet's network ACL lets the listener port in from the source.

use super::{report_blocks, Wording};
use crate::diagnostic::{Diagnostic, Family, RuleMeta, Severity};
use crate::reach::HopKind;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL312",
        name: "nlb-subnet-acl-blocks-listener",
        family: Family::Network,
        severity: Severity::Error,
        title: "Load balancer subnet network ACL does not allow the listener port in",
        rationale: "Requests reach the NLB nodes on the listener port: from a V2 link's subnets, or through PrivateLink for a V1 link, whose source is taken to be the VPC's CIDRs.",
        source: "facts §6 (minimum custom-NACL rules; PrivateLink source UNCONFIRMED), NA-02 [S38][S41][S42]; https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    report_blocks(
        cx,
        out,
        &RULE.meta,
        |c| c.kind == HopKind::LoadBalancerSubnetInbound,
        &Wording {
            why: "Requests from API Gateway are dropped before they reach the load balancer, so clients get a 5xx error.",
            help: "Add an inbound allow entry for the listener port from the request sources (the VPC's CIDRs for a REST VPC link, the link's subnets for a V2 link).",
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL312", unchanged());
    }

    #[test]
    fn fires_when_the_listener_port_is_not_allowed_in() {
        let patch = json!([{ "op": "replace", "path": "/network_acls/nlb/ingress/0/ports", "value": "443" }]);
        let d = assert_fires_at("VL312", patch.clone(), &["/network_acls/nlb/ingress"]);
        assert!(
            d[0].message.contains("port 80") || d[0].message.contains("TCP 80"),
            "{}",
            d[0].message
        );
        assert_fix_clears("VL312", patch);
    }

    #[test]
    fn quiet_when_no_vpc_link_sends_to_the_load_balancer() {
        assert_quiet(
            "VL312",
            json!([
                { "op": "replace", "path": "/network_acls/nlb/ingress/0/ports", "value": "443" },
                { "op": "replace", "path": "/vpc_links/link/targets", "value": [] }
            ]),
        );
    }
}

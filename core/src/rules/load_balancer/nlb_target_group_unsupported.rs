//! VL211: a target group behind a network load balancer is one an NLB can use.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::{LbProtocol, LoadBalancerType, TargetType};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL211",
        name: "nlb-target-group-unsupported",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Target group cannot sit behind a network load balancer",
        rationale: "NLB target groups take instance, ip or alb targets over TCP, TLS, UDP, TCP_UDP, QUIC or TCP_QUIC; Lambda targets and HTTP(S) target groups belong to ALBs.",
        source: "facts §4.5, C19, TG-02 [S1][S32]; https://boto3.amazonaws.com/v1/documentation/api/latest/reference/services/elbv2/client/create_target_group.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (tg_id, tg) in &g.topology.target_groups {
        let Some(nlb) = g
            .listeners_forwarding_to(tg_id.as_str())
            .iter()
            .find(|l| l.load_balancer.kind == LoadBalancerType::Network)
        else {
            continue;
        };
        let lb_id = nlb.load_balancer_id;
        let at = JsonPointer::resource("target_groups", tg_id);
        let (path, message) = if tg.target_type == TargetType::Lambda {
            (
                at.key("target_type"),
                format!(
                    "Target group `{tg_id}` has Lambda targets but network load balancer `{lb_id}` forwards to it; NLBs only send to instance, ip or alb targets, so AWS rejects the listener."
                ),
            )
        } else if matches!(
            tg.protocol,
            LbProtocol::Http | LbProtocol::Https | LbProtocol::Geneve
        ) {
            (
                at.key("protocol"),
                format!(
                    "Target group `{tg_id}` speaks {} but network load balancer `{lb_id}` forwards to it; NLB target groups use TCP, TLS, UDP, TCP_UDP, QUIC or TCP_QUIC, so AWS rejects the listener.",
                    tg.protocol.as_str()
                ),
            )
        } else {
            continue;
        };
        out.push(
            Diagnostic::new(&RULE.meta, ResourceRef::new("target_groups", tg_id), path, message)
                .with_help("Behind an NLB use a TCP (or TLS) target group of instance or ip targets; to reach Lambda or speak HTTP to targets, register an ALB as an `alb` target and let it forward.")
                .with_related(nlb.path(), "the listener that forwards to it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL211", unchanged());
    }

    #[test]
    fn fires_for_an_http_target_group_behind_an_nlb() {
        assert_fires_at(
            "VL211",
            json!([{ "op": "replace", "path": "/target_groups/backend/protocol", "value": "HTTP" }]),
            &["/target_groups/backend/protocol"],
        );
    }

    #[test]
    fn fires_for_lambda_targets_behind_an_nlb() {
        assert_fires_at(
            "VL211",
            json!([
                { "op": "replace", "path": "/target_groups/backend/target_type", "value": "lambda" },
                { "op": "replace", "path": "/target_groups/backend/targets", "value": [] }
            ]),
            &["/target_groups/backend/target_type"],
        );
    }

    #[test]
    fn quiet_for_an_http_target_group_no_nlb_uses() {
        assert_quiet(
            "VL211",
            json!([{ "op": "add", "path": "/target_groups/web", "value":
                { "vpc": "app", "protocol": "HTTP", "port": 8080 } }]),
        );
    }
}

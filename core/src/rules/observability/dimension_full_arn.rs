//! VL503: ELB alarm dimensions take the ARN suffix, not the full ARN.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::observability::common::is_elb_namespace;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL503",
        name: "alarm-dimension-full-arn",
        family: Family::Observability,
        severity: Severity::Error,
        title: "Alarm dimension holds a full ARN instead of the ARN suffix",
        rationale: "ELB metrics are keyed `LoadBalancer=net/<name>/<id>` and `TargetGroup=targetgroup/<name>/<id>`; a full ARN matches no series and the alarm stays INSUFFICIENT_DATA.",
        source: "facts §1, §7.1, §12, CW-01 [S37][S48]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html",
    },
    check,
};

/// The part of an ARN that CloudWatch uses for the dimension, if the ARN has one.
fn suffix<'a>(name: &str, arn: &'a str) -> Option<&'a str> {
    match name {
        "LoadBalancer" => arn.split_once(":loadbalancer/").map(|(_, s)| s),
        "TargetGroup" => arn.find(":targetgroup/").and_then(|i| arn.get(i + 1..)),
        _ => None,
    }
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, alarm) in &cx.graph.topology.alarms {
        if !is_elb_namespace(alarm.effective_namespace()) {
            continue;
        }
        for (i, dim) in alarm.dimensions.iter().enumerate() {
            if !matches!(dim.name.as_str(), "LoadBalancer" | "TargetGroup")
                || !dim.value.starts_with("arn:")
            {
                continue;
            }
            let at = JsonPointer::resource("alarms", id)
                .key("dimensions")
                .index(i)
                .key("value");
            let form = if dim.name == "LoadBalancer" {
                "net/<name>/<id>"
            } else {
                "targetgroup/<name>/<id>"
            };
            let mut d = Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("alarms", id),
                at.clone(),
                format!(
                    "Alarm `{id}` gives the {} dimension as the full ARN `{}`; CloudWatch keys ELB metrics by the ARN suffix (`{form}`), so the alarm matches no data and stays INSUFFICIENT_DATA.",
                    dim.name, dim.value
                ),
            )
            .with_help(format!("Use only the `{form}` part of the ARN (CloudFormation: `{}`).", if dim.name == "LoadBalancer" { "Fn::GetAtt <lb>.LoadBalancerFullName" } else { "Fn::GetAtt <tg>.TargetGroupFullName" }));
            if let Some(s) = suffix(&dim.name, &dim.value) {
                d = d.with_fix(fixes::safe(format!("Use `{s}`"), vec![fixes::set(at, &s)]));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn dims(value: serde_json::Value) -> serde_json::Value {
        json!([
            { "op": "remove", "path": "/alarms/unhealthy/target_group" },
            { "op": "remove", "path": "/alarms/unhealthy/load_balancer" },
            { "op": "add", "path": "/alarms/unhealthy/dimensions", "value": value }
        ])
    }

    #[test]
    fn quiet_on_the_clean_example_and_on_suffixes() {
        assert_quiet("VL503", unchanged());
        assert_quiet(
            "VL503",
            dims(json!([
            { "name": "TargetGroup", "value": "targetgroup/shop-backend/0123456789abcdef" },
            { "name": "LoadBalancer", "value": "net/shop-nlb/0123456789abcdef" } ])),
        );
    }

    #[test]
    fn fires_on_full_arns_and_the_fix_clears_them() {
        let patch = dims(json!([
            { "name": "TargetGroup", "value": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-backend/0123456789abcdef" },
            { "name": "LoadBalancer", "value": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/shop-nlb/0123456789abcdef" } ]));
        assert_fires_at(
            "VL503",
            patch.clone(),
            &[
                "/alarms/unhealthy/dimensions/0/value",
                "/alarms/unhealthy/dimensions/1/value",
            ],
        );
        assert_fix_clears("VL503", patch);
    }
}

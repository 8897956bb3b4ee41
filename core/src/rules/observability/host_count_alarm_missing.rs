//! VL501: a target group behind a VPC link has no host-count alarm.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::observability::common::{
    is_host_count, literal, target_groups_behind_links, watched_target_group,
};
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL501",
        name: "target-group-without-health-alarm",
        family: Family::Observability,
        severity: Severity::Warning,
        title: "Target group behind a VPC link has no host-count alarm",
        rationale: "An NLB fails open when every target is unhealthy, so clients see 500s and 504s rather than a clear error; an UnHealthyHostCount alarm is how the cause gets noticed.",
        source: "facts §7.1, §7.3, §3.5, C9 [S37][S32]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    let alarms = &g.topology.alarms;
    // One pass over the alarms, so the check stays linear in the topology's size.
    let mut watched: BTreeSet<&str> = BTreeSet::new();
    let mut unscoped_alarm = false;
    for (_, a) in alarms.iter().filter(|(_, a)| is_host_count(a)) {
        match watched_target_group(g, a) {
            Some(tg) => {
                watched.insert(tg.as_str());
            }
            // An alarm without its TargetGroup dimension that could be meant for a target
            // group is VL502's finding; reporting it here too would say the same thing twice.
            None if literal(a, "TargetGroup").is_none() => {
                match a
                    .load_balancer
                    .as_ref()
                    .map(|l| g.load_balancer(l.as_str()))
                {
                    Some(Some(lb)) => {
                        watched.extend(lb.listeners.iter().map(|l| l.forward.as_str()));
                    }
                    Some(None) => {}
                    None => unscoped_alarm = true,
                }
            }
            None => {}
        }
    }
    if unscoped_alarm {
        return;
    }
    for tg_id in target_groups_behind_links(g) {
        if watched.contains(tg_id.as_str()) {
            continue;
        }
        let mut alarm_id = format!("{tg_id}-unhealthy-hosts");
        let mut n = 2;
        while alarms.contains(&alarm_id) {
            alarm_id = format!("{tg_id}-unhealthy-hosts-{n}");
            n += 1;
        }
        let alarm = serde_json::json!({
            "metric": "UnHealthyHostCount",
            "target_group": tg_id,
            "statistic": "Maximum",
            "period_seconds": 60,
            "evaluation_periods": 2,
            "threshold": 0,
            "comparison": "GreaterThanThreshold",
            // NLB metrics stop when no traffic flows; missing data is not an outage.
            "treat_missing_data": "notBreaching"
        });
        let op = if alarms.is_empty() {
            fixes::set(
                JsonPointer::root().key("alarms"),
                &serde_json::json!({ alarm_id.clone(): alarm }),
            )
        } else {
            fixes::set(JsonPointer::resource("alarms", &alarm_id), &alarm)
        };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("target_groups", tg_id),
                JsonPointer::resource("target_groups", tg_id),
                format!(
                    "No UnHealthyHostCount or HealthyHostCount alarm watches target group `{tg_id}`, which serves API traffic through a VPC link; when its targets fail, the NLB fails open and the API returns 500s with nothing pointing at the cause."
                ),
            )
            .with_help("Add an alarm on `UnHealthyHostCount` (Maximum > 0 over 60 s) for this target group and its load balancer.")
            // Unsafe: it creates an alarm, which is billed and pages someone.
            .with_fix(fixes::unsafe_fix(
                format!("Add alarm `{alarm_id}` on UnHealthyHostCount"),
                vec![op],
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL501", unchanged());
    }

    #[test]
    fn fires_without_an_alarm_and_the_fix_clears_it() {
        let patch = json!([{ "op": "remove", "path": "/alarms" }]);
        assert_fires_at("VL501", patch.clone(), &["/target_groups/backend"]);
        assert_fix_clears("VL501", patch);
    }

    #[test]
    fn fires_when_the_alarm_watches_another_metric_and_the_fix_clears_it() {
        let patch = json!([{ "op": "replace", "path": "/alarms/unhealthy/metric", "value": "ActiveFlowCount" }]);
        assert_fires_at("VL501", patch.clone(), &["/target_groups/backend"]);
        assert_fix_clears("VL501", patch);
    }

    #[test]
    fn leaves_an_alarm_missing_its_target_group_to_vl502() {
        let patch = json!([{ "op": "remove", "path": "/alarms/unhealthy/target_group" }]);
        assert_quiet("VL501", patch);
    }

    #[test]
    fn a_literal_target_group_dimension_counts() {
        let patch = json!([
            { "op": "remove", "path": "/alarms/unhealthy/target_group" },
            { "op": "add", "path": "/alarms/unhealthy/dimensions", "value": [
                { "name": "TargetGroup", "value": "targetgroup/shop-backend/0123456789abcdef" } ] }
        ]);
        assert_quiet("VL501", patch);
    }

    #[test]
    fn quiet_for_target_groups_not_behind_a_link() {
        let patch = json!([
            { "op": "remove", "path": "/alarms" },
            { "op": "remove", "path": "/vpc_links/link" },
            { "op": "remove", "path": "/rest_apis/shop/routes/GET ~1products/integration/vpc_link" }
        ]);
        assert_quiet("VL501", patch);
    }
}

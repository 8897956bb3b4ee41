//! VL502: a host-count alarm needs both the TargetGroup and LoadBalancer dimensions.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::observability::common::{
    is_host_count, literal, target_groups_behind_links, watched_target_group,
};
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL502",
        name: "host-count-alarm-dimensions",
        family: Family::Observability,
        severity: Severity::Error,
        title: "Host-count alarm lacks the TargetGroup or LoadBalancer dimension",
        rationale: "NLB host counts are published only per TargetGroup and LoadBalancer together; an alarm missing either watches a series that never exists and stays INSUFFICIENT_DATA.",
        source: "facts C9, §7.1, §7.3, CW-01 [S37][S1]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    for (id, alarm) in &g.topology.alarms {
        if !is_host_count(alarm) {
            continue;
        }
        let at = JsonPointer::resource("alarms", id);
        let resource = ResourceRef::new("alarms", id);
        let metric = &alarm.metric;
        let has_tg = alarm.target_group.is_some() || literal(alarm, "TargetGroup").is_some();
        let forwarding_lbs = alarm
            .target_group
            .as_ref()
            .map(|tg| g.load_balancers_of_target_group(tg.as_str()))
            .unwrap_or_default();
        let has_lb = alarm.load_balancer.is_some()
            || literal(alarm, "LoadBalancer").is_some()
            || !forwarding_lbs.is_empty();

        if !has_tg {
            let mut d = Diagnostic::new(
                &RULE.meta,
                resource.clone(),
                at.clone().key("target_group"),
                format!("Alarm `{id}` on {metric} has no TargetGroup dimension; CloudWatch publishes {metric} only per target group and load balancer, so this alarm never gets data and stays INSUFFICIENT_DATA."),
            )
            .with_help("Set `target_group` to the target group to watch (or add a literal `TargetGroup` dimension `targetgroup/<name>/<id>`).");
            // The load balancer's listeners may forward to a single target group: then
            // that is the only series the alarm can mean.
            if let Some(lb) = alarm
                .load_balancer
                .as_ref()
                .and_then(|l| g.load_balancer(l.as_str()))
            {
                let tgs: BTreeSet<&str> = lb.listeners.iter().map(|l| l.forward.as_str()).collect();
                if let (1, Some(only)) = (tgs.len(), tgs.iter().next()) {
                    d = d.with_fix(fixes::safe(
                        format!("Watch target group `{only}`"),
                        vec![fixes::set(at.clone().key("target_group"), only)],
                    ));
                }
            } else if !has_lb {
                // The seed article's alarm: no dimensions at all. With one target group
                // behind a VPC link it is almost surely the one meant, but a person checks.
                let behind = target_groups_behind_links(g);
                if let (1, Some(only)) = (behind.len(), behind.iter().next()) {
                    if !g.load_balancers_of_target_group(only.as_str()).is_empty() {
                        d = d.with_fix(fixes::unsafe_fix(
                            format!("Watch target group `{only}` (its load balancer follows)"),
                            vec![fixes::set(at.clone().key("target_group"), only)],
                        ));
                    }
                }
            }
            out.push(d);
        }
        if !has_lb {
            let tg = watched_target_group(g, alarm);
            let why = match (&alarm.target_group, tg) {
                (Some(tg), _) => format!(
                    " and no listener forwards to target group `{tg}`, so none can be derived"
                ),
                _ => String::new(),
            };
            let mut d = Diagnostic::new(
                &RULE.meta,
                resource,
                at.clone().key("load_balancer"),
                format!("Alarm `{id}` on {metric} has no LoadBalancer dimension{why}; CloudWatch publishes {metric} only per target group and load balancer, so this alarm never gets data and stays INSUFFICIENT_DATA."),
            )
            .with_help("Set `load_balancer` to the network load balancer in front of the target group (or add a literal `LoadBalancer` dimension `net/<name>/<id>`).");
            // A literal TargetGroup that names a known target group with one load
            // balancer in front of it leaves no doubt which one is meant.
            if alarm.target_group.is_none() {
                if let Some(tg) = tg {
                    if let [(lb_id, _)] = g.load_balancers_of_target_group(tg.as_str()).as_slice() {
                        d = d.with_fix(fixes::safe(
                            format!("Add load balancer `{lb_id}` as the LoadBalancer dimension"),
                            vec![fixes::set(at.key("load_balancer"), lb_id)],
                        ));
                    }
                }
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example_and_with_a_derived_load_balancer() {
        assert_quiet("VL502", unchanged());
        assert_quiet(
            "VL502",
            json!([{ "op": "remove", "path": "/alarms/unhealthy/load_balancer" }]),
        );
    }

    #[test]
    fn fires_without_target_group_and_the_fix_clears_it() {
        let patch = json!([{ "op": "remove", "path": "/alarms/unhealthy/target_group" }]);
        assert_fires_at("VL502", patch.clone(), &["/alarms/unhealthy/target_group"]);
        assert_fix_clears("VL502", patch);
    }

    #[test]
    fn fires_like_the_seed_alarm_with_no_dimensions_at_all() {
        let patch = json!([
            { "op": "remove", "path": "/alarms/unhealthy/target_group" },
            { "op": "remove", "path": "/alarms/unhealthy/load_balancer" }
        ]);
        assert_fires_at(
            "VL502",
            patch.clone(),
            &[
                "/alarms/unhealthy/target_group",
                "/alarms/unhealthy/load_balancer",
            ],
        );
        // Naming the only target group behind the link clears both: its load balancer
        // follows from the listener.
        let doc = patched(three_tier(), patch);
        let fix = diagnostics(doc.clone())
            .into_iter()
            .find_map(|d| d.fix.filter(|_| d.code == "VL502"))
            .expect("a fix naming the target group");
        let fixed = patched(doc, serde_json::to_value(&fix.patch).unwrap());
        assert!(diagnostics(fixed).iter().all(|d| d.code != "VL502"));
    }

    #[test]
    fn fires_on_a_literal_target_group_alone_and_the_fix_adds_the_load_balancer() {
        let patch = json!([
            { "op": "remove", "path": "/alarms/unhealthy/target_group" },
            { "op": "remove", "path": "/alarms/unhealthy/load_balancer" },
            { "op": "add", "path": "/alarms/unhealthy/dimensions", "value": [
                { "name": "TargetGroup", "value": "targetgroup/shop-backend/0123456789abcdef" } ] }
        ]);
        assert_fires_at("VL502", patch.clone(), &["/alarms/unhealthy/load_balancer"]);
        assert_fix_clears("VL502", patch);
    }

    #[test]
    fn literal_dimensions_count() {
        let patch = json!([
            { "op": "remove", "path": "/alarms/unhealthy/target_group" },
            { "op": "remove", "path": "/alarms/unhealthy/load_balancer" },
            { "op": "add", "path": "/alarms/unhealthy/dimensions", "value": [
                { "name": "TargetGroup", "value": "targetgroup/x/1" },
                { "name": "LoadBalancer", "value": "net/y/2" } ] }
        ]);
        assert_quiet("VL502", patch);
    }

    #[test]
    fn fires_when_no_listener_forwards_to_the_target_group() {
        let patch = json!([
            { "op": "remove", "path": "/alarms/unhealthy/load_balancer" },
            { "op": "add", "path": "/target_groups/spare", "value": { "vpc": "app", "protocol": "TCP", "port": 9090 } },
            { "op": "replace", "path": "/alarms/unhealthy/target_group", "value": "spare" }
        ]);
        assert_fires_at("VL502", patch, &["/alarms/unhealthy/load_balancer"]);
    }
}

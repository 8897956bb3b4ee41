//! VL218: a health check times out before the next one starts.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::TargetType;
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL218",
        name: "health-check-timeout-not-below-interval",
        family: Family::LoadBalancer,
        severity: Severity::Warning,
        title: "Health check timeout is not shorter than its interval",
        rationale: "A check that may still be waiting when the next one starts overlaps it, so slow targets are judged on stale answers.",
        source: "facts §4.6, TG-04 (derived) [S32]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (tg_id, tg) in &cx.graph.topology.target_groups {
        if tg.target_type == TargetType::Lambda {
            continue;
        }
        let hc = &tg.health_check;
        let (interval, timeout) = (hc.interval_or_default(), hc.timeout_or_default());
        // Values outside AWS's ranges are VL217's; compare only what AWS would accept.
        if timeout < interval || !(5..=300).contains(&interval) || !(2..=120).contains(&timeout) {
            continue;
        }
        let defaulted = |given: Option<u32>| {
            if given.is_some() {
                ""
            } else {
                " (AWS's default)"
            }
        };
        let path = JsonPointer::resource("target_groups", tg_id)
            .key("health_check")
            .key("timeout_seconds");
        let shorter = interval - 1;
        let mut d = Diagnostic::new(
            &RULE.meta,
            ResourceRef::new("target_groups", tg_id),
            path.clone(),
            format!(
                "The health check of `{tg_id}` waits {timeout} s{} for an answer but runs every {interval} s{}, so checks overlap and a slow target is judged on stale answers.",
                defaulted(hc.timeout_seconds),
                defaulted(hc.interval_seconds)
            ),
        )
        .with_help("Make the timeout shorter than the interval.");
        if shorter >= 2 {
            d = d.with_fix(fixes::unsafe_fix(
                format!("Time out after {shorter} s"),
                vec![fixes::set(path, &shorter)],
            ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    const HC: &str = "/target_groups/backend/health_check";

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL218", unchanged());
    }

    #[test]
    fn fires_when_the_timeout_reaches_the_interval_and_the_fix_shortens_it() {
        let patch = json!([
            { "op": "replace", "path": format!("{HC}/interval_seconds"), "value": 10 },
            { "op": "replace", "path": format!("{HC}/timeout_seconds"), "value": 10 }
        ]);
        assert_fires_at(
            "VL218",
            patch.clone(),
            &["/target_groups/backend/health_check/timeout_seconds"],
        );
        assert_fix_clears("VL218", patch);
    }

    #[test]
    fn counts_aws_default_timeout() {
        // A TCP check times out after 10 s by default.
        assert_fires_at(
            "VL218",
            json!([
                { "op": "replace", "path": HC, "value": { "protocol": "TCP", "interval_seconds": 5 } }
            ]),
            &["/target_groups/backend/health_check/timeout_seconds"],
        );
    }

    #[test]
    fn quiet_when_out_of_range_values_are_another_rules_finding() {
        assert_quiet(
            "VL218",
            json!([{ "op": "replace", "path": format!("{HC}/interval_seconds"), "value": 1 }]),
        );
    }
}

//! VL217: health-check numbers are within AWS's ranges.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::TargetType;
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL217",
        name: "health-check-value-out-of-range",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Health check setting is out of range",
        rationale: "AWS accepts intervals of 5–300 s, timeouts of 2–120 s, thresholds of 2–10 and success codes within 200–599; other values are rejected.",
        source: "facts §4.6, C20, TG-03 [S1][S32]; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html",
    },
    check,
};

/// The numeric settings: field, what people call it, the inclusive range, the unit.
const RANGES: [(&str, &str, u32, u32, &str); 4] = [
    ("interval_seconds", "interval", 5, 300, " s"),
    ("timeout_seconds", "timeout", 2, 120, " s"),
    ("healthy_threshold", "healthy threshold", 2, 10, ""),
    ("unhealthy_threshold", "unhealthy threshold", 2, 10, ""),
];

/// Success codes AWS accepts in a matcher for these target groups.
const CODES: std::ops::RangeInclusive<u32> = 200..=599;

/// Why a matcher such as `200-399` or `200,204` is not acceptable, if it is not.
fn matcher_problem(matcher: &str) -> Option<String> {
    for part in matcher.split(',').map(str::trim) {
        let (lo, hi) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse::<u32>(), b.trim().parse::<u32>()),
            None => (part.parse::<u32>(), part.parse::<u32>()),
        };
        let (Ok(lo), Ok(hi)) = (lo, hi) else {
            return Some(format!(
                "`{part}` is not an HTTP code or a range of codes like `200-399`"
            ));
        };
        if lo > hi {
            return Some(format!("the range `{part}` runs backwards"));
        }
        if !CODES.contains(&lo) || !CODES.contains(&hi) {
            return Some(format!("`{part}` reaches outside 200–599"));
        }
    }
    None
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (tg_id, tg) in &cx.graph.topology.target_groups {
        if tg.target_type == TargetType::Lambda {
            continue;
        }
        let hc = &tg.health_check;
        let at = JsonPointer::resource("target_groups", tg_id).key("health_check");
        let values = [
            hc.interval_seconds,
            hc.timeout_seconds,
            hc.healthy_threshold,
            hc.unhealthy_threshold,
        ];
        for ((field, name, lo, hi, unit), value) in RANGES.iter().zip(values) {
            let Some(v) = value else { continue };
            if (*lo..=*hi).contains(&v) {
                continue;
            }
            let nearest = v.clamp(*lo, *hi);
            let path = at.clone().key(field);
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("target_groups", tg_id),
                    path.clone(),
                    format!(
                        "The health check {name} of `{tg_id}` is {v}{unit}; AWS accepts {lo}–{hi}{unit}, so it rejects the target group."
                    ),
                )
                .with_help(format!("Set the {name} to a value from {lo} to {hi}{unit}."))
                .with_fix(fixes::safe(
                    format!("Use {nearest}{unit}, the nearest value AWS accepts"),
                    vec![fixes::set(path, &nearest)],
                )),
            );
        }
        if let Some(problem) = hc.matcher.as_deref().and_then(matcher_problem) {
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("target_groups", tg_id),
                    at.key("matcher"),
                    format!(
                        "The health check success codes of `{tg_id}` are not valid: {problem}; AWS accepts codes and ranges within 200–599."
                    ),
                )
                .with_help("List codes or ranges within 200–599, such as `200-399` or `200,204`."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::matcher_problem;
    use crate::rules::testing::*;
    use serde_json::json;

    const HC: &str = "/target_groups/backend/health_check";

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL217", unchanged());
    }

    #[test]
    fn fires_for_each_value_out_of_range_and_the_fix_clamps() {
        let patch = json!([
            { "op": "replace", "path": format!("{HC}/interval_seconds"), "value": 400 },
            { "op": "replace", "path": format!("{HC}/timeout_seconds"), "value": 1 },
            { "op": "replace", "path": format!("{HC}/healthy_threshold"), "value": 11 },
            { "op": "replace", "path": format!("{HC}/unhealthy_threshold"), "value": 0 }
        ]);
        assert_fires_at(
            "VL217",
            patch.clone(),
            &[
                "/target_groups/backend/health_check/interval_seconds",
                "/target_groups/backend/health_check/timeout_seconds",
                "/target_groups/backend/health_check/healthy_threshold",
                "/target_groups/backend/health_check/unhealthy_threshold",
            ],
        );
        assert_fix_clears("VL217", patch);
    }

    #[test]
    fn fires_for_a_matcher_outside_the_codes() {
        assert_fires_at(
            "VL217",
            json!([{ "op": "add", "path": format!("{HC}/matcher"), "value": "100-399" }]),
            &["/target_groups/backend/health_check/matcher"],
        );
    }

    #[test]
    fn reads_matchers() {
        assert_eq!(matcher_problem("200-399"), None);
        assert_eq!(matcher_problem("200, 204"), None);
        assert!(matcher_problem("399-200").is_some());
        assert!(matcher_problem("2xx").is_some());
        assert!(matcher_problem("600").is_some());
    }
}

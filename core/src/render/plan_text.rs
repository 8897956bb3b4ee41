//! The plan as text a person reviews: waves, actions, resources, waits and the critical path.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::plan::{Action, Plan, PlanMode, Step};

/// Renders a plan for review. Deterministic; no colour (the CLI adds none to plans, so the
/// text can be pasted into a change request as is).
pub fn plan_text(plan: &Plan) -> String {
    let mut out = String::new();
    let s = &plan.summary;
    let mode = match plan.mode {
        PlanMode::Deploy => "deploy",
        PlanMode::Destroy => "destroy",
    };
    let _ = writeln!(
        out,
        "Plan ({mode}, {}): {} steps in {} waves — create {}, update {}, replace {}, delete {}, unchanged {}",
        plan.region.as_str(),
        s.steps,
        plan.waves.len(),
        s.create,
        s.update,
        s.replace,
        s.delete,
        s.unchanged
    );
    if plan.steps.is_empty() {
        out.push_str("Nothing to do: the current state already matches.\n");
        return out;
    }
    let cp = &plan.critical_path;
    // Indexes, so a plan of thousands of steps renders in linear time.
    let steps: HashMap<&str, &Step> = plan.steps.iter().map(|s| (s.id.as_str(), s)).collect();
    let critical: HashSet<&str> = cp.steps.iter().map(String::as_str).collect();
    let _ = writeln!(
        out,
        "Symbols: + create  ~ update  ± replace  - delete  > register  < deregister  … wait  ? lookup"
    );
    let _ = writeln!(
        out,
        "Expected duration ≈ {} (critical path of {} steps)",
        duration(cp.expected_seconds),
        cp.steps.len()
    );
    for (i, wave) in plan.waves.iter().enumerate() {
        let _ = writeln!(
            out,
            "\nWave {} (≈ {}, {} step{} in parallel)",
            i + 1,
            duration(wave.expected_seconds),
            wave.steps.len(),
            if wave.steps.len() == 1 { "" } else { "s" }
        );
        for id in &wave.steps {
            if let Some(step) = steps.get(id.as_str()) {
                write_step(&mut out, step, critical.contains(id.as_str()));
            }
        }
    }
    let _ = writeln!(out, "\nCritical path:");
    for id in &cp.steps {
        if let Some(step) = steps.get(id.as_str()) {
            let _ = writeln!(out, "  {} ({})", id, duration(step.expected_seconds));
        }
    }
    if !plan.unchanged.is_empty() {
        let _ = writeln!(out, "\nLeft alone ({}):", plan.unchanged.len());
        for r in &plan.unchanged {
            let _ = writeln!(out, "  = {} {}", r.kind, r.id);
        }
    }
    out
}

fn write_step(out: &mut String, step: &Step, critical: bool) {
    let _ = writeln!(
        out,
        "  {} {}{}",
        symbol(step.action),
        step.id,
        if critical { "  [critical path]" } else { "" }
    );
    let _ = writeln!(out, "      {}", step.description);
    let _ = writeln!(
        out,
        "      call: {}.{}",
        step.call.service, step.call.operation
    );
    for change in &step.changes {
        let show = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .map_or_else(|| "(none)".to_owned(), |v| v.to_string())
        };
        let _ = writeln!(
            out,
            "      change {}: {} → {}{}",
            change.property,
            show(&change.from),
            show(&change.to),
            if change.immutable {
                " (cannot change in place: replaced)"
            } else {
                ""
            }
        );
    }
    if let Some(wait) = &step.wait {
        let mut until = format!(
            "      wait: {}.{} until {} is {}",
            wait.call.service,
            wait.call.operation,
            wait.status_query,
            wait.success.join("/")
        );
        if !wait.failure.is_empty() {
            let _ = write!(until, " (fails on {})", wait.failure.join("/"));
        }
        if !wait.success_errors.is_empty() {
            let _ = write!(until, " or it answers {}", wait.success_errors.join("/"));
        }
        let _ = writeln!(
            out,
            "{until}, every {} s, up to {}",
            wait.interval_seconds,
            duration(wait.timeout_seconds)
        );
    }
    if !step.depends_on.is_empty() {
        let _ = writeln!(out, "      after: {}", step.depends_on.join(", "));
    }
}

fn symbol(action: Action) -> &'static str {
    match action {
        Action::Create => "+",
        Action::Update => "~",
        Action::Replace => "±",
        Action::Delete => "-",
        Action::Register => ">",
        Action::Deregister => "<",
        Action::Wait => "…",
        Action::Lookup => "?",
    }
}

/// `2 s`, `3 min`, `4 min 10 s`, `1 h 5 min`.
pub(crate) fn duration(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(2), "2 s");
        assert_eq!(duration(180), "3 min");
        assert_eq!(duration(250), "4 min 10 s");
        assert_eq!(duration(3900), "1 h 5 min");
    }
}

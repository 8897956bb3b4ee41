//! The dependency DAG: every step's dependencies (its references to earlier outputs and
//! the orderings the planner added), a topological order, waves by longest path, and the
//! critical path by expected duration.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::error::PlanError;
use super::types::{CriticalPath, JoinPart, Step, Wave};

/// The steps that `value` (a parameter value, possibly nested) references.
pub(crate) fn references(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(m) => {
            if m.len() == 1 {
                if let Some(o) = m.get("$output") {
                    if let Some(step) = o.get("step").and_then(Value::as_str) {
                        out.insert(step.to_owned());
                        return;
                    }
                }
            }
            for v in m.values() {
                references(v, out);
            }
        }
        Value::Array(a) => {
            for v in a {
                references(v, out);
            }
        }
        _ => {}
    }
}

/// Every step a step reads an output of: in its call, wait, lookup, undo and joined
/// output queries.
pub(crate) fn step_references(step: &Step) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut params = |m: &serde_json::Map<String, Value>| {
        for v in m.values() {
            references(v, &mut out);
        }
    };
    params(&step.call.params);
    if let Some(w) = &step.wait {
        params(&w.call.params);
    }
    if let Some(l) = &step.lookup {
        params(&l.call.params);
    }
    if let Some(u) = &step.undo {
        params(&u.call.params);
        if let Some(w) = &u.wait {
            params(&w.call.params);
        }
    }
    let outputs = step
        .outputs
        .iter()
        .chain(step.lookup.iter().flat_map(|l| l.outputs.iter()));
    for o in outputs {
        for p in &o.query_join {
            if let JoinPart::Output { output } = p {
                out.insert(output.step.clone());
            }
        }
    }
    out.remove(&step.id);
    out
}

/// Steps in dependency order, grouped into waves, with the critical path.
pub(crate) struct Ordered {
    pub steps: Vec<Step>,
    pub waves: Vec<Wave>,
    pub critical_path: CriticalPath,
}

/// Completes every step's `depends_on` with the steps it reads, then orders them: each
/// step in the earliest wave after all its dependencies (longest-path layering), waves in
/// order, steps within a wave in the order the planner made them.
pub(crate) fn order(mut steps: Vec<Step>) -> Result<Ordered, PlanError> {
    let index: BTreeMap<String, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    for s in &mut steps {
        let mut deps: BTreeSet<String> = s.depends_on.iter().cloned().collect();
        deps.extend(step_references(s));
        deps.remove(&s.id);
        for d in &deps {
            if !index.contains_key(d) {
                return Err(PlanError::internal(format!(
                    "step `{}` depends on `{d}`, which the plan does not have",
                    s.id
                )));
            }
        }
        // Keep the planner's order of explicit dependencies, then the rest sorted.
        let mut seen = BTreeSet::new();
        let mut ordered: Vec<String> = s
            .depends_on
            .iter()
            .filter(|d| deps.contains(*d) && seen.insert((*d).clone()))
            .cloned()
            .collect();
        ordered.extend(deps.into_iter().filter(|d| !seen.contains(d)));
        s.depends_on = ordered;
    }

    let n = steps.len();
    let deps: Vec<Vec<usize>> = steps
        .iter()
        .map(|s| {
            s.depends_on
                .iter()
                .filter_map(|d| index.get(d).copied())
                .collect()
        })
        .collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut missing: Vec<usize> = vec![0; n];
    for (i, ds) in deps.iter().enumerate() {
        missing[i] = ds.len();
        for &d in ds {
            if let Some(list) = dependents.get_mut(d) {
                list.push(i);
            }
        }
    }
    // Kahn's algorithm; levels are longest paths in steps, finish times in seconds.
    let mut level = vec![0usize; n];
    let mut finish = vec![0u64; n];
    let mut via: Vec<Option<usize>> = vec![None; n];
    let mut ready: std::collections::VecDeque<usize> =
        (0..n).filter(|&i| missing[i] == 0).collect();
    let mut done = 0;
    while let Some(i) = ready.pop_front() {
        done += 1;
        let start = deps[i]
            .iter()
            .map(|&d| (finish[d], d))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let (start_at, from) = match start {
            Some((t, d)) => (t, Some(d)),
            None => (0, None),
        };
        finish[i] = start_at + u64::from(steps[i].expected_seconds);
        via[i] = from;
        level[i] = deps[i].iter().map(|&d| level[d] + 1).max().unwrap_or(0);
        for &j in &dependents[i] {
            missing[j] -= 1;
            if missing[j] == 0 {
                ready.push_back(j);
            }
        }
    }
    if done < n {
        let stuck: Vec<&str> = (0..n)
            .filter(|&i| missing[i] > 0)
            .take(6)
            .map(|i| steps[i].id.as_str())
            .collect();
        return Err(PlanError::internal(format!(
            "the steps depend on each other in a cycle; among them: {}",
            stuck.join(", ")
        )));
    }

    let waves_count = level.iter().max().map(|m| m + 1).unwrap_or(0);
    let mut waves: Vec<Wave> = (0..waves_count)
        .map(|_| Wave {
            steps: Vec::new(),
            expected_seconds: 0,
        })
        .collect();
    for (i, s) in steps.iter().enumerate() {
        if let Some(w) = waves.get_mut(level[i]) {
            w.steps.push(s.id.clone());
            w.expected_seconds = w.expected_seconds.max(s.expected_seconds);
        }
    }

    let critical_path = match (0..n).max_by(|&a, &b| finish[a].cmp(&finish[b]).then(b.cmp(&a))) {
        None => CriticalPath::default(),
        Some(end) => {
            let mut chain = vec![end];
            let mut at = end;
            while let Some(prev) = via[at] {
                chain.push(prev);
                at = prev;
            }
            chain.reverse();
            CriticalPath {
                steps: chain.iter().map(|&i| steps[i].id.clone()).collect(),
                expected_seconds: u32::try_from(finish[end]).unwrap_or(u32::MAX),
            }
        }
    };

    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (level[i], i));
    let mut slots: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    let steps: Vec<Step> = order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect();
    Ok(Ordered {
        steps,
        waves,
        critical_path,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]
mod tests {
    use super::*;
    use crate::plan::step::{call, output_ref};
    use crate::plan::types::{Action, ResourceRef};
    use crate::pointer::JsonPointer;
    use serde_json::json;

    fn step(id: &str, seconds: u32, params: Value) -> Step {
        Step::new(
            id.into(),
            Action::Create,
            ResourceRef {
                kind: "vpcs".into(),
                id: id.into(),
                path: JsonPointer::root(),
            },
            String::new(),
            call("ec2", "x", params),
        )
        .seconds(seconds)
    }

    #[test]
    fn references_make_dependencies_and_waves_follow_longest_paths() {
        let a = step("a", 2, json!({}));
        let b = step("b", 100, json!({ "X": output_ref("a", "Id") }));
        let c = step("c", 5, json!({ "X": output_ref("a", "Id") }));
        let d = step(
            "d",
            1,
            json!({ "Y": { "$join": ["p/", output_ref("b", "Id")] }, "Z": output_ref("c", "Id") }),
        );
        let o = order(vec![d, c, b, a]).unwrap();
        let ids: Vec<&str> = o.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "c", "b", "d"]);
        assert_eq!(o.waves.len(), 3);
        assert_eq!(o.waves[1].steps, ["c", "b"]);
        assert_eq!(o.waves[1].expected_seconds, 100);
        assert_eq!(o.critical_path.steps, ["a", "b", "d"]);
        assert_eq!(o.critical_path.expected_seconds, 103);
        let d = o.steps.iter().find(|s| s.id == "d").unwrap();
        assert_eq!(d.depends_on, ["b", "c"]);
    }

    #[test]
    fn a_cycle_is_an_internal_error() {
        let a = step("a", 2, json!({ "X": output_ref("b", "Id") }));
        let b = step("b", 2, json!({ "X": output_ref("a", "Id") }));
        let e = order(vec![a, b]).err().unwrap();
        assert_eq!(e.code, super::super::error::PlanErrorCode::Internal);
        assert!(e.message.contains("cycle"), "{}", e.message);
    }

    #[test]
    fn a_missing_dependency_is_an_internal_error() {
        let a = step("a", 2, json!({ "X": output_ref("nope", "Id") }));
        let e = order(vec![a]).err().unwrap();
        assert!(e.message.contains("nope"), "{}", e.message);
    }
}

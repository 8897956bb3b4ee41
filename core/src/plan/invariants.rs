//! What every well-formed plan satisfies: ids unique, dependencies earlier, every output
//! reference resolvable, waves and the critical path consistent. The planner's tests
//! check it on every plan; an executor may check a plan it reads before running it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::types::{JoinPart, Plan, Step};

fn refs(value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(m) => {
            if let (1, Some(o)) = (m.len(), m.get("$output")) {
                if let (Some(s), Some(n)) = (
                    o.get("step").and_then(Value::as_str),
                    o.get("name").and_then(Value::as_str),
                ) {
                    out.push((s.to_owned(), n.to_owned()));
                    return;
                }
            }
            m.values().for_each(|v| refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

fn map_refs(m: &serde_json::Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    m.values().for_each(|v| refs(v, &mut out));
    out
}

/// References a step makes, as (where, step, output): `where` says whether the step may
/// name itself there (its wait and undo read its own outputs).
fn step_refs(s: &Step) -> Vec<(bool, String, String)> {
    let mut out: Vec<(bool, String, String)> = map_refs(&s.call.params)
        .into_iter()
        .map(|(a, b)| (false, a, b))
        .collect();
    if let Some(l) = &s.lookup {
        out.extend(
            map_refs(&l.call.params)
                .into_iter()
                .map(|(a, b)| (false, a, b)),
        );
    }
    for o in s
        .outputs
        .iter()
        .chain(s.lookup.iter().flat_map(|l| l.outputs.iter()))
    {
        for p in &o.query_join {
            if let JoinPart::Output { output } = p {
                out.push((false, output.step.clone(), output.name.clone()));
            }
        }
    }
    if let Some(w) = &s.wait {
        out.extend(
            map_refs(&w.call.params)
                .into_iter()
                .map(|(a, b)| (true, a, b)),
        );
    }
    if let Some(u) = &s.undo {
        out.extend(
            map_refs(&u.call.params)
                .into_iter()
                .map(|(a, b)| (true, a, b)),
        );
        if let Some(w) = &u.wait {
            out.extend(
                map_refs(&w.call.params)
                    .into_iter()
                    .map(|(a, b)| (true, a, b)),
            );
        }
    }
    out
}

impl Plan {
    /// Every way this plan breaks the plan format's promises, one sentence each; empty
    /// for a well-formed plan.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut position = BTreeMap::new();
        for (i, s) in self.steps.iter().enumerate() {
            if position.insert(s.id.as_str(), i).is_some() {
                out.push(format!("step id `{}` appears twice", s.id));
            }
        }
        for (i, s) in self.steps.iter().enumerate() {
            for d in &s.depends_on {
                match position.get(d.as_str()) {
                    None => out.push(format!("step `{}` depends on unknown step `{d}`", s.id)),
                    Some(&j) if j >= i => out.push(format!(
                        "step `{}` depends on `{d}`, which comes after it",
                        s.id
                    )),
                    Some(_) => {}
                }
            }
        }
        let deps: BTreeMap<&str, &[String]> = self
            .steps
            .iter()
            .map(|s| (s.id.as_str(), s.depends_on.as_slice()))
            .collect();
        let outputs: BTreeMap<&str, BTreeSet<&str>> = self
            .steps
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.outputs.iter().map(|o| o.name.as_str()).collect(),
                )
            })
            .collect();
        for s in &self.steps {
            for (self_ok, step, name) in step_refs(s) {
                let is_self = step == s.id;
                if is_self && !self_ok {
                    out.push(format!(
                        "step `{}` reads its own output `{name}` before it has it",
                        s.id
                    ));
                    continue;
                }
                if !is_self && !depends(&deps, &s.id, &step) {
                    out.push(format!(
                        "step `{}` reads `{step}`.`{name}` but does not depend on `{step}`",
                        s.id
                    ));
                }
                if !outputs
                    .get(step.as_str())
                    .is_some_and(|o| o.contains(name.as_str()))
                {
                    out.push(format!(
                        "step `{}` reads output `{name}` that step `{step}` does not declare",
                        s.id
                    ));
                }
            }
        }
        // Waves: each step once, after the waves of its dependencies.
        let mut wave_of = BTreeMap::new();
        for (w, wave) in self.waves.iter().enumerate() {
            let mut longest = 0;
            for id in &wave.steps {
                if wave_of.insert(id.as_str(), w).is_some() {
                    out.push(format!("step `{id}` is in two waves"));
                }
                match self.step(id) {
                    Some(s) => longest = longest.max(s.expected_seconds),
                    None => out.push(format!("wave {w} names unknown step `{id}`")),
                }
            }
            if longest != wave.expected_seconds {
                out.push(format!(
                    "wave {w} expects {} s but its longest step takes {longest} s",
                    wave.expected_seconds
                ));
            }
        }
        for s in &self.steps {
            let Some(&w) = wave_of.get(s.id.as_str()) else {
                out.push(format!("step `{}` is in no wave", s.id));
                continue;
            };
            for d in &s.depends_on {
                if wave_of.get(d.as_str()).is_some_and(|&dw| dw >= w) {
                    out.push(format!(
                        "step `{}` (wave {w}) depends on `{d}` in the same or a later wave",
                        s.id
                    ));
                }
            }
        }
        // The critical path is a chain of dependencies whose durations add up.
        let cp = &self.critical_path;
        let mut total: u64 = 0;
        for (i, id) in cp.steps.iter().enumerate() {
            match self.step(id) {
                Some(s) => total += u64::from(s.expected_seconds),
                None => out.push(format!("the critical path names unknown step `{id}`")),
            }
            if let (Some(next), true) = (cp.steps.get(i + 1), i + 1 < cp.steps.len()) {
                if !self
                    .step(next)
                    .is_some_and(|n| n.depends_on.iter().any(|d| d == id))
                {
                    out.push(format!(
                        "the critical path goes from `{id}` to `{next}`, which does not depend on it"
                    ));
                }
            }
        }
        if total != u64::from(cp.expected_seconds) {
            out.push(format!(
                "the critical path expects {} s but its steps add up to {total} s",
                cp.expected_seconds
            ));
        }
        if self.summary.steps != self.steps.len() {
            out.push(format!(
                "the summary counts {} steps but the plan has {}",
                self.summary.steps,
                self.steps.len()
            ));
        }
        out
    }
}

/// Whether step `from` depends on `target`, directly (the usual case: the planner lists
/// every step a step reads) or through other steps.
fn depends(deps: &BTreeMap<&str, &[String]>, from: &str, target: &str) -> bool {
    if deps
        .get(from)
        .is_some_and(|d| d.iter().any(|x| x == target))
    {
        return true;
    }
    let mut seen = BTreeSet::new();
    let mut todo = vec![from];
    while let Some(at) = todo.pop() {
        for d in deps.get(at).copied().unwrap_or_default() {
            if d == target {
                return true;
            }
            if seen.insert(d.as_str()) {
                todo.push(d.as_str());
            }
        }
    }
    false
}

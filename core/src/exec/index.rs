//! Checks a plan before it runs and indexes it: step positions, dependencies, waves.
//!
//! Everything the executor could trip over later (an unknown dependency, a cycle, a
//! reference to an output no earlier step captures, a query that does not parse) is refused
//! here, naming the step, so a run never fails halfway for a reason visible up front.

use std::collections::BTreeMap;

use super::error::ExecError;
use super::{query, refs};
use crate::plan::{ApiCall, Plan, Step, PLAN_FORMAT_VERSION};

#[derive(Debug, Clone)]
pub(crate) struct Index {
    pub by_id: BTreeMap<String, usize>,
    /// Direct dependencies of each step, as positions.
    pub deps: Vec<Vec<usize>>,
    pub wave_of: Vec<usize>,
    pub waves: Vec<Vec<usize>>,
}

impl Index {
    pub fn build(plan: &Plan) -> Result<Index, ExecError> {
        if plan.version > PLAN_FORMAT_VERSION {
            return Err(ExecError::plan(
                None,
                format!(
                    "plan format version {} is newer than this build reads ({PLAN_FORMAT_VERSION})",
                    plan.version
                ),
            ));
        }
        let mut by_id = BTreeMap::new();
        for (i, step) in plan.steps.iter().enumerate() {
            if by_id.insert(step.id.clone(), i).is_some() {
                return Err(ExecError::plan(Some(&step.id), "the step id is used twice"));
            }
        }
        let mut deps = Vec::with_capacity(plan.steps.len());
        for step in &plan.steps {
            let mut d = Vec::new();
            for dep in &step.depends_on {
                match by_id.get(dep) {
                    Some(&j) if dep != &step.id => d.push(j),
                    Some(_) => {
                        return Err(ExecError::plan(
                            Some(&step.id),
                            "the step depends on itself",
                        ))
                    }
                    None => {
                        return Err(ExecError::plan(
                            Some(&step.id),
                            format!("depends on `{dep}`, which is not a step of the plan"),
                        ))
                    }
                }
            }
            d.sort_unstable();
            d.dedup();
            deps.push(d);
        }
        let levels = levels(plan, &deps)?;
        let (wave_of, waves) = plan_waves(plan, &by_id, &deps).unwrap_or_else(|| {
            let count = levels.iter().copied().max().map_or(0, |m| m + 1);
            let mut waves = vec![Vec::new(); count];
            for (i, &l) in levels.iter().enumerate() {
                if let Some(w) = waves.get_mut(l) {
                    w.push(i);
                }
            }
            (levels, waves)
        });
        let index = Index {
            by_id,
            deps,
            wave_of,
            waves,
        };
        for (i, step) in plan.steps.iter().enumerate() {
            index.check_step(plan, i, step)?;
        }
        Ok(index)
    }

    /// True when `ancestor` is `step` or one of its transitive dependencies.
    pub fn reaches(&self, step: usize, ancestor: usize) -> bool {
        let mut seen = vec![false; self.deps.len()];
        let mut stack = vec![step];
        while let Some(s) = stack.pop() {
            if s == ancestor {
                return true;
            }
            if let Some(flag) = seen.get_mut(s) {
                if !*flag {
                    *flag = true;
                    if let Some(d) = self.deps.get(s) {
                        stack.extend(d.iter().copied());
                    }
                }
            }
        }
        false
    }

    fn check_step(&self, plan: &Plan, i: usize, step: &Step) -> Result<(), ExecError> {
        let err = |m: String| ExecError::plan(Some(&step.id), m);
        for o in &step.outputs {
            query::check(&o.query).map_err(|e| err(format!("output `{}`: {e}", o.name)))?;
        }
        // The call and the lookup run before the step's outputs exist; its wait and undo
        // run after and may use them.
        self.check_refs(plan, i, &step.call, false, "call")?;
        if let Some(lookup) = &step.lookup {
            self.check_refs(plan, i, &lookup.call, false, "lookup")?;
            if lookup.outputs.is_empty() {
                return Err(err(
                    "the lookup captures no outputs, so it can never find the resource".into(),
                ));
            }
            for o in &lookup.outputs {
                query::check(&o.query)
                    .map_err(|e| err(format!("lookup output `{}`: {e}", o.name)))?;
            }
        }
        if let Some(wait) = &step.wait {
            self.check_refs(plan, i, &wait.call, true, "wait")?;
            check_wait(wait).map_err(|e| err(format!("wait: {e}")))?;
        }
        if let Some(undo) = &step.undo {
            self.check_refs(plan, i, &undo.call, true, "undo")?;
            if let Some(wait) = &undo.wait {
                self.check_refs(plan, i, &wait.call, true, "undo wait")?;
                check_wait(wait).map_err(|e| err(format!("undo wait: {e}")))?;
            }
        }
        Ok(())
    }

    fn check_refs(
        &self,
        plan: &Plan,
        i: usize,
        call: &ApiCall,
        own_outputs: bool,
        what: &str,
    ) -> Result<(), ExecError> {
        let Some(step) = plan.steps.get(i) else {
            return Ok(());
        };
        let err = |m: String| ExecError::plan(Some(&step.id), format!("{what}: {m}"));
        for (at, r) in refs::references(&call.params).map_err(err)? {
            let Some(&j) = self.by_id.get(&r.step) else {
                return Err(err(format!(
                    "at {at}: refers to step `{}`, which is not in the plan",
                    r.step
                )));
            };
            let target = plan.steps.get(j);
            let declared = target.is_some_and(|t| {
                t.outputs.iter().any(|o| o.name == r.name)
                    || t.lookup
                        .as_ref()
                        .is_some_and(|l| l.outputs.iter().any(|o| o.name == r.name))
            });
            if !declared {
                return Err(err(format!(
                    "at {at}: step `{}` captures no output named `{}`",
                    r.step, r.name
                )));
            }
            let ok = if j == i {
                own_outputs
            } else {
                self.reaches(i, j)
            };
            if !ok {
                return Err(err(format!(
                    "at {at}: uses output `{}` of step `{}`, which {}",
                    r.name,
                    r.step,
                    if j == i {
                        "does not exist before the call is made"
                    } else {
                        "is not among the step's dependencies (add it to depends_on)"
                    }
                )));
            }
        }
        Ok(())
    }
}

fn check_wait(wait: &crate::plan::Wait) -> Result<(), String> {
    query::check(&wait.status_query)?;
    if let Some(m) = &wait.message_query {
        query::check(m)?;
    }
    if wait.success.is_empty() && wait.success_errors.is_empty() {
        return Err("no success state and no success error: it could never end".into());
    }
    if wait.interval_seconds == 0 {
        return Err("interval_seconds is 0; checks must be spaced out".into());
    }
    Ok(())
}

/// Each step's earliest wave (1 + the latest wave of its dependencies), refusing cycles.
fn levels(plan: &Plan, deps: &[Vec<usize>]) -> Result<Vec<usize>, ExecError> {
    let n = deps.len();
    let mut indegree: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents = vec![Vec::new(); n];
    for (i, d) in deps.iter().enumerate() {
        for &j in d {
            if let Some(v) = dependents.get_mut(j) {
                v.push(i);
            }
        }
    }
    let mut level = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).filter(|&i| indegree.get(i) == Some(&0)).collect();
    let mut seen = 0;
    while let Some(i) = ready.pop() {
        seen += 1;
        let here = level.get(i).copied().unwrap_or(0);
        for &k in dependents.get(i).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(l) = level.get_mut(k) {
                *l = (*l).max(here + 1);
            }
            if let Some(d) = indegree.get_mut(k) {
                *d -= 1;
                if *d == 0 {
                    ready.push(k);
                }
            }
        }
    }
    if seen < n {
        let stuck = indegree
            .iter()
            .position(|&d| d > 0)
            .and_then(|i| plan.steps.get(i))
            .map(|s| s.id.as_str());
        return Err(ExecError::plan(stuck, "the dependencies form a cycle"));
    }
    Ok(level)
}

/// The plan's own waves, when they cover every step once and respect the dependencies.
fn plan_waves(
    plan: &Plan,
    by_id: &BTreeMap<String, usize>,
    deps: &[Vec<usize>],
) -> Option<(Vec<usize>, Vec<Vec<usize>>)> {
    let n = plan.steps.len();
    if plan.waves.is_empty() && n > 0 {
        return None;
    }
    let mut wave_of = vec![usize::MAX; n];
    let mut waves = Vec::with_capacity(plan.waves.len());
    for (w, wave) in plan.waves.iter().enumerate() {
        let mut members = Vec::with_capacity(wave.steps.len());
        for id in &wave.steps {
            let &i = by_id.get(id)?;
            let slot = wave_of.get_mut(i)?;
            if *slot != usize::MAX {
                return None;
            }
            *slot = w;
            members.push(i);
        }
        waves.push(members);
    }
    let consistent = wave_of.iter().enumerate().all(|(i, &w)| {
        w != usize::MAX
            && deps
                .get(i)
                .is_some_and(|d| d.iter().all(|&j| wave_of.get(j).is_some_and(|&wj| wj < w)))
    });
    consistent.then_some((wave_of, waves))
}

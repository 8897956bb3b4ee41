//! Rollback: undo every step that created something, newest first, and never before
//! everything that depended on it has been undone.

use super::executor::Executor;
use super::state::{Phase, Stage};
use super::types::Event;

impl Executor {
    pub(super) fn start_rollback(&mut self) {
        self.state.stage = Stage::RollingBack;
        let mut order: Vec<(u64, usize)> = Vec::new();
        for (i, (step, st)) in self.plan.steps.iter().zip(&self.state.steps).enumerate() {
            if let (Some(seq), Some(_)) = (st.created_seq, &step.undo) {
                if !matches!(st.phase, Phase::Undone | Phase::UndoFailed) {
                    order.push((seq, i));
                }
            }
        }
        order.sort_by(|a, b| b.cmp(a));
        for &(_, i) in &order {
            if let Some(st) = self.state.steps.get_mut(i) {
                st.enter(Phase::UndoPending);
            }
        }
        // After a resume, a step not known to exist may still have been created by the
        // run before the crash (an older checkpoint knows less): look it up, and undo it
        // if it is there.
        for (step, st) in self.plan.steps.iter().zip(self.state.steps.iter_mut()) {
            let unknown = st.created_seq.is_none()
                && st.reconcile
                && matches!(st.phase, Phase::Pending | Phase::Call | Phase::Failed);
            if unknown && step.lookup.is_some() && step.undo.is_some() {
                st.enter(Phase::UndoLookup);
            }
        }
        let failed_step = self
            .state
            .failure
            .as_ref()
            .map(|f| f.step.clone())
            .unwrap_or_default();
        let steps = order
            .iter()
            .filter_map(|&(_, i)| self.plan.steps.get(i).map(|s| s.id.clone()))
            .collect();
        self.events
            .push(Event::RollbackStarted { failed_step, steps });
    }

    /// An `UndoLookup` step looks up only after its dependencies' lookups, whose outputs
    /// its lookup may need.
    pub(super) fn deps_looked_up(&self, i: usize) -> bool {
        self.index
            .deps
            .get(i)
            .is_some_and(|d| d.iter().all(|&j| self.phase(j) != Some(Phase::UndoLookup)))
    }

    pub(super) fn undo_lookup_answered(&mut self, i: usize, response: &serde_json::Value) {
        let Some(lookup) = self.plan.steps.get(i).and_then(|s| s.lookup.clone()) else {
            return;
        };
        let found = lookup
            .outputs
            .first()
            .and_then(|o| super::query::search_output(o, &self.state.outputs, response).ok())
            .is_some_and(|v| super::query::is_value(&v));
        if !found {
            self.undo_lookup_not_found(i);
            return;
        }
        let Some(step_id) = self.plan.steps.get(i).map(|s| s.id.clone()) else {
            return;
        };
        self.events.push(Event::StepReconciled {
            step: step_id.clone(),
            found: true,
        });
        let seq = self.state.next_seq;
        self.state.next_seq += 1;
        for output in &lookup.outputs {
            if let Ok(value) = super::query::capture(output, &self.state.outputs, response) {
                self.state
                    .outputs
                    .entry(step_id.clone())
                    .or_default()
                    .insert(output.name.clone(), value);
            }
        }
        if let Some(st) = self.state.steps.get_mut(i) {
            st.created_seq = Some(seq);
            st.reconcile = false;
            st.enter(Phase::UndoPending);
        }
    }

    pub(super) fn undo_lookup_not_found(&mut self, i: usize) {
        if let Some(step) = self.plan.steps.get(i) {
            self.events.push(Event::StepReconciled {
                step: step.id.clone(),
                found: false,
            });
        }
        if let Some(st) = self.state.steps.get_mut(i) {
            st.reconcile = false;
            st.enter(Phase::Pending);
        }
    }

    pub(super) fn advance_rollback(&mut self) -> bool {
        let mut changed = self.check_wait_timeouts(Phase::UndoWait);
        let blocked = self.blocked_by_dependents();
        for i in 0..self.state.steps.len() {
            if self.phase(i) == Some(Phase::UndoPending) && !blocked.get(i).copied().unwrap_or(true)
            {
                if let Some(st) = self.state.steps.get_mut(i) {
                    st.enter(Phase::UndoCall);
                }
                changed = true;
            }
        }
        let undoing = self.state.steps.iter().any(|s| {
            matches!(
                s.phase,
                Phase::UndoLookup | Phase::UndoPending | Phase::UndoCall | Phase::UndoWait
            )
        });
        if !undoing {
            self.finish_failed();
            return true;
        }
        changed
    }

    /// Steps that some unfinished undo depends on, directly or through other steps: they
    /// must stay until that undo has finished.
    fn blocked_by_dependents(&self) -> Vec<bool> {
        let n = self.state.steps.len();
        let mut blocked = vec![false; n];
        let mut stack: Vec<usize> = Vec::new();
        for (i, st) in self.state.steps.iter().enumerate() {
            if matches!(
                st.phase,
                Phase::UndoLookup | Phase::UndoPending | Phase::UndoCall | Phase::UndoWait
            ) {
                stack.extend(self.index.deps.get(i).into_iter().flatten().copied());
            }
        }
        while let Some(j) = stack.pop() {
            if let Some(b) = blocked.get_mut(j) {
                if !*b {
                    *b = true;
                    stack.extend(self.index.deps.get(j).into_iter().flatten().copied());
                }
            }
        }
        blocked
    }
}

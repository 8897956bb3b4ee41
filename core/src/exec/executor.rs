//! The executor: which requests may go out now, and the bookkeeping that decides it.

use std::collections::BTreeMap;

use super::error::ExecError;
use super::index::Index;
use super::refs;
use super::state::{Failure, Phase, Stage, State, StepState, WaveState};
use super::types::{Action, Event, ExecOptions, ExecStatus, Outputs, Purpose, RunPhase, Summary};
use crate::plan::{ApiCall, Plan, Step, Wait};

/// Drives a [`Plan`] without doing IO: see the [module documentation](super).
#[derive(Debug, Clone)]
pub struct Executor {
    pub(super) plan: Plan,
    pub(super) options: ExecOptions,
    pub(super) index: Index,
    pub(super) state: State,
    pub(super) events: Vec<Event>,
}

impl Executor {
    /// Checks the plan (dependencies, references, queries) and prepares to run it.
    pub fn new(plan: Plan, options: ExecOptions) -> Result<Executor, ExecError> {
        let index = Index::build(&plan)?;
        let state = State {
            now_ms: 0,
            started_ms: None,
            next_request: 1,
            next_seq: 1,
            rng: options.seed,
            stage: Stage::Forward,
            failure: None,
            finished: None,
            steps: vec![StepState::new(); plan.steps.len()],
            outputs: BTreeMap::new(),
            waves: vec![WaveState::default(); index.waves.len()],
            calls: 0,
            checks: 0,
            retries: 0,
        };
        Ok(Executor {
            plan,
            options,
            index,
            state,
            events: Vec::new(),
        })
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn options(&self) -> &ExecOptions {
        &self.options
    }

    /// Outputs captured so far.
    pub fn outputs(&self) -> &Outputs {
        &self.state.outputs
    }

    /// Everything that may happen at `now_ms` (host time in milliseconds): calls and checks
    /// to make, all at once, or one `sleep`, `done` or `failed`. A request already handed
    /// out is not handed out again; an empty list means "answer the requests in flight".
    pub fn poll(&mut self, now_ms: u64) -> Vec<Action> {
        self.state.now_ms = now_ms;
        if self.state.started_ms.is_none() {
            self.state.started_ms = Some(now_ms);
        }
        let mut actions = Vec::new();
        // A request whose references cannot be resolved fails its step (or ends its
        // rollback lookup), which can change the stage; each round settles at least one
        // step for good, so this ends.
        for _ in 0..=self.plan.steps.len() + 1 {
            self.advance();
            if !self.collect(&mut actions) {
                break;
            }
        }
        if actions.is_empty() {
            if let Some(finished) = &self.state.finished {
                return vec![finished.clone()];
            }
            if let Some(until_ms) = self.next_timer() {
                actions.push(Action::Sleep { until_ms });
            }
        }
        actions
    }

    /// Progress events since the last call, oldest first.
    pub fn events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// Counts per state and the current wave.
    pub fn status(&self) -> ExecStatus {
        let mut s = ExecStatus {
            phase: match (&self.state.stage, &self.state.finished) {
                (Stage::Forward, _) => RunPhase::Running,
                (Stage::Draining, _) => RunPhase::Stopping,
                (Stage::RollingBack, _) => RunPhase::RollingBack,
                (Stage::Finished, Some(Action::Done { .. })) => RunPhase::Done,
                (Stage::Finished, _) => RunPhase::Failed,
            },
            waves: self.index.waves.len(),
            ..ExecStatus::default()
        };
        for st in &self.state.steps {
            match st.phase {
                Phase::Pending => s.pending += 1,
                Phase::Lookup | Phase::Call => s.running += 1,
                Phase::Wait => s.waiting += 1,
                Phase::Done => s.done += 1,
                Phase::Failed => s.failed += 1,
                Phase::UndoLookup | Phase::UndoPending | Phase::UndoCall | Phase::UndoWait => {
                    s.undoing += 1
                }
                Phase::Undone => s.rolled_back += 1,
                Phase::UndoFailed => s.undo_failed += 1,
            }
            if st.in_flight.is_some() {
                s.in_flight += 1;
            }
        }
        if matches!(self.state.stage, Stage::Forward | Stage::Draining) {
            s.current_wave = self
                .state
                .steps
                .iter()
                .zip(&self.index.wave_of)
                .filter(|(st, _)| st.phase != Phase::Done)
                .map(|(_, &w)| w)
                .min();
        }
        s
    }

    // ---- state transitions that need no answer from the host ----

    /// Applies every transition that time and finished steps allow, until nothing changes.
    fn advance(&mut self) {
        loop {
            let changed = match self.state.stage {
                Stage::Forward => self.advance_forward(),
                Stage::Draining => self.advance_draining(),
                Stage::RollingBack => self.advance_rollback(),
                Stage::Finished => false,
            };
            if !changed {
                break;
            }
        }
    }

    fn advance_forward(&mut self) -> bool {
        let mut changed = false;
        for i in 0..self.state.steps.len() {
            if self.phase(i) == Some(Phase::Pending) && self.deps_done(i) {
                if let Some(st) = self.state.steps.get_mut(i) {
                    st.enter(Phase::Call);
                }
                changed = true;
            }
        }
        changed |= self.check_wait_timeouts(Phase::Wait);
        changed |= self.update_waves();
        if self.state.stage == Stage::Forward
            && self.state.steps.iter().all(|s| s.phase == Phase::Done)
        {
            self.finish_done();
            changed = true;
        }
        changed
    }

    fn advance_draining(&mut self) -> bool {
        // Nothing new is created while stopping: a call waiting to be retried is dropped
        // when its earlier attempts certainly did nothing (throttled, or never sent); one
        // that may have gone through is settled first (looked up, or re-sent when
        // idempotent), so that what exists is known.
        for st in &mut self.state.steps {
            if st.phase == Phase::Call && st.in_flight.is_none() && !st.reconcile {
                st.enter(Phase::Pending);
            }
        }
        let busy = self
            .state
            .steps
            .iter()
            .any(|s| s.in_flight.is_some() || matches!(s.phase, Phase::Lookup | Phase::Call));
        if busy {
            return false;
        }
        match self.options.on_failure {
            super::OnFailure::Stop => self.finish_failed(),
            super::OnFailure::Rollback => self.start_rollback(),
        }
        true
    }

    fn deps_done(&self, i: usize) -> bool {
        self.index
            .deps
            .get(i)
            .is_some_and(|d| d.iter().all(|&j| self.phase(j) == Some(Phase::Done)))
    }

    pub(super) fn phase(&self, i: usize) -> Option<Phase> {
        self.state.steps.get(i).map(|s| s.phase)
    }

    /// Starts wait clocks and fails waits whose time is up (no check in flight).
    pub(super) fn check_wait_timeouts(&mut self, phase: Phase) -> bool {
        let now = self.state.now_ms;
        let mut changed = false;
        for i in 0..self.state.steps.len() {
            let Some(wait) = self.wait_of(i, phase).cloned() else {
                continue;
            };
            let Some(st) = self.state.steps.get_mut(i) else {
                continue;
            };
            if st.phase != phase {
                continue;
            }
            let started = *st.wait_started_ms.get_or_insert(now);
            let deadline = started.saturating_add(u64::from(wait.timeout_seconds) * 1000);
            if st.in_flight.is_none() && now >= deadline {
                let seen = st
                    .last_status
                    .as_deref()
                    .map(|s| format!("; the last check saw `{s}`"))
                    .unwrap_or_default();
                let error = format!(
                    "waited {}s for {} to report {}, and gave up{seen}",
                    wait.timeout_seconds,
                    wait.call.operation,
                    state_list(&wait),
                );
                self.fail(i, error, None);
                changed = true;
            }
        }
        changed
    }

    /// The wait a step runs in `phase`.
    pub(super) fn wait_of(&self, i: usize, phase: Phase) -> Option<&Wait> {
        let step = self.plan.steps.get(i)?;
        match phase {
            Phase::Wait => step.wait.as_ref(),
            Phase::UndoWait => step.undo.as_ref()?.wait.as_ref(),
            _ => None,
        }
    }

    fn update_waves(&mut self) -> bool {
        let mut changed = false;
        for (w, members) in self.index.waves.iter().enumerate() {
            let Some(ws) = self.state.waves.get_mut(w) else {
                continue;
            };
            if ws.done {
                continue;
            }
            let all_done = members.iter().all(|&i| {
                self.state
                    .steps
                    .get(i)
                    .is_some_and(|s| s.phase == Phase::Done)
            });
            if all_done {
                ws.done = true;
                let started = ws.started_ms.unwrap_or(self.state.now_ms);
                self.events.push(Event::WaveDone {
                    wave: w,
                    steps: members.len(),
                    elapsed_ms: self.state.now_ms.saturating_sub(started),
                });
                changed = true;
            }
        }
        changed
    }

    // ---- handing out requests ----

    /// Hands out every request that may go now. Returns true when a step changed state on
    /// the way instead (its references could not be resolved), so the caller advances
    /// again.
    fn collect(&mut self, actions: &mut Vec<Action>) -> bool {
        let now = self.state.now_ms;
        let stage = self.state.stage;
        let allowed = |p: Phase| match stage {
            Stage::Forward => matches!(p, Phase::Lookup | Phase::Call | Phase::Wait),
            Stage::Draining => matches!(p, Phase::Lookup | Phase::Call),
            Stage::RollingBack => {
                matches!(p, Phase::UndoLookup | Phase::UndoCall | Phase::UndoWait)
            }
            Stage::Finished => false,
        };
        let mut due: Vec<usize> = (0..self.state.steps.len())
            .filter(|&i| {
                self.state.steps.get(i).is_some_and(|s| {
                    allowed(s.phase) && s.in_flight.is_none() && s.not_before_ms <= now
                }) && (self.phase(i) != Some(Phase::UndoLookup) || self.deps_looked_up(i))
            })
            .collect();
        if stage == Stage::RollingBack {
            // Newest first: the reverse of the order in which the steps completed.
            due.sort_by_key(|&i| {
                std::cmp::Reverse(self.state.steps.get(i).and_then(|s| s.created_seq))
            });
        }
        let mut failed = false;
        for i in due {
            failed |= !self.send(i, actions);
        }
        failed
    }

    /// Builds and records the request of step `i`; false when it changed the step's state
    /// instead (failed it, or ended its rollback lookup).
    fn send(&mut self, i: usize, actions: &mut Vec<Action>) -> bool {
        let has_lookup = self.plan.steps.get(i).is_some_and(|s| s.lookup.is_some());
        let Some(st) = self.state.steps.get_mut(i) else {
            return true;
        };
        if st.phase == Phase::Call && st.reconcile && has_lookup {
            // An earlier call may have gone through: find out before calling again.
            st.phase = Phase::Lookup;
        }
        let phase = st.phase;
        let attempt = st.errors + 1;
        let Some(step) = self.plan.steps.get(i) else {
            return true;
        };
        let Some((call, purpose, is_check)) = request_of(step, phase) else {
            return true;
        };
        let step_id = step.id.clone();
        let resolved = match refs::resolve(call, &self.state.outputs) {
            Ok(r) => r,
            Err(_) if phase == Phase::UndoLookup => {
                // A dependency does not exist, so neither can this step's resource.
                self.undo_lookup_not_found(i);
                return false;
            }
            Err(e) => {
                let error = format!("cannot make {}: {e}", call.operation);
                self.fail(i, error, None);
                return false;
            }
        };
        let interval = self
            .wait_of(i, phase)
            .map_or(0, |w| u64::from(w.interval_seconds) * 1000);
        let request_id = self.state.next_request;
        self.state.next_request += 1;
        let now = self.state.now_ms;
        if let Some(st) = self.state.steps.get_mut(i) {
            st.in_flight = Some(request_id);
            if is_check {
                st.not_before_ms = now.saturating_add(interval);
            }
        }
        if is_check {
            self.state.checks += 1;
            actions.push(Action::Check {
                request_id,
                step: step_id,
                call: resolved,
                purpose,
            });
        } else {
            self.state.calls += 1;
            if matches!(phase, Phase::Call | Phase::Lookup) {
                self.mark_wave_started(i);
            }
            if attempt == 1 {
                self.events.push(Event::StepStarted {
                    step: step_id.clone(),
                    purpose,
                    attempt,
                });
            }
            actions.push(Action::Call {
                request_id,
                step: step_id,
                call: resolved,
                attempt,
                purpose,
            });
        }
        true
    }

    fn mark_wave_started(&mut self, i: usize) {
        let Some(&w) = self.index.wave_of.get(i) else {
            return;
        };
        let now = self.state.now_ms;
        if let Some(ws) = self.state.waves.get_mut(w) {
            if ws.started_ms.is_none() {
                ws.started_ms = Some(now);
                let steps = self
                    .index
                    .waves
                    .get(w)
                    .map(|m| {
                        m.iter()
                            .filter_map(|&j| self.plan.steps.get(j).map(|s| s.id.clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                self.events.push(Event::WaveStarted {
                    wave: w,
                    steps,
                    at_ms: now,
                });
            }
        }
    }

    /// The earliest time something becomes due: a retry, a wait's next check or its
    /// deadline.
    fn next_timer(&self) -> Option<u64> {
        let now = self.state.now_ms;
        let stage = self.state.stage;
        let mut next: Option<u64> = None;
        let mut consider = |t: u64| {
            if t > now {
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        };
        for (i, st) in self.state.steps.iter().enumerate() {
            let allowed = match stage {
                Stage::Forward => matches!(st.phase, Phase::Lookup | Phase::Call | Phase::Wait),
                Stage::Draining => matches!(st.phase, Phase::Lookup | Phase::Call),
                Stage::RollingBack => matches!(
                    st.phase,
                    Phase::UndoLookup | Phase::UndoCall | Phase::UndoWait
                ),
                Stage::Finished => false,
            };
            if !allowed {
                continue;
            }
            if st.in_flight.is_none() {
                consider(st.not_before_ms);
            }
            if let (Some(wait), Some(started)) = (self.wait_of(i, st.phase), st.wait_started_ms) {
                consider(started.saturating_add(u64::from(wait.timeout_seconds) * 1000));
            }
        }
        next
    }

    // ---- endings ----

    /// Records a permanent failure of step `i` (forward or undo).
    pub(super) fn fail(&mut self, i: usize, error: String, code: Option<String>) {
        let Some(step_id) = self.plan.steps.get(i).map(|s| s.id.clone()) else {
            return;
        };
        let Some(st) = self.state.steps.get_mut(i) else {
            return;
        };
        st.in_flight = None;
        st.error = Some(error.clone());
        if matches!(
            st.phase,
            Phase::UndoLookup | Phase::UndoPending | Phase::UndoCall | Phase::UndoWait
        ) {
            st.phase = Phase::UndoFailed;
            self.events.push(Event::UndoFailed {
                step: step_id,
                error,
            });
            return;
        }
        st.phase = Phase::Failed;
        self.events.push(Event::StepFailed {
            step: step_id.clone(),
            error: error.clone(),
            code: code.clone(),
        });
        if self.state.failure.is_none() {
            self.state.failure = Some(Failure {
                step: step_id,
                error,
                code,
            });
        }
        if self.state.stage == Stage::Forward {
            self.state.stage = Stage::Draining;
        }
    }

    fn finish_done(&mut self) {
        let summary = Summary {
            steps: self.plan.steps.len(),
            calls: self.state.calls,
            checks: self.state.checks,
            retries: self.state.retries,
            elapsed_ms: self
                .state
                .now_ms
                .saturating_sub(self.state.started_ms.unwrap_or(self.state.now_ms)),
            outputs: self.state.outputs.clone(),
        };
        self.state.stage = Stage::Finished;
        self.state.finished = Some(Action::Done { summary });
    }

    /// Ends a failed run: what is left, and whether everything created was undone.
    pub(super) fn finish_failed(&mut self) {
        let remaining: Vec<String> = self
            .plan
            .steps
            .iter()
            .zip(&self.state.steps)
            .filter(|(step, st)| st.created_seq.is_some() && leaves_resource(step, st.phase))
            .map(|(step, _)| step.id.clone())
            .collect();
        let undo_failed = self
            .state
            .steps
            .iter()
            .any(|s| s.phase == Phase::UndoFailed);
        let rolled_back = self.options.on_failure == super::OnFailure::Rollback
            && remaining.is_empty()
            && !undo_failed;
        let failure = self.state.failure.clone().unwrap_or(Failure {
            step: String::new(),
            error: "the run failed".into(),
            code: None,
        });
        self.state.stage = Stage::Finished;
        self.state.finished = Some(Action::Failed {
            step: failure.step,
            error: failure.error,
            code: failure.code,
            rolled_back,
            remaining,
        });
    }
}

/// True when a step that ran still leaves something behind: it has an undo that has not
/// run, or it created or registered something that has no undo.
fn leaves_resource(step: &Step, phase: Phase) -> bool {
    if phase == Phase::Undone {
        return false;
    }
    step.undo.is_some()
        || matches!(
            step.action,
            crate::plan::Action::Create | crate::plan::Action::Register
        )
}

/// The call a step makes in a phase, why, and whether it is a wait's check.
fn request_of(step: &Step, phase: Phase) -> Option<(&ApiCall, Purpose, bool)> {
    match phase {
        Phase::Lookup | Phase::UndoLookup => {
            Some((&step.lookup.as_ref()?.call, Purpose::Lookup, false))
        }
        Phase::Call => Some((&step.call, Purpose::Apply, false)),
        Phase::Wait => Some((&step.wait.as_ref()?.call, Purpose::Apply, true)),
        Phase::UndoCall => Some((&step.undo.as_ref()?.call, Purpose::Undo, false)),
        Phase::UndoWait => Some((
            &step.undo.as_ref()?.wait.as_ref()?.call,
            Purpose::Undo,
            true,
        )),
        _ => None,
    }
}

/// `AVAILABLE` or `active`, for messages.
pub(super) fn state_list(wait: &Wait) -> String {
    let mut names: Vec<String> = wait.success.iter().map(|s| format!("`{s}`")).collect();
    names.extend(wait.success_errors.iter().map(|c| format!("error `{c}`")));
    names.join(" or ")
}

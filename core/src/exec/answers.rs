//! What the host reports back: answers to calls (`complete`) and to wait checks
//! (`observe`), and the retries, output capture and wait decisions they lead to.

use serde_json::Value;

use super::backoff;
use super::error::ExecError;
use super::executor::Executor;
use super::query;
use super::state::{Phase, Stage};
use super::types::{Event, Observation, Outcome, Purpose, RequestId};
use crate::plan::{Action as StepAction, Output, Wait};

/// What one wait check says.
enum Verdict {
    Success,
    Failure(String),
    Waiting(Option<String>),
}

impl Executor {
    /// Reports the answer to a `call` action.
    pub fn complete(&mut self, request_id: RequestId, outcome: Outcome) -> Result<(), ExecError> {
        let i = self.take_request(request_id, false)?;
        let phase = self.phase(i).unwrap_or(Phase::Pending);
        match (phase, outcome) {
            (Phase::Lookup, Outcome::Success { response }) => self.lookup_answered(i, &response),
            (Phase::Lookup, Outcome::Error { code, .. }) if backoff::is_not_found(&code) => {
                self.not_found(i);
            }
            (Phase::Call, Outcome::Success { response }) => self.created(i, &response, true),
            (Phase::Call, Outcome::Error { code, .. })
                if backoff::is_not_found(&code) && self.deletes(i) =>
            {
                // Deleting what is already gone reaches the goal (a delete re-sent after a
                // crash answers this way).
                self.created(i, &Value::Null, false);
            }
            (Phase::UndoLookup, Outcome::Success { response }) => {
                self.undo_lookup_answered(i, &response);
            }
            (Phase::UndoLookup, Outcome::Error { code, .. }) if backoff::is_not_found(&code) => {
                self.undo_lookup_not_found(i);
            }
            (Phase::UndoCall, Outcome::Success { .. }) => self.undo_called(i),
            (Phase::UndoCall, Outcome::Error { code, .. }) if backoff::is_not_found(&code) => {
                // Already deleted (an undo sent again after a resume), but maybe still
                // going away (a DELETING link, draining targets): its wait still decides.
                self.undo_called(i);
            }
            (
                phase,
                Outcome::Error {
                    code,
                    message,
                    retryable,
                },
            ) => {
                let purpose = match phase {
                    Phase::Lookup | Phase::UndoLookup => Purpose::Lookup,
                    Phase::UndoCall => Purpose::Undo,
                    _ => Purpose::Apply,
                };
                self.error_answer(i, purpose, code, message, retryable);
            }
            (_, Outcome::Success { .. }) => {}
        }
        Ok(())
    }

    /// Reports the answer to a `check` action (a wait's read call).
    pub fn observe(
        &mut self,
        request_id: RequestId,
        observation: Observation,
    ) -> Result<(), ExecError> {
        let i = self.take_request(request_id, true)?;
        let phase = self.phase(i).unwrap_or(Phase::Pending);
        let Some(wait) = self.wait_of(i, phase).cloned() else {
            return Ok(());
        };
        let purpose = if phase == Phase::UndoWait {
            Purpose::Undo
        } else {
            Purpose::Apply
        };
        match observation {
            Observation::Response { response } => match verdict(&wait, &response) {
                Ok(Verdict::Success) => self.wait_succeeded(i),
                Ok(Verdict::Failure(state)) => {
                    let message = wait
                        .message_query
                        .as_deref()
                        .and_then(|q| query::search(q, &response).ok())
                        .and_then(|v| query::as_state(&v))
                        .filter(|m| !m.is_empty())
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default();
                    let error = format!(
                        "{} reported `{state}`, a failure state{message}",
                        wait.call.operation
                    );
                    self.fail(i, error, None);
                }
                Ok(Verdict::Waiting(status)) => {
                    let now = self.state.now_ms;
                    if let Some(st) = self.state.steps.get_mut(i) {
                        st.errors = 0;
                        st.last_status.clone_from(&status);
                        let elapsed_ms = now.saturating_sub(st.wait_started_ms.unwrap_or(now));
                        let step = self.plan.steps.get(i).map(|s| s.id.clone());
                        self.events.push(Event::StepWaiting {
                            step: step.unwrap_or_default(),
                            purpose,
                            status,
                            elapsed_ms,
                            timeout_ms: u64::from(wait.timeout_seconds) * 1000,
                        });
                    }
                }
                Err(e) => self.fail(i, format!("{}: {e}", wait.call.operation), None),
            },
            Observation::Error { code, .. } if wait.success_errors.contains(&code) => {
                self.wait_succeeded(i);
            }
            Observation::Error {
                code,
                message,
                retryable,
            } => self.error_answer(i, purpose, code, message, retryable),
        }
        Ok(())
    }

    /// Finds the step waiting for `request_id` and clears its in-flight mark.
    fn take_request(&mut self, request_id: RequestId, check: bool) -> Result<usize, ExecError> {
        let found = self
            .state
            .steps
            .iter()
            .position(|s| s.in_flight == Some(request_id));
        let Some(i) = found else {
            return Err(if request_id < self.state.next_request && request_id > 0 {
                ExecError::NotInFlight { request_id }
            } else {
                ExecError::UnknownRequest { request_id }
            });
        };
        let is_wait = self.phase(i).is_some_and(Phase::is_wait);
        if is_wait != check {
            let step = self
                .plan
                .steps
                .get(i)
                .map(|s| s.id.clone())
                .unwrap_or_default();
            return Err(ExecError::WrongMethod {
                request_id,
                step,
                what: if is_wait { "a wait check" } else { "a call" }.into(),
                method: if is_wait { "observe" } else { "complete" }.into(),
            });
        }
        if let Some(st) = self.state.steps.get_mut(i) {
            st.in_flight = None;
        }
        Ok(i)
    }

    fn deletes(&self, i: usize) -> bool {
        self.plan.steps.get(i).is_some_and(|s| {
            matches!(
                s.action,
                StepAction::Delete | StepAction::Replace | StepAction::Deregister
            )
        })
    }

    /// A lookup answered: found means its first output's query yields a value.
    fn lookup_answered(&mut self, i: usize, response: &Value) {
        let Some(lookup) = self.plan.steps.get(i).and_then(|s| s.lookup.clone()) else {
            return;
        };
        let found = lookup
            .outputs
            .first()
            .and_then(|o| query::search_output(o, &self.state.outputs, response).ok())
            .is_some_and(|v| query::is_value(&v));
        if !found {
            self.not_found(i);
            return;
        }
        self.emit_reconciled(i, true);
        if let Some(st) = self.state.steps.get_mut(i) {
            st.reconcile = false;
        }
        self.capture_created(i, &lookup.outputs, response);
    }

    fn not_found(&mut self, i: usize) {
        self.emit_reconciled(i, false);
        let stopping = self.state.stage != Stage::Forward;
        if let Some(st) = self.state.steps.get_mut(i) {
            st.reconcile = false;
            if stopping {
                // Not there, and nothing new is created while stopping.
                st.enter(Phase::Pending);
            } else {
                // Keep the error count: the lookup and the call share the attempt budget.
                st.phase = Phase::Call;
                st.not_before_ms = 0;
            }
        }
    }

    fn emit_reconciled(&mut self, i: usize, found: bool) {
        if let Some(step) = self.plan.steps.get(i) {
            self.events.push(Event::StepReconciled {
                step: step.id.clone(),
                found,
            });
        }
    }

    /// The step's call went through: capture its outputs, then wait or finish.
    fn created(&mut self, i: usize, response: &Value, capture: bool) {
        let outputs = match (capture, self.plan.steps.get(i)) {
            (true, Some(step)) => step.outputs.clone(),
            _ => Vec::new(),
        };
        self.capture_created(i, &outputs, response);
    }

    fn capture_created(&mut self, i: usize, outputs: &[Output], response: &Value) {
        let seq = self.state.next_seq;
        self.state.next_seq += 1;
        let Some(step_id) = self.plan.steps.get(i).map(|s| s.id.clone()) else {
            return;
        };
        if let Some(st) = self.state.steps.get_mut(i) {
            // Set before capturing: even if an output is missing, the resource exists and
            // a rollback must undo it.
            st.created_seq = Some(seq);
        }
        for output in outputs {
            match query::capture(output, &self.state.outputs, response) {
                Ok(value) => {
                    self.state
                        .outputs
                        .entry(step_id.clone())
                        .or_default()
                        .insert(output.name.clone(), value);
                }
                Err(e) => {
                    self.fail(i, e, None);
                    return;
                }
            }
        }
        let has_wait = self.plan.steps.get(i).is_some_and(|s| s.wait.is_some());
        if let Some(st) = self.state.steps.get_mut(i) {
            if has_wait {
                st.enter(Phase::Wait);
            } else {
                st.enter(Phase::Done);
            }
        }
        if !has_wait {
            self.events.push(Event::StepDone { step: step_id });
        }
    }

    fn undo_called(&mut self, i: usize) {
        let has_wait = self
            .plan
            .steps
            .get(i)
            .and_then(|s| s.undo.as_ref())
            .is_some_and(|u| u.wait.is_some());
        if has_wait {
            if let Some(st) = self.state.steps.get_mut(i) {
                st.enter(Phase::UndoWait);
            }
        } else {
            self.rolled_back(i);
        }
    }

    pub(super) fn rolled_back(&mut self, i: usize) {
        if let Some(st) = self.state.steps.get_mut(i) {
            st.enter(Phase::Undone);
        }
        if let Some(step) = self.plan.steps.get(i) {
            self.events.push(Event::StepRolledBack {
                step: step.id.clone(),
            });
        }
    }

    fn wait_succeeded(&mut self, i: usize) {
        match self.phase(i) {
            Some(Phase::Wait) => {
                if let Some(st) = self.state.steps.get_mut(i) {
                    st.enter(Phase::Done);
                }
                if let Some(step) = self.plan.steps.get(i) {
                    self.events.push(Event::StepDone {
                        step: step.id.clone(),
                    });
                }
            }
            Some(Phase::UndoWait) => self.rolled_back(i),
            _ => {}
        }
    }

    /// An error answer: retry throttling and retryable errors with backoff until the
    /// attempts run out; anything else fails the step.
    fn error_answer(
        &mut self,
        i: usize,
        purpose: Purpose,
        code: String,
        message: String,
        retryable: bool,
    ) {
        let operation = self.operation_of(i);
        let throttled = backoff::is_throttling(&code);
        let retryable = retryable || (purpose == Purpose::Undo && backoff::is_still_in_use(&code));
        if !throttled && !retryable {
            self.fail(
                i,
                format!("{operation} answered {code}: {message}"),
                Some(code),
            );
            return;
        }
        let max = self.options.max_attempts.max(1);
        let Some(st) = self.state.steps.get_mut(i) else {
            return;
        };
        st.errors += 1;
        if st.errors >= max {
            let attempts = st.errors;
            self.fail(
                i,
                format!("{operation} gave up after {attempts} attempts; the last answer was {code}: {message}"),
                Some(code),
            );
            return;
        }
        let retry = st.errors;
        let delay_ms = backoff::delay_ms(&self.options, retry, &mut self.state.rng);
        let now = self.state.now_ms;
        let Some(st) = self.state.steps.get_mut(i) else {
            return;
        };
        st.not_before_ms = st.not_before_ms.max(now.saturating_add(delay_ms));
        if !throttled && st.phase == Phase::Call {
            // A 5xx may come after the change was made: look before calling again.
            st.reconcile = true;
        }
        self.state.retries += 1;
        let step = self
            .plan
            .steps
            .get(i)
            .map(|s| s.id.clone())
            .unwrap_or_default();
        self.events.push(Event::StepRetrying {
            step,
            purpose,
            attempt: retry + 1,
            delay_ms,
            code,
            message,
        });
    }

    /// The operation of the request step `i` has in flight in its current phase.
    fn operation_of(&self, i: usize) -> String {
        let Some(step) = self.plan.steps.get(i) else {
            return String::new();
        };
        let call = match self.phase(i) {
            Some(Phase::Lookup | Phase::UndoLookup) => step.lookup.as_ref().map(|l| &l.call),
            Some(Phase::Wait) => step.wait.as_ref().map(|w| &w.call),
            Some(Phase::UndoCall) => step.undo.as_ref().map(|u| &u.call),
            Some(Phase::UndoWait) => step
                .undo
                .as_ref()
                .and_then(|u| u.wait.as_ref())
                .map(|w| &w.call),
            _ => Some(&step.call),
        };
        call.map(|c| c.operation.clone()).unwrap_or_default()
    }
}

/// Reads a wait's state from a response. A list (a projection) succeeds only when every
/// element is a success state, and fails when any is a failure state.
fn verdict(wait: &Wait, response: &Value) -> Result<Verdict, String> {
    let found = query::search(&wait.status_query, response)?;
    let is = |set: &[String], s: &str| set.iter().any(|x| x == s);
    match &found {
        Value::Array(items) => {
            let states: Vec<Option<String>> = items.iter().map(query::as_state).collect();
            if let Some(bad) = states.iter().flatten().find(|s| is(&wait.failure, s)) {
                return Ok(Verdict::Failure(bad.clone()));
            }
            let all_ok = !states.is_empty()
                && states
                    .iter()
                    .all(|s| s.as_deref().is_some_and(|s| is(&wait.success, s)));
            if all_ok {
                return Ok(Verdict::Success);
            }
            let mut seen: Vec<String> = states.into_iter().flatten().collect();
            seen.dedup();
            Ok(Verdict::Waiting(
                (!seen.is_empty()).then(|| seen.join(", ")),
            ))
        }
        other => match query::as_state(other) {
            Some(s) if is(&wait.failure, &s) => Ok(Verdict::Failure(s)),
            Some(s) if is(&wait.success, &s) => Ok(Verdict::Success),
            status => Ok(Verdict::Waiting(status)),
        },
    }
}

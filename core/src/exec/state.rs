//! The executor's whole mutable state. It is exactly what a checkpoint stores (next to the
//! plan and options), so every field here must serialise.

use serde::{Deserialize, Serialize};

use super::types::{Action, Outputs, RequestId};
use crate::plan::StepId;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct State {
    /// The host time given to the latest `poll`.
    pub now_ms: u64,
    /// The host time of the first `poll`.
    pub started_ms: Option<u64>,
    pub next_request: RequestId,
    /// Counts successful apply calls, to undo in reverse completion order.
    pub next_seq: u64,
    /// splitmix64 state for the backoff jitter.
    pub rng: u64,
    pub stage: Stage,
    /// The first permanent failure; later ones are only events.
    pub failure: Option<Failure>,
    /// The final action, repeated by every later poll.
    pub finished: Option<Action>,
    /// One per plan step, in plan order.
    pub steps: Vec<StepState>,
    pub outputs: Outputs,
    pub waves: Vec<WaveState>,
    pub calls: u64,
    pub checks: u64,
    pub retries: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Stage {
    Forward,
    /// A step failed: calls already started finish; nothing new starts.
    Draining,
    RollingBack,
    Finished,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Failure {
    pub step: StepId,
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Phase {
    /// Not started (dependencies not done yet, or not polled since they were).
    Pending,
    /// Looking up whether an earlier attempt created the resource.
    Lookup,
    /// Making the step's call.
    Call,
    /// The call succeeded; checking the wait.
    Wait,
    Done,
    Failed,
    /// Rollback after a resume: not known to exist, but an earlier run may have created
    /// it; looked up (after its dependencies) before the undo.
    UndoLookup,
    /// Created, to be undone once everything depending on it is undone.
    UndoPending,
    UndoCall,
    UndoWait,
    Undone,
    UndoFailed,
}

impl Phase {
    /// Phases whose requests are checks (answered with `observe`).
    pub fn is_wait(self) -> bool {
        matches!(self, Phase::Wait | Phase::UndoWait)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepState {
    pub phase: Phase,
    /// Retryable error answers in the current phase; the next attempt is `errors + 1`.
    pub errors: u32,
    /// The next request of this phase is not sent before this host time.
    pub not_before_ms: u64,
    /// The request sent and not answered yet.
    pub in_flight: Option<RequestId>,
    /// Look the resource up before calling: set on resume and after an ambiguous error,
    /// when an earlier call may have gone through.
    pub reconcile: bool,
    /// Set when the call succeeded (or a lookup found the resource): the step created
    /// something. Orders the rollback.
    pub created_seq: Option<u64>,
    /// When the current wait began (the first poll after the call succeeded).
    pub wait_started_ms: Option<u64>,
    pub last_status: Option<String>,
    pub error: Option<String>,
}

impl StepState {
    pub fn new() -> Self {
        StepState {
            phase: Phase::Pending,
            errors: 0,
            not_before_ms: 0,
            in_flight: None,
            reconcile: false,
            created_seq: None,
            wait_started_ms: None,
            last_status: None,
            error: None,
        }
    }

    /// Moves to a new phase with fresh retry and wait bookkeeping.
    pub fn enter(&mut self, phase: Phase) {
        self.phase = phase;
        self.errors = 0;
        self.not_before_ms = 0;
        self.in_flight = None;
        self.wait_started_ms = None;
        self.last_status = None;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WaveState {
    pub started_ms: Option<u64>,
    pub done: bool,
}

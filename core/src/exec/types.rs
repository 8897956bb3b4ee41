//! What goes in and out of the executor: options, actions, outcomes, observations, events
//! and status. Every type here crosses the bindings as JSON.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::plan::StepId;

/// Identifies one request the executor asked the host to make; unique for the lifetime of
/// an execution, across resumes.
pub type RequestId = u64;

/// Outputs captured so far: step id → output name → value.
pub type Outputs = BTreeMap<StepId, BTreeMap<String, Value>>;

/// What to do when a step fails for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnFailure {
    /// Stop and report; what was created stays.
    Stop,
    /// Undo every step that created something, newest first, then report.
    #[default]
    Rollback,
}

/// How the executor retries and what it does on failure. The host supplies the seed: the
/// core reads no clock and no OS randomness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ExecOptions {
    pub on_failure: OnFailure,
    /// Answers with a retryable error a call may get before its step fails (at least 1).
    pub max_attempts: u32,
    /// The first retry waits about this long; each further retry doubles it.
    pub base_backoff_ms: u64,
    /// No retry waits longer than this.
    pub max_backoff_ms: u64,
    /// Seeds the jitter of the backoff delays.
    pub seed: u64,
}

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions {
            on_failure: OnFailure::Rollback,
            max_attempts: 8,
            base_backoff_ms: 500,
            max_backoff_ms: 20_000,
            seed: 0,
        }
    }
}

/// Why a call is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// The step's own call (create, update, delete, ...).
    Apply,
    /// Rollback: the call that undoes the step.
    Undo,
    /// Reconciliation: find out whether an earlier attempt already created the resource.
    Lookup,
}

/// An API call with every parameter reference replaced by its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolvedCall {
    /// botocore service name (`elbv2`).
    pub service: String,
    /// boto3 operation name (`create_load_balancer`).
    pub operation: String,
    #[schemars(with = "BTreeMap<String, Value>")]
    pub params: serde_json::Map<String, Value>,
}

/// Something the host should do now, from [`Executor::poll`](super::Executor::poll).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Make this call and report the answer with `complete(request_id, outcome)`.
    Call {
        request_id: RequestId,
        step: StepId,
        call: ResolvedCall,
        /// 1 for the first try; retries count up.
        attempt: u32,
        purpose: Purpose,
    },
    /// Make this read call for a wait and report the answer with
    /// `observe(request_id, observation)`.
    Check {
        request_id: RequestId,
        step: StepId,
        call: ResolvedCall,
        /// `apply` for a step's wait, `undo` for the wait of its undo.
        purpose: Purpose,
    },
    /// Nothing can happen before this time: poll again then (or when an answer arrives).
    Sleep { until_ms: u64 },
    /// Every step finished.
    Done { summary: Summary },
    /// A step failed for good.
    Failed {
        step: StepId,
        error: String,
        /// The AWS error code, when an error answer caused the failure.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// True when everything this run created has been undone.
        rolled_back: bool,
        /// Steps whose resources still exist (created and not undone).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        remaining: Vec<StepId>,
    },
}

/// The counts and outputs of a finished run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub steps: usize,
    /// Calls made (apply, lookup and undo), not counting wait checks.
    pub calls: u64,
    pub checks: u64,
    pub retries: u64,
    /// Host time between the first poll and the end.
    pub elapsed_ms: u64,
    #[schemars(with = "BTreeMap<String, BTreeMap<String, Value>>")]
    pub outputs: Outputs,
}

/// The answer to a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// The parsed response (boto3's dict; `{}` for calls that return nothing).
    Success { response: Value },
    /// An error answer: AWS's error code (`ThrottlingException`), its message, and whether
    /// the host believes a retry can succeed (5xx, connection reset).
    Error {
        code: String,
        message: String,
        #[serde(default)]
        retryable: bool,
    },
}

/// The answer to a wait's check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Observation {
    /// The read call's response; the executor reads the state with the wait's `status_query`.
    Response { response: Value },
    Error {
        code: String,
        message: String,
        #[serde(default)]
        retryable: bool,
    },
}

/// Progress for people and logs, drained with [`Executor::events`](super::Executor::events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The first step of a wave started.
    WaveStarted {
        wave: usize,
        steps: Vec<StepId>,
        at_ms: u64,
    },
    /// Every step of a wave is done.
    WaveDone {
        wave: usize,
        steps: usize,
        elapsed_ms: u64,
    },
    /// A call of a step was sent for the first time (or again after a resume).
    StepStarted {
        step: StepId,
        purpose: Purpose,
        attempt: u32,
    },
    /// An error answer will be retried after a delay.
    StepRetrying {
        step: StepId,
        purpose: Purpose,
        /// The attempt that will be made next.
        attempt: u32,
        delay_ms: u64,
        code: String,
        message: String,
    },
    /// A lookup answered whether an earlier attempt had created the resource.
    StepReconciled {
        step: StepId,
        found: bool,
    },
    /// A wait check did not end the wait.
    StepWaiting {
        step: StepId,
        purpose: Purpose,
        /// The state the check saw (a list's states joined with `, `), if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        elapsed_ms: u64,
        timeout_ms: u64,
    },
    StepDone {
        step: StepId,
    },
    StepFailed {
        step: StepId,
        error: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
    },
    /// Rollback begins; these steps will be undone, newest first.
    RollbackStarted {
        failed_step: StepId,
        steps: Vec<StepId>,
    },
    StepRolledBack {
        step: StepId,
    },
    UndoFailed {
        step: StepId,
        error: String,
    },
}

/// Where the run is, for progress displays.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecStatus {
    pub phase: RunPhase,
    /// Steps not started yet.
    pub pending: usize,
    /// Steps whose call (or lookup) is being made or retried.
    pub running: usize,
    /// Steps waiting for a state.
    pub waiting: usize,
    pub done: usize,
    pub failed: usize,
    /// Steps whose undo is still to come or in progress.
    pub undoing: usize,
    pub rolled_back: usize,
    pub undo_failed: usize,
    /// Requests sent and not answered.
    pub in_flight: usize,
    /// The earliest wave with a step not done (0-based), while the run goes forward.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_wave: Option<usize>,
    pub waves: usize,
}

/// The stage of the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunPhase {
    #[default]
    Running,
    /// A step failed; requests in flight finish before stopping or rolling back.
    Stopping,
    RollingBack,
    Done,
    Failed,
}

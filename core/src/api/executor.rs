//! The executor with JSON on both sides, for hosts in other languages: answers go in as
//! the documented JSON shapes, actions and events come out as typed values that serialise
//! to them, and the checkpoint is a JSON string.

use serde_json::Value;

use super::error::ApiError;
use super::from_value;
use crate::exec::{
    Action, Event, ExecOptions, ExecStatus, Executor, Observation, Outcome, RequestId,
};
use crate::plan::Plan;

/// [`Executor`] for bindings.
#[derive(Debug)]
pub struct ApiExecutor {
    inner: Executor,
}

impl ApiExecutor {
    /// `options` as in the schema `exec_options`; absent fields take their defaults.
    pub fn new(plan: Value, options: Option<Value>) -> Result<ApiExecutor, ApiError> {
        let plan: Plan = from_value(plan, "plan")?;
        let options: ExecOptions = match options {
            Some(v) => from_value(v, "options")?,
            None => ExecOptions::default(),
        };
        Ok(ApiExecutor {
            inner: Executor::new(plan, options)?,
        })
    }

    pub fn resume(checkpoint: &str) -> Result<ApiExecutor, ApiError> {
        Ok(ApiExecutor {
            inner: Executor::resume(checkpoint)?,
        })
    }

    pub fn poll(&mut self, now_ms: u64) -> Vec<Action> {
        self.inner.poll(now_ms)
    }

    /// `outcome` is `{"type": "success", "response": {...}}` or
    /// `{"type": "error", "code": ..., "message": ..., "retryable": bool}`.
    pub fn complete(&mut self, request_id: RequestId, outcome: Value) -> Result<(), ApiError> {
        let outcome: Outcome = from_value(outcome, "outcome")?;
        Ok(self.inner.complete(request_id, outcome)?)
    }

    /// `observation` is `{"type": "response", "response": {...}}` or an error as for
    /// [`complete`](Self::complete).
    pub fn observe(&mut self, request_id: RequestId, observation: Value) -> Result<(), ApiError> {
        let observation: Observation = from_value(observation, "observation")?;
        Ok(self.inner.observe(request_id, observation)?)
    }

    pub fn checkpoint(&self) -> String {
        self.inner.checkpoint()
    }

    pub fn events(&mut self) -> Vec<Event> {
        self.inner.events()
    }

    pub fn status(&self) -> ExecStatus {
        self.inner.status()
    }

    pub fn plan(&self) -> &Plan {
        self.inner.plan()
    }
}

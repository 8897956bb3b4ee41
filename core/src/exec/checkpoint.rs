//! Checkpoints: the whole executor as versioned JSON, and resuming from one.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::ExecError;
use super::executor::Executor;
use super::index::Index;
use super::state::{Phase, State};
use super::types::ExecOptions;
use crate::plan::Plan;

/// The `format` field of every checkpoint.
pub const CHECKPOINT_FORMAT: &str = "vpclink-executor";
/// The checkpoint version this build writes and reads.
pub const CHECKPOINT_VERSION: u32 = 1;

#[derive(Serialize)]
struct CheckpointOut<'a> {
    format: &'static str,
    version: u32,
    plan: &'a Plan,
    options: &'a ExecOptions,
    state: &'a State,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckpointIn {
    #[allow(dead_code, reason = "checked before parsing")]
    format: String,
    #[allow(dead_code, reason = "checked before parsing")]
    version: u32,
    plan: Plan,
    options: ExecOptions,
    state: State,
}

impl Executor {
    /// The whole state (plan, options, outputs, per-step progress, attempts, timers and the
    /// jitter generator) as JSON. Write it where a restarted host finds it **after every
    /// `poll` and before making the calls it returned**, and after every answer.
    pub fn checkpoint(&self) -> String {
        let out = CheckpointOut {
            format: CHECKPOINT_FORMAT,
            version: CHECKPOINT_VERSION,
            plan: &self.plan,
            options: &self.options,
            state: &self.state,
        };
        // Cannot fail: every map has text keys and JSON values hold no non-finite numbers.
        serde_json::to_string(&out).unwrap_or_default()
    }

    /// Rebuilds an executor from a checkpoint. Requests that were in flight are forgotten
    /// (their answers, if they ever come, are refused) and their work is redone safely:
    /// a step whose call may have gone through is looked up first (its `lookup`), and is
    /// only called again when the lookup finds nothing; steps without a lookup are
    /// idempotent and simply sent again. Every step not yet created that has a lookup is
    /// looked up before its call, so resuming from an older checkpoint creates nothing
    /// twice either.
    pub fn resume(checkpoint: &str) -> Result<Executor, ExecError> {
        let value: Value =
            serde_json::from_str(checkpoint).map_err(|e| bad(format!("not JSON: {e}")))?;
        match value.get("format").and_then(Value::as_str) {
            Some(CHECKPOINT_FORMAT) => {}
            Some(other) => {
                return Err(bad(format!(
                    "its format is `{other}`, not `{CHECKPOINT_FORMAT}`"
                )))
            }
            None => {
                return Err(bad(format!(
                    "it has no \"format\": \"{CHECKPOINT_FORMAT}\" field; is it an executor checkpoint?"
                )))
            }
        }
        let version = value
            .get("version")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("it has no numeric \"version\"".into()))?;
        if version > u64::from(CHECKPOINT_VERSION) {
            return Err(ExecError::NewerCheckpoint {
                found: version,
                supported: CHECKPOINT_VERSION,
            });
        }
        if version < 1 {
            return Err(bad(format!("version {version} does not exist")));
        }
        let parsed: CheckpointIn = crate::parse::json_path::from_json_str(checkpoint)
            .map_err(|e| bad(format!("at {}: {}", e.pointer, e.message())))?;
        let index = Index::build(&parsed.plan)?;
        let mut state = parsed.state;
        if state.steps.len() != parsed.plan.steps.len() || state.waves.len() != index.waves.len() {
            return Err(bad(format!(
                "it tracks {} steps and {} waves, but its plan has {} steps and {} waves",
                state.steps.len(),
                state.waves.len(),
                parsed.plan.steps.len(),
                index.waves.len()
            )));
        }
        for (step, st) in parsed.plan.steps.iter().zip(state.steps.iter_mut()) {
            if st.in_flight.take().is_some() {
                // The answer is lost; send again now. A lost call may have gone through.
                st.not_before_ms = 0;
                if st.phase == Phase::Call {
                    st.reconcile = true;
                }
            }
            if matches!(st.phase, Phase::Pending | Phase::Call) && step.lookup.is_some() {
                st.reconcile = true;
            }
        }
        Ok(Executor {
            plan: parsed.plan,
            options: parsed.options,
            index,
            state,
            events: Vec::new(),
        })
    }
}

fn bad(message: String) -> ExecError {
    ExecError::BadCheckpoint { message }
}

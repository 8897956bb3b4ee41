//! Errors from using the executor wrongly or feeding it something it cannot use. A failing
//! AWS call is not one of these: it becomes an [`Action::Failed`](super::Action::Failed).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::types::RequestId;
use crate::plan::StepId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ExecError {
    /// The plan cannot be executed as written.
    #[error("invalid plan{}: {message}", step.as_deref().map(|s| format!(", step `{s}`")).unwrap_or_default())]
    InvalidPlan {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<StepId>,
        message: String,
    },
    #[error("request {request_id} was never issued by this execution")]
    UnknownRequest { request_id: RequestId },
    #[error("request {request_id} is not in flight: it was already answered, or it was sent before the executor was resumed (a resumed executor sends its work again)")]
    NotInFlight { request_id: RequestId },
    /// `complete` for a wait check, or `observe` for a call.
    #[error("request {request_id} (step `{step}`) is {what}; report its answer with {method}()")]
    WrongMethod {
        request_id: RequestId,
        step: StepId,
        what: String,
        method: String,
    },
    /// Not a checkpoint, or a damaged one.
    #[error("bad executor checkpoint: {message}")]
    BadCheckpoint { message: String },
    #[error("the checkpoint is version {found}, written by a newer vpclink; this build reads version {supported}: upgrade vpclink to resume it")]
    NewerCheckpoint { found: u64, supported: u32 },
}

impl ExecError {
    /// A stable string for bindings (`error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            ExecError::InvalidPlan { .. } => "invalid_plan",
            ExecError::UnknownRequest { .. } => "unknown_request",
            ExecError::NotInFlight { .. } => "not_in_flight",
            ExecError::WrongMethod { .. } => "wrong_method",
            ExecError::BadCheckpoint { .. } => "bad_checkpoint",
            ExecError::NewerCheckpoint { .. } => "newer_checkpoint",
        }
    }

    pub(crate) fn plan(step: Option<&str>, message: impl Into<String>) -> Self {
        ExecError::InvalidPlan {
            step: step.map(str::to_string),
            message: message.into(),
        }
    }
}

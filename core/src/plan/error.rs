//! Why a plan could not be made.

use schemars::JsonSchema;
use serde::Serialize;

use crate::pointer::JsonPointer;

/// A plan that cannot be made, with the place to look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema, thiserror::Error)]
#[error("{message}")]
pub struct PlanError {
    pub code: PlanErrorCode,
    pub message: String,
    /// JSON Pointer into the desired topology, or into `current` when the message says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<JsonPointer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanErrorCode {
    /// The desired topology has errors; fix them first (`vpclink check`).
    InvalidTopology,
    /// A deployment would route through an existing VPC link that is not `AVAILABLE`.
    LinkNotAvailable,
    /// Desired and current topologies are in different Regions.
    RegionMismatch,
    /// A resource of `current` must be changed or deleted but carries no AWS id or ARN.
    MissingAwsId,
    /// Desired and current name different AWS ids for the same resource.
    AwsIdConflict,
    /// The planner built steps it cannot order (a bug: please report it).
    Internal,
}

impl PlanError {
    pub(crate) fn new(code: PlanErrorCode, message: impl Into<String>) -> Self {
        PlanError {
            code,
            message: message.into(),
            path: None,
        }
    }
    pub(crate) fn at(mut self, path: JsonPointer) -> Self {
        self.path = Some(path);
        self
    }
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        PlanError::new(PlanErrorCode::Internal, message)
    }
}

//! JSON Schemas of everything that crosses a binding, by name. The Python TypedDicts and
//! the TypeScript declarations are generated from `schema("api")`, which holds them all, so
//! the typings cannot disagree with the Rust types.
//!
//! [`schema`] serves the files committed under `core/schemas/`; [`generate_schema`] derives
//! them from the types with schemars, and a test (tests/generated.rs) keeps the two equal.
//! Serving text keeps schemars' generator out of the bindings: in the .wasm it was the
//! largest single part.

use schemars::JsonSchema;
use serde_json::Value;

use super::error::ApiError;
use crate::cost::{CostEstimate, Traffic};
use crate::diagnose::{Diagnosis, Symptom};
use crate::diagnostic::RuleMeta;
use crate::exec::{Action, Event, ExecOptions, ExecStatus, Observation, Outcome};
use crate::plan::Plan;
use crate::reach::ReachReport;
use crate::{Report, Topology};

/// The names [`schema`] knows.
pub const SCHEMA_NAMES: &[&str] = &[
    "topology",
    "plan",
    "report",
    "reach",
    "diagnosis",
    "symptom",
    "cost",
    "traffic",
    "live_state",
    "rule",
    "exec_options",
    "action",
    "outcome",
    "observation",
    "event",
    "exec_status",
    "error",
    "api",
];

/// Every type at once, as properties of one object, so generators emit them all with
/// their own names. Never instantiated.
#[derive(JsonSchema)]
#[allow(dead_code, reason = "only its schema is used")]
struct Api {
    topology: Topology,
    plan: Plan,
    report: Report,
    reach: ReachReport,
    diagnosis: Diagnosis,
    symptom: Symptom,
    cost: CostEstimate,
    traffic: Traffic,
    rule: RuleMeta,
    exec_options: ExecOptions,
    action: Action,
    outcome: Outcome,
    observation: Observation,
    event: Event,
    exec_status: ExecStatus,
    error: ApiError,
}

/// The JSON Schema (draft 2020-12) named `name`, one of [`SCHEMA_NAMES`].
pub fn schema(name: &str) -> Result<Value, ApiError> {
    let text = match normalise(name).as_str() {
        "topology" => crate::schema::TOPOLOGY_SCHEMA,
        "plan" => include_str!("../../schemas/plan.schema.json"),
        "report" => include_str!("../../schemas/report.schema.json"),
        "reach" => include_str!("../../schemas/reach.schema.json"),
        "diagnosis" => include_str!("../../schemas/diagnosis.schema.json"),
        "symptom" => include_str!("../../schemas/symptom.schema.json"),
        "cost" => include_str!("../../schemas/cost.schema.json"),
        "traffic" => include_str!("../../schemas/traffic.schema.json"),
        "live_state" => include_str!("../../schemas/live_state.schema.json"),
        "rule" => include_str!("../../schemas/rule.schema.json"),
        "exec_options" => include_str!("../../schemas/exec_options.schema.json"),
        "action" => include_str!("../../schemas/action.schema.json"),
        "outcome" => include_str!("../../schemas/outcome.schema.json"),
        "observation" => include_str!("../../schemas/observation.schema.json"),
        "event" => include_str!("../../schemas/event.schema.json"),
        "exec_status" => include_str!("../../schemas/exec_status.schema.json"),
        "error" => include_str!("../../schemas/error.schema.json"),
        "api" => include_str!("../../schemas/api.schema.json"),
        other => return Err(unknown(other)),
    };
    serde_json::from_str(text).map_err(|e| {
        ApiError::argument(
            "schema_unreadable",
            format!("the committed schema `{name}` is not JSON: {e}"),
        )
    })
}

/// The schema named `name`, generated from the Rust types (what `core/schemas/` must hold).
pub fn generate_schema(name: &str) -> Result<Value, ApiError> {
    let schema = match normalise(name).as_str() {
        "topology" => schemars::schema_for!(Topology),
        "plan" => schemars::schema_for!(Plan),
        "report" => schemars::schema_for!(Report),
        "reach" => schemars::schema_for!(ReachReport),
        "diagnosis" => schemars::schema_for!(Diagnosis),
        "symptom" => schemars::schema_for!(Symptom),
        "cost" => schemars::schema_for!(CostEstimate),
        "traffic" => schemars::schema_for!(Traffic),
        "live_state" => return Ok(crate::import::aws::bundle_schema()),
        "rule" => schemars::schema_for!(RuleMeta),
        "exec_options" => schemars::schema_for!(ExecOptions),
        "action" => schemars::schema_for!(Action),
        "outcome" => schemars::schema_for!(Outcome),
        "observation" => schemars::schema_for!(Observation),
        "event" => schemars::schema_for!(Event),
        "exec_status" => schemars::schema_for!(ExecStatus),
        "error" => schemars::schema_for!(ApiError),
        "api" => schemars::schema_for!(Api),
        other => return Err(unknown(other)),
    };
    Ok(serde_json::to_value(&schema).unwrap_or(Value::Null))
}

fn normalise(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace('-', "_")
}

fn unknown(name: &str) -> ApiError {
    ApiError::argument(
        "unknown_schema",
        format!(
            "no schema is called `{name}`; use one of: {}",
            SCHEMA_NAMES.join(", ")
        ),
    )
}

//! The JSON Schema of the topology format, generated from the Rust types.

use crate::model::Topology;

/// The committed schema of the topology format (`core/schemas/topology.schema.json`, kept
/// equal to [`topology_schema`] by tests/generated.rs).
pub(crate) const TOPOLOGY_SCHEMA: &str = include_str!("../schemas/topology.schema.json");

/// The JSON Schema (draft 2020-12) of the topology format, as pretty JSON.
pub fn topology_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Topology);
    serde_json::to_value(&schema).unwrap_or(serde_json::Value::Null)
}

/// The JSON Schema of the plan format ([`Plan`](crate::plan::Plan)), the executor's input.
pub fn plan_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(crate::plan::Plan);
    serde_json::to_value(&schema).unwrap_or(serde_json::Value::Null)
}

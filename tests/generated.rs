//! Generated documents stay current: `docs/rules.md` and the JSON Schemas of the topology,
//! plan and live-state bundle formats must equal what the code generates. `VPCLINK_BLESS=1` (scripts/regenerate) rewrites them.

use vpclink_conformance::{
    compare_or_bless, live_state_schema_json, plan_schema_json, rules_markdown, schema_json,
    workspace_root,
};

#[test]
fn rules_md_is_current() {
    let path = workspace_root().join("docs/rules.md");
    if let Err(message) = compare_or_bless(&path, &rules_markdown()) {
        panic!("{message}");
    }
}

#[test]
fn topology_schema_is_current() {
    let path = workspace_root().join("docs/topology.schema.json");
    if let Err(message) = compare_or_bless(&path, &schema_json()) {
        panic!("{message}");
    }
}

#[test]
fn plan_schema_is_current() {
    let path = workspace_root().join("docs/plan.schema.json");
    if let Err(message) = compare_or_bless(&path, &plan_schema_json()) {
        panic!("{message}");
    }
}

#[test]
fn live_state_schema_is_current() {
    let path = workspace_root().join("docs/live-state.schema.json");
    if let Err(message) = compare_or_bless(&path, &live_state_schema_json()) {
        panic!("{message}");
    }
}

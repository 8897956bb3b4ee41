//! Host-side checks of what the package declares: the generated TypeScript is current with
//! the core's types, and the hand-written unions list exactly the names the core accepts.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::panic, reason = "tests")]

use vpclink_core::api::{RENDER_FORMATS, SCHEMA_NAMES};
use vpclink_wasm::typegen;

const API_TYPES: &str = include_str!("../types/api.d.ts");
const EXTRA_TYPES: &str = include_str!("../types/extra.d.ts");

#[test]
fn generated_types_are_current_with_the_core() {
    let text = typegen::schemas_text().unwrap();
    let header = typegen::header_line(&text);
    assert!(
        API_TYPES.lines().take(5).any(|line| line == header),
        "bindings-wasm/types/api.d.ts is stale: the core's schemas changed ({header}).\n\
         Run scripts/build-npm --types and review the diff."
    );
}

#[test]
fn fnv1a64_matches_the_published_vectors() {
    assert_eq!(typegen::fnv1a64(""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(typegen::fnv1a64("a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(typegen::fnv1a64("foobar"), 0x8594_4171_f739_67e8);
}

/// The string literals of `export type <name> = ...;` in extra.d.ts.
fn union(name: &str) -> Vec<String> {
    let start = EXTRA_TYPES
        .find(&format!("export type {name} ="))
        .unwrap_or_else(|| panic!("extra.d.ts declares no {name}"));
    let body = &EXTRA_TYPES[start..];
    let body = &body[..body.find(';').unwrap()];
    body.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn format_unions_list_the_core_formats() {
    let mut all = union("PlanFormat");
    all.extend(union("RenderFormat"));
    all.sort();
    let mut core: Vec<String> = RENDER_FORMATS.iter().map(|s| s.to_string()).collect();
    core.sort();
    assert_eq!(all, core);
}

#[test]
fn schema_name_union_lists_the_core_names() {
    assert_eq!(union("SchemaName"), SCHEMA_NAMES);
}

#[test]
fn every_exported_type_name_is_declared() {
    // The names the exports' signatures use must exist in the generated file.
    for name in [
        "Topology",
        "Report",
        "ReachReport",
        "Plan",
        "Diagnosis",
        "Symptom",
        "CostEstimate",
        "Traffic",
        "RuleMeta",
        "ExecOptions",
        "Action",
        "Outcome",
        "Observation",
        "Event",
        "ExecStatus",
        "ApiError",
        "ErrorKind",
        "LiveState",
    ] {
        let declared = [
            format!("export interface {name} "),
            format!("export type {name} ="),
        ];
        assert!(
            declared.iter().any(|d| API_TYPES.contains(d.as_str())),
            "types/api.d.ts declares no {name}"
        );
    }
}

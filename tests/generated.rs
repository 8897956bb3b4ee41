//! Generated documents stay current: `docs/rules.md` and the JSON Schemas under
//! `core/schemas/` (the topology, plan and live-state formats, and everything the bindings
//! serve) must equal what the code generates. `VPCLINK_BLESS=1` (scripts/regenerate) rewrites them.

use vpclink_conformance::{compare_or_bless, pretty_schema, rules_markdown, workspace_root};

#[test]
fn rules_md_is_current() {
    let path = workspace_root().join("docs/rules.md");
    if let Err(message) = compare_or_bless(&path, &rules_markdown()) {
        panic!("{message}");
    }
}

/// `schema(name)` serves `core/schemas/<name>.schema.json`; each must equal what schemars
/// generates from the types now.
#[test]
fn served_schemas_are_current() {
    let mut stale = Vec::new();
    for name in vpclink_core::api::SCHEMA_NAMES {
        let path = workspace_root().join(format!("core/schemas/{name}.schema.json"));
        let generated = vpclink_core::api::generate_schema(name).expect("a known name");
        if let Err(message) = compare_or_bless(&path, &pretty_schema(&generated)) {
            stale.push(message);
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

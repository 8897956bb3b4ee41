//! Test support for rules: start from the clean three-tier example, change one thing with
//! a JSON Patch, and look at what fires. Compiled for tests only.

use serde_json::{json, Value};

use crate::diagnostic::Diagnostic;
use crate::examples::THREE_TIER;
use crate::parse::topology_from_value;
use crate::report::validate;

/// The three-tier example as a JSON value.
pub fn three_tier() -> Value {
    serde_json::from_str(THREE_TIER).expect("the built-in example is valid JSON")
}

/// Applies an RFC 6902 patch (given as a JSON array) to `doc`.
pub fn patched(mut doc: Value, patch: Value) -> Value {
    let patch: json_patch::Patch = serde_json::from_value(patch).expect("a well-formed JSON Patch");
    json_patch::patch(&mut doc, &patch).expect("the patch applies to the document");
    doc
}

/// Every diagnostic for a topology given as JSON.
pub fn diagnostics(doc: Value) -> Vec<Diagnostic> {
    let topo = topology_from_value(doc).expect("the test topology parses");
    let report = validate(&topo);
    assert!(
        report.rules_ran,
        "references broken: {:#?}",
        report.diagnostics
    );
    report.diagnostics
}

/// The diagnostics with `code` after applying `patch` to the three-tier example.
pub fn fired(code: &str, patch: Value) -> Vec<Diagnostic> {
    diagnostics(patched(three_tier(), patch))
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

/// Asserts `code` fires exactly at `paths` (in any order) after `patch`, and returns them.
#[track_caller]
pub fn assert_fires_at(code: &str, patch: Value, paths: &[&str]) -> Vec<Diagnostic> {
    let got = fired(code, patch);
    let mut got_paths: Vec<&str> = got.iter().map(|d| d.path.as_str()).collect();
    got_paths.sort_unstable();
    let mut want: Vec<&str> = paths.to_vec();
    want.sort_unstable();
    assert_eq!(
        got_paths, want,
        "{code} fired at unexpected places: {got:#?}"
    );
    got
}

/// Asserts `code` does not fire after `patch` (use `json!([])` for the clean example).
#[track_caller]
pub fn assert_quiet(code: &str, patch: Value) {
    let got = fired(code, patch);
    assert!(got.is_empty(), "{code} fired unexpectedly: {got:#?}");
}

/// Applies the diagnostic's fix to the patched document and asserts `code` no longer
/// fires at the diagnostic's path.
#[track_caller]
pub fn assert_fix_clears(code: &str, patch: Value) {
    let doc = patched(three_tier(), patch);
    let before: Vec<Diagnostic> = diagnostics(doc.clone())
        .into_iter()
        .filter(|d| d.code == code)
        .collect();
    let first = before.first().expect("the rule fires before the fix");
    let fix = first.fix.as_ref().expect("the diagnostic offers a fix");
    let fix_patch = serde_json::to_value(&fix.patch).expect("patch serialises");
    let fixed = patched(doc, fix_patch);
    let after: Vec<Diagnostic> = diagnostics(fixed)
        .into_iter()
        .filter(|d| d.code == code && d.path == first.path)
        .collect();
    assert!(
        after.is_empty(),
        "{code} still fires after its fix: {after:#?}"
    );
}

/// An empty patch: the clean example as it is.
pub fn unchanged() -> Value {
    json!([])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    #[test]
    fn the_three_tier_example_checks_clean() {
        let diags = diagnostics(three_tier());
        let loud: Vec<_> = diags
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .collect();
        assert!(loud.is_empty(), "{loud:#?}");
    }
}

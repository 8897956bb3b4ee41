//! `vpclink rules`, `vpclink schema`, `--version` and `--help`.
// Helpers outside #[test] fns fail loudly too: a broken harness must not pass quietly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

#[test]
fn rules_lists_every_code_including_vl101() {
    let run = vpclink(&["rules"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("CODE"), "{}", run.stdout);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("VL101 "))
        .unwrap_or_else(|| panic!("no VL101 in\n{}", run.stdout));
    assert!(
        line.contains("error") && line.contains("vpc_link"),
        "{line}"
    );
    for meta in vpclink_core::rules::catalogue() {
        assert!(run.stdout.contains(meta.code), "{} missing", meta.code);
    }
}

#[test]
fn rules_with_a_code_or_name_shows_the_full_entry() {
    let meta = vpclink_core::rules::catalogue()
        .into_iter()
        .find(|m| m.code == "VL101")
        .unwrap();
    for query in ["VL101", "vl101", "vpc-link-single-target"] {
        let run = vpclink(&["rules", query]);
        assert_eq!(run.code, 0, "{query}");
        assert!(run.stdout.contains(meta.title));
        assert!(run
            .stdout
            .contains(&format!("rationale: {}", meta.rationale)));
        assert!(
            run.stdout.contains(&format!("source:    {}", meta.source)),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn an_unknown_code_exits_2() {
    let run = vpclink(&["rules", "VL999"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`VL999`"), "{}", run.stderr);
}

#[test]
fn rules_as_json_is_the_catalogue() {
    let run = vpclink(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let expected = serde_json::to_value(vpclink_core::rules::catalogue()).unwrap();
    assert_eq!(printed, expected);

    let run = vpclink(&["rules", "VL101", "--format", "json"]);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed["code"], "VL101");
    assert_eq!(printed["name"], "vpc-link-single-target");
    assert!(printed["source"]
        .as_str()
        .unwrap()
        .contains("CreateVpcLink"));
}

#[test]
fn schema_is_the_core_schema_as_json() {
    let run = vpclink(&["schema"]);
    assert_eq!(run.code, 0);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(printed["$schema"].is_string());
    assert_eq!(printed, vpclink_core::schema::topology_schema());
}

#[test]
fn version_and_help() {
    let run = vpclink(&["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.trim(),
        format!("vpclink {}", vpclink_core::VERSION)
    );

    let run = vpclink(&["--help"]);
    assert_eq!(run.code, 0);
    for word in [
        "check",
        "reach",
        "rules",
        "schema",
        "Examples:",
        "Exit codes",
    ] {
        assert!(run.stdout.contains(word), "{word}");
    }
    let run = vpclink(&["check", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("--fail-on") && run.stdout.contains("Examples:"));
}

//! `vpclink diagnose` and `vpclink cost` against the built binary.

mod common;

use common::{fixture, vpclink};

#[test]
fn diagnose_on_the_clean_example_says_the_configuration_looks_right() {
    let run = vpclink(&["diagnose", "--symptom", "502"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("the configuration looks right"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("aws elbv2 describe-target-health"),
        "{}",
        run.stdout
    );
}

#[test]
fn diagnose_ranks_the_blocking_security_group_first_for_a_504() {
    let run = vpclink(&[
        "diagnose",
        &fixture("app-sg-wrong-port.json"),
        "--symptom",
        "504",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let first = run.stdout.lines().find(|l| l.starts_with("1. ")).unwrap();
    assert!(first.contains("security-group-drops"), "{first}");
    assert!(
        run.stdout.contains("aws ec2 describe-security-groups"),
        "{}",
        run.stdout
    );
}

#[test]
fn diagnose_json_matches_the_core() {
    let run = vpclink(&[
        "diagnose",
        &fixture("app-sg-wrong-port.json"),
        "--symptom",
        "504",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    let got: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let text = std::fs::read_to_string(fixture("app-sg-wrong-port.json")).unwrap();
    let topo = vpclink_core::topology_from_str(&text).unwrap();
    let symptom =
        vpclink_core::diagnose::Symptom::new(vpclink_core::diagnose::SymptomKind::Http504);
    let want = serde_json::to_value(vpclink_core::diagnose::diagnose(&topo, &symptom)).unwrap();
    assert_eq!(got, want);
}

#[test]
fn diagnose_refuses_an_unknown_symptom() {
    let run = vpclink(&["diagnose", "--symptom", "418"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("link-failed"), "{}", run.stderr);
}

#[test]
fn cost_of_the_example_with_default_traffic() {
    let run = vpclink(&["cost"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Worked by hand in core/src/cost/tests.rs: 16.43 + 0.06 + 3.50 + 0.10.
    assert!(
        run.stdout.contains("Monthly estimate: $20.09 USD"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("as of 2026-05"), "{}", run.stdout);
}

#[test]
fn cost_flags_change_the_traffic_and_json_carries_the_estimate() {
    let run = vpclink(&[
        "cost",
        "--requests-per-month",
        "400000000",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["traffic"]["requests_per_month"], 400_000_000);
    let api = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource"]["id"] == "shop")
        .unwrap();
    // 333 M × $3.50 + 67 M × $2.80.
    assert_eq!(api["monthly_usd"], 1353.1);
}

#[test]
fn cost_in_a_region_without_prices_is_unusable_input_naming_the_regions() {
    let text = std::fs::read_to_string(fixture("three-tier.yaml")).unwrap();
    let text = text.replace("us-east-1", "eu-west-1");
    let dir = std::env::temp_dir().join(format!("vpclink-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("eu.yaml");
    std::fs::write(&path, text).unwrap();
    let run = vpclink(&["cost", path.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("this build has prices for: us-east-1"),
        "{}",
        run.stderr
    );
}

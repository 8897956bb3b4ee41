//! `vpclink plan` and `vpclink import` against the built binary.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use common::vpclink;

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn plan_of_the_built_in_example_shows_waves_and_the_critical_path() {
    let run = vpclink(&["plan"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Plan (deploy, us-east-1): 44 steps in 8 waves"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\nWave 1 "), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("+ create.vpc_link.link  [critical path]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\nCritical path:\n"), "{}", run.stdout);
}

#[test]
fn plan_json_is_the_plan_and_matches_the_golden_export() {
    let run = vpclink(&[
        "plan",
        &repo("examples/three-tier.json"),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let golden = std::fs::read_to_string(repo("examples/exports/three-tier.plan.json")).unwrap();
    // Not assert_eq: the plan is 100 KB; the golden test shows the first difference.
    assert!(
        run.stdout == golden,
        "`vpclink plan --format json` differs from examples/exports/three-tier.plan.json"
    );
}

#[test]
fn every_export_format_writes_its_kind_of_document() {
    let cases = [
        ("cli", "#!/usr/bin/env bash"),
        ("cloudformation", "AWSTemplateFormatVersion: '2010-09-09'"),
        ("terraform", "# Private API path exported by vpclink"),
        ("mermaid", "flowchart LR"),
        ("boto3", "{"),
    ];
    for (format, start) in cases {
        let run = vpclink(&["plan", "--format", format]);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(
            run.stdout.starts_with(start),
            "{format}: {}",
            &run.stdout[..80.min(run.stdout.len())]
        );
    }
}

#[test]
fn output_file_receives_the_export_and_stdout_stays_empty() {
    let dir = std::env::temp_dir().join(format!("vpclink-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("deploy.sh");
    let run = vpclink(&["plan", "--format", "cli", "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("set -euo pipefail"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn destroy_needs_a_current_topology() {
    let run = vpclink(&["plan", "--destroy"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--current"), "{}", run.stderr);
}

#[test]
fn destroy_of_a_live_state_import_deletes_in_a_safe_order() {
    let dir = std::env::temp_dir().join(format!("vpclink-destroy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let live = dir.join("live.json");
    let import = vpclink(&[
        "import",
        &repo("tests/fixtures/live/three-tier.bundle.json"),
        "-o",
        live.to_str().unwrap(),
    ]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    let run = vpclink(&["plan", "--destroy", "--current", live.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Plan (destroy, us-east-1)"),
        "{}",
        run.stdout
    );
    let at = |needle: &str| {
        run.stdout
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` missing from\n{}", run.stdout))
    };
    // facts §9.4: the VPC link goes before its NLB, the NLB before its target group.
    assert!(at("delete.vpc_link.") < at("delete.load_balancer."));
    assert!(at("delete.load_balancer.") < at("delete.target_group."));
    // The teardown has no desired topology to export.
    let run = vpclink(&[
        "plan",
        "--destroy",
        "--current",
        live.to_str().unwrap(),
        "--format",
        "terraform",
    ]);
    assert_eq!(run.code, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_topology_with_errors_is_not_planned() {
    let run = vpclink(&[
        "plan",
        &repo("examples/broken/nlb-without-listener/topology.json"),
    ]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("VL"), "{}", run.stderr);
}

#[test]
fn import_writes_a_topology_that_remembers_its_template() {
    let template = repo("tests/corpus/cloudformation/aws-samples__serverless-patterns__apigw-rest-api-vpclink__template.yaml");
    let run = vpclink(&["import", &template]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let topology: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(topology["version"], 1);
    assert_eq!(topology["origin"]["format"], "cloudformation");
    assert!(run.stderr.contains("unknown values"), "{}", run.stderr);
}

#[test]
fn check_on_a_template_names_the_template_line() {
    let template = repo("tests/corpus/cloudformation/aws-samples__serverless-patterns__apigw-rest-api-vpclink__template.yaml");
    let run = vpclink(&["check", &template]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("apigw-rest-api-vpclink__template.yaml:"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_template_is_refused_with_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("vpclink-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.yaml");
    std::fs::write(
        &path,
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: [\n",
    )
    .unwrap();
    let run = vpclink(&["import", path.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("bad.yaml:"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn importing_a_topology_is_refused() {
    let run = vpclink(&["import", &repo("examples/three-tier.json")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("already a vpclink topology"),
        "{}",
        run.stderr
    );
}

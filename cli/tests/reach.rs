//! `vpclink reach`: one line per path, health checks, JSON and exit codes.
// Helpers outside #[test] fns fail loudly too: a broken harness must not pass quietly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

#[test]
fn every_path_of_the_example_is_reachable() {
    let run = vpclink(&["reach"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stderr
        .contains("tracing the built-in example (examples/three-tier.json)"));
    for target in ["web-1", "web-2", "web-3"] {
        let line = format!("GET /products → link → nlb:80 → backend → {target}:8080  reachable");
        assert!(run.stdout.contains(&line), "{line}\n{}", run.stdout);
    }
    assert!(run.stdout.contains("health checks"), "{}", run.stdout);
    assert!(
        run.stdout.contains("3 paths: 3 reachable, 0 blocked"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_blocked_path_exits_1_naming_the_blocker() {
    let run = vpclink(&["reach", &fixture("app-sg-wrong-port.json")]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let blocked = run
        .stdout
        .lines()
        .find(|l| l.contains("BLOCKED by "))
        .unwrap_or_else(|| panic!("no blocked path in\n{}", run.stdout));
    assert!(
        blocked.starts_with("GET /products → link → nlb:80"),
        "{blocked}"
    );
    assert!(blocked.contains("security_groups `app`"), "{blocked}");
    assert!(
        run.stdout.contains("   --> /security_groups/app"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("FAILS"), "{}", run.stdout);
}

#[test]
fn json_output_is_the_core_reach_report_unchanged() {
    let fixture_path = fixture("app-sg-wrong-port.json");
    let cases = [
        (None, vpclink_core::examples::THREE_TIER.to_owned(), 0),
        (
            Some(fixture_path.as_str()),
            read_fixture("app-sg-wrong-port.json"),
            1,
        ),
    ];
    for (file, text, code) in cases {
        let mut args = vec!["reach", "--format", "json"];
        args.extend(file);
        let run = vpclink(&args);
        assert_eq!(run.code, code, "{}", run.stderr);
        let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let topology = vpclink_core::topology_from_str(&text).unwrap();
        let report = vpclink_core::reach::reach(&topology).unwrap();
        assert_eq!(printed, serde_json::to_value(report).unwrap());
    }
}

#[test]
fn unresolved_references_exit_2_with_the_diagnostics() {
    let run = vpclink(&["reach", &fixture("link-to-unknown-nlb.json")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error[VL001]"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("references do not resolve, so nothing can be analysed"),
        "{}",
        run.stderr
    );

    let run = vpclink(&[
        "reach",
        "--format",
        "json",
        &fixture("link-to-unknown-nlb.json"),
    ]);
    assert_eq!(run.code, 2);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed["diagnostics"][0]["code"], "VL001");
}

#[test]
fn bad_input_exits_2() {
    let run = vpclink(&["reach", &fixture("malformed.json")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("malformed.json:5:3: "),
        "{}",
        run.stderr
    );
    let run = vpclink_stdin(&["reach", "-"], "version: 1\n");
    assert_eq!(run.code, 2);
}

#[test]
fn no_colour_when_not_a_terminal() {
    let run = vpclink(&["reach", &fixture("app-sg-wrong-port.json")]);
    assert!(!run.stdout.contains('\x1b') && !run.stderr.contains('\x1b'));
}

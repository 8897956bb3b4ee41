//! `vpclink check`: exit codes, human output, input errors, stdin, JSON and colour.
// Helpers outside #[test] fns fail loudly too: a broken harness must not pass quietly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

#[test]
fn the_built_in_example_checks_clean_and_says_what_it_checked() {
    let run = vpclink(&["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stderr
        .contains("checking the built-in example (examples/three-tier.json)"));
    assert!(
        run.stdout.contains("0 errors, 0 warnings, "),
        "{}",
        run.stdout
    );
}

#[test]
fn a_planted_defect_exits_1_and_names_its_code_and_path() {
    let run = vpclink(&["check", &fixture("link-without-target.json")]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("error[VL101]: "), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("  --> /vpc_links/link/targets (vpc_links `link`)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("   = help: "), "{}", run.stdout);
    let summary = run.stdout.lines().last().unwrap_or_default();
    assert!(summary.contains(" error"), "{summary}");
    // A file the user named is not announced as the built-in example.
    assert!(!run.stderr.contains("built-in"), "{}", run.stderr);
}

#[test]
fn fixes_are_shown_with_their_safety_and_patch() {
    let run = vpclink(&["check", &fixture("link-with-two-targets.json")]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("   = fix (unsafe): Keep only `nlb` as the link's target"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("remove /vpc_links/link/targets/1"),
        "{}",
        run.stdout
    );
}

#[test]
fn fail_on_never_exits_0_despite_errors() {
    let run = vpclink(&[
        "check",
        &fixture("link-without-target.json"),
        "--fail-on",
        "never",
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("error[VL101]"));
}

#[test]
fn fail_on_sets_the_lowest_severity_that_exits_1() {
    // The example's findings (if any) are the core's business; the threshold is ours.
    let topology = vpclink_core::topology_from_str(vpclink_core::examples::THREE_TIER).unwrap();
    let report = vpclink_core::validate(&topology);
    for (flag, severity) in [
        ("error", vpclink_core::Severity::Error),
        ("warning", vpclink_core::Severity::Warning),
        ("info", vpclink_core::Severity::Info),
    ] {
        let expected = i32::from(report.has_at_least(severity));
        assert_eq!(
            vpclink(&["check", "--fail-on", flag]).code,
            expected,
            "{flag}"
        );
    }
    let defect = fixture("link-without-target.json");
    for flag in ["error", "warning", "info"] {
        assert_eq!(
            vpclink(&["check", &defect, "--fail-on", flag]).code,
            1,
            "{flag}"
        );
    }
}

#[test]
fn malformed_json_exits_2_naming_file_line_and_column() {
    let file = fixture("malformed.json");
    let run = vpclink(&["check", &file]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(&format!("error: {file}:5:3: ")),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn a_bad_yaml_value_exits_2_naming_the_json_path_and_line() {
    let file = fixture("listener-port-out-of-range.yaml");
    let run = vpclink(&["check", &file]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "{file}:8:15: at /load_balancers/nlb/listeners/0/port: "
        )),
        "{}",
        run.stderr
    );

    let file = fixture("host-bits.yaml");
    let run = vpclink(&["check", &file]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("at /subnets/a/cidr: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`10.0.1.7/24` has host bits set"));
    assert!(run.stderr.contains(&format!("{file}:")), "{}", run.stderr);
}

#[test]
fn unreadable_input_exits_2_with_a_message_not_a_panic() {
    let run = vpclink(&["check", "no/such/topology.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: no/such/topology.json: cannot read: "),
        "{}",
        run.stderr
    );

    let dir = env!("CARGO_MANIFEST_DIR");
    assert_eq!(vpclink(&["check", dir]).code, 2);

    let not_text =
        std::env::temp_dir().join(format!("vpclink-not-utf8-{}.json", std::process::id()));
    std::fs::write(&not_text, [0x7b, 0xff, 0xfe, 0x00]).unwrap();
    let run = vpclink(&["check", not_text.to_str().unwrap()]);
    let _ = std::fs::remove_file(&not_text);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not UTF-8"), "{}", run.stderr);
}

#[test]
fn odd_documents_are_bad_input_not_crashes() {
    for text in [
        "",
        "null",
        "[]",
        "42",
        "{",
        "version: [",
        "{\"version\": 1e999}",
    ] {
        let run = vpclink_stdin(&["check", "-"], text);
        assert_eq!(run.code, 2, "{text:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: <stdin>"), "{}", run.stderr);
    }
    let deep = "[".repeat(100_000);
    assert_eq!(vpclink_stdin(&["check", "-"], &deep).code, 2);
}

#[test]
fn stdin_is_read_with_a_dash_in_either_syntax() {
    let example = vpclink_core::examples::THREE_TIER;
    let run = vpclink_stdin(&["check", "-"], example);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("built-in"));

    let run = vpclink_stdin(
        &["check", "-"],
        &read_fixture("listener-port-out-of-range.yaml"),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("error: <stdin>:8:15: at /load_balancers/nlb/listeners/0/port: "),
        "{}",
        run.stderr
    );

    let defect = read_fixture("link-without-target.json");
    let run = vpclink_stdin(&["check", "-"], &defect);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("error[VL101]"));
}

#[test]
fn the_example_as_yaml_checks_clean() {
    let run = vpclink(&["check", &fixture("three-tier.yaml")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn core_report(text: &str) -> serde_json::Value {
    let topology = vpclink_core::topology_from_str(text).unwrap();
    serde_json::to_value(vpclink_core::validate(&topology)).unwrap()
}

#[test]
fn json_output_is_the_core_report_unchanged() {
    let run = vpclink(&["check", "--format", "json"]);
    assert_eq!(run.code, 0);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed, core_report(vpclink_core::examples::THREE_TIER));
    // JSON mode keeps stderr quiet on success, so `2>&1` pipelines stay parseable.
    assert!(run.stderr.is_empty(), "{}", run.stderr);

    for name in ["link-without-target.json", "link-with-two-targets.json"] {
        let run = vpclink(&["check", "--format", "json", &fixture(name)]);
        assert_eq!(run.code, 1);
        let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(printed, core_report(&read_fixture(name)), "{name}");
        let codes: Vec<_> = printed["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"VL101"), "{name}: {codes:?}");
    }
}

#[test]
fn json_mode_reports_bad_input_as_json_too() {
    let file = fixture("host-bits.yaml");
    let run = vpclink(&["check", "--format", "json", &file]);
    assert_eq!(run.code, 2);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed["file"], file.as_str());
    assert_eq!(printed["error"]["kind"], "shape");
    assert_eq!(printed["error"]["path"], "/subnets/a/cidr");
    assert!(printed["error"]["line"].is_u64());

    let run = vpclink(&["check", "--format", "json", "missing.json"]);
    assert_eq!(run.code, 2);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed["error"]["kind"], "read");
}

#[test]
fn no_colour_unless_a_terminal_or_asked() {
    let defect = fixture("link-without-target.json");
    let plain = vpclink(&["check", &defect]);
    assert!(!plain.stdout.contains('\x1b') && !plain.stderr.contains('\x1b'));
    let bad = vpclink(&["check", &fixture("malformed.json")]);
    assert!(!bad.stderr.contains('\x1b'));

    let forced = vpclink(&["--color", "always", "check", &defect]);
    assert!(forced.stdout.contains("\x1b[31m"), "{:?}", forced.stdout);
    // The same text once the escapes are gone.
    assert_eq!(strip_ansi(&forced.stdout), plain.stdout);

    let env_forced = vpclink_env(&["check", &defect], &[("CLICOLOR_FORCE", "1")]);
    assert!(env_forced.stdout.contains('\x1b'));
    let no_color = vpclink_env(
        &["check", &defect],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!no_color.stdout.contains('\x1b'));
    let never = vpclink_env(
        &["check", &defect, "--color", "never"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(!never.stdout.contains('\x1b'));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_bad_command_line_exits_2() {
    assert_eq!(vpclink(&["check", "--format", "xml"]).code, 2);
    assert_eq!(vpclink(&["check", "--fail-on", "sometimes"]).code, 2);
    assert_eq!(vpclink(&["frobnicate"]).code, 2);
}

use serde_json::json;

use super::*;

/// A report with every part the text shows: a source place, help, a fix of each op kind,
/// a related note, a two-line message, and rules that did not run.
fn full_report() -> Value {
    json!({
        "diagnostics": [{
            "code": "VL301",
            "severity": "error",
            "title": "security group blocks the target port",
            "message": "no ingress rule admits TCP 8080\nfrom the load balancer's subnets",
            "resource": {"kind": "security_groups", "id": "web"},
            "path": "/security_groups/web/ingress",
            "source": {"name": "module.app.aws_security_group.web", "file": "app/main.tf", "line": 12, "column": 3},
            "help": "allow TCP 8080 from the NLB subnets",
            "fix": {
                "description": "add the rule",
                "applicability": "safe",
                "patch": [
                    {"op": "add", "path": "/security_groups/web/ingress/-", "value": {"ports": 8080}},
                    {"op": "replace", "path": "/x", "value": null},
                    {"op": "remove", "path": "/y"}
                ]
            },
            "related": [{"path": "/load_balancers/nlb", "message": "the load balancer sending to it"}]
        }, {
            "code": "VL900",
            "severity": "info",
            "title": "a note",
            "message": "one line",
            "resource": {"kind": "vpcs", "id": "app"},
            "path": "/vpcs/app",
            "source": {"name": "AppVpc", "line": 4}
        }],
        "summary": {"errors": 1, "warnings": 0, "infos": 1},
        "rules_ran": false
    })
}

#[test]
fn every_part_of_a_finding_is_laid_out_as_rustc_does() {
    let expected = "\
error[VL301]: security group blocks the target port
  --> /security_groups/web/ingress (security_groups `web`)
  --> app/main.tf:12:3 (module.app.aws_security_group.web)
   |
   | no ingress rule admits TCP 8080
   | from the load balancer's subnets
   |
   = help: allow TCP 8080 from the NLB subnets
   = fix (safe): add the rule
       add /security_groups/web/ingress/-: {\"ports\":8080}
       replace /x: null
       remove /y
   = note: the load balancer sending to it
       --> /load_balancers/nlb

info[VL900]: a note
  --> /vpcs/app (vpcs `app`)
  --> 4 (AppVpc)
   |
   | one line
   |

note: references do not resolve, so the rules did not run; fix these first
1 error, 0 warnings, 1 info
";
    assert_eq!(report_text(&full_report(), &Plain).unwrap(), expected);
}

struct Brackets;

impl Paint for Brackets {
    fn severity(&self, severity: Severity, text: &str) -> String {
        format!("<{severity}>{text}</>")
    }
    fn emphasis(&self, text: &str) -> String {
        format!("<b>{text}</>")
    }
    fn gutter(&self, text: &str) -> String {
        format!("<g>{text}</>")
    }
}

#[test]
fn paint_wraps_exactly_the_styled_parts() {
    let text = report_text(&full_report(), &Brackets).unwrap();
    let first: Vec<&str> = text.lines().take(4).collect();
    assert_eq!(
        first,
        [
            "<error>error[VL301]</><b>: security group blocks the target port</>",
            "  <g>--></> /security_groups/web/ingress (security_groups `web`)",
            "  <g>--></> app/main.tf:12:3 (module.app.aws_security_group.web)",
            "   <g>|</>",
        ]
    );
    assert!(text.contains("   <g>=</> <b>fix (safe)</>: add the rule\n"));
    assert!(text.ends_with("<b>1 error, 0 warnings, 1 info</>\n"));
}

#[test]
fn the_typed_report_and_its_json_give_the_same_text() {
    let text = include_str!("../../../../examples/broken/alarm-dimension-full-arn/topology.json");
    let broken = crate::validate(&crate::topology_from_str(text).unwrap());
    assert!(broken.diagnostics.iter().any(|d| d.fix.is_some()));
    let typed = typed_report_text(&broken, &Plain).unwrap();
    let json = report_text(&serde_json::to_value(&broken).unwrap(), &Plain).unwrap();
    assert_eq!(typed, json);
    assert!(typed.contains("   = fix ("), "{typed}");
    let one = diagnostic_text(&broken.diagnostics[0], &Plain).unwrap();
    assert!(typed.starts_with(&one), "{one}");
}

#[test]
fn a_value_that_is_not_a_report_is_refused_with_its_place() {
    let e = report_text(&json!({"diagnostics": []}), &Plain).unwrap_err();
    assert!(e.message.contains("missing field `summary`"), "{e}");
    assert_eq!(e.path, "");
    assert!(
        e.to_string().starts_with("the report: missing field"),
        "{e}"
    );
    let mut bad = full_report();
    bad["diagnostics"][1]["severity"] = json!("fatal");
    let e = report_text(&bad, &Plain).unwrap_err();
    assert_eq!(e.path, "/diagnostics/1/severity");
    assert!(e
        .to_string()
        .starts_with("at /diagnostics/1/severity of the report: "));
    assert!(e.message.contains("unknown variant `fatal`"), "{e}");
}

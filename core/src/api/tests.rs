#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use serde_json::json;

use super::*;
use crate::examples::THREE_TIER;
use crate::exec::Action;

fn example() -> Input {
    Input::text(THREE_TIER)
}

#[test]
fn a_dict_and_its_text_give_the_same_report() {
    let value: Value = serde_json::from_str(THREE_TIER).unwrap();
    let from_value = validate(Input::Value(value)).unwrap();
    let from_text = validate(example()).unwrap();
    assert_eq!(from_value, from_text);
    assert_eq!(from_text.summary.errors, 0);
}

#[test]
fn shape_errors_are_topology_errors_with_the_path() {
    let err = validate(Input::Value(
        json!({"version": 1, "region": "us-east-1", "vpcs": {"a": {"cidr": "10.0.0.0/33"}}}),
    ))
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Topology);
    assert_eq!(err.code, "shape");
    assert_eq!(err.path.as_deref(), Some("/vpcs/a/cidr"));
}

#[test]
fn syntax_errors_carry_line_column_and_file() {
    let err = validate(Input::Text {
        text: "{\n  \"version\": 1,\n  oops\n}".to_owned(),
        file: Some("t.json".to_owned()),
    })
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Topology);
    assert_eq!(err.code, "syntax");
    assert_eq!(err.file.as_deref(), Some("t.json"));
    assert_eq!(err.line, Some(3));
}

#[test]
fn a_cloudformation_export_validates_as_a_template() {
    let text = render(RenderSource::Topology(example()), "cloudformation").unwrap();
    let report = validate(Input::text(text.clone())).unwrap();
    assert_eq!(report.summary.errors, 0);
    let imported = import_cloudformation(&text, Some("t.yaml")).unwrap();
    assert_eq!(imported.vpcs.len(), 1);
}

#[test]
fn render_plans_the_topology_or_takes_a_plan() {
    let plan = plan(example(), PlanRequest::default()).unwrap();
    let from_topology = render(RenderSource::Topology(example()), "text").unwrap();
    let from_plan = render(
        RenderSource::Plan(serde_json::to_value(&plan).unwrap()),
        "TEXT",
    )
    .unwrap();
    assert_eq!(from_topology, from_plan);
    let err = render(RenderSource::Topology(example()), "pulumi").unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_str()),
        (ErrorKind::Argument, "unknown_format")
    );
    let err = render(RenderSource::Plan(json!({"steps": 3})), "cli").unwrap_err();
    assert_eq!(err.code, "bad_plan");
    assert!(err.path.is_some(), "{err:?}");
}

#[test]
fn destroy_needs_aws_ids_and_says_where() {
    let err = plan(
        example(),
        PlanRequest {
            current: None,
            destroy: true,
        },
    )
    .unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_str()),
        (ErrorKind::Plan, "missing_aws_id")
    );
    assert!(err.path.is_some());
    let bundle = include_str!("../../../tests/fixtures/live/three-tier.bundle.json");
    let plan = plan(
        Input::text(bundle),
        PlanRequest {
            current: None,
            destroy: true,
        },
    )
    .unwrap();
    assert!(plan.steps.len() > 10);
}

#[test]
fn bad_symptom_and_traffic_name_the_field() {
    let err = diagnose(example(), json!({"kind": "http_999"})).unwrap_err();
    assert_eq!(err.code, "bad_symptom");
    assert_eq!(err.path.as_deref(), Some("/kind"));
    let err = estimate_cost(example(), Some(json!({"requests_per_month": "many"}))).unwrap_err();
    assert_eq!(err.code, "bad_traffic");
    assert_eq!(err.path.as_deref(), Some("/requests_per_month"));
    let cost = estimate_cost(example(), None).unwrap();
    assert!(cost.monthly_usd > 0.0);
}

#[test]
fn every_schema_name_has_a_schema() {
    for name in SCHEMA_NAMES {
        let s = schema(name).unwrap();
        assert!(s.is_object(), "{name}");
    }
    let api = schema("api").unwrap();
    let defs = api["$defs"].as_object().unwrap();
    assert!(defs.contains_key("Topology") || api["properties"]["topology"].is_object());
    assert_eq!(schema("nope").unwrap_err().code, "unknown_schema");
}

#[test]
fn the_executor_round_trips_json() {
    let plan = serde_json::to_value(plan(example(), PlanRequest::default()).unwrap()).unwrap();
    let mut exec = ApiExecutor::new(plan, Some(json!({"seed": 7}))).unwrap();
    let actions = exec.poll(0);
    let Some(Action::Call { request_id, .. }) = actions.first() else {
        panic!("first action is a call: {actions:?}");
    };
    exec.complete(*request_id, json!({"type": "success", "response": {}}))
        .unwrap();
    let err = exec
        .complete(*request_id, json!({"type": "success", "response": {}}))
        .unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_str()),
        (ErrorKind::Executor, "not_in_flight")
    );
    let err = exec.complete(99, json!({"type": "maybe"})).unwrap_err();
    assert_eq!(err.code, "bad_outcome");
    let resumed = ApiExecutor::resume(&exec.checkpoint()).unwrap();
    assert_eq!(resumed.plan(), exec.plan());
    assert_eq!(resumed.status().failed, exec.status().failed);
    let err = ApiExecutor::new(json!({}), Some(json!({"retries": 3}))).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Argument);
}

#[test]
fn a_yaml_alias_bomb_is_an_error_not_an_exhausted_memory() {
    let mut rows = vec!["a0: &a0 [x, x, x, x, x, x, x, x, x]".to_owned()];
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        rows.push(format!("a{i}: &a{i} [{}]", vec![prev; 9].join(", ")));
    }
    let text = rows.join("\n") + "\n";
    assert!(validate(Input::text(text.clone())).is_err());
    assert!(import_cloudformation(&text, None).is_err());
}

#[test]
fn report_text_lays_out_a_validate_report_and_refuses_other_values() {
    let report = validate(example()).unwrap();
    let text = report_text(serde_json::to_value(&report).unwrap()).unwrap();
    assert!(text.ends_with("0 errors, 0 warnings, 1 info\n"), "{text}");
    let e = report_text(json!({"summary": 1})).unwrap_err();
    assert_eq!(e.code, "bad_report");
    assert_eq!(e.path.as_deref(), Some("/summary"));
}

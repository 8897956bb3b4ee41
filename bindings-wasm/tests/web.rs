//! The exports as JavaScript sees them, run by wasm-bindgen-test under Node and in headless
//! Chromium (`scripts/test-wasm`). They check the conversions at the boundary: objects and
//! strings in, plain objects out, `Error`s with the core's fields, the executor's JSON
//! round trip, and hostile values that must throw rather than trap.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use js_sys::{Array, Object, Reflect, JSON};
use vpclink_wasm as vpclink;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

// Runs in Node unless the runner is asked for a browser (WASM_BINDGEN_USE_BROWSER or
// `wasm_bindgen_test_configure!(run_in_browser)` in a copy); scripts/test-wasm runs both.

const THREE_TIER: &str = include_str!("../../examples/three-tier.json");

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

fn object(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

/// The thrown value as an `Error`, with its `code` and `path`.
fn thrown(result: Result<impl Sized, JsValue>) -> (js_sys::Error, String, Option<String>) {
    let Err(err) = result else {
        panic!("expected a thrown Error");
    };
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "not an Error: {err:?}"
    );
    let code = get(&err, "code").as_string().unwrap();
    let path = get(&err, "path").as_string();
    (err.unchecked_into(), code, path)
}

#[wasm_bindgen_test]
fn an_object_and_its_text_give_the_same_report() {
    let from_text = vpclink::validate(JsValue::from_str(THREE_TIER)).unwrap();
    let from_object = vpclink::validate(object(THREE_TIER)).unwrap();
    let a = JSON::stringify(&from_text).unwrap().as_string().unwrap();
    let b = JSON::stringify(&from_object).unwrap().as_string().unwrap();
    assert_eq!(a, b);
    // A plain object, not a Map: `summary.errors` is a property.
    let summary = get(&from_text, "summary");
    assert!(summary.is_object() && !summary.is_instance_of::<js_sys::Map>());
    assert_eq!(get(&summary, "errors").as_f64(), Some(0.0));
    assert!(Array::is_array(&get(&from_text, "diagnostics")));
}

#[wasm_bindgen_test]
fn yaml_text_is_a_topology_too() {
    let yaml = "version: 1\nregion: us-east-1\nvpcs:\n  app: {cidr: 10.0.0.0/16}\n";
    let report = vpclink::validate(JsValue::from_str(yaml)).unwrap();
    assert_eq!(get(&report, "rules_ran").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn shape_errors_throw_an_error_with_code_kind_and_path() {
    let bad = object(r#"{"version":1,"region":"us-east-1","vpcs":{"a":{"cidr":"10.0.0.0/33"}}}"#);
    let (err, code, path) = thrown(vpclink::validate(bad));
    assert_eq!(code, "shape");
    assert_eq!(path.as_deref(), Some("/vpcs/a/cidr"));
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("topology"));
    assert_eq!(err.name().as_string().as_deref(), Some("VpclinkError"));
    assert!(err.message().as_string().unwrap().contains("/vpcs/a/cidr"));
}

#[wasm_bindgen_test]
fn syntax_errors_carry_line_and_column() {
    let (err, code, _) = thrown(vpclink::validate(JsValue::from_str(
        "{\n  \"version\": 1,\n  oops\n}",
    )));
    assert_eq!(code, "syntax");
    assert_eq!(get(&err, "line").as_f64(), Some(3.0));
    assert!(get(&err, "column").as_f64().is_some());
    // Every error has the same own properties; absent places are undefined.
    assert!(Reflect::has(&err, &JsValue::from_str("file")).unwrap());
    assert!(get(&err, "file").is_undefined());
}

#[wasm_bindgen_test]
fn plan_render_and_render_plan_agree() {
    let plan = vpclink::plan(JsValue::from_str(THREE_TIER), JsValue::UNDEFINED).unwrap();
    assert!(Array::is_array(&get(&plan, "steps")));
    let text = vpclink::render(JsValue::from_str(THREE_TIER), "text".into()).unwrap();
    assert_eq!(
        vpclink::render_plan(plan.clone(), "text".into()).unwrap(),
        text
    );
    let cfn = vpclink::render(JsValue::from_str(THREE_TIER), "cloudformation".into()).unwrap();
    let imported = vpclink::import_cloudformation(cfn.into(), Some("t.yaml".to_owned())).unwrap();
    assert!(get(&imported, "vpcs").is_object());
    let (_, code, _) = thrown(vpclink::render(
        JsValue::from_str(THREE_TIER),
        "pulumi".into(),
    ));
    assert_eq!(code, "unknown_format");
    let (_, code, _) = thrown(vpclink::render_plan(plan, "terraform".into()));
    assert_eq!(code, "needs_topology");
}

#[wasm_bindgen_test]
fn plan_options_are_read_and_checked() {
    let options = object(r#"{"destroy": true}"#);
    let (_, code, path) = thrown(vpclink::plan(JsValue::from_str(THREE_TIER), options));
    assert_eq!(code, "missing_aws_id");
    assert!(path.is_some());
    let options = object(r#"{"destroy": "yes"}"#);
    let (_, code, _) = thrown(vpclink::plan(JsValue::from_str(THREE_TIER), options));
    let (_, code2, _) = thrown(vpclink::plan(JsValue::from_str(THREE_TIER), JsValue::TRUE));
    assert_eq!(code2, "bad_options");
    assert_eq!(code, "bad_options");
    // `current` equal to `desired`: nothing to do.
    let options = Object::new();
    Reflect::set(&options, &"current".into(), &JsValue::from_str(THREE_TIER)).unwrap();
    let plan = vpclink::plan(JsValue::from_str(THREE_TIER), options.into()).unwrap();
    assert!(get(&plan, "steps").is_object());
}

#[wasm_bindgen_test]
fn diagnose_and_cost_name_bad_fields() {
    let (_, code, path) = thrown(vpclink::diagnose(
        JsValue::from_str(THREE_TIER),
        object(r#"{"kind":"http_999"}"#),
    ));
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("bad_symptom", Some("/kind"))
    );
    let (_, code, _) = thrown(vpclink::diagnose(
        JsValue::from_str(THREE_TIER),
        JsValue::UNDEFINED,
    ));
    assert_eq!(code, "bad_symptom");
    let cost = vpclink::estimate_cost(JsValue::from_str(THREE_TIER), JsValue::UNDEFINED).unwrap();
    assert!(get(&cost, "monthly_usd").as_f64().unwrap() > 0.0);
    let (_, code, path) = thrown(vpclink::estimate_cost(
        JsValue::from_str(THREE_TIER),
        object(r#"{"requests_per_month":"many"}"#),
    ));
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("bad_traffic", Some("/requests_per_month"))
    );
}

#[wasm_bindgen_test]
fn schemas_rules_and_version() {
    let api = vpclink::schema("api".into()).unwrap();
    assert!(get(&get(&api, "$defs"), "Topology").is_object());
    let (_, code, _) = thrown(vpclink::schema("nope".into()));
    assert_eq!(code, "unknown_schema");
    let rules: Array = vpclink::rules().unwrap().unchecked_into();
    assert!(rules.length() > 10);
    assert_eq!(
        get(&rules.get(0), "code").as_string().as_deref(),
        Some("VL001")
    );
    assert_eq!(vpclink::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn the_executor_round_trips_through_a_checkpoint_string() {
    let plan = vpclink::plan(JsValue::from_str(THREE_TIER), JsValue::UNDEFINED).unwrap();
    let mut exec = vpclink::WasmExecutor::new(plan, object(r#"{"seed": 7}"#)).unwrap();
    let actions: Array = exec.poll(0.0).unwrap().unchecked_into();
    let first = actions.get(0);
    assert_eq!(get(&first, "type").as_string().as_deref(), Some("call"));
    let id = get(&first, "request_id").as_f64().unwrap();
    exec.complete(id, object(r#"{"type":"success","response":{}}"#))
        .unwrap();
    let (err, code, _) = thrown(exec.complete(id, object(r#"{"type":"success","response":{}}"#)));
    assert_eq!(code, "not_in_flight");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("executor"));
    let (_, code, _) = thrown(exec.complete(99.0, object(r#"{"type":"maybe"}"#)));
    assert_eq!(code, "bad_outcome");
    let (_, code, _) = thrown(exec.poll(-1.0));
    assert_eq!(code, "bad_time_in_milliseconds");
    let (_, code, _) = thrown(exec.complete(1.5, object(r#"{"type":"success","response":{}}"#)));
    assert_eq!(code, "bad_request_id");

    let checkpoint = exec.checkpoint();
    assert!(
        JSON::parse(&checkpoint).is_ok(),
        "the checkpoint is JSON text"
    );
    let resumed = vpclink::WasmExecutor::resume(checkpoint.clone().into()).unwrap();
    let a = JSON::stringify(&resumed.plan().unwrap()).unwrap();
    let b = JSON::stringify(&exec.plan().unwrap()).unwrap();
    assert_eq!(a, b);
    // What was answered stays answered; calls in flight at the checkpoint are made again.
    for key in ["done", "failed", "pending"] {
        let a = get(&resumed.status().unwrap(), key).as_f64();
        assert_eq!(a, get(&exec.status().unwrap(), key).as_f64(), "{key}");
    }
    let events: Array = exec.events().unwrap().unchecked_into();
    assert!(events.length() > 0);
    let (_, code, _) = thrown(vpclink::WasmExecutor::resume("{".into()));
    assert!(!code.is_empty());
}

#[wasm_bindgen_test]
fn hostile_values_throw_and_the_module_lives_on() {
    // A cycle, a BigInt and a throwing toJSON cannot be written as JSON.
    let cycle = Object::new();
    Reflect::set(&cycle, &"self".into(), &cycle).unwrap();
    let (_, code, _) = thrown(vpclink::validate(cycle.into()));
    assert_eq!(code, "bad_topology");
    let (_, code, _) = thrown(vpclink::validate(js_sys::BigInt::from(7).into()));
    assert_eq!(code, "bad_topology");
    let throwing = js_sys::Function::new_no_args("throw null");
    let odd = Object::new();
    Reflect::set(&odd, &"toJSON".into(), &throwing).unwrap();
    let (_, code, _) = thrown(vpclink::validate(odd.into()));
    assert_eq!(code, "bad_topology");
    // Values of the wrong kind, deep nesting, and nonsense text.
    for value in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_f64(f64::NAN),
        JsValue::TRUE,
        JsValue::from_str(""),
        JsValue::from_str(&"[".repeat(100_000)),
        JsValue::from_str(&"- ".repeat(50_000)),
        JsValue::from_str("\u{0}\u{feff}\u{10ffff}"),
        object(r#"{"version":1e308,"region":[],"vpcs":7}"#),
    ] {
        assert!(vpclink::validate(value.clone()).is_err(), "{value:?}");
        assert!(vpclink::reach(value.clone()).is_err(), "{value:?}");
        assert!(vpclink::plan(value, JsValue::UNDEFINED).is_err());
    }
    assert!(vpclink::import_terraform(object(r#"{"main.tf": 3}"#)).is_err());
    assert!(vpclink::import_aws(JsValue::from_str("[]")).is_err());
    assert!(vpclink::import_cloudformation("Resources: [".into(), None).is_err());
    assert!(vpclink::WasmExecutor::new(JsValue::NULL, JsValue::UNDEFINED).is_err());
    // Non-strings where strings are expected are argument errors, not TypeErrors.
    let (_, code, _) = thrown(vpclink::WasmExecutor::resume(JsValue::UNDEFINED));
    assert_eq!(code, "bad_checkpoint");
    let (_, code, _) = thrown(vpclink::render(
        JsValue::from_str(THREE_TIER),
        JsValue::NULL,
    ));
    assert_eq!(code, "bad_format");
    let (_, code, _) = thrown(vpclink::schema(JsValue::from_f64(1.0)));
    assert_eq!(code, "bad_schema_name");
    // Still alive.
    assert!(vpclink::validate(JsValue::from_str(THREE_TIER)).is_ok());
}

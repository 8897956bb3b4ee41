use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};

use super::*;

/// The offset just past the first `needle` in `text`.
fn past(text: &str, needle: &str) -> usize {
    text.find(needle).expect("needle in text") + needle.len()
}

/// The place the scan finds, before any message is looked at: for a closing bracket or an
/// element's first byte, the object, array or element there.
fn at(text: &str, offset: usize) -> String {
    let pointer = match spot(text, offset) {
        Spot::Value(p) => p,
        Spot::PastClose(closed) => closed.pointer,
        Spot::ElementStart(start) => start.element,
    };
    pointer.as_str().to_owned()
}

#[test]
fn a_scalar_is_found_just_past_its_end() {
    let text = r#"{"a": [1, {"b": "x"}], "c": 2}"#;
    assert_eq!(at(text, past(text, r#""x""#)), "/a/1/b");
    assert_eq!(at(text, past(text, "1")), "/a/0");
    assert_eq!(at(text, past(text, "2")), "/c");
}

#[test]
fn an_object_is_found_at_its_closing_bracket_and_just_past_it() {
    let text = r#"{"a": {"b": 1 } , "c": 2 }"#;
    assert_eq!(at(text, text.find('}').unwrap()), "/a");
    assert_eq!(at(text, past(text, "}")), "/a");
    assert_eq!(at(text, text.rfind('}').unwrap()), "");
}

#[test]
fn an_object_or_array_is_found_at_its_first_byte() {
    let text = r#"{"a": [1], "b": {}}"#;
    assert_eq!(at(text, text.find('[').unwrap()), "/a");
    assert_eq!(at(text, text.find("{}").unwrap()), "/b");
    assert_eq!(at(text, 0), "");
}

#[test]
fn a_member_key_is_found_just_past_its_end() {
    let text = r#"{"a": {"bad": 1}}"#;
    assert_eq!(at(text, past(text, r#""bad""#)), "/a/bad");
}

#[test]
fn keys_are_unescaped_and_escaped_again_as_a_pointer() {
    let text = r#"{"x/y~\"z": 1}"#;
    assert_eq!(at(text, past(text, "1")), "/x~1y~0\"z");
}

#[test]
fn a_comma_is_the_member_before_it_and_whitespace_the_container() {
    let text = "{\"a\": 1 ,\n \"b\": [2 , 3] }";
    assert_eq!(at(text, past(text, "1 ")), "/a");
    assert_eq!(at(text, past(text, "1")), "/a");
    assert_eq!(at(text, past(text, "3")), "/b/1");
    assert_eq!(at(text, past(text, "3] ")), "");
}

#[test]
fn a_later_element_s_first_byte_is_that_element_or_the_one_before() {
    let text = r#"{"a": [{"x": 1}, {"x": 2}, 3]}"#;
    let second = text.find("{\"x\": 2").unwrap();
    assert_eq!(at(text, second), "/a/1");
    let Spot::ElementStart(start) = spot(text, second) else {
        panic!("an element start")
    };
    assert_eq!(start.previous.as_str(), "/a/0");
    // A scalar is never rejected at its first byte: that is the element before.
    assert_eq!(at(text, text.find("3]").unwrap()), "/a/1");
    // The first element has none before it.
    assert_eq!(at(text, text.find("{\"x\": 1").unwrap()), "/a/0");
}

#[test]
fn brackets_inside_strings_get_no_space() {
    assert_eq!(
        space_before_closing_brackets(r#"{"a}":["]\"}",1]}"#),
        r#"{"a}":["]\"}",1 ] }"#
    );
}

#[test]
fn line_and_column_become_a_byte_offset() {
    let text = "{\n  \"a\": 1,\n  \"bé\": 2\n}";
    assert_eq!(offset_of(text, 1, 0), 0);
    assert_eq!(offset_of(text, 2, 8), past(text, "1"));
    assert_eq!(offset_of(text, 3, 10), past(text, "2"));
    assert_eq!(offset_of(text, 9, 0), text.len());
}

#[test]
fn text_that_is_not_json_gives_a_pointer_and_no_panic() {
    for text in [
        "",
        "}",
        "]]]",
        "{\"a\"",
        "[1,",
        "\"",
        "{\"a\":{\"b\":",
        "\\",
        "{{{{",
    ] {
        for offset in 0..=text.len() + 1 {
            let _ = at(text, offset);
        }
    }
}

// serde_path_to_error tracks the path while deserialising; the pointers found from
// serde_json's positions must be the same.

fn oracle<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        e.path()
            .iter()
            .fold(JsonPointer::root(), |p, seg| match seg {
                serde_path_to_error::Segment::Seq { index } => p.index(*index),
                serde_path_to_error::Segment::Map { key } => p.key(key),
                serde_path_to_error::Segment::Enum { variant } => p.key(variant),
                serde_path_to_error::Segment::Unknown => p,
            })
            .as_str()
            .to_owned()
    })?;
    de.end().map_err(|_| "trailing".to_owned())?;
    Ok(value)
}

fn same_as_oracle<T: DeserializeOwned + std::fmt::Debug>(text: &str) {
    let ours = from_json_str::<T>(text).map_err(|e| e.pointer.as_str().to_owned());
    let theirs = oracle::<T>(text);
    let shown = text.get(..200).unwrap_or(text);
    assert_eq!(
        ours.is_ok(),
        theirs.is_ok(),
        "{shown}: {ours:?} against {theirs:?}"
    );
    if let (Err(ours), Err(theirs)) = (ours, theirs) {
        let message = from_json_str::<T>(text).err().map(|e| e.message());
        assert!(
            ours == theirs || names_a_member_of(&ours, &theirs),
            "pointer of the error ({message:?}): ours {ours}, serde_path_to_error's {theirs}, in {shown}"
        );
    }
}

/// serde_path_to_error stops at a map when one of its keys is rejected (an unknown enum
/// variant given as a key, a repeated field, a second key where one is allowed); the scan
/// names that key, one step further.
fn names_a_member_of(ours: &str, theirs: &str) -> bool {
    ours.strip_prefix(theirs)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|token| !token.contains('/') && token.parse::<usize>().is_err())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Port {
    port: u16,
    #[serde(default)]
    names: Vec<String>,
    kind: Kind,
    more: Option<BTreeMap<String, Step>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum Kind {
    Tcp,
    Udp,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(dead_code)]
enum Step {
    Wait { seconds: u32 },
    Call { name: String },
}

/// Text or a number, through `deserialize_any` (as the model's protocol and port types):
/// an object or array is rejected by the visitor, before serde_json reads into it.
#[derive(Debug)]
#[allow(dead_code)]
struct Protocol(String);

impl<'de> Deserialize<'de> for Protocol {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Protocol;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a protocol name or number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Protocol, E> {
                Ok(Protocol(v.to_owned()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Protocol, E> {
                Ok(Protocol(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Rule {
    protocol: Protocol,
    kinds: Vec<Kind>,
    #[serde(default)]
    steps: Vec<Step>,
}

#[test]
fn values_rejected_before_they_are_read_point_where_serde_path_to_error_does() {
    for text in [
        r#"{"protocol": "tcp", "kinds": ["tcp"]}"#,
        r#"{"protocol": [1], "kinds": ["tcp"]}"#,
        r#"{"protocol":[[1]],"kinds":["tcp"]}"#,
        r#"{"protocol":[{"a":1}],"kinds":["tcp"]}"#,
        r#"{"protocol":[],"kinds":["tcp"]}"#,
        r#"{"protocol": {"a": 1}, "kinds": ["tcp"]}"#,
        r#"{"protocol":{"a":1},"kinds":["tcp"]}"#,
        r#"{"protocol":{},"kinds":["tcp"]}"#,
        r#"{"protocol":"tcp","kinds":[["tcp"]]}"#,
        r#"{"protocol":"tcp","kinds":[[]]}"#,
        r#"{"protocol":"tcp","kinds":["tcp",["udp"]]}"#,
        r#"{"protocol":"tcp","kinds":["tcp",{"udp":1}]}"#,
        r#"{"protocol":"tcp","kinds":["tcp",7]}"#,
        r#"{"protocol":"tcp","kinds":["tcp",null]}"#,
        r#"{"protocol":"tcp","kinds":[]   ,"steps":[{"type":"wait","seconds":1},{"type":"call"},{"type":"wait","seconds":2}]}"#,
        r#"{"protocol":"tcp","kinds":[],"steps":[{"type":"wait","seconds":1},{"type":"call"}]}"#,
        r#"{"protocol":"tcp","kinds":[],"steps":[{"type":"wait","seconds":1},[1]]}"#,
        r#"{"protocol":"tcp","kinds":[],"steps":[[1],{"type":"wait","seconds":1}]}"#,
        r#"{"protocol":"tcp","kinds":[],"steps":[{"type":"wait","seconds":"x"},{"type":"call","name":"n"}]}"#,
    ] {
        same_as_oracle::<Rule>(text);
    }
}

#[test]
fn hand_written_errors_point_where_serde_path_to_error_does() {
    for text in [
        r#"{"port": 80, "kind": "tcp"}"#,
        r#"{"port": 70000, "kind": "tcp"}"#,
        r#"{"port": "80", "kind": "tcp"}"#,
        r#"{"port": [80], "kind": "tcp"}"#,
        r#"{"port": {"a": 1}, "kind": "tcp"}"#,
        r#"{"port": null, "kind": "tcp"}"#,
        r#"{"kind": "tcp"}"#,
        r#"{"port": 80,"kind":"sctp"}"#,
        r#"{"port": 80, "kind": "tcp", "extra": 1}"#,
        r#"{"port": 80, "kind": "tcp", "names": ["a", 2]}"#,
        r#"{"port": 80, "kind": "tcp", "names": ["a", "b"],"port":81}"#,
        r#"{"port": 80, "kind": "tcp", "more": {"x": {"type": "wait", "seconds": -1}}}"#,
        r#"{"port": 80, "kind": "tcp", "more": {"x": {"type": "jump"}}}"#,
        r#"{"port": 80, "kind": "tcp", "more": {"x": {"seconds": 1}}}"#,
        r#"{"port": 80, "kind": "tcp", "more": {"x": {"type": "call"}}}"#,
        r#"{"port":80,"kind":"tcp","more":{"x":{"type":"call","name":7}}}"#,
        r#"{"port":80,"kind":"tcp","more":{"x":{"type":"call","name":"n"},"y":[]}}"#,
        "{\n  \"port\": 80,\n  \"kind\": \"tcp\",\n  \"names\": [\n    1\n  ]\n}",
        r#"{"port":80,"more":{"x":{"type":"wait","seconds":1}}}"#,
        r#"{"port":80,"kind":"tcp","more":{"x":{"type":"wait"}}}"#,
        r#"{"port":80,"kind":"tcp","more":{"x":{"type":"wait","seconds":true}}}"#,
        r#"[]"#,
        r#"7"#,
    ] {
        same_as_oracle::<Port>(text);
    }
}

/// Every pointer to a node of `value`.
fn pointers(value: &Value, at: JsonPointer, out: &mut Vec<JsonPointer>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, at.clone().key(k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, at.clone().index(i), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(Value),
    Remove,
    AddUnknownMember,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        prop::sample::select(vec![
            Value::Null,
            json!(true),
            json!(-1),
            json!(70000),
            json!(4294967296u64),
            json!(1.5),
            json!("x"),
            json!("10.0.0.0/33"),
            json!([]),
            json!([1]),
            json!({}),
            json!({"zz": 1}),
        ])
        .prop_map(Mutation::Replace),
        Just(Mutation::Remove),
        Just(Mutation::AddUnknownMember),
    ]
}

fn mutate(doc: &Value, target: &JsonPointer, mutation: &Mutation) -> Value {
    let mut doc = doc.clone();
    let path = target.as_str();
    match mutation {
        Mutation::Replace(with) => {
            if let Some(node) = doc.pointer_mut(path) {
                *node = with.clone();
            }
        }
        Mutation::AddUnknownMember => {
            if let Some(Value::Object(map)) = doc.pointer_mut(path) {
                map.insert("zz_unknown".into(), json!(1));
            }
        }
        Mutation::Remove => {
            if let Some(i) = path.rfind('/') {
                let (parent, last) = (&path[..i], &path[i + 1..]);
                let last = last.replace("~1", "/").replace("~0", "~");
                match doc.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.remove(&last);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(i) = last.parse::<usize>() {
                            items.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    doc
}

fn mutations_point_like_the_oracle<T: DeserializeOwned + std::fmt::Debug>(
    doc: &Value,
    pick: prop::sample::Index,
    how: &Mutation,
) {
    let mut all = Vec::new();
    pointers(doc, JsonPointer::root(), &mut all);
    let target = pick.get(&all);
    let bad = mutate(doc, target, how);
    same_as_oracle::<T>(&bad.to_string());
    same_as_oracle::<T>(&serde_json::to_string_pretty(&bad).unwrap_or_default());
}

fn three_tier() -> Value {
    serde_json::from_str(include_str!("../../../../examples/three-tier.json")).unwrap()
}

fn three_tier_plan() -> Value {
    serde_json::from_str(include_str!(
        "../../../../examples/exports/three-tier.plan.json"
    ))
    .unwrap()
}

fn three_tier_bundle() -> Value {
    serde_json::from_str(include_str!(
        "../../../../tests/fixtures/live/three-tier.bundle.json"
    ))
    .unwrap()
}

/// A checkpoint of the three-tier plan with its first call answered.
fn three_tier_checkpoint() -> Value {
    use crate::exec::{Action, ExecOptions, Executor, Outcome};
    let plan: crate::plan::Plan = serde_json::from_value(three_tier_plan()).unwrap();
    let mut ex = Executor::new(plan, ExecOptions::default()).unwrap();
    let first = ex
        .poll(0)
        .into_iter()
        .find_map(|a| match a {
            Action::Call { request_id, .. } => Some(request_id),
            _ => None,
        })
        .unwrap();
    let answer = Outcome::Success {
        response: json!({"Vpc": {"VpcId": "vpc-1", "State": "available"}}),
    };
    ex.complete(first, answer).unwrap();
    let _ = ex.poll(1_000);
    serde_json::from_str(&ex.checkpoint()).unwrap()
}

/// Answers and options a host hands the executor.
fn executor_inputs() -> Value {
    json!({
        "outcomes": [
            {"type": "success", "response": {"Vpc": {"VpcId": "vpc-1"}, "list": [1, {"a": null}]}},
            {"type": "error", "code": "ThrottlingException", "message": "slow down", "retryable": true}
        ],
        "observations": [
            {"type": "response", "response": {"Vpcs": [{"State": "available"}]}},
            {"type": "error", "code": "NotFound", "message": "gone"}
        ],
        "options": crate::exec::ExecOptions::default()
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ExecutorInputs {
    outcomes: Vec<crate::exec::Outcome>,
    observations: Vec<crate::exec::Observation>,
    options: crate::exec::ExecOptions,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_damaged_checkpoint_points_where_serde_path_to_error_does(
        pick in any::<prop::sample::Index>(), how in mutation()
    ) {
        mutations_point_like_the_oracle::<crate::exec::checkpoint::CheckpointIn>(
            &three_tier_checkpoint(), pick, &how,
        );
    }

    #[test]
    fn damaged_executor_answers_point_where_serde_path_to_error_does(
        pick in any::<prop::sample::Index>(), how in mutation()
    ) {
        mutations_point_like_the_oracle::<ExecutorInputs>(&executor_inputs(), pick, &how);
    }

    #[test]
    fn a_damaged_topology_points_where_serde_path_to_error_does(
        pick in any::<prop::sample::Index>(), how in mutation()
    ) {
        mutations_point_like_the_oracle::<crate::model::Topology>(&three_tier(), pick, &how);
    }

    #[test]
    fn a_damaged_plan_points_where_serde_path_to_error_does(
        pick in any::<prop::sample::Index>(), how in mutation()
    ) {
        mutations_point_like_the_oracle::<crate::plan::Plan>(&three_tier_plan(), pick, &how);
    }

    #[test]
    fn a_damaged_live_state_bundle_points_where_serde_path_to_error_does(
        pick in any::<prop::sample::Index>(), how in mutation()
    ) {
        mutations_point_like_the_oracle::<crate::import::aws::bundle::Bundle>(
            &three_tier_bundle(), pick, &how,
        );
    }

    #[test]
    fn no_text_and_offset_make_the_scan_panic(
        text in "[\\[\\]{}\":,a-z0-9\\\\ \n]{0,40}", offset in 0usize..50
    ) {
        let _ = at(&text, offset);
        let _ = pointer_of::<Port>(&text);
    }
}

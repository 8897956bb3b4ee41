#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use serde_json::{json, Value};

use super::*;
use crate::plan::Plan;

// ---- plan building ----

fn out(step: &str, name: &str) -> Value {
    json!({"$output": {"step": step, "name": name}})
}

fn call(op: &str, params: Value) -> Value {
    json!({"service": "elbv2", "operation": op, "params": params})
}

/// A step with an id, dependencies and a call; the rest is added with `with`.
fn step(id: &str, deps: &[&str], op: &str, params: Value) -> Value {
    json!({
        "id": id, "action": "create",
        "resource": {"kind": "load_balancers", "id": id, "path": format!("/load_balancers/{id}")},
        "description": format!("Step {id}."),
        "depends_on": deps,
        "call": call(op, params),
        "expected_seconds": 1
    })
}

fn with(mut step: Value, key: &str, value: Value) -> Value {
    step.as_object_mut().unwrap().insert(key.into(), value);
    step
}

fn outputs(pairs: &[(&str, &str)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(n, q)| json!({"name": n, "query": q}))
            .collect(),
    )
}

fn wait(op: &str, params: Value, status: &str, success: &[&str], failure: &[&str]) -> Value {
    json!({"call": call(op, params), "status_query": status, "success": success,
           "failure": failure, "interval_seconds": 10, "timeout_seconds": 60})
}

fn undo(op: &str, params: Value) -> Value {
    json!({"call": call(op, params)})
}

fn plan(steps: Vec<Value>) -> Plan {
    serde_json::from_value(json!({
        "version": 1, "region": "us-east-1", "mode": "deploy",
        "steps": steps, "waves": [], "critical_path": {"steps": [], "expected_seconds": 0},
        "summary": {"create": 0, "update": 0, "replace": 0, "delete": 0, "unchanged": 0, "steps": 0}
    }))
    .unwrap()
}

/// A created thing with an id output and an undo that deletes it by that id.
fn resource(id: &str, deps: &[&str]) -> Value {
    let s = step(id, deps, &format!("create_{id}"), json!({"Name": id}));
    let s = with(s, "outputs", outputs(&[("Id", "Id")]));
    with(
        s,
        "undo",
        undo(&format!("delete_{id}"), json!({"Id": out(id, "Id")})),
    )
}

fn opts() -> ExecOptions {
    ExecOptions {
        on_failure: OnFailure::Rollback,
        max_attempts: 4,
        base_backoff_ms: 1000,
        max_backoff_ms: 3000,
        seed: 42,
    }
}

fn ok(response: Value) -> Outcome {
    Outcome::Success { response }
}

fn err(code: &str, retryable: bool) -> Outcome {
    Outcome::Error {
        code: code.into(),
        message: format!("{code} happened"),
        retryable,
    }
}

/// The (request id, step, operation, purpose) of each call action.
fn calls(actions: &[Action]) -> Vec<(RequestId, String, String, Purpose)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Call {
                request_id,
                step,
                call,
                purpose,
                ..
            } => Some((*request_id, step.clone(), call.operation.clone(), *purpose)),
            Action::Check {
                request_id,
                step,
                call,
                purpose,
            } => Some((*request_id, step.clone(), call.operation.clone(), *purpose)),
            _ => None,
        })
        .collect()
}

fn only_call(actions: &[Action]) -> (RequestId, ResolvedCall, u32, Purpose) {
    match actions {
        [Action::Call {
            request_id,
            call,
            attempt,
            purpose,
            ..
        }] => (*request_id, call.clone(), *attempt, *purpose),
        other => panic!("expected one call, got {other:?}"),
    }
}

fn only_check(actions: &[Action]) -> (RequestId, ResolvedCall) {
    match actions {
        [Action::Check {
            request_id, call, ..
        }] => (*request_id, call.clone()),
        other => panic!("expected one check, got {other:?}"),
    }
}

/// Answers every call with `{"Id": "<op>-id"}` until the run ends; returns the end and
/// the operations in the order they were made.
fn run_all(exec: &mut Executor) -> (Action, Vec<String>) {
    let mut ops = Vec::new();
    let mut now = 0;
    for _ in 0..1000 {
        let actions = exec.poll(now);
        for a in &actions {
            match a {
                Action::Call {
                    request_id, call, ..
                } => {
                    ops.push(call.operation.clone());
                    let id = format!("{}-id", call.operation);
                    exec.complete(*request_id, ok(json!({ "Id": id }))).unwrap();
                }
                Action::Sleep { until_ms } => now = *until_ms,
                Action::Done { .. } | Action::Failed { .. } => return (a.clone(), ops),
                Action::Check { .. } => panic!("no waits here"),
            }
        }
    }
    panic!("did not finish");
}

// ---- references ----

#[test]
fn references_resolve_including_join_and_nesting() {
    let p = plan(vec![
        with(
            step("nlb", &[], "create_load_balancer", json!({"Name": "nlb"})),
            "outputs",
            outputs(&[
                ("Arn", "LoadBalancers[0].LoadBalancerArn"),
                ("Port", "Port"),
            ]),
        ),
        step(
            "listener",
            &["nlb"],
            "create_listener",
            json!({
                "LoadBalancerArn": out("nlb", "Arn"),
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"$join": ["tg/", out("nlb", "Arn"), ":", out("nlb", "Port")]}}],
                "Literal": {"$outputs": "not a reference"}
            }),
        ),
    ]);
    let mut exec = Executor::new(p, opts()).unwrap();
    let (id, c, attempt, purpose) = only_call(&exec.poll(0));
    assert_eq!(
        (c.operation.as_str(), attempt, purpose),
        ("create_load_balancer", 1, Purpose::Apply)
    );
    exec.complete(
        id,
        ok(json!({"LoadBalancers": [{"LoadBalancerArn": "arn:lb"}], "Port": 80})),
    )
    .unwrap();
    let (_, c, _, _) = only_call(&exec.poll(0));
    assert_eq!(
        Value::Object(c.params),
        json!({
            "LoadBalancerArn": "arn:lb",
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": "tg/arn:lb:80"}],
            "Literal": {"$outputs": "not a reference"}
        })
    );
}

#[test]
fn malformed_and_dangling_references_are_refused_up_front() {
    let bad = |steps: Vec<Value>| Executor::new(plan(steps), opts()).unwrap_err().to_string();
    let a = with(
        step("a", &[], "create_a", json!({})),
        "outputs",
        outputs(&[("Id", "Id")]),
    );
    assert_eq!(
        bad(vec![a.clone(), step("b", &[], "create_b", json!({"X": out("a", "Id")}))]),
        "invalid plan, step `b`: call: at /params/X: uses output `Id` of step `a`, which is not among the step's dependencies (add it to depends_on)"
    );
    assert_eq!(
        bad(vec![
            a.clone(),
            step("b", &["a"], "create_b", json!({"X": out("a", "Arn")}))
        ]),
        "invalid plan, step `b`: call: at /params/X: step `a` captures no output named `Arn`"
    );
    let e = bad(vec![step(
        "b",
        &[],
        "create_b",
        json!({"X": {"$output": {"step": "a"}}}),
    )]);
    assert!(
        e.starts_with("invalid plan, step `b`: call: at /params/X: malformed reference"),
        "{e}"
    );
    assert_eq!(
        bad(vec![step("b", &["nope"], "create_b", json!({}))]),
        "invalid plan, step `b`: depends on `nope`, which is not a step of the plan"
    );
    let e = bad(vec![
        step("a", &["b"], "create_a", json!({})),
        step("b", &["a"], "create_b", json!({})),
    ]);
    assert!(e.ends_with("the dependencies form a cycle"), "{e}");
    let e = bad(vec![with(
        step("a", &[], "create_a", json!({})),
        "outputs",
        outputs(&[("Id", "Items[?")]),
    )]);
    assert!(
        e.starts_with("invalid plan, step `a`: output `Id`: JMESPath `Items[?` does not parse"),
        "{e}"
    );
    // A step's own outputs exist for its wait and undo, not for its call.
    assert!(bad(vec![with(
        step("a", &[], "create_a", json!({"X": out("a", "Id")})),
        "outputs",
        outputs(&[("Id", "Id")])
    )])
    .contains("does not exist before the call is made"));
}

// ---- outputs ----

#[test]
fn outputs_keep_the_text_after_the_marker() {
    let s = with(
        step("nlb", &[], "create_load_balancer", json!({})),
        "outputs",
        json!([{"name": "Arn", "query": "LoadBalancers[0].LoadBalancerArn"},
               {"name": "FullName", "query": "LoadBalancers[0].LoadBalancerArn", "after": "loadbalancer/"}]),
    );
    let mut exec = Executor::new(plan(vec![s]), opts()).unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    let arn = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/shop/50dc6c495c0c9188";
    exec.complete(id, ok(json!({"LoadBalancers": [{"LoadBalancerArn": arn}]})))
        .unwrap();
    assert!(matches!(exec.poll(0).as_slice(), [Action::Done { .. }]));
    assert_eq!(
        exec.outputs()["nlb"]["FullName"],
        "net/shop/50dc6c495c0c9188"
    );
    assert_eq!(exec.outputs()["nlb"]["Arn"], arn);
}

#[test]
fn a_missing_output_fails_the_step_naming_the_query_and_is_rolled_back() {
    let s = with(
        resource("nlb", &[]),
        "outputs",
        json!([{"name": "Id", "query": "Id"},
               {"name": "FullName", "query": "Arn", "after": "loadbalancer/"}]),
    );
    let mut exec = Executor::new(plan(vec![s]), opts()).unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    exec.complete(id, ok(json!({"Id": "nlb-1", "Arn": "arn:no-marker"})))
        .unwrap();
    // The resource exists even though the output is missing: it is undone.
    let (id, c, _, purpose) = only_call(&exec.poll(0));
    assert_eq!(
        (c.operation.as_str(), purpose),
        ("delete_nlb", Purpose::Undo)
    );
    assert_eq!(c.params["Id"], "nlb-1");
    exec.complete(id, ok(json!({}))).unwrap();
    match exec.poll(0).as_slice() {
        [Action::Failed {
            step,
            error,
            rolled_back,
            ..
        }] => {
            assert_eq!(step, "nlb");
            assert_eq!(
                error,
                "output `FullName`: `arn:no-marker` (from `Arn`) does not contain `loadbalancer/`"
            );
            assert!(rolled_back);
        }
        other => panic!("{other:?}"),
    }

    let s = with(
        step("a", &[], "create_a", json!({})),
        "outputs",
        outputs(&[("Id", "Items[0].Id")]),
    );
    let mut exec = Executor::new(plan(vec![s]), opts()).unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    exec.complete(id, ok(json!({"Items": []}))).unwrap();
    match exec.poll(0).as_slice() {
        [Action::Failed { step, error, .. }] => {
            assert_eq!(step, "a");
            assert_eq!(
                error,
                "output `Id`: `Items[0].Id` found nothing in the response"
            );
        }
        other => panic!("{other:?}"),
    }
}

// ---- scheduling ----

#[test]
fn ready_steps_go_out_together_and_only_once() {
    let p = plan(vec![
        resource("a", &[]),
        resource("b", &[]),
        resource("c", &["a", "b"]),
    ]);
    let mut exec = Executor::new(p, opts()).unwrap();
    let first = calls(&exec.poll(0));
    assert_eq!(
        first.iter().map(|c| c.1.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    // In flight: not handed out again, and nothing else is ready.
    assert_eq!(exec.poll(5), vec![]);
    assert_eq!(exec.status().in_flight, 2);
    assert_eq!(exec.status().current_wave, Some(0));
    exec.complete(first[0].0, ok(json!({"Id": "a1"}))).unwrap();
    assert_eq!(exec.poll(6), vec![]);
    exec.complete(first[1].0, ok(json!({"Id": "b1"}))).unwrap();
    let next = calls(&exec.poll(7));
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].1, "c");
    assert_eq!(exec.status().current_wave, Some(1));
    let events = exec.events();
    assert!(events.contains(&Event::WaveDone {
        wave: 0,
        steps: 2,
        elapsed_ms: 7
    }));
    assert!(events.contains(&Event::WaveStarted {
        wave: 1,
        steps: vec!["c".into()],
        at_ms: 7
    }));
    exec.complete(next[0].0, ok(json!({"Id": "c1"}))).unwrap();
    match exec.poll(8).as_slice() {
        [Action::Done { summary }] => {
            assert_eq!(summary.steps, 3);
            assert_eq!(summary.calls, 3);
            assert_eq!(summary.elapsed_ms, 8);
            assert_eq!(summary.outputs["c"]["Id"], "c1");
        }
        other => panic!("{other:?}"),
    }
    // Done is repeated, and answers are no longer expected.
    assert!(matches!(exec.poll(9).as_slice(), [Action::Done { .. }]));
    assert_eq!(exec.status().phase, RunPhase::Done);
}

// ---- retries ----

#[test]
fn throttling_backs_off_exponentially_within_bounds_then_gives_up() {
    let mut exec = Executor::new(plan(vec![resource("a", &[])]), opts()).unwrap();
    let mut now = 0;
    let mut delays = Vec::new();
    for attempt in 1..=4u32 {
        let actions = exec.poll(now);
        let (id, _, got_attempt, _) = only_call(&actions);
        assert_eq!(got_attempt, attempt);
        exec.complete(id, err("ThrottlingException", false))
            .unwrap();
        if attempt == 4 {
            break;
        }
        let delay = exec
            .events()
            .into_iter()
            .find_map(|e| match e {
                Event::StepRetrying {
                    delay_ms,
                    attempt: next,
                    ..
                } => {
                    assert_eq!(next, attempt + 1);
                    Some(delay_ms)
                }
                _ => None,
            })
            .unwrap();
        delays.push(delay);
        // Not before the delay: the executor asks the host to sleep until then.
        assert_eq!(
            exec.poll(now),
            vec![Action::Sleep {
                until_ms: now + delay
            }]
        );
        now += delay;
    }
    // cap = 1000, 2000, then 3000 (max); each delay is in [cap/2, cap].
    assert!((500..=1000).contains(&delays[0]), "{delays:?}");
    assert!((1000..=2000).contains(&delays[1]), "{delays:?}");
    assert!((1500..=3000).contains(&delays[2]), "{delays:?}");
    match exec.poll(now).as_slice() {
        [Action::Failed {
            step, error, code, ..
        }] => {
            assert_eq!(step, "a");
            assert_eq!(code.as_deref(), Some("ThrottlingException"));
            assert_eq!(
                error,
                "create_a gave up after 4 attempts; the last answer was ThrottlingException: ThrottlingException happened"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn jitter_follows_the_seed() {
    let delays = |seed: u64| {
        let mut exec = Executor::new(
            plan(vec![resource("a", &[])]),
            ExecOptions { seed, ..opts() },
        )
        .unwrap();
        let mut out = Vec::new();
        let mut now = 0;
        for _ in 0..3 {
            let (id, ..) = only_call(&exec.poll(now));
            exec.complete(id, err("Throttling", false)).unwrap();
            if let [Action::Sleep { until_ms }] = exec.poll(now).as_slice() {
                out.push(until_ms - now);
                now = *until_ms;
            }
        }
        out
    };
    assert_eq!(delays(1), delays(1));
    assert_ne!(delays(1), delays(2));
}

#[test]
fn permanent_errors_are_not_retried() {
    let mut exec = Executor::new(
        plan(vec![resource("a", &[])]),
        ExecOptions {
            on_failure: OnFailure::Stop,
            ..opts()
        },
    )
    .unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    exec.complete(id, err("DuplicateLoadBalancerName", false))
        .unwrap();
    match exec.poll(0).as_slice() {
        [Action::Failed {
            code,
            rolled_back,
            remaining,
            ..
        }] => {
            assert_eq!(code.as_deref(), Some("DuplicateLoadBalancerName"));
            assert!(!rolled_back);
            assert!(remaining.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_transient_error_on_a_create_looks_the_resource_up_before_calling_again() {
    let s = with(
        resource("nlb", &[]),
        "lookup",
        json!({"call": call("describe_load_balancers", json!({"Names": ["nlb"]})),
               "outputs": [{"name": "Id", "query": "LoadBalancers[0].Id"}]}),
    );
    let mut exec = Executor::new(plan(vec![s]), opts()).unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    exec.complete(id, err("InternalFailure", true)).unwrap();
    let [Action::Sleep { until_ms }] = exec.poll(0)[..] else {
        panic!()
    };
    let (id, c, attempt, purpose) = only_call(&exec.poll(until_ms));
    assert_eq!(
        (c.operation.as_str(), attempt, purpose),
        ("describe_load_balancers", 2, Purpose::Lookup)
    );
    // It was created after all: adopt it, do not create it again.
    exec.complete(id, ok(json!({"LoadBalancers": [{"Id": "nlb-7"}]})))
        .unwrap();
    assert!(matches!(
        exec.poll(until_ms).as_slice(),
        [Action::Done { .. }]
    ));
    assert_eq!(exec.outputs()["nlb"]["Id"], "nlb-7");
    assert!(exec.events().contains(&Event::StepReconciled {
        step: "nlb".into(),
        found: true
    }));
}

// ---- waits ----

fn link_step() -> Value {
    let s = resource("link", &[]);
    let s = with(
        s,
        "wait",
        json!({"call": {"service": "apigateway", "operation": "get_vpc_link",
                        "params": {"vpcLinkId": out("link", "Id")}},
               "status_query": "status", "success": ["AVAILABLE"], "failure": ["FAILED"],
               "message_query": "statusMessage", "interval_seconds": 15, "timeout_seconds": 60}),
    );
    with(
        s,
        "undo",
        json!({"call": {"service": "apigateway", "operation": "delete_vpc_link",
                        "params": {"vpcLinkId": out("link", "Id")}},
               "wait": {"call": {"service": "apigateway", "operation": "get_vpc_link",
                                 "params": {"vpcLinkId": out("link", "Id")}},
                        "status_query": "status", "success": [],
                        "success_errors": ["NotFoundException"],
                        "interval_seconds": 5, "timeout_seconds": 60}}),
    )
}

#[test]
fn waits_recheck_every_interval_and_time_out() {
    let mut exec = Executor::new(plan(vec![link_step()]), opts()).unwrap();
    let (id, ..) = only_call(&exec.poll(1000));
    exec.complete(id, ok(json!({"Id": "l1"}))).unwrap();
    let mut checks = Vec::new();
    let mut now = 2000; // the wait begins at the first poll after the call
    loop {
        let actions = exec.poll(now);
        match actions.as_slice() {
            [Action::Check {
                request_id, call, ..
            }] => {
                assert_eq!(call.params["vpcLinkId"], "l1");
                checks.push(now);
                exec.observe(
                    *request_id,
                    Observation::Response {
                        response: json!({"status": "PENDING"}),
                    },
                )
                .unwrap();
            }
            [Action::Sleep { until_ms }] => now = *until_ms,
            [Action::Call {
                purpose: Purpose::Undo,
                ..
            }] => break,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(checks, [2000, 17_000, 32_000, 47_000]);
    assert_eq!(now, 62_000, "the timeout counts from the first check");
    let failed = exec
        .events()
        .into_iter()
        .find_map(|e| match e {
            Event::StepFailed { error, .. } => Some(error),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        failed,
        "waited 60s for get_vpc_link to report `AVAILABLE`, and gave up; the last check saw `PENDING`"
    );
}

#[test]
fn a_failure_state_fails_the_wait_with_its_message() {
    let mut exec = Executor::new(
        plan(vec![link_step()]),
        ExecOptions {
            on_failure: OnFailure::Stop,
            ..opts()
        },
    )
    .unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    exec.complete(id, ok(json!({"Id": "l1"}))).unwrap();
    let (id, _) = only_check(&exec.poll(0));
    exec.observe(
        id,
        Observation::Response {
            response: json!({"status": "FAILED", "statusMessage": "NLB is already associated with another VPC Endpoint Service"}),
        },
    )
    .unwrap();
    match exec.poll(0).as_slice() {
        [Action::Failed {
            step,
            error,
            rolled_back,
            remaining,
            ..
        }] => {
            assert_eq!(step, "link");
            assert_eq!(error, "get_vpc_link reported `FAILED`, a failure state: NLB is already associated with another VPC Endpoint Service");
            assert!(!rolled_back);
            // The FAILED link exists and stays (Stop).
            assert_eq!(remaining, &["link".to_string()]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn list_states_must_all_succeed_and_success_errors_end_undo_waits() {
    let s = with(
        resource("reg", &[]),
        "wait",
        wait(
            "describe_target_health",
            json!({}),
            "TargetHealthDescriptions[].TargetHealth.State",
            &["healthy"],
            &[],
        ),
    );
    let mut exec = Executor::new(plan(vec![s]), opts()).unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    exec.complete(id, ok(json!({"Id": "r"}))).unwrap();
    let health = |states: &[&str]| Observation::Response {
        response: json!({"TargetHealthDescriptions": states.iter().map(|s| json!({"TargetHealth": {"State": s}})).collect::<Vec<_>>()}),
    };
    let mut now = 0;
    for states in [&[][..], &["initial", "healthy"], &["healthy", "unused"]] {
        let (id, _) = only_check(&exec.poll(now));
        exec.observe(id, health(states)).unwrap();
        now += 10_000;
    }
    let waiting: Vec<Option<String>> = exec
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::StepWaiting { status, .. } => Some(status),
            _ => None,
        })
        .collect();
    assert_eq!(
        waiting,
        [
            None,
            Some("initial, healthy".into()),
            Some("healthy, unused".into())
        ]
    );
    let (id, _) = only_check(&exec.poll(now));
    exec.observe(id, health(&["healthy", "healthy"])).unwrap();
    assert!(matches!(exec.poll(now).as_slice(), [Action::Done { .. }]));

    // Undo wait: NotFoundException ends it successfully.
    let s = with(link_step(), "wait", Value::Null);
    let mut exec = Executor::new(plan(vec![s, resource("after", &["link"])]), opts()).unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    exec.complete(id, ok(json!({"Id": "l1"}))).unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    exec.complete(id, err("BadRequestException", false))
        .unwrap();
    let (id, c, _, purpose) = only_call(&exec.poll(0));
    assert_eq!(
        (c.operation.as_str(), purpose),
        ("delete_vpc_link", Purpose::Undo)
    );
    exec.complete(id, ok(json!({}))).unwrap();
    let (id, _) = only_check(&exec.poll(0));
    exec.observe(
        id,
        Observation::Response {
            response: json!({"status": "DELETING"}),
        },
    )
    .unwrap();
    let (id, _) = only_check(&exec.poll(5000));
    exec.observe(
        id,
        Observation::Error {
            code: "NotFoundException".into(),
            message: "gone".into(),
            retryable: false,
        },
    )
    .unwrap();
    match exec.poll(5000).as_slice() {
        [Action::Failed {
            step, rolled_back, ..
        }] => {
            assert_eq!(step, "after");
            assert!(rolled_back);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn throttled_checks_are_retried_within_the_timeout() {
    let mut exec = Executor::new(plan(vec![link_step()]), opts()).unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    exec.complete(id, ok(json!({"Id": "l1"}))).unwrap();
    let (id, _) = only_check(&exec.poll(0));
    exec.observe(
        id,
        Observation::Error {
            code: "TooManyRequestsException".into(),
            message: "slow down".into(),
            retryable: false,
        },
    )
    .unwrap();
    // The next check waits for the interval (15 s), which is longer than the backoff.
    assert_eq!(exec.poll(1), vec![Action::Sleep { until_ms: 15_000 }]);
    let (id, _) = only_check(&exec.poll(15_000));
    exec.observe(
        id,
        Observation::Response {
            response: json!({"status": "AVAILABLE"}),
        },
    )
    .unwrap();
    assert!(matches!(
        exec.poll(15_000).as_slice(),
        [Action::Done { .. }]
    ));
}

// ---- failure handling ----

#[test]
fn rollback_undoes_newest_first_and_dependents_before_their_dependencies() {
    // a ← b ← c, and d alone; e fails after all of them.
    let p = plan(vec![
        resource("a", &[]),
        resource("d", &[]),
        resource("b", &["a"]),
        resource("c", &["b"]),
        resource("e", &["c", "d"]),
    ]);
    let mut exec = Executor::new(p, opts()).unwrap();
    // a and d go out together; answer d first so that a completes last.
    let first = calls(&exec.poll(0));
    exec.complete(first[1].0, ok(json!({"Id": "d1"}))).unwrap();
    exec.complete(first[0].0, ok(json!({"Id": "a1"}))).unwrap();
    for id in ["b1", "c1"] {
        let (rid, ..) = only_call(&exec.poll(0));
        exec.complete(rid, ok(json!({ "Id": id }))).unwrap();
    }
    let (rid, ..) = only_call(&exec.poll(0));
    exec.complete(rid, err("InvalidConfigurationRequest", false))
        .unwrap();
    // Completion order d, a, b, c. Undo: c first (newest); d is independent, so it may go
    // with c, after it in the list (it is older).
    let undo1 = calls(&exec.poll(0));
    assert_eq!(
        undo1.iter().map(|c| c.2.as_str()).collect::<Vec<_>>(),
        ["delete_c", "delete_d"]
    );
    assert!(undo1.iter().all(|c| c.3 == Purpose::Undo));
    // b waits for c; a waits for b.
    exec.complete(undo1[1].0, ok(json!({}))).unwrap();
    assert_eq!(exec.poll(0), vec![]);
    exec.complete(undo1[0].0, ok(json!({}))).unwrap();
    let (rid, c, ..) = only_call(&exec.poll(0));
    assert_eq!(c.operation, "delete_b");
    assert_eq!(c.params["Id"], "b1");
    // Already gone counts as undone.
    exec.complete(rid, err("LoadBalancerNotFound", false))
        .unwrap();
    let (rid, c, ..) = only_call(&exec.poll(0));
    assert_eq!(c.operation, "delete_a");
    assert_eq!(exec.status().undoing, 1);
    assert_eq!(exec.status().phase, RunPhase::RollingBack);
    exec.complete(rid, ok(json!({}))).unwrap();
    match exec.poll(0).as_slice() {
        [Action::Failed {
            step,
            rolled_back,
            remaining,
            ..
        }] => {
            assert_eq!(step, "e");
            assert!(rolled_back);
            assert!(remaining.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let events = exec.events();
    assert!(events.contains(&Event::RollbackStarted {
        failed_step: "e".into(),
        steps: vec!["c".into(), "b".into(), "a".into(), "d".into()]
    }));
    assert_eq!(exec.status().rolled_back, 4);
}

#[test]
fn requests_in_flight_finish_before_stopping() {
    let p = plan(vec![
        resource("a", &[]),
        resource("b", &[]),
        resource("c", &["a"]),
    ]);
    let mut exec = Executor::new(
        p,
        ExecOptions {
            on_failure: OnFailure::Stop,
            ..opts()
        },
    )
    .unwrap();
    let first = calls(&exec.poll(0));
    exec.complete(first[1].0, err("AccessDenied", false))
        .unwrap();
    // a is still in flight: nothing new starts, and the run is not over yet.
    assert_eq!(exec.poll(0), vec![]);
    assert_eq!(exec.status().phase, RunPhase::Stopping);
    exec.complete(first[0].0, ok(json!({"Id": "a1"}))).unwrap();
    match exec.poll(0).as_slice() {
        [Action::Failed {
            step,
            remaining,
            rolled_back,
            ..
        }] => {
            assert_eq!(step, "b");
            assert_eq!(remaining, &["a".to_string()]);
            assert!(!rolled_back);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(exec.status().pending, 1, "c never started");
}

#[test]
fn steps_without_undo_that_created_something_are_reported() {
    let no_undo = with(
        step("x", &[], "create_x", json!({})),
        "outputs",
        outputs(&[("Id", "Id")]),
    );
    let mut exec = Executor::new(plan(vec![no_undo, resource("y", &["x"])]), opts()).unwrap();
    let (end, _) = {
        let mut now = 0;
        loop {
            let actions = exec.poll(now);
            match actions.as_slice() {
                [Action::Call {
                    request_id, step, ..
                }] if step == "x" => exec.complete(*request_id, ok(json!({"Id": "x1"}))).unwrap(),
                [Action::Call { request_id, .. }] => exec
                    .complete(*request_id, err("ValidationError", false))
                    .unwrap(),
                [a @ Action::Failed { .. }] => break (a.clone(), ()),
                [Action::Sleep { until_ms }] => now = *until_ms,
                other => panic!("{other:?}"),
            }
        }
    };
    match end {
        Action::Failed {
            rolled_back,
            remaining,
            ..
        } => {
            assert!(!rolled_back, "x cannot be undone");
            assert_eq!(remaining, ["x".to_string()]);
        }
        other => panic!("{other:?}"),
    }
}

// ---- checkpoints ----

fn lookup_resource(id: &str, deps: &[&str]) -> Value {
    with(
        resource(id, deps),
        "lookup",
        json!({"call": call("describe_things", json!({"Names": [id]})),
               "outputs": [{"name": "Id", "query": "Things[0].Id"}]}),
    )
}

#[test]
fn resume_looks_up_a_step_that_was_in_flight() {
    let p = plan(vec![lookup_resource("a", &[]), resource("b", &["a"])]);
    let mut exec = Executor::new(p, opts()).unwrap();
    let (lost, ..) = only_call(&exec.poll(0));
    let saved = exec.checkpoint();
    drop(exec);

    // Found: the outputs come from the lookup, and the create is not repeated.
    let mut exec = Executor::resume(&saved).unwrap();
    let (id, c, _, purpose) = only_call(&exec.poll(10));
    assert_eq!(
        (c.operation.as_str(), purpose),
        ("describe_things", Purpose::Lookup)
    );
    assert_eq!(
        exec.complete(lost, ok(json!({}))),
        Err(ExecError::NotInFlight { request_id: lost })
    );
    exec.complete(id, ok(json!({"Things": [{"Id": "a1"}]})))
        .unwrap();
    let (_, c, _, _) = only_call(&exec.poll(10));
    assert_eq!(c.operation, "create_b");
    assert_eq!(exec.outputs()["a"]["Id"], "a1");

    // Not found (an empty answer or a NotFound error): the original call is made.
    for answer in [ok(json!({"Things": []})), err("ThingNotFound", false)] {
        let mut exec = Executor::resume(&saved).unwrap();
        let (id, ..) = only_call(&exec.poll(10));
        exec.complete(id, answer).unwrap();
        let (_, c, _, purpose) = only_call(&exec.poll(10));
        assert_eq!(
            (c.operation.as_str(), purpose),
            ("create_a", Purpose::Apply)
        );
    }
}

#[test]
fn resume_resends_steps_without_a_lookup_and_rechecks_waits() {
    let p = plan(vec![resource("a", &[]), link_step()]);
    let mut exec = Executor::new(p, opts()).unwrap();
    let first = calls(&exec.poll(0));
    exec.complete(first[1].0, ok(json!({"Id": "l1"}))).unwrap();
    let checks = calls(&exec.poll(0));
    assert_eq!(checks.len(), 1);
    let saved = exec.checkpoint();
    let mut exec = Executor::resume(&saved).unwrap();
    let again = calls(&exec.poll(100));
    assert_eq!(
        again
            .iter()
            .map(|c| (c.1.as_str(), c.2.as_str(), c.3))
            .collect::<Vec<_>>(),
        [
            ("a", "create_a", Purpose::Apply),
            ("link", "get_vpc_link", Purpose::Apply)
        ]
    );
    // Request ids keep counting across the resume.
    assert!(again.iter().all(|c| c.0 > checks[0].0));
    // The checkpoint of a resumed executor carries on the same state.
    let twice = Executor::resume(&exec.checkpoint()).unwrap();
    assert_eq!(twice.outputs(), exec.outputs());
}

#[test]
fn the_checkpoint_round_trips_the_whole_state() {
    let p = plan(vec![lookup_resource("a", &[]), link_step()]);
    let mut exec = Executor::new(p, opts()).unwrap();
    let c = calls(&exec.poll(0));
    exec.complete(c[0].0, err("Throttling", false)).unwrap();
    exec.complete(c[1].0, ok(json!({"Id": "l1"}))).unwrap();
    let saved = exec.checkpoint();
    let v: Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(v["format"], "vpclink-executor");
    assert_eq!(v["version"], 1);
    assert_eq!(v["options"]["seed"], 42);
    let resumed = Executor::resume(&saved).unwrap();
    assert_eq!(resumed.plan(), exec.plan());
    assert_eq!(resumed.outputs()["link"]["Id"], "l1");
    // Same state apart from the reconciliation marks a resume sets.
    assert_eq!(resumed.state.rng, exec.state.rng);
    assert_eq!(resumed.state.next_request, exec.state.next_request);
    assert_eq!(resumed.state.steps[0].errors, 1);
    assert!(resumed.state.steps[0].reconcile);
}

#[test]
fn bad_checkpoints_are_refused_clearly() {
    let err_of = |s: &str| Executor::resume(s).unwrap_err();
    assert!(
        matches!(err_of("{"), ExecError::BadCheckpoint { message } if message.starts_with("not JSON"))
    );
    assert_eq!(
        err_of(r#"{"version": 1}"#).to_string(),
        "bad executor checkpoint: it has no \"format\": \"vpclink-executor\" field; is it an executor checkpoint?"
    );
    assert_eq!(
        err_of(r#"{"format": "vpclink-executor", "version": 2}"#),
        ExecError::NewerCheckpoint {
            found: 2,
            supported: 1
        }
    );
    let exec = Executor::new(plan(vec![resource("a", &[])]), opts()).unwrap();
    let mut v: Value = serde_json::from_str(&exec.checkpoint()).unwrap();
    v["state"]["steps"][0]["phase"] = json!("exploded");
    let e = err_of(&v.to_string()).to_string();
    assert!(
        e.starts_with(
            "bad executor checkpoint: at /state/steps/0/phase: unknown variant `exploded`"
        ),
        "{e}"
    );
    v["state"]["steps"] = json!([]);
    let e = err_of(&v.to_string()).to_string();
    assert!(e.contains("tracks 0 steps"), "{e}");
}

// ---- misuse ----

#[test]
fn misuse_is_an_error_not_a_panic() {
    let mut exec = Executor::new(plan(vec![link_step()]), opts()).unwrap();
    assert_eq!(
        exec.complete(99, ok(json!({}))),
        Err(ExecError::UnknownRequest { request_id: 99 })
    );
    let (id, ..) = only_call(&exec.poll(0));
    let wrong = exec.observe(
        id,
        Observation::Response {
            response: json!({}),
        },
    );
    assert_eq!(
        wrong.unwrap_err().to_string(),
        format!("request {id} (step `link`) is a call; report its answer with complete()")
    );
    exec.complete(id, ok(json!({"Id": "l1"}))).unwrap();
    assert_eq!(
        exec.complete(id, ok(json!({}))),
        Err(ExecError::NotInFlight { request_id: id })
    );
    let (check, _) = only_check(&exec.poll(0));
    assert_eq!(
        exec.complete(check, ok(json!({}))).unwrap_err().code(),
        "wrong_method"
    );
}

#[test]
fn wire_shapes() {
    let a = Action::Call {
        request_id: 3,
        step: "s".into(),
        call: ResolvedCall {
            service: "ec2".into(),
            operation: "create_vpc".into(),
            params: serde_json::Map::new(),
        },
        attempt: 1,
        purpose: Purpose::Lookup,
    };
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        json!({"type": "call", "request_id": 3, "step": "s",
               "call": {"service": "ec2", "operation": "create_vpc", "params": {}},
               "attempt": 1, "purpose": "lookup"})
    );
    let o: Outcome = serde_json::from_value(
        json!({"type": "error", "code": "Throttling", "message": "x", "retryable": true}),
    )
    .unwrap();
    assert_eq!(o, err("Throttling", true).clone_with_message("x"));
    let ob: Observation =
        serde_json::from_value(json!({"type": "response", "response": {"status": "PENDING"}}))
            .unwrap();
    assert!(matches!(ob, Observation::Response { .. }));
    let opts: ExecOptions = serde_json::from_value(json!({"on_failure": "stop"})).unwrap();
    assert_eq!(opts.on_failure, OnFailure::Stop);
    assert_eq!(opts.max_attempts, 8);
    assert_eq!(
        serde_json::to_value(Event::StepDone { step: "s".into() }).unwrap(),
        json!({"type": "step_done", "step": "s"})
    );
    let _ = schemars::schema_for!(Action);
    let _ = schemars::schema_for!(ExecStatus);
}

impl Outcome {
    fn clone_with_message(self, m: &str) -> Outcome {
        match self {
            Outcome::Error {
                code, retryable, ..
            } => Outcome::Error {
                code,
                message: m.into(),
                retryable,
            },
            o => o,
        }
    }
}

#[test]
fn an_empty_plan_is_done_at_once_and_deletes_of_missing_things_succeed() {
    let mut exec = Executor::new(plan(vec![]), opts()).unwrap();
    assert!(matches!(exec.poll(0).as_slice(), [Action::Done { .. }]));

    let mut del = step(
        "del",
        &[],
        "delete_load_balancer",
        json!({"LoadBalancerArn": "arn"}),
    );
    del["action"] = json!("delete");
    let mut exec = Executor::new(plan(vec![del]), opts()).unwrap();
    let (id, ..) = only_call(&exec.poll(0));
    exec.complete(id, err("LoadBalancerNotFound", false))
        .unwrap();
    assert!(matches!(exec.poll(0).as_slice(), [Action::Done { .. }]));
}

#[test]
fn run_all_covers_a_plain_chain() {
    let p = plan(vec![resource("a", &[]), resource("b", &["a"])]);
    let mut exec = Executor::new(p, opts()).unwrap();
    let (end, ops) = run_all(&mut exec);
    assert!(matches!(end, Action::Done { .. }));
    assert_eq!(ops, ["create_a", "create_b"]);
}

#[test]
fn rollback_after_resuming_an_older_checkpoint_finds_what_it_did_not_know() {
    // a ← b, both found by lookups; c fails at once. An earlier run created a and b, but
    // the host resumes from the checkpoint written before anything happened.
    let b = with(
        resource("b", &["a"]),
        "lookup",
        json!({"call": call("describe_b", json!({"Parent": out("a", "Id")})),
               "outputs": [{"name": "Id", "query": "B.Id"}]}),
    );
    let c = step("c", &[], "create_c", json!({}));
    let p = plan(vec![lookup_resource("a", &[]), b, c]);
    let old = Executor::new(p, opts()).unwrap().checkpoint();
    let mut exec = Executor::resume(&old).unwrap();
    let first = calls(&exec.poll(0));
    assert_eq!(
        first
            .iter()
            .map(|c| (c.2.as_str(), c.3))
            .collect::<Vec<_>>(),
        [
            ("describe_things", Purpose::Lookup),
            ("create_c", Purpose::Apply)
        ]
    );
    exec.complete(first[1].0, err("ValidationError", false))
        .unwrap();
    exec.complete(first[0].0, ok(json!({"Things": [{"Id": "a1"}]})))
        .unwrap();
    // b never ran in this run, but may exist: look it up (with a's id) before undoing a.
    let (id, c, _, purpose) = only_call(&exec.poll(0));
    assert_eq!(
        (c.operation.as_str(), purpose),
        ("describe_b", Purpose::Lookup)
    );
    assert_eq!(c.params["Parent"], "a1");
    exec.complete(id, ok(json!({"B": {"Id": "b1"}}))).unwrap();
    let (id, c, _, _) = only_call(&exec.poll(0));
    assert_eq!(
        (c.operation.as_str(), &c.params["Id"]),
        ("delete_b", &json!("b1"))
    );
    exec.complete(id, ok(json!({}))).unwrap();
    let (id, c, _, _) = only_call(&exec.poll(0));
    assert_eq!(c.operation, "delete_a");
    exec.complete(id, ok(json!({}))).unwrap();
    assert!(matches!(
        exec.poll(0).as_slice(),
        [Action::Failed {
            rolled_back: true,
            ..
        }]
    ));

    // Had the lookup of a found nothing, b could not exist: no lookup for it.
    let mut exec = Executor::resume(&old).unwrap();
    let first = calls(&exec.poll(0));
    exec.complete(first[1].0, err("ValidationError", false))
        .unwrap();
    exec.complete(first[0].0, err("ThingNotFound", false))
        .unwrap();
    assert!(matches!(
        exec.poll(0).as_slice(),
        [Action::Failed {
            rolled_back: true,
            ..
        }]
    ));
}

#[test]
fn stopping_creates_nothing_new_but_settles_what_may_exist() {
    let stop = ExecOptions {
        on_failure: OnFailure::Stop,
        ..opts()
    };
    // a was throttled (certainly not created): dropped when b fails.
    let p = plan(vec![lookup_resource("a", &[]), resource("b", &[])]);
    let mut exec = Executor::new(p.clone(), stop.clone()).unwrap();
    let first = calls(&exec.poll(0));
    exec.complete(first[0].0, err("Throttling", false)).unwrap();
    exec.complete(first[1].0, err("AccessDenied", false))
        .unwrap();
    match exec.poll(0).as_slice() {
        [Action::Failed {
            step, remaining, ..
        }] => {
            assert_eq!(step, "b");
            assert!(remaining.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(exec.status().pending, 1);

    // a got a 5xx (maybe created): looked up before stopping, and reported when found.
    let mut exec = Executor::new(p, stop).unwrap();
    let first = calls(&exec.poll(0));
    exec.complete(first[0].0, err("InternalError", true))
        .unwrap();
    exec.complete(first[1].0, err("AccessDenied", false))
        .unwrap();
    let [Action::Sleep { until_ms }] = exec.poll(0)[..] else {
        panic!()
    };
    let (id, c, _, purpose) = only_call(&exec.poll(until_ms));
    assert_eq!(
        (c.operation.as_str(), purpose),
        ("describe_things", Purpose::Lookup)
    );
    exec.complete(id, ok(json!({"Things": [{"Id": "a1"}]})))
        .unwrap();
    match exec.poll(until_ms).as_slice() {
        [Action::Failed { remaining, .. }] => assert_eq!(remaining, &["a".to_string()]),
        other => panic!("{other:?}"),
    }
}

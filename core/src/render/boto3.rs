//! The plan as a list of boto3 calls, for Python that drives AWS itself.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::plan::{Action, Plan};

/// The `format` field of the document.
pub const BOTO3_FORMAT: &str = "vpclink-boto3";
/// The document's version; bumped only when a field changes meaning or goes away.
pub const BOTO3_FORMAT_VERSION: u32 = 1;

/// The plan's calls as a JSON list for boto3 (`getattr(client, operation)(**params)`).
///
/// ```text
/// { "format": "vpclink-boto3", "version": 1, "vpclink": "0.1.0", "region": "us-east-1",
///   "mode": "deploy",
///   "calls": [ { "step", "wave", "action", "description", "service", "operation",
///                "params", "outputs", "wait", "undo", "lookup", "depends_on" } ] }
/// ```
///
/// `calls` is in plan order, so running them one after another respects `depends_on`;
/// `wave` is the 1-based wave the step belongs to (the members of a wave may run in
/// parallel). `params` keep the plan's references (`{"$output": {"step", "name"}}`,
/// `{"$join": [...]}`) for the caller to resolve; `outputs`, `wait`, `undo` and `lookup`
/// are the plan's own objects (`wait`, `undo` and `lookup` are `null` when the step has
/// none); an output with a `query_join` builds its query at run time from earlier outputs.
/// A minimal runner — no retries, failure states, timeouts or rollback, which the
/// vpclink executor adds:
///
/// ```python
/// import json, time, boto3, jmespath
/// doc, out = json.load(open("plan.boto3.json")), {}
/// def res(v):  # resolves {"$output": ...} and {"$join": [...]} references
///     if isinstance(v, dict) and list(v) == ["$output"]: return out[v["$output"]["step"], v["$output"]["name"]]
///     if isinstance(v, dict) and list(v) == ["$join"]: return "".join(p if isinstance(p, str) else res(p) for p in v["$join"])
///     if isinstance(v, dict): return {k: res(x) for k, x in v.items()}
///     return [res(x) for x in v] if isinstance(v, list) else v
/// def call(c): return getattr(boto3.client(c["service"], region_name=doc["region"]), c["operation"])(**res(c["params"]))
/// def done(w, s): return s in w["success"] if isinstance(s, str) else bool(s) and all(x in w["success"] for x in s)
/// for c in doc["calls"]:
///     r = call(c)
///     for o in c["outputs"]:
///         v = jmespath.search(res({"$join": o["query_join"]}) if o.get("query_join") else o["query"], r)
///         out[c["step"], o["name"]] = v.split(o["after"], 1)[1] if o.get("after") else v
///     while c["wait"] and not done(c["wait"], jmespath.search(c["wait"]["status_query"], call(c["wait"]["call"]))):
///         time.sleep(c["wait"]["interval_seconds"])
/// ```
pub fn boto3(plan: &Plan) -> Value {
    let waves: HashMap<&str, usize> = plan
        .waves
        .iter()
        .enumerate()
        .flat_map(|(i, w)| w.steps.iter().map(move |s| (s.as_str(), i + 1)))
        .collect();
    let calls: Vec<Value> = plan
        .steps
        .iter()
        .map(|s| {
            json!({
                "step": s.id,
                "wave": waves.get(s.id.as_str()),
                "action": action(s.action),
                "description": s.description,
                "service": s.call.service,
                "operation": s.call.operation,
                "params": s.call.params,
                "outputs": s.outputs,
                "wait": s.wait,
                "undo": s.undo,
                "lookup": s.lookup,
                "depends_on": s.depends_on,
            })
        })
        .collect();
    json!({
        "format": BOTO3_FORMAT,
        "version": BOTO3_FORMAT_VERSION,
        "vpclink": crate::VERSION,
        "region": plan.region,
        "mode": plan.mode,
        "calls": calls,
    })
}

fn action(a: Action) -> Value {
    serde_json::to_value(a).unwrap_or(Value::Null)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use crate::render::aws_cli::tests::sample_plan;

    #[test]
    fn calls_follow_the_plan_with_their_wave_and_references() {
        let doc = boto3(&sample_plan());
        assert_eq!(doc["format"], "vpclink-boto3");
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["vpclink"], crate::VERSION);
        assert_eq!(doc["region"], "us-east-1");
        assert_eq!(doc["mode"], "deploy");
        let calls = doc["calls"].as_array().unwrap();
        let steps: Vec<&str> = calls.iter().map(|c| c["step"].as_str().unwrap()).collect();
        assert_eq!(
            steps,
            [
                "create.vpc.app",
                "create.target_group.backend",
                "create.load_balancer.nlb",
                "create.vpc_link.link",
                "create.alarm.unhealthy"
            ]
        );
        let waves: Vec<u64> = calls.iter().map(|c| c["wave"].as_u64().unwrap()).collect();
        assert_eq!(waves, [1, 2, 1, 2, 3]);
        let tg = &calls[1];
        assert_eq!(tg["service"], "elbv2");
        assert_eq!(tg["operation"], "create_target_group");
        assert_eq!(tg["action"], "create");
        assert_eq!(
            tg["params"]["VpcId"],
            json!({"$output": {"step": "create.vpc.app", "name": "VpcId"}})
        );
        assert_eq!(tg["depends_on"], json!(["create.vpc.app"]));
        assert_eq!(tg["outputs"][1]["after"], ":targetgroup/");
        assert_eq!(tg["wait"], Value::Null);
        assert_eq!(tg["undo"], Value::Null);
        let link = &calls[3];
        assert_eq!(link["wait"]["status_query"], "status");
        assert_eq!(link["wait"]["failure"], json!(["FAILED"]));
        assert_eq!(link["wait"]["interval_seconds"], 15);
    }

    #[test]
    fn the_document_round_trips_the_plan_objects() {
        let plan = sample_plan();
        let doc = boto3(&plan);
        for (step, call) in plan.steps.iter().zip(doc["calls"].as_array().unwrap()) {
            assert_eq!(call["params"], Value::Object(step.call.params.clone()));
            assert_eq!(
                call["outputs"],
                serde_json::to_value(&step.outputs).unwrap()
            );
            assert_eq!(call["wait"], serde_json::to_value(&step.wait).unwrap());
        }
    }
}

//! The plan format: steps, each one AWS API call, grouped into waves.
//!
//! These types are the contract between the planner (`plan/`), the executor (`exec/`), the
//! exports (`render/`) and every binding. They serialise to the JSON the bindings return
//! (`PLAN_FORMAT_VERSION`); change them only additively.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::values::Region;
use crate::pointer::JsonPointer;

/// The plan format this build writes and reads.
pub const PLAN_FORMAT_VERSION: u32 = 1;

/// An ordered, explained set of AWS API calls that turns `current` into `desired`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub version: u32,
    pub region: Region,
    /// `deploy` (create/update towards a desired topology) or `destroy` (teardown).
    pub mode: PlanMode,
    /// Every step, in an order that respects `depends_on` (a topological order).
    pub steps: Vec<Step>,
    /// Steps grouped so that every member of a wave depends only on earlier waves.
    pub waves: Vec<Wave>,
    /// The chain of steps with the longest expected duration, first to last.
    pub critical_path: CriticalPath,
    /// Resources that already match and are left alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unchanged: Vec<ResourceRef>,
    pub summary: PlanSummary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanMode {
    Deploy,
    Destroy,
}

/// A stable step id, unique in its plan, such as `create-load-balancer.nlb`.
pub type StepId = String;

/// The resource a step acts on: its kind and topology id, and where it is in the topology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceRef {
    /// The topology collection (`load_balancers`, `target_groups`, ...) or a sub-resource
    /// kind (`listener`, `target`, `route`, `stage`, `security_group_rule`, `network_acl_entry`).
    pub kind: String,
    /// The topology id; sub-resources join their owner's id and their key with `/`
    /// (`nlb/listener/80`, `shop/GET /products`).
    pub id: String,
    /// JSON Pointer to the resource in the topology it comes from.
    pub path: JsonPointer,
}

/// What a step does to its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Create a resource that does not exist yet.
    Create,
    /// Change a resource in place.
    Update,
    /// Delete the old resource of a replacement (an immutable property changed); the
    /// matching `create` step carries the same resource.
    Replace,
    /// Delete a resource the desired topology no longer has.
    Delete,
    /// Register targets with a target group, or attach something to something.
    Register,
    /// Detach or deregister.
    Deregister,
    /// Only wait for a state (no change is made): for example a resource that exists and
    /// must become available before later steps.
    Wait,
    /// Read-only lookup whose outputs later steps need (for example the latest AMI id).
    Lookup,
}

/// One AWS API call, as botocore names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiCall {
    /// botocore service name: `ec2`, `elbv2`, `apigateway`, `apigatewayv2`, `cloudwatch`, `ssm`.
    pub service: String,
    /// boto3 operation name in snake_case: `create_load_balancer`.
    pub operation: String,
    /// Request parameters with the exact casing of the API (`LoadBalancerArn`, `restApiId`).
    /// A value may be a [`ParamRef`] object (`{"$output": ...}` or `{"$join": [...]}`),
    /// resolved from earlier steps' outputs before the call is made.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, Value>")]
    pub params: serde_json::Map<String, Value>,
}

/// How a parameter refers to an earlier step's output. Inside `params`, a JSON object of
/// exactly one of these shapes is a reference; every other value is literal.
///
/// - `{"$output": {"step": "create-load-balancer.nlb", "name": "LoadBalancerArn"}}`
/// - `{"$join": ["integrations/", {"$output": {...}}]}` — strings and references concatenated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ParamRef {
    #[serde(rename = "$output")]
    Output(OutputRef),
    #[serde(rename = "$join")]
    Join(Vec<JoinPart>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputRef {
    pub step: StepId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum JoinPart {
    Text(String),
    Output {
        #[serde(rename = "$output")]
        output: OutputRef,
    },
}

impl ParamRef {
    /// The JSON form used inside `params`.
    pub fn output(step: &str, name: &str) -> Value {
        serde_json::json!({ "$output": { "step": step, "name": name } })
    }
}

/// A value a step captures from its call's response, for later steps and for undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Output {
    /// Name later steps use (`LoadBalancerArn`).
    pub name: String,
    /// JMESPath expression into the response (`LoadBalancers[0].LoadBalancerArn`); the same
    /// string works as the AWS CLI's `--query`.
    pub query: String,
    /// Keep only the part after the first occurrence of this text, e.g. `loadbalancer/` turns
    /// an NLB ARN into the `net/name/id` full name CloudWatch dimensions use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// When not empty, the JMESPath expression to use is this list joined, after resolving
    /// its `$output` parts: for a query that must name a value known only at run time,
    /// such as a new subnet's id. `query` then shows the expression with a placeholder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query_join: Vec<JoinPart>,
}

/// Poll a read operation until a state is reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Wait {
    /// The read call to repeat (params may reference outputs, including this step's own).
    pub call: ApiCall,
    /// JMESPath to the state in the response. When it yields a list (a projection such as
    /// `TargetHealthDescriptions[].TargetHealth.State`), every element must succeed.
    pub status_query: String,
    /// States that end the wait successfully.
    pub success: Vec<String>,
    /// States that end it with a failure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failure: Vec<String>,
    /// Error codes of the poll call that mean success (`NotFoundException` once deleted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub success_errors: Vec<String>,
    /// JMESPath to a human-readable reason shown on failure (`statusMessage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_query: Option<String>,
    pub interval_seconds: u32,
    pub timeout_seconds: u32,
}

/// How to find a step's resource if a crash left it unknown whether the call went through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// A read call that finds the resource by name or by its `vpclink:id` tag.
    pub call: ApiCall,
    /// Outputs to capture when found; found means the first output's query yields a value.
    pub outputs: Vec<Output>,
}

/// The call that undoes a step (used by rollback), with its wait.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Undo {
    pub call: ApiCall,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<Wait>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: StepId,
    pub action: Action,
    pub resource: ResourceRef,
    /// One sentence a reviewer reads: what and why.
    pub description: String,
    /// Steps that must finish (including their waits) first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<StepId>,
    pub call: ApiCall,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<Output>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<Wait>,
    /// Finds the resource after a crash so that it is never created twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup: Option<Lookup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo: Option<Undo>,
    /// Expected seconds for the call and its wait, for waves and the critical path.
    pub expected_seconds: u32,
    /// Why a replacement or update is needed (the properties that changed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

/// One property that differs between current and desired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The property, as a JSON Pointer relative to the resource (`/scheme`).
    pub property: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Value>,
    /// True when AWS cannot change this property in place (the resource is replaced).
    #[serde(default)]
    pub immutable: bool,
    /// Why the property counts as changed when its value reads the same: a resource it
    /// refers to is recreated, so the AWS id behind it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Wave {
    pub steps: Vec<StepId>,
    /// The longest expected duration among its steps.
    pub expected_seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriticalPath {
    pub steps: Vec<StepId>,
    pub expected_seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanSummary {
    pub create: usize,
    pub update: usize,
    pub replace: usize,
    pub delete: usize,
    pub unchanged: usize,
    pub steps: usize,
}

impl Plan {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

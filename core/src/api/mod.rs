//! The surface every binding wraps, in the shape the bindings need: inputs in any of the
//! formats ([`Input`]), typed results that serialise to the documented JSON, and one error
//! type ([`ApiError`]) with a kind, a stable code and the place. Python and JavaScript
//! convert and call these functions and nothing else, so the three runtimes cannot drift
//! apart (the conformance vectors check that they do not).

mod error;
mod executor;
mod input;
mod schemas;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub use error::{ApiError, ErrorKind};
pub use executor::ApiExecutor;
pub use input::{load, Input};
pub use schemas::{generate_schema, schema, SCHEMA_NAMES};

use crate::cost::{CostEstimate, Traffic};
use crate::diagnose::{Diagnosis, Symptom};
use crate::diagnostic::RuleMeta;
use crate::plan::Plan;
use crate::reach::ReachReport;
use crate::{render as renderers, Report, Topology};

/// The formats [`render`] writes, by the names the command line uses.
pub const RENDER_FORMATS: &[&str] = &[
    "text",
    "json",
    "cli",
    "boto3",
    "cloudformation",
    "terraform",
    "mermaid",
];

/// Findings for the topology, with unknown values of imported inputs taken into account
/// and findings pointing at source lines.
pub fn validate(input: Input) -> Result<Report, ApiError> {
    Ok(crate::validate(&load(input)?))
}

/// Which targets each route reaches, and why not where it does not.
pub fn reach(input: Input) -> Result<ReachReport, ApiError> {
    let topology = load(input)?;
    crate::reach::reach(&topology).map_err(|d| error::broken_references(&d))
}

/// What `plan` is asked for besides the desired topology.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanRequest {
    /// What exists now; absent for a new deployment.
    pub current: Option<Input>,
    /// Plan the deletion of `current` (or of the given topology when `current` is absent)
    /// instead of reaching a desired state.
    pub destroy: bool,
}

/// The steps that take `current` (or nothing) to `desired`, or that delete everything.
pub fn plan(desired: Input, request: PlanRequest) -> Result<Plan, ApiError> {
    let current = request.current.map(load).transpose()?;
    if request.destroy {
        let target = match current {
            Some(c) => c,
            None => load(desired)?,
        };
        return Ok(crate::plan::destroy(&target)?);
    }
    let desired = load(desired)?;
    Ok(crate::plan::plan(&desired, current.as_ref())?)
}

/// What to render: a topology (planned first for the plan formats) or a plan already made.
#[derive(Debug, Clone, PartialEq)]
pub enum RenderSource {
    Topology(Input),
    Plan(Value),
}

/// An export or a view of the plan as text: `format` is one of [`RENDER_FORMATS`].
/// CloudFormation, Terraform and Mermaid describe a topology; the others a plan.
pub fn render(source: RenderSource, format: &str) -> Result<String, ApiError> {
    let format = format.trim().to_ascii_lowercase();
    if !RENDER_FORMATS.contains(&format.as_str()) {
        return Err(ApiError::argument(
            "unknown_format",
            format!(
                "unknown render format `{format}`; use one of: {}",
                RENDER_FORMATS.join(", ")
            ),
        ));
    }
    let topology_format = matches!(format.as_str(), "cloudformation" | "terraform" | "mermaid");
    let plan = match source {
        RenderSource::Topology(input) => {
            let topology = load(input)?;
            if topology_format {
                return render_topology(&topology, &format);
            }
            crate::plan::plan(&topology, None)?
        }
        RenderSource::Plan(value) => {
            if topology_format {
                return Err(ApiError::argument(
                    "needs_topology",
                    format!("`{format}` exports a topology, not a plan; pass the topology"),
                ));
            }
            from_value::<Plan>(value, "plan")?
        }
    };
    Ok(match format.as_str() {
        "json" => to_pretty(&plan),
        "cli" => renderers::aws_cli(&plan),
        "boto3" => to_pretty(&renderers::boto3(&plan)),
        _ => renderers::plan_text(&plan),
    })
}

fn render_topology(topology: &Topology, format: &str) -> Result<String, ApiError> {
    Ok(match format {
        "cloudformation" => renderers::cloudformation(topology)?,
        "terraform" => renderers::terraform(topology)?,
        _ => renderers::mermaid(topology)?,
    })
}

/// Likely causes of a symptom, most likely first. `symptom` is `{"kind": "503", ...}`
/// (see the schema `symptom`).
pub fn diagnose(input: Input, symptom: Value) -> Result<Diagnosis, ApiError> {
    let symptom: Symptom = from_value(symptom, "symptom")?;
    Ok(crate::diagnose::diagnose(&load(input)?, &symptom))
}

/// The monthly cost under `traffic` (defaults when absent; see the schema `traffic`).
pub fn estimate_cost(input: Input, traffic: Option<Value>) -> Result<CostEstimate, ApiError> {
    let traffic: Traffic = match traffic {
        Some(v) => from_value(v, "traffic")?,
        None => Traffic::default(),
    };
    Ok(crate::cost::estimate_cost(&load(input)?, &traffic)?)
}

/// A CloudFormation or SAM template (JSON or YAML text) as a topology.
pub fn import_cloudformation(text: &str, file: Option<&str>) -> Result<Topology, ApiError> {
    crate::import::cloudformation::import_cloudformation(text, file)
        .map_err(|e| ApiError::from(e).with_file(file))
}

/// A live-state bundle (parsed or as JSON text) as a topology.
pub fn import_aws(bundle: Input) -> Result<Topology, ApiError> {
    match bundle {
        Input::Value(v) => Ok(crate::import::aws::import_aws(&v)?),
        Input::Text { text, file } => crate::import::aws::import_aws_str(&text)
            .map_err(|e| ApiError::from(e).with_file(file.as_deref())),
        Input::Files(_) => Err(ApiError::argument(
            "wrong_input",
            "a live-state bundle is one JSON document, not a set of files",
        )),
    }
}

/// A Terraform configuration (file name → HCL text) or `terraform show -json` output.
pub fn import_terraform(input: Input) -> Result<Topology, ApiError> {
    use crate::import::terraform;
    match input {
        Input::Files(files) => Ok(terraform::import_terraform_hcl(&files)?),
        Input::Value(v) => Ok(terraform::import_terraform_json(&v.to_string(), None)?),
        Input::Text { text, file } => {
            let result = if text.trim_start().starts_with('{') {
                terraform::import_terraform_json(&text, file.as_deref())
            } else {
                crate::import::import_terraform_file(&text, file.as_deref())
            };
            result.map_err(|e| ApiError::from(e).with_file(file.as_deref()))
        }
    }
}

/// A report from [`validate`] (in its JSON form) as text, laid out as `vpclink check` prints
/// it, without colour.
pub fn report_text(report: Value) -> Result<String, ApiError> {
    renderers::report_text(&report, &renderers::Plain).map_err(|e| ApiError {
        path: (!e.path.is_empty()).then(|| e.path.clone()),
        ..ApiError::argument("bad_report", e.to_string())
    })
}

/// Every code the engine can report, in code order.
pub fn rules() -> Vec<&'static RuleMeta> {
    crate::rules::catalogue()
}

/// The version shared by the crates and the packages.
pub fn version() -> &'static str {
    crate::VERSION
}

fn from_value<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, ApiError> {
    crate::parse::json_path::from_json_value(&value).map_err(|e| {
        let path = e.pointer.to_string();
        ApiError {
            path: Some(path.clone()),
            ..ApiError::argument(
                &format!("bad_{what}"),
                format!("at {path} of the {what}: {}", e.message()),
            )
        }
    })
}

fn to_pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests;

//! The npm package `vpclink`: `vpclink_core::api` for JavaScript and TypeScript.
//!
//! Every export converts its arguments ([`input`]), calls the one core function of the
//! same name, and converts the result into a plain object. Errors are thrown as `Error`
//! objects carrying the core's `kind`, `code` and place ([`error`]). No logic lives here:
//! the same calls in Rust, Python and JavaScript give the same answers, which the
//! conformance vectors check.
//!
//! The TypeScript declarations of every argument and result are generated from the core's
//! JSON Schema `schema("api")` into `types/api.d.ts` and included in the package's `.d.ts`
//! ([`types`]).
#![forbid(unsafe_code)]

mod error;
mod executor;
mod input;
mod schemas;
mod types;

// For the host-side type generator and its staleness test; no export uses it, so it never
// reaches the .wasm.
#[doc(hidden)]
pub mod typegen;

use vpclink_core::api::{self, RenderSource};
use wasm_bindgen::prelude::*;

use crate::input::{input, optional_value, output, plan_request, text, value_of, JsResult};

pub use executor::WasmExecutor;
pub use schemas::{rules, schema};

/// Findings for a topology (or a template, Terraform JSON or live-state bundle), most
/// severe first.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Topology | string")] topology: JsValue,
) -> JsResult<JsValue> {
    let report = api::validate(input(&topology, "topology")?).map_err(error::to_js)?;
    output(&report)
}

/// Which targets each route reaches, and why not where it does not.
#[wasm_bindgen(unchecked_return_type = "ReachReport")]
pub fn reach(
    #[wasm_bindgen(unchecked_param_type = "Topology | string")] topology: JsValue,
) -> JsResult<JsValue> {
    let report = api::reach(input(&topology, "topology")?).map_err(error::to_js)?;
    output(&report)
}

/// The steps that take `options.current` (or nothing) to `desired`; with
/// `options.destroy`, the steps that delete `current` (or `desired`).
#[wasm_bindgen(unchecked_return_type = "Plan")]
pub fn plan(
    #[wasm_bindgen(unchecked_param_type = "Topology | string")] desired: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PlanOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let request = plan_request(&options)?;
    let plan = api::plan(input(&desired, "topology")?, request).map_err(error::to_js)?;
    output(&plan)
}

/// An export of a topology: `cloudformation`, `terraform` or `mermaid` describe it; the
/// plan formats (`text`, `json`, `cli`, `boto3`) plan it first.
#[wasm_bindgen]
pub fn render(
    #[wasm_bindgen(unchecked_param_type = "Topology | string")] topology: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RenderFormat")] format: JsValue,
) -> JsResult<String> {
    let source = RenderSource::Topology(input(&topology, "topology")?);
    api::render(source, &text(&format, "format")?).map_err(error::to_js)
}

/// A plan already made, as `text`, `json`, `cli` (an AWS CLI script) or `boto3`.
#[wasm_bindgen(js_name = renderPlan)]
pub fn render_plan(
    #[wasm_bindgen(unchecked_param_type = "Plan")] plan: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PlanFormat")] format: JsValue,
) -> JsResult<String> {
    let source = RenderSource::Plan(value_of(&plan, "plan")?);
    api::render(source, &text(&format, "format")?).map_err(error::to_js)
}

/// A report from `validate` as text, laid out as `vpclink check` prints it.
#[wasm_bindgen(js_name = reportText)]
pub fn report_text(
    #[wasm_bindgen(unchecked_param_type = "Report")] report: JsValue,
) -> JsResult<String> {
    api::report_text(value_of(&report, "report")?).map_err(error::to_js)
}

/// Likely causes of a symptom (`{kind: "503", ...}`), most likely first.
#[wasm_bindgen(unchecked_return_type = "Diagnosis")]
pub fn diagnose(
    #[wasm_bindgen(unchecked_param_type = "Topology | string")] topology: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Symptom")] symptom: JsValue,
) -> JsResult<JsValue> {
    let topology = input(&topology, "topology")?;
    let diagnosis =
        api::diagnose(topology, value_of(&symptom, "symptom")?).map_err(error::to_js)?;
    output(&diagnosis)
}

/// The monthly cost under `traffic` (the defaults when absent).
#[wasm_bindgen(js_name = estimateCost, unchecked_return_type = "CostEstimate")]
pub fn estimate_cost(
    #[wasm_bindgen(unchecked_param_type = "Topology | string")] topology: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Traffic")] traffic: JsValue,
) -> JsResult<JsValue> {
    let topology = input(&topology, "topology")?;
    let traffic = optional_value(&traffic, "traffic")?;
    output(&api::estimate_cost(topology, traffic).map_err(error::to_js)?)
}

/// A CloudFormation or SAM template (JSON or YAML text); `file` names it in errors and
/// findings.
#[wasm_bindgen(js_name = importCloudFormation, unchecked_return_type = "Topology")]
pub fn import_cloudformation(
    #[wasm_bindgen(unchecked_param_type = "string")] template: JsValue,
    file: Option<String>,
) -> JsResult<JsValue> {
    let template = text(&template, "template")?;
    output(&api::import_cloudformation(&template, file.as_deref()).map_err(error::to_js)?)
}

/// A live-state bundle (the recorded `describe_*` answers), parsed or as JSON text.
#[wasm_bindgen(js_name = importAws, unchecked_return_type = "Topology")]
pub fn import_aws(
    #[wasm_bindgen(unchecked_param_type = "LiveState | string")] bundle: JsValue,
) -> JsResult<JsValue> {
    output(&api::import_aws(input(&bundle, "bundle")?).map_err(error::to_js)?)
}

/// A Terraform configuration as file name → HCL text, or one text: HCL, or the JSON of
/// `terraform show -json`.
#[wasm_bindgen(js_name = importTerraform, unchecked_return_type = "Topology")]
pub fn import_terraform(
    #[wasm_bindgen(js_name = filesOrText, unchecked_param_type = "Record<string, string> | string")]
    files_or_text: JsValue,
) -> JsResult<JsValue> {
    let source = match files_or_text.as_string() {
        Some(text) => api::Input::Text { text, file: None },
        None => api::Input::Files(input::files(&files_or_text)?),
    };
    output(&api::import_terraform(source).map_err(error::to_js)?)
}

/// The version shared by the crates and the packages.
#[wasm_bindgen]
pub fn version() -> String {
    api::version().to_owned()
}

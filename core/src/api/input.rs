//! What the bindings accept where a topology is expected, and how it becomes one. The
//! format is told by content, as the command line does, so a dict, a template and a
//! Terraform directory all work wherever a topology does.

use std::collections::BTreeMap;

use serde_json::Value;

use super::error::ApiError;
use crate::import::{self, aws, cloudformation, terraform, InputFormat};
use crate::Topology;

/// A topology, or something that imports into one.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Parsed JSON (a Python dict, a JavaScript object): a topology, a live-state bundle,
    /// Terraform plan/state JSON or a CloudFormation template in JSON form.
    Value(Value),
    /// Text in any of the formats, JSON or YAML or HCL; `file` names it in errors and
    /// findings.
    Text { text: String, file: Option<String> },
    /// A Terraform configuration directory as file name → text.
    Files(BTreeMap<String, String>),
}

impl Input {
    pub fn text(text: impl Into<String>) -> Self {
        Input::Text {
            text: text.into(),
            file: None,
        }
    }
}

/// The topology `input` stands for, imported when it is in another format.
pub fn load(input: Input) -> Result<Topology, ApiError> {
    match input {
        Input::Value(value) => load_value(value),
        Input::Text { text, file } => load_text(&text, file.as_deref()),
        Input::Files(files) => Ok(terraform::import_terraform_hcl(&files).map_err(ApiError::from)?),
    }
}

fn load_value(value: Value) -> Result<Topology, ApiError> {
    if aws::looks_like_aws_bundle(&value) {
        return Ok(aws::import_aws(&value)?);
    }
    if terraform::looks_like_terraform_json(&value) {
        return Ok(terraform::import_terraform_json(&value.to_string(), None)?);
    }
    // A template has `Resources`; a topology never does.
    if value.get("version").is_none() && value.get("Resources").is_some() {
        return Ok(cloudformation::import_cloudformation(
            &value.to_string(),
            None,
        )?);
    }
    Ok(crate::topology_from_value(value)?)
}

fn load_text(text: &str, file: Option<&str>) -> Result<Topology, ApiError> {
    let format = import::detect(text);
    if format == InputFormat::Topology {
        return crate::topology_from_str(text).map_err(|e| ApiError::from(e).with_file(file));
    }
    match import::import_detected(format, text, file) {
        Some(result) => result.map_err(|e| ApiError::from(e).with_file(file)),
        None => crate::topology_from_str(text).map_err(|e| ApiError::from(e).with_file(file)),
    }
}

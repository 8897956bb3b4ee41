//! Telling the input formats apart by content, never by a file name.

use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::Value;

use super::{aws, cloudformation, terraform, InputFormat};

/// The top-level members that tell JSON formats apart. Everything else is skipped unread:
/// a topology of 10,000 resources is scanned once, not built into a `Value` before its
/// parser reads it again.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    format: Option<Value>,
    /// The services a live-state bundle holds responses of.
    #[serde(default)]
    responses: Option<BTreeMap<String, IgnoredAny>>,
    #[serde(default)]
    format_version: Option<IgnoredAny>,
    #[serde(default)]
    terraform_version: Option<IgnoredAny>,
    #[serde(default)]
    planned_values: Option<IgnoredAny>,
    #[serde(default)]
    values: Option<IgnoredAny>,
    #[serde(default)]
    version: Option<IgnoredAny>,
}

impl Head {
    fn has(&self, key: &str) -> bool {
        match key {
            "format_version" => self.format_version.is_some(),
            "terraform_version" => self.terraform_version.is_some(),
            "planned_values" => self.planned_values.is_some(),
            "values" => self.values.is_some(),
            _ => false,
        }
    }
}

/// Decides what `text` is from its content: a live-state bundle names its format (or holds
/// boto3 responses), Terraform's JSON has its format and Terraform versions, a template has
/// `Resources` of AWS types or a template version, HCL declares blocks; anything else is
/// read as a topology, whose parser then explains what is wrong with it.
pub fn detect(text: &str) -> InputFormat {
    if text.trim_start().starts_with('{') {
        if let Ok(head) = serde_json::from_str::<Head>(text) {
            let services = head
                .responses
                .as_ref()
                .map(|r| r.keys().map(String::as_str));
            if aws::is_bundle(head.format.as_ref().and_then(Value::as_str), services) {
                return InputFormat::AwsBundle;
            }
            if terraform::is_terraform_json(|key| head.has(key)) {
                return InputFormat::TerraformJson;
            }
            // A topology has `version`; a template never does at the top level.
            if head.version.is_some() {
                return InputFormat::Topology;
            }
        }
    }
    if cloudformation::looks_like_cloudformation(text) {
        InputFormat::Cloudformation
    } else if terraform::looks_like_hcl(text) {
        InputFormat::TerraformHcl
    } else {
        InputFormat::Topology
    }
}

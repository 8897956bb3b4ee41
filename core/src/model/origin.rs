//! Where an imported topology came from. Rules never read this; reports use it to point
//! findings at template lines, and callers use it to see what was unknown or skipped.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::pointer::JsonPointer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// A CloudFormation or SAM template (JSON or YAML).
    Cloudformation,
    /// A bundle of boto3 describe/get responses from a live account.
    Aws,
    /// Terraform plan/state JSON or HCL source.
    Terraform,
}

/// Where one resource was declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceLocation {
    /// The source's own name: a CloudFormation logical id, a Terraform address, an AWS id.
    pub name: String,
    /// The file, when the source spans several (Terraform directories).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line and column of the declaration, when the source is text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// A value the importer could not know offline (a parameter without default, an import
/// from another stack, a condition, a value known only after apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnknownValue {
    /// Where in the topology the value would be.
    pub path: JsonPointer,
    /// The source expression, as written (`!ImportValue shared-vpc-id`).
    pub expression: String,
    pub reason: String,
}

/// A source resource outside the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkippedResource {
    pub name: String,
    /// Its type in the source (`AWS::Lambda::Function`).
    #[serde(rename = "type")]
    pub kind: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    pub format: SourceFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Source location of each imported resource, keyed by its JSON Pointer in the
    /// topology (`/load_balancers/nlb`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, SourceLocation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknowns: Vec<UnknownValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedResource>,
}

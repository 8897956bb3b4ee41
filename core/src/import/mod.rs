//! Importers: other formats into a [`Topology`](crate::Topology), remembering where each
//! resource came from ([`Origin`](crate::model::Origin)).

pub mod aws;
pub mod cloudformation;
mod detect;
pub mod terraform;

pub use detect::detect;

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::SourceFormat;

/// Input that could not be imported at all (a problem *in* an imported topology is a
/// diagnostic instead, and an unsupported resource is listed as skipped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema, thiserror::Error)]
#[error("{}", self.render())]
pub struct ImportError {
    pub format: SourceFormat,
    pub message: String,
    /// Where in the source: a JSON Pointer into the template or bundle, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based line and column in the source text, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl ImportError {
    fn render(&self) -> String {
        let mut s = String::new();
        if let Some(line) = self.line {
            s.push_str(&format!("line {line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(", column {col}"));
            }
            s.push_str(": ");
        }
        if let Some(path) = &self.path {
            s.push_str(&format!("at {path}: "));
        }
        s.push_str(&self.message);
        s
    }
}

/// The kinds of input every entry point accepts, told apart by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// The vpclink topology format (JSON or YAML).
    Topology,
    /// A CloudFormation or SAM template (JSON or YAML).
    Cloudformation,
    /// A live-state bundle of boto3 responses (JSON).
    AwsBundle,
    /// The JSON of `terraform show -json`, for a saved plan or the state.
    TerraformJson,
    /// Terraform HCL source (one file; a directory goes through
    /// [`terraform::import_terraform_hcl`]).
    TerraformHcl,
}

impl InputFormat {
    pub fn as_str(&self) -> &'static str {
        match self {
            InputFormat::Topology => "topology",
            InputFormat::Cloudformation => "CloudFormation template",
            InputFormat::AwsBundle => "live-state bundle",
            InputFormat::TerraformJson => "Terraform plan or state JSON",
            InputFormat::TerraformHcl => "Terraform configuration",
        }
    }
}

/// Imports `text` of a detected non-topology format; `None` for a topology, which the
/// caller parses with [`crate::topology_from_str`] (its errors are richer there).
pub fn import_detected(
    format: InputFormat,
    text: &str,
    file: Option<&str>,
) -> Option<Result<crate::Topology, ImportError>> {
    match format {
        InputFormat::Topology => None,
        InputFormat::Cloudformation => Some(cloudformation::import_cloudformation(text, file)),
        InputFormat::AwsBundle => Some(aws::import_aws_str(text)),
        InputFormat::TerraformJson => Some(terraform::import_terraform_json(text, file)),
        InputFormat::TerraformHcl => Some(import_terraform_file(text, file)),
    }
}

/// One Terraform file, read as a root module of its own (named without its directories).
pub fn import_terraform_file(
    text: &str,
    file: Option<&str>,
) -> Result<crate::Topology, ImportError> {
    let name = file
        .and_then(|f| f.rsplit(['/', '\\']).next())
        .filter(|n| n.ends_with(".tf"))
        .unwrap_or("main.tf")
        .to_owned();
    let files = std::collections::BTreeMap::from([(name, text.to_owned())]);
    terraform::import_terraform_hcl(&files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_the_format() {
        assert_eq!(detect(crate::examples::THREE_TIER), InputFormat::Topology);
        assert_eq!(
            detect("version: 1\nregion: us-east-1\n"),
            InputFormat::Topology
        );
        let template = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n";
        assert_eq!(detect(template), InputFormat::Cloudformation);
        let json_template = r#"{"Resources": {"V": {"Type": "AWS::EC2::VPC"}}}"#;
        assert_eq!(detect(json_template), InputFormat::Cloudformation);
        let bundle = r#"{"format": "vpclink-aws-bundle", "version": 1, "region": "us-east-1", "responses": {}}"#;
        assert_eq!(detect(bundle), InputFormat::AwsBundle);
        let plan =
            r#"{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {}}"#;
        assert_eq!(detect(plan), InputFormat::TerraformJson);
        let hcl =
            "variable \"cidr\" {}\nresource \"aws_vpc\" \"main\" {\n  cidr_block = var.cidr\n}\n";
        assert_eq!(detect(hcl), InputFormat::TerraformHcl);
        // Not anything: the topology parser explains.
        assert_eq!(detect("[1, 2"), InputFormat::Topology);
    }
}

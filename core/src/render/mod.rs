//! Exports: what people run or commit, made from a plan or a topology.
//!
//! - from a [`Plan`]: an AWS CLI bash script ([`aws_cli`]), the boto3 call list ([`boto3`]);
//! - from a [`Report`](crate::Report): the text `vpclink check` prints ([`report_text`]);
//! - from a [`Topology`]: a CloudFormation template ([`cloudformation`]), Terraform HCL
//!   ([`terraform`]) and a Mermaid diagram with the reachability verdicts ([`mermaid`]).

mod aws_cli;
mod boto3;
mod cloudformation;
mod defaults;
mod mermaid;
mod naming;
mod plan_text;
mod report_text;
mod terraform;

pub use aws_cli::aws_cli;
pub use boto3::boto3;
pub use cloudformation::cloudformation;
pub use mermaid::mermaid;
pub use plan_text::plan_text;
pub use report_text::{
    diagnostic_text, report_text, typed_report_text, Paint, Plain, ReportTextError,
};
pub use terraform::terraform;

/// An export that could not be made from this input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    pub message: String,
    /// JSON Pointer into the topology or plan, when one place is to blame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<crate::pointer::JsonPointer>,
}

#[allow(unused_imports, reason = "used by every export module")]
use crate::{model::Topology, plan::Plan};

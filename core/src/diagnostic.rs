//! Findings: what is wrong, where, why, and (where safe) a JSON Patch that fixes it.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::SourceLocation;
use crate::pointer::JsonPointer;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!(
                "`{s}` is not a severity; use error, warning or info"
            )),
        }
    }
}

/// The family a code belongs to; the hundreds digit of the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Model,
    VpcLink,
    LoadBalancer,
    Network,
    Integration,
    Observability,
    Cost,
}

impl Family {
    pub fn title(&self) -> &'static str {
        match self {
            Family::Model => "Model and references",
            Family::VpcLink => "VPC link",
            Family::LoadBalancer => "Load balancer and target group",
            Family::Network => "Network: security groups, network ACLs, zones",
            Family::Integration => "API integration",
            Family::Observability => "Observability",
            Family::Cost => "Cost",
        }
    }
}

/// What a rule is, independent of any topology. Codes never change meaning once released.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub struct RuleMeta {
    pub code: &'static str,
    /// kebab-case name, for people who prefer names to numbers.
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub title: &'static str,
    /// One line: why this matters.
    pub rationale: &'static str,
    /// The AWS fact it rests on: a section of the facts file and an AWS page.
    pub source: &'static str,
}

/// How safe a fix is to apply without a person looking (ruff's scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Keeps the intent of the topology; tools may apply it on their own.
    Safe,
    /// Correct, but changes behaviour or forces a replacement in AWS; a person decides.
    Unsafe,
}

/// One RFC 6902 operation.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum PatchOp {
    Add {
        path: JsonPointer,
        value: serde_json::Value,
    },
    Remove {
        path: JsonPointer,
    },
    Replace {
        path: JsonPointer,
        value: serde_json::Value,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Fix {
    pub description: String,
    pub applicability: Applicability,
    /// A JSON Patch (RFC 6902) against the input topology.
    pub patch: Vec<PatchOp>,
}

/// The resource a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct ResourceRef {
    /// The topology collection, such as `load_balancers`.
    pub kind: String,
    pub id: String,
}

impl ResourceRef {
    pub fn new(kind: &str, id: impl AsRef<str>) -> Self {
        ResourceRef {
            kind: kind.to_owned(),
            id: id.as_ref().to_owned(),
        }
    }
}

/// Another place that explains a finding (the rule that would allow it, the other end).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Related {
    pub path: JsonPointer,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    /// What is wrong and why it breaks, in the topology's terms.
    pub message: String,
    pub resource: ResourceRef,
    /// JSON Pointer into the input topology.
    pub path: JsonPointer,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// Where in an imported source (template line and column) the resource at `path` was
    /// declared. Absent for topologies written by hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceLocation>,
}

impl Diagnostic {
    pub fn new(meta: &RuleMeta, resource: ResourceRef, path: JsonPointer, message: String) -> Self {
        Diagnostic {
            code: meta.code,
            severity: meta.severity,
            title: meta.title,
            message,
            resource,
            path,
            help: None,
            fix: None,
            related: Vec::new(),
            source: None,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    pub fn with_related(mut self, path: JsonPointer, message: impl Into<String>) -> Self {
        self.related.push(Related {
            path,
            message: message.into(),
        });
        self
    }
    /// Severity other than the rule's default, for rules whose findings differ in weight.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

//! The one shape both Terraform readers produce — plan/state JSON (`json/`) and HCL source
//! (`hcl/`) — and the translation reads. Keeping the readers apart from the mapping means a
//! resource is understood the same way whichever form it came in.

use std::collections::BTreeMap;

use crate::model::SkippedResource;

/// A value as far as it is known offline.
#[derive(Debug, Clone, PartialEq)]
pub enum TfValue {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    /// Lists, sets, tuples and repeated nested blocks (`ingress { … }` twice is a list of
    /// two maps, as `terraform show -json` writes it).
    List(Vec<TfValue>),
    /// Objects, maps and single nested blocks.
    Map(BTreeMap<String, TfValue>),
    /// An attribute of another resource or data source, by full address:
    /// `aws_vpc.main` + `id`, `module.net.aws_subnet.private[1]` + `id`,
    /// `data.aws_vpc.shared` + `id`. The translation turns it into a topology reference when
    /// the address is a modelled resource, and into an unknown otherwise.
    Ref {
        address: String,
        attribute: String,
    },
    /// Not knowable offline (a variable without default, a value known only after apply, a
    /// function the evaluator does not have): the expression as written and why.
    Unknown {
        expression: String,
        reason: String,
    },
}

impl TfValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            TfValue::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn get(&self, key: &str) -> Option<&TfValue> {
        match self {
            TfValue::Map(m) => m.get(key),
            _ => None,
        }
    }
    pub fn items(&self) -> &[TfValue] {
        match self {
            TfValue::List(items) => items,
            _ => &[],
        }
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, TfValue::Unknown { .. })
    }
}

/// Where a resource block is written (HCL), 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TfLocation {
    /// The file relative to the root module directory (`modules/net/main.tf`), or the JSON
    /// file's own name for plan/state JSON.
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// One managed resource instance (after `count`/`for_each` expansion).
#[derive(Debug, Clone, PartialEq)]
pub struct TfResource {
    /// The full address: `module.net.aws_lb.this[0]`, `aws_subnet.private["a"]`.
    pub address: String,
    /// The resource type: `aws_lb`, `aws_alb`, `aws_security_group_rule`, ...
    pub kind: String,
    /// Arguments and attributes by name; nested blocks as lists of maps.
    pub values: BTreeMap<String, TfValue>,
    pub location: TfLocation,
}

/// What a reader hands the translation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TfConfig {
    /// Managed resources of every module, expanded. Data sources are not listed: references
    /// to them stay [`TfValue::Ref`] to a `data.` address, which the translation treats as
    /// outside the configuration.
    pub resources: Vec<TfResource>,
    /// The AWS provider's Region, when set (`provider "aws" { region = … }`).
    pub region: Option<TfValue>,
    /// What the reader could not follow: registry or remote modules, resource blocks it
    /// could not expand (unknown `count`), each with a reason.
    pub skipped: Vec<SkippedResource>,
}

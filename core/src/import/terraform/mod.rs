//! Terraform into a topology, from either form users have at hand: the JSON of
//! `terraform show -json` (a saved plan or the state), or the HCL source of a configuration
//! directory, read without a terraform binary.
//!
//! Both readers produce a [`TfConfig`](ir::TfConfig); one translation maps it onto the
//! topology, so a resource means the same whichever form it came in.

pub mod ir;

use std::collections::BTreeMap;

use crate::import::ImportError;
use crate::model::SourceFormat;
use crate::Topology;

/// Imports the JSON of `terraform show -json` — a saved plan (`planned_values`,
/// `resource_changes`, `configuration`) or the state (`values.root_module`), child modules
/// included. `file` names the input in findings.
pub fn import_terraform_json(text: &str, file: Option<&str>) -> Result<Topology, ImportError> {
    let _ = (text, file);
    Err(not_yet())
}

/// Imports a configuration directory given as file name → text (`main.tf`,
/// `modules/net/main.tf`, `terraform.tfvars`); names are relative to the root module, with
/// `/` separators. Only `.tf`, `terraform.tfvars`, `*.auto.tfvars` (and their `.json`
/// forms are not read) take part.
pub fn import_terraform_hcl(files: &BTreeMap<String, String>) -> Result<Topology, ImportError> {
    let _ = files;
    Err(not_yet())
}

/// Whether a parsed JSON document is `terraform show -json` output (plan or state).
pub fn looks_like_terraform_json(value: &serde_json::Value) -> bool {
    value.get("format_version").is_some()
        && (value.get("terraform_version").is_some()
            || value.get("planned_values").is_some()
            || value.get("values").is_some())
}

/// Whether `text` reads as Terraform HCL: it declares at least one `resource`, `module`,
/// `provider`, `variable` or `terraform` block at the top level.
pub fn looks_like_hcl(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        [
            "resource \"",
            "module \"",
            "provider \"",
            "variable \"",
            "data \"",
            "terraform {",
            "locals {",
        ]
        .iter()
        .any(|kw| line.starts_with(kw))
    })
}

fn not_yet() -> ImportError {
    ImportError {
        format: SourceFormat::Terraform,
        message: "the Terraform importer is not built yet".to_owned(),
        path: None,
        line: None,
        column: None,
    }
}

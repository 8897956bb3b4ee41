//! Terraform into a topology, from either form users have at hand: the JSON of
//! `terraform show -json` (a saved plan or the state), or the HCL source of a configuration
//! directory, read without a terraform binary.
//!
//! Both readers produce a [`TfConfig`](ir::TfConfig) (`json/` for plan and state, `hcl/`
//! for source); one translation (`translate/`) maps it onto the topology, so a resource
//! means the same whichever form it came in. The translation writes the equivalent
//! CloudFormation template as a node tree and reads it with the CloudFormation importer,
//! so placeholders, unknowns, carried values and defaults behave as they do for templates;
//! every source, unknown, skipped resource and error is then said again in Terraform
//! terms: addresses (`module.net.aws_lb.this[0]`), expressions (`var.vpc_id`,
//! `aws_vpc.main.id (known after apply)`), files, lines and columns.
//!
//! Mapped types: `aws_vpc`, `aws_vpc_ipv4_cidr_block_association`, `aws_subnet`,
//! `aws_network_acl` (inline rules, `subnet_ids`), `aws_network_acl_rule`,
//! `aws_network_acl_association`, `aws_security_group` (inline rules),
//! `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule` / `_egress_rule`,
//! `aws_instance`, `aws_lb`/`aws_alb`, `aws_lb_listener`/`aws_alb_listener`,
//! `aws_lb_target_group`/`aws_alb_target_group` (with `…_target_group_attachment` as
//! targets), `aws_api_gateway_vpc_link`, `aws_apigatewayv2_vpc_link`,
//! `aws_api_gateway_rest_api`/`resource`/`method`/`integration`/`deployment`/`stage`/
//! `method_settings`, `aws_apigatewayv2_api`/`integration`/`route`/`stage`,
//! `aws_cloudwatch_metric_alarm`. Everything else (the classic `aws_elb` included) is
//! listed in `origin.skipped` by address and type, with the reason.

pub mod hcl;
pub mod ir;
mod json;
mod translate;

use std::collections::BTreeMap;

use crate::import::ImportError;
use crate::Topology;

/// Translates what a reader produced into a topology: the one mapping both readers share
/// (see `translate/`). `file` is recorded in `origin.file` (`None` for a directory).
pub fn import_terraform_config(
    config: &ir::TfConfig,
    file: Option<&str>,
) -> Result<Topology, ImportError> {
    translate::translate(config, file)
}

/// Imports the JSON of `terraform show -json` — a saved plan (`planned_values`,
/// `resource_changes`, `configuration`) or the state (`values.root_module`), child modules
/// included. `file` names the input in findings.
pub fn import_terraform_json(text: &str, file: Option<&str>) -> Result<Topology, ImportError> {
    let config = json::read(text, file)?;
    translate::translate(&config, file)
}

/// Imports a configuration directory given as file name → text (`main.tf`,
/// `modules/net/main.tf`, `terraform.tfvars`); names are relative to the root module, with
/// `/` separators. Only `.tf`, `terraform.tfvars`, `*.auto.tfvars` (and their `.json`
/// forms are not read) take part.
pub fn import_terraform_hcl(files: &BTreeMap<String, String>) -> Result<Topology, ImportError> {
    let config = hcl::read(files)?;
    // One file names itself; a directory has no one file to name.
    let file = match files.keys().collect::<Vec<_>>().as_slice() {
        [only] => Some(only.as_str()),
        _ => None,
    };
    translate::translate(&config, file)
}

/// Whether a parsed JSON document is `terraform show -json` output (plan or state).
pub fn looks_like_terraform_json(value: &serde_json::Value) -> bool {
    is_terraform_json(|key| value.get(key).is_some())
}

/// Terraform's JSON has its format version and a Terraform version, planned values or
/// values; `has` says which top-level members a document has.
pub(crate) fn is_terraform_json(has: impl Fn(&str) -> bool) -> bool {
    has("format_version") && (has("terraform_version") || has("planned_values") || has("values"))
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

//! Terraform HCL source into a [`TfConfig`], without a terraform binary.
//!
//! The files are parsed with `hcl-edit`, which keeps byte spans (so every resource and every
//! syntax error has a file, line and column) and bounds its own nesting depth. The reader
//! then evaluates what Terraform could know before `plan` touches any API: variable
//! defaults and `.tfvars` values, locals, references between resources (kept as
//! [`TfValue::Ref`]), `count` and `for_each` over known values, conditionals, `for`
//! expressions, templates, operators and the common functions. Everything else is a
//! [`TfValue::Unknown`] carrying the expression as written and why; an unknown never turns
//! into a wrong known value.
//!
//! Local modules (`source = "./modules/net"`) are followed; registry and remote modules
//! are listed in [`TfConfig::skipped`] and references to their outputs are unknown. A
//! resource block whose `count`/`for_each` is not known offline is not expanded (it would
//! need invented instance addresses) and is listed as skipped.
//!
//! Limits, so that no input hangs the reader: `count` and `for_each` expand at most 10,000
//! instances per block, modules nest at most 16 deep, collections hold at most 100,000
//! elements, strings at most 1 MiB, and evaluation has a fixed budget of work (see
//! `eval.rs`); what exceeds a limit is unknown or skipped, with the reason.

mod emit;
mod eval;
mod funcs;
mod module;
mod net;
mod source;
mod value;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use hcl_edit::structure::Structure;
use hcl_edit::Span;

use self::eval::{Evaluator, Iteration, Scope};
use self::module::{local_calls, ModuleDef, ModuleSource};
use self::source::{dir_of, is_config_file, tfvars_files, ParsedFile};
use super::ir::{TfConfig, TfValue};
use crate::import::ImportError;
use crate::model::SourceFormat;

/// Reads the configuration in `files` (name → text, names relative to the root module with
/// `/` separators: `main.tf`, `terraform.tfvars`, `modules/net/main.tf`).
///
/// Only the root directory's `.tf` files, the `.tf` files of local modules it reaches,
/// `terraform.tfvars` and `*.auto.tfvars` take part; other files are ignored (`file()`
/// can still read them).
///
/// # Errors
/// A syntax error, a duplicate resource, data source, module, variable, local or output,
/// a malformed block, or a local module directory without `.tf` files — each with the file,
/// line and column.
pub fn read(files: &BTreeMap<String, String>) -> Result<TfConfig, ImportError> {
    let parsed = parse_reached(files)?;
    let mut by_dir: BTreeMap<String, Vec<&ParsedFile<'_>>> = BTreeMap::new();
    for file in &parsed {
        by_dir
            .entry(dir_of(file.name).unwrap_or_default())
            .or_default()
            .push(file);
    }
    if !by_dir.contains_key("") {
        return Err(ImportError {
            format: SourceFormat::Terraform,
            message: "no .tf files in the root directory of the configuration".to_owned(),
            path: None,
            line: None,
            column: None,
        });
    }
    let mut defs = BTreeMap::new();
    for (dir, dir_files) in &by_dir {
        defs.insert(dir.clone(), ModuleDef::gather(dir, dir_files)?);
    }
    check_module_dirs(&defs)?;

    let tfvars_parsed = tfvars_files(files.keys().map(String::as_str))
        .into_iter()
        .filter_map(|name| files.get(name).map(|text| (name, text)))
        .map(|(name, text)| ParsedFile::parse(name, text))
        .collect::<Result<Vec<_>, _>>()?;

    let Some(root) = defs.get("") else {
        return Ok(TfConfig::default());
    };
    let mut ev = Evaluator::new(&defs, root, files, BTreeMap::new());
    ev.tfvars = tfvars_values(&mut ev, &tfvars_parsed);
    let region = region(&mut ev, root);
    let mut out = emit::Output {
        resources: Vec::new(),
        skipped: Vec::new(),
    };
    emit::emit(&mut ev, 0, &mut out);
    check_unique_addresses(&out)?;
    Ok(TfConfig {
        resources: out.resources,
        region,
        skipped: out.skipped,
    })
}

/// Parses the root directory's `.tf` files and those of every local module directory
/// reached from it (module sources are literal strings, so this needs no evaluation).
fn parse_reached(files: &BTreeMap<String, String>) -> Result<Vec<ParsedFile<'_>>, ImportError> {
    let mut parsed = Vec::new();
    let mut reached: BTreeMap<String, ()> = BTreeMap::new();
    let mut queue = vec![String::new()];
    while let Some(dir) = queue.pop() {
        if reached.insert(dir.clone(), ()).is_some() {
            continue;
        }
        for (name, text) in files {
            if dir_of(name).as_deref() == Some(dir.as_str()) && is_config_file(name) {
                let file = ParsedFile::parse(name, text)?;
                queue.extend(local_calls(&dir, &file.body));
                parsed.push(file);
            }
        }
    }
    Ok(parsed)
}

/// A local module source must name a directory with `.tf` files.
fn check_module_dirs(defs: &BTreeMap<String, ModuleDef<'_>>) -> Result<(), ImportError> {
    for def in defs.values() {
        for call in &def.modules {
            if let ModuleSource::Local(dir) = &call.source {
                if !defs.contains_key(dir) {
                    return Err(call.block.file.error(
                        call.block.node.span(),
                        format!(
                            "module `{}`: its source \"{}\" names directory `{}`, which has no .tf files",
                            call.name,
                            call.source_text,
                            if dir.is_empty() { "." } else { dir }
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Root variable values from the `.tfvars` files, later files overriding earlier ones.
fn tfvars_values<'a>(
    ev: &mut Evaluator<'a>,
    parsed: &'a [ParsedFile<'a>],
) -> BTreeMap<String, TfValue> {
    let mut values = BTreeMap::new();
    for file in parsed {
        for structure in file.body.iter() {
            if let Structure::Attribute(attr) = structure {
                // A .tfvars file holds literal values; evaluated without any names in
                // scope, a reference is unknown.
                let mut sc = Scope::new(usize::MAX, file, Iteration::default());
                values.insert(attr.key.as_str().to_owned(), ev.value(&attr.value, &mut sc));
            }
        }
    }
    values
}

/// The root module's `provider "aws"` Region: the default (unaliased) provider's, else the
/// first one's.
fn region<'a>(ev: &mut Evaluator<'a>, root: &'a ModuleDef<'a>) -> Option<TfValue> {
    let (region, _) = root
        .aws_providers
        .iter()
        .find(|(_, aliased)| !aliased)
        .or_else(|| root.aws_providers.first())?;
    let region = (*region)?;
    let mut sc = Scope::new(0, region.file, Iteration::default());
    Some(ev.value(region.node, &mut sc))
}

/// Two blocks can expand to one address only through a bug of the reader; the
/// declarations themselves were checked for duplicates when gathered.
fn check_unique_addresses(out: &emit::Output) -> Result<(), ImportError> {
    let mut seen = std::collections::HashSet::new();
    for resource in &out.resources {
        if !seen.insert(resource.address.as_str()) {
            return Err(ImportError {
                format: SourceFormat::Terraform,
                message: format!(
                    "resource address `{}` occurs twice (in {})",
                    resource.address,
                    resource.location.file.as_deref().unwrap_or("?")
                ),
                path: None,
                line: resource.location.line,
                column: resource.location.column,
            });
        }
    }
    Ok(())
}

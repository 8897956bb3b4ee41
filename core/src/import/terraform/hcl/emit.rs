//! Walks the module instances and expands every managed resource block into
//! [`TfResource`]s: arguments evaluated, nested blocks (and `dynamic` blocks) as lists of
//! maps the way `terraform show -json` writes them, meta-arguments dropped.

use std::collections::BTreeMap;

use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span;

use super::eval::{iterate, Evaluator, Scope, MAX_COLLECTION};
use super::module::attribute;
use super::value::Fail;
use crate::import::terraform::ir::{TfLocation, TfResource, TfValue};
use crate::model::SkippedResource;

/// Managed resource instances in the whole configuration; beyond this the rest is listed
/// as skipped rather than read.
const MAX_RESOURCES: usize = 200_000;

/// Arguments of a resource that configure Terraform rather than the resource.
const META_ARGUMENTS: [&str; 4] = ["count", "for_each", "provider", "depends_on"];
/// Nested blocks that configure Terraform rather than the resource.
const META_BLOCKS: [&str; 4] = ["lifecycle", "provisioner", "connection", "timeouts"];

pub(super) struct Output {
    pub resources: Vec<TfResource>,
    pub skipped: Vec<SkippedResource>,
}

/// Every resource of module instance `inst` and, depth first, of the modules it calls.
pub(super) fn emit(ev: &mut Evaluator<'_>, inst: usize, out: &mut Output) {
    let Some(instance) = ev.instances.get(inst) else {
        return;
    };
    let def = instance.def;
    let prefix = instance.prefix.clone();
    for decl in &def.resources {
        let key = format!("{}.{}", decl.kind, decl.name);
        let block_address = format!("{prefix}{key}");
        let expansion = ev.expansion(inst, &key, decl.count, decl.for_each);
        if let super::eval::Expansion::Unknown(reason) = &expansion {
            out.skipped.push(SkippedResource {
                name: block_address,
                kind: decl.kind.to_owned(),
                reason: format!("not expanded: {reason}"),
            });
            continue;
        }
        let (line, column) = decl
            .block
            .file
            .position(decl.block.node.span().map_or(0, |s| s.start));
        for (suffix, iteration) in expansion.instances() {
            if out.resources.len() >= MAX_RESOURCES {
                out.skipped.push(SkippedResource {
                    name: format!("{block_address}{suffix}"),
                    kind: decl.kind.to_owned(),
                    reason: format!("the reader reads at most {MAX_RESOURCES} resource instances"),
                });
                break;
            }
            let mut sc = Scope::new(inst, decl.block.file, iteration);
            let values = body_values(ev, &decl.block.node.body, &mut sc, true);
            out.resources.push(TfResource {
                address: format!("{block_address}{suffix}"),
                kind: decl.kind.to_owned(),
                values,
                location: TfLocation {
                    file: Some(decl.block.file.name.to_owned()),
                    line: Some(line),
                    column: Some(column),
                },
            });
        }
    }
    for (index, call) in def.modules.iter().enumerate() {
        let (expansion, children) = ev.module_instances(inst, index);
        if let super::eval::Expansion::Unknown(reason) = expansion {
            out.skipped.push(SkippedResource {
                name: format!("{prefix}module.{}", call.name),
                kind: call.source_text.to_owned(),
                reason: format!("module not read: {reason}"),
            });
            continue;
        }
        for child in children {
            emit(ev, child, out);
        }
    }
}

/// The arguments and nested blocks of a body.
fn body_values<'a>(
    ev: &mut Evaluator<'a>,
    body: &'a Body,
    sc: &mut Scope<'a>,
    top: bool,
) -> BTreeMap<String, TfValue> {
    let mut values = BTreeMap::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                let name = attr.key.as_str();
                if top && META_ARGUMENTS.contains(&name) {
                    continue;
                }
                values.insert(name.to_owned(), ev.argument(&attr.value, sc));
            }
            Structure::Block(block) => {
                let name = block.ident.as_str();
                if META_BLOCKS.contains(&name) {
                    continue;
                }
                if name == "dynamic" {
                    dynamic(ev, block, sc, &mut values);
                    continue;
                }
                let nested = body_values(ev, &block.body, sc, false);
                push_block(&mut values, name, TfValue::Map(nested));
            }
        }
    }
    values
}

/// Adds one nested block under its name: repeated blocks make a list.
fn push_block(values: &mut BTreeMap<String, TfValue>, name: &str, block: TfValue) {
    match values.get_mut(name) {
        Some(TfValue::List(items)) => items.push(block),
        // Already unknown (a dynamic block over an unknown collection): the list's length
        // is not known, so it stays unknown.
        Some(TfValue::Unknown { .. }) => {}
        _ => {
            values.insert(name.to_owned(), TfValue::List(vec![block]));
        }
    }
}

/// `dynamic "ingress" { for_each = …  iterator = …  content { … } }`.
fn dynamic<'a>(
    ev: &mut Evaluator<'a>,
    block: &'a Block,
    sc: &mut Scope<'a>,
    values: &mut BTreeMap<String, TfValue>,
) {
    let Some(label) = block.labels.first().map(|l| l.as_str()) else {
        return;
    };
    let iterator = match attribute(block.body.iter(), "iterator") {
        Some(hcl_edit::expr::Expression::Variable(name)) => name.as_str(),
        _ => label,
    };
    let content = block.body.iter().find_map(|s| match s {
        Structure::Block(b) if b.ident.as_str() == "content" => Some(b),
        _ => None,
    });
    let (Some(for_each), Some(content)) = (attribute(block.body.iter(), "for_each"), content)
    else {
        return;
    };
    let collection = ev.value(for_each, sc);
    let items = match iterate(&collection) {
        Ok(items) if items.len() <= MAX_COLLECTION => items,
        Ok(_) => Vec::new(),
        Err(Fail::Unknown(reason) | Fail::Error(reason)) => {
            values.insert(label.to_owned(), sc.unknown(for_each, reason));
            return;
        }
    };
    if !values.contains_key(label) {
        values.insert(label.to_owned(), TfValue::List(Vec::new()));
    }
    let mark = sc.vars.len();
    for (key, value) in items {
        sc.vars.truncate(mark);
        let object = BTreeMap::from([("key".to_owned(), key), ("value".to_owned(), value)]);
        sc.vars.push((iterator.to_owned(), TfValue::Map(object)));
        let nested = body_values(ev, &content.body, sc, false);
        push_block(values, label, TfValue::Map(nested));
    }
    sc.vars.truncate(mark);
}

//! The JSON of `terraform show -json` into a [`TfConfig`]: a saved plan or the state.
//!
//! **Plans.** The resource instances are those of `planned_values.root_module` and its
//! `child_modules`. A value known only after apply (`resource_changes[].change.after_unknown`)
//! becomes a reference when the configuration says where it comes from (the `references`
//! of its expression in `configuration`, followed through module inputs and outputs, with
//! module prefixes and instance keys), and a [`TfValue::Unknown`] otherwise. Only what the
//! configuration states is kept: a plan also lists every attribute the provider fills in
//! (defaults, computed ids, the rules of a group that separate rule resources add), and
//! keeping those would make a plan mean more than the configuration it came from. Blocks
//! the configuration representation cannot show (`dynamic` blocks) are kept when known.
//!
//! **State.** Every value is known and ids are real. References are recovered by value:
//! a subnet's `vpc_id` equal to `aws_vpc.main`'s `id` is a reference to it (likewise
//! `arn`, `arn_suffix`, `root_resource_id`, and a route's `integrations/<id>` target).
//! State lists the rules separate resources add to a group, ACL or ACL association on the
//! parent too; those inline lists are dropped where separate resources exist.
//!
//! Data sources are not listed (references to them stay references to `data.` addresses).
//! The provider's `region` comes from `configuration.provider_config`, with root variables
//! from `variables`; state has no configuration, so its Region is read from the ARNs.
//! Each resource's location is the line and column of its `address` in the JSON text.

mod locate;
mod plan;
mod state;

#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use super::ir::{TfConfig, TfLocation, TfResource, TfValue};
use crate::import::ImportError;
use crate::model::SourceFormat;

/// Reads `terraform show -json` output. `file` is recorded in each resource's location.
pub(crate) fn read(text: &str, file: Option<&str>) -> Result<TfConfig, ImportError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| syntax_error(&e))?;
    if !doc.is_object() {
        return Err(shape("", "the document must be a JSON object"));
    }
    if let Some(v) = doc.get("format_version") {
        let major = v.as_str().and_then(|s| s.split('.').next());
        if !matches!(major, Some("0" | "1")) {
            return Err(shape(
                "/format_version",
                format!(
                    "format_version {v} is not supported; this reader knows the 0.x and 1.x \
                     formats of `terraform show -json`"
                ),
            ));
        }
    }
    let mut config = if doc.get("planned_values").is_some() {
        plan::read(&doc)?
    } else if let Some(values) = doc.get("values") {
        state::read(values)?
    } else {
        // An empty state: `{"format_version": "1.0"}`.
        TfConfig::default()
    };
    let section = if doc.get("planned_values").is_some() {
        "\"planned_values\""
    } else {
        "\"values\""
    };
    let places = locate::addresses(text, section);
    for r in &mut config.resources {
        let (line, column) = places.get(&r.address).copied().unzip();
        r.location = TfLocation {
            file: file.map(str::to_owned),
            line,
            column,
        };
    }
    Ok(config)
}

fn syntax_error(e: &serde_json::Error) -> ImportError {
    let text = e.to_string();
    // serde_json appends " at line N column M"; the fields carry those.
    let message = match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_owned(),
        None => text,
    };
    ImportError {
        format: SourceFormat::Terraform,
        message: format!("the Terraform JSON is not valid JSON: {message}"),
        path: None,
        line: u32::try_from(e.line().max(1)).ok(),
        // serde_json counts the column from 0 at the start of a line (end of input after
        // a newline); positions here are 1-based.
        column: u32::try_from(e.column().max(1)).ok(),
    }
}

/// The document has the wrong shape at `path` (a JSON Pointer).
pub(super) fn shape(path: &str, message: impl Into<String>) -> ImportError {
    ImportError {
        format: SourceFormat::Terraform,
        message: message.into(),
        path: Some(if path.is_empty() {
            "/".to_owned()
        } else {
            path.to_owned()
        }),
        line: None,
        column: None,
    }
}

/// A JSON value as a Terraform value.
pub(super) fn value(v: &Value) -> TfValue {
    value_at(v, 0)
}

fn value_at(v: &Value, depth: usize) -> TfValue {
    if depth > 128 {
        return TfValue::Unknown {
            expression: "(nested too deeply)".to_owned(),
            reason: "the value nests too deeply to be read".to_owned(),
        };
    }
    match v {
        Value::Null => TfValue::Null,
        Value::Bool(b) => TfValue::Bool(*b),
        Value::Number(n) => TfValue::Number(n.clone()),
        Value::String(s) => TfValue::String(s.clone()),
        Value::Array(items) => {
            TfValue::List(items.iter().map(|x| value_at(x, depth + 1)).collect())
        }
        Value::Object(m) => TfValue::Map(
            m.iter()
                .map(|(k, x)| (k.clone(), value_at(x, depth + 1)))
                .collect(),
        ),
    }
}

/// One managed resource instance of a values representation.
pub(super) struct Instance<'v> {
    pub address: String,
    pub kind: String,
    pub values: &'v Map<String, Value>,
}

/// The managed resource instances of a module of a values representation and of its
/// child modules, in document order.
pub(super) fn instances<'v>(
    module: &'v Value,
    ptr: &str,
    out: &mut Vec<Instance<'v>>,
    depth: usize,
) -> Result<(), ImportError> {
    if depth > 64 {
        return Err(shape(ptr, "modules nest more than 64 deep"));
    }
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    let empty = EMPTY.get_or_init(Map::new);
    if let Some(resources) = module.get("resources") {
        let list = resources
            .as_array()
            .ok_or_else(|| shape(&format!("{ptr}/resources"), "`resources` must be a list"))?;
        for (k, r) in list.iter().enumerate() {
            let at = format!("{ptr}/resources/{k}");
            if r.get("mode").and_then(Value::as_str) == Some("data") {
                continue;
            }
            let address = r
                .get("address")
                .and_then(Value::as_str)
                .ok_or_else(|| shape(&at, "a resource needs its `address`"))?;
            let kind = r
                .get("type")
                .and_then(Value::as_str)
                .ok_or_else(|| shape(&at, format!("resource `{address}` has no `type`")))?;
            let values = match r.get("values") {
                Some(Value::Object(m)) => m,
                None | Some(Value::Null) => empty,
                Some(_) => {
                    return Err(shape(
                        &format!("{at}/values"),
                        format!("the `values` of `{address}` must be an object"),
                    ))
                }
            };
            out.push(Instance {
                address: address.to_owned(),
                kind: kind.to_owned(),
                values,
            });
        }
    }
    if let Some(children) = module.get("child_modules") {
        let list = children.as_array().ok_or_else(|| {
            shape(
                &format!("{ptr}/child_modules"),
                "`child_modules` must be a list",
            )
        })?;
        for (k, child) in list.iter().enumerate() {
            instances(child, &format!("{ptr}/child_modules/{k}"), out, depth + 1)?;
        }
    }
    Ok(())
}

/// Resources of a reader, without locations yet.
pub(super) fn resource(
    address: String,
    kind: String,
    values: std::collections::BTreeMap<String, TfValue>,
) -> TfResource {
    TfResource {
        address,
        kind,
        values,
        location: TfLocation::default(),
    }
}

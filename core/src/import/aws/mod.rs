//! A bundle of boto3 describe/get responses from a live account into a topology.
//!
//! The bundle format is documented in docs/live-state.md and described by
//! [`bundle_schema`]. Ids come from the resources' names when unique, else their AWS ids;
//! every resource keeps its AWS id or ARN, and what the account reports about states
//! (VPC links, load balancers, target health, instances) goes to `observed`. Anything the
//! bundle refers to but does not hold is recorded in `origin.unknowns`, never invented, and
//! what is outside the model is listed in `origin.skipped`.

mod alarms;
mod apigw;
pub mod bundle;
mod context;
mod elb;
pub(crate) mod locate;
mod names;
mod network;
pub mod shapes;

use crate::import::ImportError;
use crate::model::{Observed, SourceFormat, Topology};
use crate::pointer::JsonPointer;

pub use bundle::{Bundle, FORMAT, VERSION};
use context::{shape_error, Importer};

/// Imports a bundle that is already parsed (bindings hand one over). Errors carry the JSON
/// Pointer of the offending value in the bundle.
pub fn import_aws(bundle: &serde_json::Value) -> Result<Topology, ImportError> {
    import_located(bundle).map(|(topo, _)| topo)
}

/// Imports a bundle from JSON text. Errors carry the line and column as well as the JSON
/// Pointer, and each imported resource's source location carries its line and column.
pub fn import_aws_str(text: &str) -> Result<Topology, ImportError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ImportError {
        format: SourceFormat::Aws,
        message: crate::parse::json_path::strip_position(&e.to_string()),
        path: None,
        line: u32::try_from(e.line()).ok(),
        column: u32::try_from(e.column()).ok(),
    })?;
    let (mut topo, located) = import_located(&value).map_err(|mut e| {
        // No path means the whole document: its opening brace.
        if let Some((line, column)) = locate::locate(text, e.path.as_deref().unwrap_or("")) {
            e.line = Some(line);
            e.column = Some(column);
        }
        e
    })?;
    if let Some(origin) = topo.origin.as_mut() {
        let pointers: Vec<&str> = located.iter().map(|(_, at)| at.as_str()).collect();
        let found = locate::locate_all(text, &pointers);
        for (key, at) in &located {
            if let (Some(src), Some((line, column))) =
                (origin.sources.get_mut(key), found.get(at.as_str()))
            {
                src.line = Some(*line);
                src.column = Some(*column);
            }
        }
    }
    Ok(topo)
}

/// The topology, and for each origin source key the bundle pointer it was read from.
fn import_located(
    value: &serde_json::Value,
) -> Result<(Topology, Vec<(String, JsonPointer)>), ImportError> {
    check_header(value)?;
    let parsed: Bundle = crate::parse::json_path::from_json_value(value)
        .map_err(|e| shape_error(&e.pointer, e.message()))?;
    let mut im = Importer::new(&parsed);
    network::import(&mut im)?;
    elb::import(&mut im)?;
    apigw::import(&mut im)?;
    alarms::import(&mut im)?;
    let Importer {
        mut topo,
        mut origin,
        observed,
        located,
        ..
    } = im;
    origin.skipped.extend(unread_operations(value));
    if observed != Observed::default() {
        topo.observed = Some(observed);
    }
    topo.origin = Some(origin);
    Ok((topo, located))
}

/// Whether `value` looks like a live-state bundle rather than a topology or a template:
/// it names the bundle format, or has a `responses` object keyed by the services read here.
pub fn looks_like_aws_bundle(value: &serde_json::Value) -> bool {
    let Some(obj) = value.as_object() else {
        return false;
    };
    is_bundle(
        obj.get("format").and_then(|f| f.as_str()),
        obj.get("responses")
            .and_then(|r| r.as_object())
            .map(|r| r.keys().map(String::as_str)),
    )
}

/// A document is a bundle when it names the format, or holds responses of a service the
/// importer reads.
pub(crate) fn is_bundle<'a>(
    format: Option<&str>,
    services: Option<impl Iterator<Item = &'a str>>,
) -> bool {
    format == Some(FORMAT)
        || services.is_some_and(|mut names| {
            names.any(|name| bundle::KNOWN_OPERATIONS.iter().any(|(s, _)| *s == name))
        })
}

/// The JSON Schema (draft 2020-12) of the bundle format, generated from the Rust types.
pub fn bundle_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Bundle);
    serde_json::to_value(&schema).unwrap_or(serde_json::Value::Null)
}

/// The format tag and version come first: the rest of a bundle of another format or version
/// would only produce misleading shape errors.
fn check_header(value: &serde_json::Value) -> Result<(), ImportError> {
    let Some(obj) = value.as_object() else {
        return Err(ImportError {
            format: SourceFormat::Aws,
            message: "a live-state bundle is a JSON object with `format`, `version`, `region` and `responses`".into(),
            path: None,
            line: None,
            column: None,
        });
    };
    let root = JsonPointer::root();
    match obj.get("format") {
        Some(serde_json::Value::String(f)) if f == FORMAT => {}
        Some(other) => {
            return Err(shape_error(
                &root.clone().key("format"),
                format!("`format` is {other}; a live-state bundle has `\"format\": \"{FORMAT}\"`"),
            ))
        }
        None => {
            return Err(shape_error(
                &root,
                format!(
                    "missing field `format`; a live-state bundle has `\"format\": \"{FORMAT}\"`"
                ),
            ))
        }
    }
    match obj.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(VERSION) => Ok(()),
        Some(v) => Err(shape_error(
            &root.key("version"),
            format!("bundle version {v} is not supported; this build reads version {VERSION}"),
        )),
        None => Err(shape_error(
            &root,
            format!("missing or non-numeric field `version`; this build reads version {VERSION}"),
        )),
    }
}

/// Services and operations in the bundle that this importer does not read.
fn unread_operations(value: &serde_json::Value) -> Vec<crate::model::SkippedResource> {
    let mut out = Vec::new();
    let Some(responses) = value.get("responses").and_then(|r| r.as_object()) else {
        return out;
    };
    for (service, ops) in responses {
        let known = bundle::KNOWN_OPERATIONS
            .iter()
            .find(|(s, _)| s == service)
            .map(|(_, ops)| *ops);
        let Some(ops) = ops.as_object() else { continue };
        for op in ops.keys() {
            if !known.is_some_and(|k| k.contains(&op.as_str())) {
                out.push(crate::model::SkippedResource {
                    name: format!("{service} {op}"),
                    kind: "operation".into(),
                    reason: "the live-state importer does not read this operation".into(),
                });
            }
        }
    }
    out
}

//! Parameter references: `{"$output": {"step", "name"}}` and `{"$join": [...]}` inside a
//! call's params, found for validation and replaced by values before a call is made.

use serde_json::{Map, Value};

use super::types::{Outputs, ResolvedCall};
use crate::plan::{ApiCall, JoinPart, OutputRef, ParamRef};
use crate::pointer::JsonPointer;

/// Reads a value as a reference when it is an object whose only key is `$output` or `$join`.
fn as_ref(value: &Value) -> Result<Option<ParamRef>, String> {
    let Value::Object(map) = value else {
        return Ok(None);
    };
    if map.len() != 1 || !(map.contains_key("$output") || map.contains_key("$join")) {
        return Ok(None);
    }
    serde_json::from_value::<ParamRef>(value.clone())
        .map(Some)
        .map_err(|e| format!("malformed reference {value}: {e}"))
}

fn outputs_of(r: &ParamRef) -> Vec<&OutputRef> {
    match r {
        ParamRef::Output(o) => vec![o],
        ParamRef::Join(parts) => parts
            .iter()
            .filter_map(|p| match p {
                JoinPart::Output { output } => Some(output),
                JoinPart::Text(_) => None,
            })
            .collect(),
    }
}

/// Every output reference in `params`, with where it is (`/params/...`).
pub(crate) fn references(
    params: &Map<String, Value>,
) -> Result<Vec<(JsonPointer, OutputRef)>, String> {
    let mut found = Vec::new();
    for (key, value) in params {
        collect(
            value,
            JsonPointer::root().key("params").key(key),
            &mut found,
        )?;
    }
    Ok(found)
}

fn collect(
    value: &Value,
    at: JsonPointer,
    found: &mut Vec<(JsonPointer, OutputRef)>,
) -> Result<(), String> {
    if let Some(r) = as_ref(value).map_err(|e| format!("at {at}: {e}"))? {
        for o in outputs_of(&r) {
            found.push((at.clone(), o.clone()));
        }
        return Ok(());
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                collect(v, at.clone().key(k), found)?;
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, at.clone().index(i), found)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The call with every reference replaced by the output it names.
pub(crate) fn resolve(call: &ApiCall, outputs: &Outputs) -> Result<ResolvedCall, String> {
    let mut params = Map::new();
    for (key, value) in &call.params {
        let at = JsonPointer::root().key("params").key(key);
        params.insert(key.clone(), resolve_value(value, at, outputs)?);
    }
    Ok(ResolvedCall {
        service: call.service.clone(),
        operation: call.operation.clone(),
        params,
    })
}

fn resolve_value(value: &Value, at: JsonPointer, outputs: &Outputs) -> Result<Value, String> {
    if let Some(r) = as_ref(value).map_err(|e| format!("at {at}: {e}"))? {
        return match r {
            ParamRef::Output(o) => lookup(&o, &at, outputs).cloned(),
            ParamRef::Join(parts) => join(&parts, &at, outputs).map(Value::String),
        };
    }
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                out.insert(k.clone(), resolve_value(v, at.clone().key(k), outputs)?);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| resolve_value(v, at.clone().index(i), outputs))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// `$join` parts as text: strings as they are, the outputs they name spliced in (numbers
/// and booleans printed). Also builds an output's `query_join` expression.
pub(crate) fn join(
    parts: &[JoinPart],
    at: &JsonPointer,
    outputs: &Outputs,
) -> Result<String, String> {
    let mut text = String::new();
    for part in parts {
        match part {
            JoinPart::Text(t) => text.push_str(t),
            JoinPart::Output { output } => match lookup(output, at, outputs)? {
                Value::String(s) => text.push_str(s),
                v @ (Value::Number(_) | Value::Bool(_)) => text.push_str(&v.to_string()),
                other => {
                    return Err(format!(
                        "at {at}: output `{}` of step `{}` is {other}, which cannot be joined into text",
                        output.name, output.step
                    ))
                }
            },
        }
    }
    Ok(text)
}

fn lookup<'a>(o: &OutputRef, at: &JsonPointer, outputs: &'a Outputs) -> Result<&'a Value, String> {
    outputs
        .get(&o.step)
        .and_then(|m| m.get(&o.name))
        .ok_or_else(|| {
            format!(
                "at {at}: output `{}` of step `{}` has not been captured",
                o.name, o.step
            )
        })
}

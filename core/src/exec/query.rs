//! JMESPath over responses: output capture (with `after`), a wait's status and message.

use serde_json::Value;

use crate::plan::Output;

/// Checks that a query compiles, for plan validation.
pub(crate) fn check(query: &str) -> Result<(), String> {
    jmespath::compile(query)
        .map(|_| ())
        .map_err(|e| format!("JMESPath `{query}` does not parse: {e}"))
}

/// The query's result as JSON; `null` when it finds nothing.
pub(crate) fn search(query: &str, response: &Value) -> Result<Value, String> {
    let expr =
        jmespath::compile(query).map_err(|e| format!("JMESPath `{query}` does not parse: {e}"))?;
    let found = expr
        .search(response)
        .map_err(|e| format!("JMESPath `{query}` failed: {e}"))?;
    serde_json::to_value(&*found).map_err(|e| format!("JMESPath `{query}` result: {e}"))
}

/// True when a query result counts as "found": not null, not an empty list or text.
pub(crate) fn is_value(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Array(a) => !a.is_empty(),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

/// Captures one output; a missing value or a missing `after` marker is an error naming the
/// query.
pub(crate) fn capture(output: &Output, response: &Value) -> Result<Value, String> {
    let value = search(&output.query, response)?;
    if !is_value(&value) {
        return Err(format!(
            "output `{}`: `{}` found nothing in the response",
            output.name, output.query
        ));
    }
    let Some(marker) = &output.after else {
        return Ok(value);
    };
    let Value::String(text) = &value else {
        return Err(format!(
            "output `{}`: `{}` gave {value}, not text to cut after `{marker}`",
            output.name, output.query
        ));
    };
    match text.split_once(marker.as_str()) {
        Some((_, rest)) => Ok(Value::String(rest.to_string())),
        None => Err(format!(
            "output `{}`: `{text}` (from `{}`) does not contain `{marker}`",
            output.name, output.query
        )),
    }
}

/// A state as text: strings as they are, numbers and booleans printed.
pub(crate) fn as_state(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
        _ => None,
    }
}

//! JMESPath over responses: output capture (with `after`), a wait's status and message.

use serde_json::Value;

use super::types::Outputs;
use crate::plan::Output;
use crate::pointer::JsonPointer;

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

/// The JMESPath expression of an output: its `query`, or, when it has a `query_join`, that
/// list joined with the earlier outputs it names (a query that names a value known only at
/// run time, such as a new subnet's id).
pub(crate) fn expression(output: &Output, outputs: &Outputs) -> Result<String, String> {
    if output.query_join.is_empty() {
        return Ok(output.query.clone());
    }
    let at = JsonPointer::root().key("outputs").key(&output.name);
    super::refs::join(&output.query_join, &at, outputs)
}

/// Runs an output's query (see [`expression`]) over a response.
pub(crate) fn search_output(
    output: &Output,
    outputs: &Outputs,
    response: &Value,
) -> Result<Value, String> {
    search(&expression(output, outputs)?, response)
}

/// Captures one output; a missing value or a missing `after` marker is an error naming the
/// query.
pub(crate) fn capture(
    output: &Output,
    outputs: &Outputs,
    response: &Value,
) -> Result<Value, String> {
    let query = expression(output, outputs)?;
    let value = search(&query, response)?;
    if !is_value(&value) {
        return Err(format!(
            "output `{}`: `{query}` found nothing in the response",
            output.name
        ));
    }
    let Some(marker) = &output.after else {
        return Ok(value);
    };
    let Value::String(text) = &value else {
        return Err(format!(
            "output `{}`: `{query}` gave {value}, not text to cut after `{marker}`",
            output.name
        ));
    };
    match text.split_once(marker.as_str()) {
        Some((_, rest)) => Ok(Value::String(rest.to_string())),
        None => Err(format!(
            "output `{}`: `{text}` (from `{query}`) does not contain `{marker}`",
            output.name
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::plan::{JoinPart, OutputRef};

    #[test]
    fn a_query_join_names_the_value_captured_earlier() {
        // The shape of the plan's network ACL association lookup (plan/build/network.rs).
        let output = Output {
            name: "AssociationId".into(),
            query: "Associations[?SubnetId=='<subnet id>'].Id | [0]".into(),
            after: None,
            query_join: vec![
                JoinPart::Text("Associations[?SubnetId=='".into()),
                JoinPart::Output {
                    output: OutputRef {
                        step: "create.subnet.a".into(),
                        name: "SubnetId".into(),
                    },
                },
                JoinPart::Text("'].Id | [0]".into()),
            ],
        };
        let mut outputs = Outputs::new();
        outputs
            .entry("create.subnet.a".into())
            .or_default()
            .insert("SubnetId".into(), json!("subnet-2"));
        let response = json!({"Associations": [
            {"SubnetId": "subnet-1", "Id": "assoc-1"},
            {"SubnetId": "subnet-2", "Id": "assoc-2"}
        ]});
        assert_eq!(
            capture(&output, &outputs, &response).unwrap(),
            json!("assoc-2")
        );
        // Not yet captured: an error that names the missing output, not a wrong match.
        let err = capture(&output, &Outputs::new(), &response).unwrap_err();
        assert!(
            err.contains("`SubnetId` of step `create.subnet.a`"),
            "{err}"
        );
        // Without a query_join, the query is used as written.
        let plain = Output {
            query_join: Vec::new(),
            query: "Associations[0].Id".into(),
            ..output
        };
        assert_eq!(
            capture(&plain, &outputs, &response).unwrap(),
            json!("assoc-1")
        );
    }
}

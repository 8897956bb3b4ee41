//! Small constructors for steps, calls, outputs and waits, so the builders read like the
//! AWS calls they make.

use serde_json::{Map, Value};

use super::types::{
    Action, ApiCall, Change, JoinPart, Lookup, Output, OutputRef, ResourceRef, Step, Undo, Wait,
};

/// One AWS call; `params` is a JSON object (anything else makes an empty parameter list).
pub(crate) fn call(service: &str, operation: &str, params: Value) -> ApiCall {
    ApiCall {
        service: service.to_owned(),
        operation: operation.to_owned(),
        params: match params {
            Value::Object(m) => m,
            _ => Map::new(),
        },
    }
}

/// An output captured with a JMESPath query.
pub(crate) fn out(name: &str, query: &str) -> Output {
    Output {
        name: name.to_owned(),
        query: query.to_owned(),
        after: None,
        query_join: Vec::new(),
    }
}

/// An output keeping only the text after `after` (ARN suffixes for CloudWatch).
pub(crate) fn out_after(name: &str, query: &str, after: &str) -> Output {
    Output {
        after: Some(after.to_owned()),
        ..out(name, query)
    }
}

/// An output whose query names a value known only at run time: `parts` are literal text
/// and `$output` references, joined once resolved; `shown` is the query with a
/// placeholder, for people and for exports that substitute it themselves.
pub(crate) fn out_joined(name: &str, shown: &str, parts: Vec<JoinPart>) -> Output {
    if parts.iter().all(|p| matches!(p, JoinPart::Text(_))) {
        // Nothing to resolve at run time: the plain query says it all.
        let query: String = parts
            .iter()
            .map(|p| match p {
                JoinPart::Text(t) => t.as_str(),
                JoinPart::Output { .. } => "",
            })
            .collect();
        return out(name, &query);
    }
    Output {
        query_join: parts,
        ..out(name, shown)
    }
}

/// A `$join` part naming an output.
pub(crate) fn join_ref(step: &str, name: &str) -> JoinPart {
    JoinPart::Output {
        output: OutputRef {
            step: step.to_owned(),
            name: name.to_owned(),
        },
    }
}

/// `{"$output": {...}}` for `params`.
pub(crate) fn output_ref(step: &str, name: &str) -> Value {
    super::types::ParamRef::output(step, name)
}

/// A poll of a read call until `status_query` yields one of `success`.
pub(crate) fn wait(
    call: ApiCall,
    status_query: &str,
    success: &[&str],
    failure: &[&str],
    interval_seconds: u32,
    timeout_seconds: u32,
) -> Wait {
    Wait {
        call,
        status_query: status_query.to_owned(),
        success: success.iter().map(|s| (*s).to_owned()).collect(),
        failure: failure.iter().map(|s| (*s).to_owned()).collect(),
        success_errors: Vec::new(),
        message_query: None,
        interval_seconds,
        timeout_seconds,
    }
}

/// A poll that ends when the read call fails with one of `errors` (the resource is gone).
pub(crate) fn wait_gone(
    call: ApiCall,
    status_query: &str,
    errors: &[&str],
    interval_seconds: u32,
    timeout_seconds: u32,
) -> Wait {
    Wait {
        success_errors: errors.iter().map(|s| (*s).to_owned()).collect(),
        ..wait(
            call,
            status_query,
            &[],
            &[],
            interval_seconds,
            timeout_seconds,
        )
    }
}

impl Wait {
    pub(crate) fn with_message(mut self, query: &str) -> Self {
        self.message_query = Some(query.to_owned());
        self
    }
}

impl Step {
    /// A step with no outputs, wait, lookup or undo, expected to take two seconds (one
    /// plain API call).
    pub(crate) fn new(
        id: String,
        action: Action,
        resource: ResourceRef,
        description: String,
        call: ApiCall,
    ) -> Self {
        Step {
            id,
            action,
            resource,
            description,
            depends_on: Vec::new(),
            call,
            outputs: Vec::new(),
            wait: None,
            lookup: None,
            undo: None,
            expected_seconds: super::aws::CALL_SECONDS,
            changes: Vec::new(),
        }
    }
    pub(crate) fn outputs(mut self, outputs: Vec<Output>) -> Self {
        self.outputs = outputs;
        self
    }
    pub(crate) fn wait(mut self, wait: Wait) -> Self {
        self.wait = Some(wait);
        self
    }
    pub(crate) fn lookup(mut self, call: ApiCall, outputs: Vec<Output>) -> Self {
        self.lookup = Some(Lookup { call, outputs });
        self
    }
    pub(crate) fn undo(mut self, call: ApiCall, wait: Option<Wait>) -> Self {
        self.undo = Some(Undo { call, wait });
        self
    }
    pub(crate) fn seconds(mut self, seconds: u32) -> Self {
        self.expected_seconds = seconds;
        self
    }
    pub(crate) fn after(mut self, steps: impl IntoIterator<Item = String>) -> Self {
        for s in steps {
            if !self.depends_on.contains(&s) {
                self.depends_on.push(s);
            }
        }
        self
    }
    pub(crate) fn changes(mut self, changes: Vec<Change>) -> Self {
        self.changes = changes;
        self
    }
}

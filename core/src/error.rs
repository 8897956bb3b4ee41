//! Errors for input that cannot be used. A problem *in* a usable topology is a
//! [`Diagnostic`](crate::Diagnostic) instead.

use schemars::JsonSchema;
use serde::Serialize;

use crate::pointer::JsonPointer;

/// What kind of unusable input this is; stable strings for bindings (`error.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InputErrorKind {
    /// Not JSON or YAML at all.
    Syntax,
    /// Well-formed, but not a topology: a missing field, a wrong type, a bad value.
    Shape,
    /// A format version this build does not read.
    Version,
}

/// Input that could not be read as a topology, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema, thiserror::Error)]
#[error("{}", self.render())]
pub struct InputError {
    pub kind: InputErrorKind,
    pub message: String,
    /// JSON Pointer to the offending value, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<JsonPointer>,
    /// 1-based line and column in the source text, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl InputError {
    pub fn code(&self) -> &'static str {
        match self.kind {
            InputErrorKind::Syntax => "syntax",
            InputErrorKind::Shape => "shape",
            InputErrorKind::Version => "version",
        }
    }

    fn render(&self) -> String {
        let mut s = String::new();
        if let Some(line) = self.line {
            s.push_str(&format!("line {line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(", column {col}"));
            }
            s.push_str(": ");
        }
        if let Some(path) = &self.path {
            s.push_str(&format!("at {path}: "));
        }
        s.push_str(&self.message);
        s
    }
}

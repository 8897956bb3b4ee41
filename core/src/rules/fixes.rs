//! Small builders for the JSON Patches that rules offer as fixes.

use serde::Serialize;

use crate::diagnostic::{Applicability, Fix, PatchOp};
use crate::pointer::JsonPointer;

fn value<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// Sets (adds or replaces) the member at `path`.
pub fn set<T: Serialize>(path: JsonPointer, v: &T) -> PatchOp {
    PatchOp::Add {
        path,
        value: value(v),
    }
}

/// Appends to the array at `array_path`.
pub fn append<T: Serialize>(array_path: JsonPointer, v: &T) -> PatchOp {
    PatchOp::Add {
        path: array_path.key("-"),
        value: value(v),
    }
}

pub fn remove(path: JsonPointer) -> PatchOp {
    PatchOp::Remove { path }
}

pub fn safe(description: impl Into<String>, patch: Vec<PatchOp>) -> Fix {
    Fix {
        description: description.into(),
        applicability: Applicability::Safe,
        patch,
    }
}

pub fn unsafe_fix(description: impl Into<String>, patch: Vec<PatchOp>) -> Fix {
    Fix {
        description: description.into(),
        applicability: Applicability::Unsafe,
        patch,
    }
}

//! Topology YAML through the position-keeping tree the CloudFormation importer reads
//! templates with: one YAML reader for both, nesting depth and alias expansion bounded, and
//! the line and column of every value at hand when the topology's shape is wrong.

use serde_json::{Map, Value};

use super::expect::Expect;
use crate::error::{InputError, InputErrorKind};
use crate::import::cloudformation::yaml::{self as tree, Kind, Node, Pos};
use crate::pointer::JsonPointer;

/// The first document of `text` as a tree; syntax errors carry line and column.
pub(super) fn parse(text: &str) -> Result<Node, InputError> {
    tree::parse(text).map_err(|e| InputError {
        kind: InputErrorKind::Syntax,
        message: e.message,
        path: None,
        line: e.line.map(widen),
        column: e.column.map(widen),
    })
}

/// The tree as JSON. A plain scalar is text where the topology takes only text (see
/// [`Expect`]) and is typed by its look elsewhere (`8080` a number, `true` a boolean).
/// Tags (`!Ref`) and repeated keys are refused, at their place.
pub(super) fn to_value(
    node: &Node,
    at: &JsonPointer,
    expect: Expect<'_>,
) -> Result<Value, InputError> {
    if let Some(tag) = &node.tag {
        return Err(shape_error(
            node.pos,
            at,
            format!("the tag `!{tag}` has no meaning in a topology"),
        ));
    }
    match &node.kind {
        Kind::Scalar { text, .. } if expect.text_only() => Ok(Value::String(text.clone())),
        Kind::Null | Kind::Scalar { .. } => Ok(node.to_json()),
        Kind::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| to_value(item, &at.clone().index(i), expect.item()))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Kind::Map(entries) => {
            let mut object = Map::new();
            for entry in entries {
                if object.contains_key(&entry.key) {
                    return Err(shape_error(entry.key_pos, at, duplicate_key(&entry.key)));
                }
                let member = expect.member(&entry.key);
                let value = to_value(&entry.value, &at.clone().key(&entry.key), member)?;
                object.insert(entry.key.clone(), value);
            }
            Ok(Value::Object(object))
        }
    }
}

/// Line and column of the value at `pointer`, when the tree has it.
pub(super) fn locate(root: &Node, pointer: &str) -> Option<(usize, usize)> {
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match &node.kind {
            Kind::Map(_) => node.get(&token)?,
            Kind::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
            Kind::Null | Kind::Scalar { .. } => return None,
        };
    }
    Some((widen(node.pos.line), widen(node.pos.column)))
}

fn shape_error(pos: Pos, at: &JsonPointer, message: String) -> InputError {
    InputError {
        kind: InputErrorKind::Shape,
        message,
        path: Some(at.clone()),
        line: Some(widen(pos.line)),
        column: Some(widen(pos.column)),
    }
}

/// A key given twice in one map: serde_json's `Value` would keep only the last.
fn duplicate_key(key: &str) -> String {
    format!("duplicate key `{key}`: each id or field may appear once per map")
}

fn widen(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

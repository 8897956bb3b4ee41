//! Building the nodes of the equivalent CloudFormation template. Every node of one
//! Terraform resource carries that resource's position tag (`Pos { line: index + 1 }`), so
//! an error the CloudFormation reader raises at a node leads back to the resource.

use crate::import::cloudformation::yaml::{Entry, Kind, Node, Pos};

/// The position that stands for resource `index` of the configuration.
pub fn at(index: usize) -> Pos {
    Pos {
        line: u32::try_from(index.saturating_add(1)).unwrap_or(u32::MAX),
        column: 1,
    }
}

/// The resource a position stands for (see [`at`]).
pub fn index_of(line: u32) -> Option<usize> {
    usize::try_from(line).ok()?.checked_sub(1)
}

pub fn text(value: impl Into<String>, pos: Pos) -> Node {
    Node {
        kind: Kind::Scalar {
            text: value.into(),
            plain: true,
        },
        tag: None,
        pos,
    }
}

/// A string that stays a string when read back as JSON (`Metadata.vpclink` values).
pub fn quoted(value: impl Into<String>, pos: Pos) -> Node {
    Node {
        kind: Kind::Scalar {
            text: value.into(),
            plain: false,
        },
        tag: None,
        pos,
    }
}

pub fn seq(items: Vec<Node>, pos: Pos) -> Node {
    Node {
        kind: Kind::Seq(items),
        tag: None,
        pos,
    }
}

pub fn map(entries: Vec<(String, Node)>, pos: Pos) -> Node {
    Node {
        kind: Kind::Map(
            entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key,
                    key_pos: pos,
                    value,
                })
                .collect(),
        ),
        tag: None,
        pos,
    }
}

/// `!Ref logical`.
pub fn reference(logical: &str, pos: Pos) -> Node {
    Node {
        kind: Kind::Scalar {
            text: logical.to_owned(),
            plain: true,
        },
        tag: Some("Ref".to_owned()),
        pos,
    }
}

/// `!GetAtt logical.attribute`.
pub fn get_att(logical: &str, attribute: &str, pos: Pos) -> Node {
    Node {
        kind: Kind::Scalar {
            text: format!("{logical}.{attribute}"),
            plain: true,
        },
        tag: Some("GetAtt".to_owned()),
        pos,
    }
}

/// `!Join ['', parts]`.
pub fn join(parts: Vec<Node>, pos: Pos) -> Node {
    map(
        vec![(
            "Fn::Join".to_owned(),
            seq(vec![quoted("", pos), seq(parts, pos)], pos),
        )],
        pos,
    )
}

/// A JSON value as nodes: numbers and booleans plain, strings quoted, so that
/// `Node::to_json` gives the same value back.
pub fn from_json(value: &serde_json::Value, pos: Pos, depth: usize) -> Node {
    use serde_json::Value;
    if depth > 64 {
        return Node {
            kind: Kind::Null,
            tag: None,
            pos,
        };
    }
    match value {
        Value::Null => Node {
            kind: Kind::Null,
            tag: None,
            pos,
        },
        Value::Bool(b) => text(b.to_string(), pos),
        Value::Number(n) => text(n.to_string(), pos),
        Value::String(s) => quoted(s.clone(), pos),
        Value::Array(items) => seq(
            items.iter().map(|i| from_json(i, pos, depth + 1)).collect(),
            pos,
        ),
        Value::Object(entries) => map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v, pos, depth + 1)))
                .collect(),
            pos,
        ),
    }
}

//! Where the topology takes text: enough of its JSON Schema to read a plain YAML scalar as
//! serde_yaml would for a typed field. `name: 2024` and `matcher: 200` are the text "2024"
//! and "200" because those fields are strings; everywhere else a plain scalar is typed by
//! its look (`8080` a number, `true` a boolean).

use std::sync::OnceLock;

use serde_json::Value;

/// The committed topology schema, parsed once.
fn topology_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(crate::schema::TOPOLOGY_SCHEMA).unwrap_or_default())
}

/// A place in the topology schema; `None` where the schema says nothing (any value).
#[derive(Clone, Copy)]
pub(super) struct Expect<'s>(Option<&'s Value>);

impl Expect<'static> {
    /// The whole topology document.
    pub(super) fn topology() -> Self {
        Expect(Some(topology_schema()))
    }
}

impl<'s> Expect<'s> {
    /// What the member `key` of an object here is.
    pub(super) fn member(self, key: &str) -> Self {
        Expect(self.0.and_then(|s| find(s, 0, &|s| member(s, key))))
    }

    /// What an item of a list here is.
    pub(super) fn item(self) -> Self {
        Expect(
            self.0
                .and_then(|s| find(s, 0, &|s| s.get("items").filter(|i| i.is_object()))),
        )
    }

    /// True when only text (or nothing) fits here.
    pub(super) fn text_only(self) -> bool {
        self.0.is_some_and(|s| text_only(s, 0))
    }
}

/// `$ref` chains and nested choices are followed this deep at most; the committed schema
/// needs four.
const MAX_DEPTH: usize = 16;

fn resolve(schema: &Value, depth: usize) -> Option<&Value> {
    let root = topology_schema();
    let mut s = schema;
    for _ in depth..MAX_DEPTH {
        match s.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = reference.strip_prefix("#/$defs/")?;
                s = root.get("$defs")?.get(name)?;
            }
            None => return Some(s),
        }
    }
    None
}

fn member<'s>(schema: &'s Value, key: &str) -> Option<&'s Value> {
    schema
        .get("properties")
        .and_then(|p| p.get(key))
        .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()))
}

/// `pick` on the schema or, failing that, on the first branch of a choice it answers for.
fn find<'s>(
    schema: &'s Value,
    depth: usize,
    pick: &dyn Fn(&'s Value) -> Option<&'s Value>,
) -> Option<&'s Value> {
    let s = resolve(schema, depth)?;
    pick(s).or_else(|| {
        branches(s)
            .filter(|_| depth < MAX_DEPTH)
            .find_map(|b| find(b, depth + 1, pick))
    })
}

fn text_only(schema: &Value, depth: usize) -> bool {
    let Some(s) = resolve(schema, depth) else {
        return false;
    };
    match s.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => {
            types.iter().any(|t| t == "string")
                && types.iter().all(|t| t == "string" || t == "null")
        }
        Some(_) => false,
        None => {
            let mut choices = branches(s).peekable();
            choices.peek().is_some()
                && depth < MAX_DEPTH
                && choices.all(|b| is_null(b) || text_only(b, depth + 1))
        }
    }
}

fn is_null(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

fn branches(schema: &Value) -> impl Iterator<Item = &Value> {
    ["oneOf", "anyOf", "allOf"]
        .into_iter()
        .filter_map(|k| schema.get(k).and_then(Value::as_array))
        .flatten()
}

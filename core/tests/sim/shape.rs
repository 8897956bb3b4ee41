//! Builds a JSON response that a JMESPath query reads a given value from: the inverse of
//! `search` for the shapes plans use (fields, indexes, `[]`/`[*]` projections, `[?a=='b']`
//! filters, `length(list[?...]) == `0`` and `| [0]`).

use jmespath::ast::{Ast, Comparator};
use serde_json::{Map, Value};

/// A response in which `query` finds `value` (a projection finds `[value, value]`).
pub fn response_for(query: &str, value: Value) -> Value {
    try_response_for(query, value)
        .unwrap_or_else(|e| panic!("sim: cannot fabricate a response for `{query}`: {e}"))
}

pub fn try_response_for(query: &str, value: Value) -> Result<Value, String> {
    let ast = jmespath::parse(query).map_err(|e| format!("bad query {query}: {e}"))?;
    build(&ast, value)
}

fn build(ast: &Ast, target: Value) -> Result<Value, String> {
    match ast {
        Ast::Identity { .. } => Ok(target),
        Ast::Field { name, .. } => {
            let mut m = Map::new();
            m.insert(name.clone(), target);
            Ok(Value::Object(m))
        }
        Ast::Subexpr { lhs, rhs, .. } => {
            let inner = build(rhs, target)?;
            build(lhs, inner)
        }
        Ast::Index { idx, .. } => {
            let n = usize::try_from(*idx).map_or(1, |i| i + 1);
            Ok(Value::Array(vec![target; n]))
        }
        Ast::Projection { lhs, rhs, .. } => {
            let items = match target {
                Value::Array(items) => items,
                other => vec![other.clone(), other],
            };
            let elements = items
                .into_iter()
                .map(|t| build(rhs, t))
                .collect::<Result<Vec<_>, _>>()?;
            build(lhs, Value::Array(elements))
        }
        Ast::Flatten { node, .. } => {
            if matches!(**node, Ast::Projection { .. }) {
                build(node, Value::Array(vec![target]))
            } else {
                build(node, target)
            }
        }
        Ast::Condition {
            predicate, then, ..
        } => {
            let mut v = build(then, target)?;
            satisfy(predicate, &mut v)?;
            Ok(v)
        }
        other => Err(format!("unsupported expression {other:?}")),
    }
}

/// Makes a filter true for the element `v`: `path == literal`, `path != literal`, `&&`,
/// and truthy sub-expressions such as a nested filter.
fn satisfy(predicate: &Ast, v: &mut Value) -> Result<(), String> {
    let add = match predicate {
        Ast::And { lhs, rhs, .. } => {
            satisfy(lhs, v)?;
            return satisfy(rhs, v);
        }
        Ast::Comparison {
            comparator: c @ (Comparator::Equal | Comparator::NotEqual),
            lhs,
            rhs,
            ..
        } => {
            let (path, literal) = match (&**lhs, &**rhs) {
                (Ast::Literal { value, .. }, path) | (path, Ast::Literal { value, .. }) => {
                    (path, value)
                }
                _ => return Err(format!("unsupported filter {predicate:?}")),
            };
            let literal = serde_json::to_value(&**literal).map_err(|e| e.to_string())?;
            // `length(list[?...]) == `0``: "has no such element"; an empty list satisfies it.
            if let Ast::Function { name, args, .. } = path {
                return match (name.as_str(), args.as_slice(), c, literal.as_u64()) {
                    ("length", [Ast::Projection { lhs, .. }], Comparator::Equal, Some(0)) => {
                        let add = build(lhs, Value::Array(Vec::new()))?;
                        merge(v, add);
                        Ok(())
                    }
                    _ => Err(format!("unsupported filter {predicate:?}")),
                };
            }
            let value = match c {
                Comparator::Equal => literal,
                _ => Value::String(format!("not-{literal}")),
            };
            build(path, value)?
        }
        Ast::Projection { .. } => build(predicate, Value::Array(vec![Value::Object(Map::new())]))?,
        Ast::Field { .. } | Ast::Subexpr { .. } => build(predicate, Value::Bool(true))?,
        _ => return Err(format!("unsupported filter {predicate:?}")),
    };
    if !v.is_object() {
        return Err("a filter over something that is not an object".into());
    }
    merge(v, add);
    Ok(())
}

/// Deep merge: objects key by key, arrays element by element.
pub fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        a.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, v) in b.into_iter().enumerate() {
                match a.get_mut(i) {
                    Some(slot) => merge(slot, v),
                    None => a.push(v),
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

/// What the executor will read with `query` (to check the fabrication).
pub fn search(query: &str, response: &Value) -> Value {
    let expr = jmespath::compile(query).unwrap();
    serde_json::to_value(&*expr.search(response).unwrap()).unwrap()
}

//! Operations on [`TfValue`]s as Terraform defines them: what is known, conversion to text
//! and numbers, equality, and the size of a value (which bounds the work of evaluation).

use std::collections::BTreeMap;

use crate::import::terraform::ir::TfValue;

/// Why an expression has no known value, or fails. Evaluation distinguishes the two so
/// that `try` and `can` fall back only on what Terraform itself would reject.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Fail {
    /// Terraform would reject the expression (a missing attribute, an index out of range,
    /// a type mismatch).
    Error(String),
    /// The value cannot be known offline.
    Unknown(String),
}

pub(super) type FResult<T = TfValue> = Result<T, Fail>;

pub(super) fn error<T>(message: impl Into<String>) -> FResult<T> {
    Err(Fail::Error(message.into()))
}

/// The reason `v`, or something inside it, is not known offline: an unknown, or a reference
/// to another resource's attribute (known only after apply).
pub(super) fn blocker(v: &TfValue) -> Option<String> {
    match v {
        TfValue::Unknown { reason, .. } => Some(reason.clone()),
        TfValue::Ref { .. } => Some(ref_reason(v)),
        TfValue::List(items) => items.iter().find_map(blocker),
        TfValue::Map(map) => map.values().find_map(blocker),
        _ => None,
    }
}

/// Like [`blocker`], but only for `v` itself, not its elements.
pub(super) fn shallow_blocker(v: &TfValue) -> Option<String> {
    match v {
        TfValue::Unknown { reason, .. } => Some(reason.clone()),
        TfValue::Ref { .. } => Some(ref_reason(v)),
        _ => None,
    }
}

fn ref_reason(v: &TfValue) -> String {
    match v {
        TfValue::Ref { address, attribute } if attribute.is_empty() => {
            format!("`{address}` is a resource known only after apply")
        }
        TfValue::Ref { address, attribute } => {
            format!("`{address}.{attribute}` is known only after apply")
        }
        _ => String::new(),
    }
}

/// Fails with [`Fail::Unknown`] when anything inside `v` is not known.
pub(super) fn known(v: &TfValue) -> FResult<()> {
    blocker(v).map_or(Ok(()), |r| Err(Fail::Unknown(r)))
}

/// Fails with [`Fail::Unknown`] when `v` itself is not known.
pub(super) fn shallow_known(v: &TfValue) -> FResult<()> {
    shallow_blocker(v).map_or(Ok(()), |r| Err(Fail::Unknown(r)))
}

pub(super) fn type_name(v: &TfValue) -> &'static str {
    match v {
        TfValue::Null => "null",
        TfValue::Bool(_) => "bool",
        TfValue::Number(_) => "number",
        TfValue::String(_) => "string",
        TfValue::List(_) => "list",
        TfValue::Map(_) => "object",
        TfValue::Ref { .. } => "resource attribute",
        TfValue::Unknown { .. } => "unknown value",
    }
}

/// A number as Terraform writes it: whole numbers without a fraction.
pub(super) fn number(f: f64) -> FResult {
    if !f.is_finite() {
        return error("the result is not a finite number");
    }
    // Whole numbers within the exactly representable range become integers, so `2.0`
    // renders as `2`, like Terraform's arbitrary-precision numbers.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "whole and within ±2^53, checked above"
        )]
        return Ok(TfValue::Number((f as i64).into()));
    }
    serde_json::Number::from_f64(f)
        .map(TfValue::Number)
        .ok_or_else(|| Fail::Error("the result is not a finite number".to_owned()))
}

pub(super) fn as_f64(n: &serde_json::Number) -> f64 {
    n.as_f64().unwrap_or(0.0)
}

/// A value as a number, converting numeric strings as Terraform does.
pub(super) fn to_number(v: &TfValue) -> FResult<f64> {
    shallow_known(v)?;
    match v {
        TfValue::Number(n) => Ok(as_f64(n)),
        TfValue::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| Fail::Error(format!("\"{s}\" is not a number"))),
        other => error(format!("a number is required, not a {}", type_name(other))),
    }
}

/// A whole number (indexes, counts, bit lengths).
pub(super) fn to_int(v: &TfValue) -> FResult<i64> {
    let f = to_number(v)?;
    if f.fract() != 0.0 || f.abs() > 9_007_199_254_740_992.0 {
        return error(format!("a whole number is required, not {f}"));
    }
    #[allow(
        clippy::cast_possible_truncation,
        reason = "whole and within ±2^53, checked above"
    )]
    Ok(f as i64)
}

pub(super) fn to_bool(v: &TfValue) -> FResult<bool> {
    shallow_known(v)?;
    match v {
        TfValue::Bool(b) => Ok(*b),
        TfValue::String(s) if s == "true" => Ok(true),
        TfValue::String(s) if s == "false" => Ok(false),
        other => error(format!("a bool is required, not a {}", type_name(other))),
    }
}

/// A primitive as text (template interpolation, `join`, `tostring`).
pub(super) fn to_text(v: &TfValue) -> FResult<String> {
    shallow_known(v)?;
    match v {
        TfValue::String(s) => Ok(s.clone()),
        TfValue::Number(n) => Ok(n.to_string()),
        TfValue::Bool(b) => Ok(b.to_string()),
        TfValue::Null => error("a null value cannot be used as a string"),
        other => error(format!("a {} cannot be used as a string", type_name(other))),
    }
}

pub(super) fn to_list(v: &TfValue) -> FResult<&[TfValue]> {
    shallow_known(v)?;
    match v {
        TfValue::List(items) => Ok(items),
        other => error(format!("a list is required, not a {}", type_name(other))),
    }
}

pub(super) fn to_map(v: &TfValue) -> FResult<&BTreeMap<String, TfValue>> {
    shallow_known(v)?;
    match v {
        TfValue::Map(map) => Ok(map),
        other => error(format!("a map is required, not a {}", type_name(other))),
    }
}

/// Whether two values are equal; `None` when that depends on something unknown.
pub(super) fn equal(a: &TfValue, b: &TfValue) -> Option<bool> {
    match (a, b) {
        (TfValue::Unknown { .. }, _) | (_, TfValue::Unknown { .. }) => None,
        (TfValue::Ref { .. }, TfValue::Ref { .. }) if a == b => Some(true),
        (TfValue::Ref { .. }, _) | (_, TfValue::Ref { .. }) => None,
        (TfValue::Number(x), TfValue::Number(y)) => Some(as_f64(x) == as_f64(y)),
        (TfValue::List(x), TfValue::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.iter().zip(y) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        (TfValue::Map(x), TfValue::Map(y)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.values().zip(y.values()) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        _ => Some(a == b),
    }
}

/// The size of a value in nodes (a string counts one per 64 bytes), stopping at `limit`.
/// Evaluation charges it against its budget whenever it copies a stored value.
pub(super) fn weight(v: &TfValue, limit: u64) -> u64 {
    let mut total = 0u64;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        total = total.saturating_add(1);
        if total >= limit {
            return limit;
        }
        match v {
            TfValue::String(s) => total = total.saturating_add((s.len() / 64) as u64),
            TfValue::List(items) => stack.extend(items.iter()),
            TfValue::Map(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    total
}

/// Quotes a `for_each` key for an address: `aws_subnet.private["a"]`.
pub(super) fn quote_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 2);
    out.push('"');
    for c in key.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Sorts and de-duplicates a set as Terraform orders sets of strings and numbers; other
/// sets keep their order and lose only equal duplicates.
pub(super) fn to_set(items: &[TfValue]) -> FResult<Vec<TfValue>> {
    if items.iter().all(|v| matches!(v, TfValue::String(_))) {
        let set: std::collections::BTreeSet<&str> =
            items.iter().filter_map(TfValue::as_str).collect();
        return Ok(set
            .into_iter()
            .map(|s| TfValue::String(s.to_owned()))
            .collect());
    }
    if items.iter().all(|v| matches!(v, TfValue::Number(_))) {
        let mut numbers: Vec<f64> = items
            .iter()
            .map(|v| match v {
                TfValue::Number(n) => as_f64(n),
                _ => 0.0,
            })
            .collect();
        numbers.sort_by(f64::total_cmp);
        numbers.dedup();
        return numbers.into_iter().map(number).collect();
    }
    // Pairwise comparison: bounded so a large set cannot take quadratic time.
    const MAX_PAIRWISE: usize = 4_096;
    if items.len() > MAX_PAIRWISE {
        return Err(Fail::Unknown(format!(
            "a set of more than {MAX_PAIRWISE} structured values is not evaluated"
        )));
    }
    let mut out: Vec<TfValue> = Vec::with_capacity(items.len());
    for item in items {
        if let Some(reason) = shallow_blocker(item).filter(|_| !matches!(item, TfValue::Ref { .. }))
        {
            // An unknown element might equal another one: the set's size is not known.
            return Err(Fail::Unknown(reason));
        }
        if !out
            .iter()
            .any(|o| o == item || equal(o, item) == Some(true))
        {
            out.push(item.clone());
        }
    }
    Ok(out)
}

/// The value converted to a variable's declared `type` (`string`, `number`, `bool`,
/// `list(T)`, `set(T)`, `map(T)`); structural types and `any` are left as they are.
pub(super) fn convert(v: TfValue, ty: &hcl_edit::expr::Expression) -> FResult {
    use hcl_edit::expr::Expression as E;
    if shallow_blocker(&v).is_some() || v == TfValue::Null {
        return Ok(v);
    }
    match ty {
        E::Variable(name) => match name.as_str() {
            "string" => match &v {
                TfValue::String(_) | TfValue::Number(_) | TfValue::Bool(_) => {
                    to_text(&v).map(TfValue::String)
                }
                other => error(format!("a string is required, not a {}", type_name(other))),
            },
            "number" => to_number(&v).and_then(number),
            "bool" => to_bool(&v).map(TfValue::Bool),
            _ => Ok(v),
        },
        E::FuncCall(call) if call.args.len() == 1 => {
            let Some(inner) = call.args.iter().next() else {
                return Ok(v);
            };
            match call.name.name.as_str() {
                "list" | "set" => {
                    let set = call.name.name.as_str() == "set";
                    let items = match v {
                        TfValue::List(items) => items,
                        other => {
                            return error(format!(
                                "a list is required, not a {}",
                                type_name(&other)
                            ))
                        }
                    };
                    let items = items
                        .into_iter()
                        .map(|item| convert(item, inner))
                        .collect::<FResult<Vec<_>>>()?;
                    Ok(TfValue::List(if set { to_set(&items)? } else { items }))
                }
                "map" => match v {
                    TfValue::Map(map) => map
                        .into_iter()
                        .map(|(k, item)| convert(item, inner).map(|item| (k, item)))
                        .collect::<FResult<BTreeMap<_, _>>>()
                        .map(TfValue::Map),
                    other => error(format!("a map is required, not a {}", type_name(&other))),
                },
                _ => Ok(v),
            }
        }
        _ => Ok(v),
    }
}

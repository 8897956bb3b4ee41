//! Terraform's built-in functions that can be evaluated offline. A function that is not
//! here (or is provider-defined, or reads the clock or randomness) gives an unknown; an
//! unknown argument gives an unknown unless the function does not need that part (the
//! `length` of a list of unknown strings is known).

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, FuncCall};

use super::eval::{Evaluator, Scope, MAX_COLLECTION, MAX_STRING, R};
use super::net;
use super::value::{
    blocker, equal, error, known, number, shallow_known, to_bool, to_int, to_list, to_map,
    to_number, to_set, to_text, type_name, FResult, Fail,
};
use crate::import::terraform::ir::TfValue;

/// Functions that read the clock, randomness, the file system beyond the configuration, or
/// compute hashes and encodings this reader does not: always unknown.
const NOT_OFFLINE: &str = "is not evaluated offline";

pub(super) fn call<'a>(
    ev: &mut Evaluator<'a>,
    call: &'a FuncCall,
    e: &'a Expression,
    sc: &mut Scope<'a>,
) -> R {
    let name = call.name.name.as_str();
    if call.name.is_namespaced() {
        return Ok(sc.unknown(e, format!("provider function `{name}` {NOT_OFFLINE}")));
    }
    // `try` and `can` see their arguments' failures, so they evaluate them themselves.
    match name {
        "try" => {
            let mut last = String::from("try needs at least one argument");
            for arg in call.args.iter() {
                match ev.eval(arg, sc) {
                    Ok(TfValue::Unknown { reason, .. }) => return Ok(sc.unknown(e, reason)),
                    Ok(v) => return Ok(v),
                    Err(reason) => last = reason,
                }
            }
            return Err(format!(
                "try: no argument could be evaluated; the last: {last}"
            ));
        }
        "can" => {
            let Some(arg) = call.args.iter().next() else {
                return Err("can needs one argument".to_owned());
            };
            return match ev.eval(arg, sc) {
                Ok(TfValue::Unknown { reason, .. }) => Ok(sc.unknown(e, reason)),
                Ok(_) => Ok(TfValue::Bool(true)),
                Err(_) => Ok(TfValue::Bool(false)),
            };
        }
        _ => {}
    }
    let mut args = Vec::with_capacity(call.args.len());
    for arg in call.args.iter() {
        args.push(ev.eval(arg, sc)?);
    }
    if call.args.expand_final() {
        // `f(a, list...)`: the last argument's elements become arguments.
        match args.pop() {
            Some(TfValue::List(items)) => args.extend(items),
            Some(other) => {
                if let Err(Fail::Unknown(reason)) = shallow_known(&other) {
                    return Ok(sc.unknown(e, reason));
                }
                return Err(format!("{name}: only a list can be expanded with `...`"));
            }
            None => {}
        }
    }
    let result = apply(ev, name, &args);
    match result {
        Ok(v) => Ok(v),
        Err(Fail::Unknown(reason)) => Ok(sc.unknown(e, reason)),
        Err(Fail::Error(reason)) => Err(format!("{name}: {reason}")),
    }
}

fn arity(args: &[TfValue], min: usize, max: usize) -> FResult<()> {
    if args.len() < min || args.len() > max {
        let wanted = if min == max {
            format!("{min}")
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        return error(format!("takes {wanted} arguments, not {}", args.len()));
    }
    Ok(())
}

fn arg(args: &[TfValue], i: usize) -> &TfValue {
    args.get(i).unwrap_or(&TfValue::Null)
}

fn string(s: String) -> FResult {
    if s.len() > MAX_STRING {
        return Err(Fail::Unknown(format!(
            "a string longer than {MAX_STRING} bytes is not evaluated"
        )));
    }
    Ok(TfValue::String(s))
}

fn list(items: Vec<TfValue>) -> FResult {
    if items.len() > MAX_COLLECTION {
        return Err(Fail::Unknown(format!(
            "more than {MAX_COLLECTION} elements are not evaluated"
        )));
    }
    Ok(TfValue::List(items))
}

fn text_arg(args: &[TfValue], i: usize) -> FResult<String> {
    to_text(arg(args, i))
}

/// Arguments must be wholly known.
fn all_known(args: &[TfValue]) -> FResult<()> {
    args.iter().try_for_each(known)
}

fn apply(ev: &Evaluator<'_>, name: &str, args: &[TfValue]) -> FResult {
    match name {
        // Collections: elements may be unknown where the function does not look at them.
        "length" => {
            arity(args, 1, 1)?;
            let v = arg(args, 0);
            shallow_known(v)?;
            let n = match v {
                TfValue::List(items) => items.len(),
                TfValue::Map(map) => map.len(),
                TfValue::String(s) => s.chars().count(),
                other => return error(format!("cannot take the length of a {}", type_name(other))),
            };
            Ok(TfValue::Number(n.into()))
        }
        "concat" => {
            let mut out = Vec::new();
            for v in args {
                out.extend(to_list(v)?.iter().cloned());
                if out.len() > MAX_COLLECTION {
                    return list(out);
                }
            }
            list(out)
        }
        "element" => {
            arity(args, 2, 2)?;
            let items = to_list(arg(args, 0))?;
            let i = to_int(arg(args, 1))?;
            if items.is_empty() {
                return error("cannot use element on an empty list");
            }
            if i < 0 {
                return error("the index must not be negative");
            }
            let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
            let at = usize::try_from(i % len).unwrap_or(0);
            Ok(items.get(at).cloned().unwrap_or(TfValue::Null))
        }
        "index" => {
            arity(args, 2, 2)?;
            let items = to_list(arg(args, 0))?;
            known(arg(args, 1))?;
            for (i, item) in items.iter().enumerate() {
                match equal(item, arg(args, 1)) {
                    Some(true) => return Ok(TfValue::Number(i.into())),
                    Some(false) => {}
                    None => return Err(Fail::Unknown(blocker(item).unwrap_or_default())),
                }
            }
            error("the item is not in the list")
        }
        "lookup" => {
            arity(args, 2, 3)?;
            let map = to_map(arg(args, 0))?;
            let key = text_arg(args, 1)?;
            match (map.get(&key), args.get(2)) {
                (Some(v), _) => Ok(v.clone()),
                (None, Some(default)) => Ok(default.clone()),
                (None, None) => error(format!("the map has no key \"{key}\"")),
            }
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for v in args {
                if *v == TfValue::Null {
                    continue;
                }
                for (k, item) in to_map(v)? {
                    out.insert(k.clone(), item.clone());
                }
            }
            Ok(TfValue::Map(out))
        }
        "keys" => {
            arity(args, 1, 1)?;
            let map = to_map(arg(args, 0))?;
            Ok(TfValue::List(
                map.keys().map(|k| TfValue::String(k.clone())).collect(),
            ))
        }
        "values" => {
            arity(args, 1, 1)?;
            Ok(TfValue::List(
                to_map(arg(args, 0))?.values().cloned().collect(),
            ))
        }
        "contains" => {
            arity(args, 2, 2)?;
            let items = to_list(arg(args, 0))?;
            known(arg(args, 1))?;
            let mut undecided = None;
            for item in items {
                match equal(item, arg(args, 1)) {
                    Some(true) => return Ok(TfValue::Bool(true)),
                    Some(false) => {}
                    None => undecided = blocker(item),
                }
            }
            match undecided {
                Some(reason) => Err(Fail::Unknown(reason)),
                None => Ok(TfValue::Bool(false)),
            }
        }
        "coalesce" => {
            for v in args {
                shallow_known(v)?;
                match v {
                    TfValue::Null => {}
                    TfValue::String(s) if s.is_empty() => {}
                    v => return Ok(v.clone()),
                }
            }
            error("no non-null, non-empty argument")
        }
        "coalescelist" => {
            for v in args {
                if !to_list(v)?.is_empty() {
                    return Ok(v.clone());
                }
            }
            Ok(TfValue::List(Vec::new()))
        }
        "compact" => {
            arity(args, 1, 1)?;
            let mut out = Vec::new();
            for item in to_list(arg(args, 0))? {
                shallow_known(item)?;
                match item {
                    TfValue::Null => {}
                    TfValue::String(s) if s.is_empty() => {}
                    v => out.push(v.clone()),
                }
            }
            Ok(TfValue::List(out))
        }
        "flatten" => {
            arity(args, 1, 1)?;
            let mut out = Vec::new();
            flatten_into(arg(args, 0), &mut out, 0)?;
            list(out)
        }
        "distinct" => {
            arity(args, 1, 1)?;
            let items = to_list(arg(args, 0))?;
            let mut out: Vec<TfValue> = Vec::new();
            for item in items {
                if let TfValue::Unknown { reason, .. } = item {
                    // It might equal another element: the result's length is not known.
                    return Err(Fail::Unknown(reason.clone()));
                }
                if out.len() > 4_096 {
                    return Err(Fail::Unknown(
                        "distinct over more than 4096 elements is not evaluated".to_owned(),
                    ));
                }
                if !out
                    .iter()
                    .any(|o| o == item || equal(o, item) == Some(true))
                {
                    out.push(item.clone());
                }
            }
            Ok(TfValue::List(out))
        }
        "slice" => {
            arity(args, 3, 3)?;
            let items = to_list(arg(args, 0))?;
            let (start, end) = (to_int(arg(args, 1))?, to_int(arg(args, 2))?);
            let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
                return error("negative slice bounds");
            };
            if start > end || end > items.len() {
                return error(format!(
                    "slice [{start}, {end}) is out of range for a list of {}",
                    items.len()
                ));
            }
            Ok(TfValue::List(items.get(start..end).unwrap_or(&[]).to_vec()))
        }
        "reverse" => {
            arity(args, 1, 1)?;
            Ok(TfValue::List(
                to_list(arg(args, 0))?.iter().rev().cloned().collect(),
            ))
        }
        "one" => {
            arity(args, 1, 1)?;
            let items = to_list(arg(args, 0))?;
            match items {
                [] => Ok(TfValue::Null),
                [only] => Ok(only.clone()),
                _ => error("the list has more than one element"),
            }
        }
        "zipmap" => {
            arity(args, 2, 2)?;
            let keys = to_list(arg(args, 0))?;
            let values = to_list(arg(args, 1))?;
            if keys.len() != values.len() {
                return error("the lists of keys and values differ in length");
            }
            let mut out = BTreeMap::new();
            for (k, v) in keys.iter().zip(values) {
                out.insert(to_text(k)?, v.clone());
            }
            Ok(TfValue::Map(out))
        }
        "tolist" => {
            arity(args, 1, 1)?;
            Ok(TfValue::List(to_list(arg(args, 0))?.to_vec()))
        }
        "toset" => {
            arity(args, 1, 1)?;
            Ok(TfValue::List(to_set(to_list(arg(args, 0))?)?))
        }
        "tomap" => {
            arity(args, 1, 1)?;
            Ok(TfValue::Map(to_map(arg(args, 0))?.clone()))
        }
        "setunion" => {
            let mut all = Vec::new();
            for v in args {
                all.extend(to_list(v)?.iter().cloned());
            }
            Ok(TfValue::List(to_set(&all)?))
        }
        "chunklist" => {
            arity(args, 2, 2)?;
            let items = to_list(arg(args, 0))?;
            let size = usize::try_from(to_int(arg(args, 1))?).unwrap_or(0);
            if size == 0 {
                return Ok(TfValue::List(vec![TfValue::List(items.to_vec())]));
            }
            Ok(TfValue::List(
                items
                    .chunks(size)
                    .map(|c| TfValue::List(c.to_vec()))
                    .collect(),
            ))
        }
        "range" => range(args),
        "file" => file(ev, args),
        "jsondecode" => {
            arity(args, 1, 1)?;
            let text = text_arg(args, 0)?;
            let v: serde_json::Value = serde_json::from_str(&text)
                .map_err(|err| Fail::Error(format!("not JSON: {err}")))?;
            Ok(from_json(v))
        }
        "tostring" | "tonumber" | "tobool" => {
            arity(args, 1, 1)?;
            let v = arg(args, 0);
            shallow_known(v)?;
            if *v == TfValue::Null {
                return Ok(TfValue::Null);
            }
            match name {
                "tostring" => to_text(v).map(TfValue::String),
                "tonumber" => to_number(v).and_then(number),
                _ => to_bool(v).map(TfValue::Bool),
            }
        }
        // Everything else needs wholly known arguments.
        _ => {
            all_known(args)?;
            scalar(name, args)
        }
    }
}

/// Functions of wholly known arguments.
fn scalar(name: &str, args: &[TfValue]) -> FResult {
    match name {
        "format" => {
            arity(args, 1, usize::MAX)?;
            string(format(&text_arg(args, 0)?, args.get(1..).unwrap_or(&[]))?)
        }
        "formatlist" => formatlist(args),
        "join" => {
            arity(args, 2, usize::MAX)?;
            let sep = text_arg(args, 0)?;
            let mut parts = Vec::new();
            for v in args.get(1..).unwrap_or(&[]) {
                for item in to_list(v)? {
                    parts.push(to_text(item)?);
                }
            }
            string(parts.join(&sep))
        }
        "split" => {
            arity(args, 2, 2)?;
            let (sep, s) = (text_arg(args, 0)?, text_arg(args, 1)?);
            let parts: Vec<TfValue> = if sep.is_empty() {
                s.chars().map(|c| TfValue::String(c.to_string())).collect()
            } else {
                s.split(sep.as_str())
                    .map(|p| TfValue::String(p.to_owned()))
                    .collect()
            };
            list(parts)
        }
        "replace" => {
            arity(args, 3, 3)?;
            let (s, find, with) = (text_arg(args, 0)?, text_arg(args, 1)?, text_arg(args, 2)?);
            if find.len() > 1 && find.starts_with('/') && find.ends_with('/') {
                return Err(Fail::Unknown(
                    "replace with a regular expression is not evaluated".to_owned(),
                ));
            }
            if find.is_empty() {
                return Ok(TfValue::String(s));
            }
            string(s.replace(&find, &with))
        }
        "lower" => one_string(args, |s| Ok(s.to_lowercase())),
        "upper" => one_string(args, |s| Ok(s.to_uppercase())),
        "title" => one_string(args, |s| Ok(title(s))),
        "trimspace" => one_string(args, |s| Ok(s.trim().to_owned())),
        "strrev" => one_string(args, |s| Ok(s.chars().rev().collect())),
        "trim" => two_strings(args, |s, cut| {
            Ok(TfValue::String(
                s.trim_matches(|c| cut.contains(c)).to_owned(),
            ))
        }),
        "trimprefix" => two_strings(args, |s, p| {
            Ok(TfValue::String(s.strip_prefix(p).unwrap_or(s).to_owned()))
        }),
        "trimsuffix" => two_strings(args, |s, p| {
            Ok(TfValue::String(s.strip_suffix(p).unwrap_or(s).to_owned()))
        }),
        "startswith" => two_strings(args, |s, p| Ok(TfValue::Bool(s.starts_with(p)))),
        "endswith" => two_strings(args, |s, p| Ok(TfValue::Bool(s.ends_with(p)))),
        "strcontains" => two_strings(args, |s, p| Ok(TfValue::Bool(s.contains(p)))),
        "substr" => {
            arity(args, 3, 3)?;
            let s = text_arg(args, 0)?;
            let (offset, length) = (to_int(arg(args, 1))?, to_int(arg(args, 2))?);
            let chars: Vec<char> = s.chars().collect();
            let len = i64::try_from(chars.len()).unwrap_or(i64::MAX);
            let start = if offset < 0 { len + offset } else { offset };
            if start < 0 || start > len {
                return error("offset is out of range");
            }
            let end = if length < 0 {
                len
            } else {
                (start + length).min(len)
            };
            let (start, end) = (
                usize::try_from(start).unwrap_or(0),
                usize::try_from(end).unwrap_or(0),
            );
            Ok(TfValue::String(
                chars
                    .get(start..end.max(start))
                    .unwrap_or(&[])
                    .iter()
                    .collect(),
            ))
        }
        "jsonencode" => {
            arity(args, 1, 1)?;
            string(jsonencode(arg(args, 0)))
        }
        "min" | "max" => {
            arity(args, 1, usize::MAX)?;
            let mut best: Option<f64> = None;
            for v in args {
                let n = to_number(v)?;
                best = Some(match best {
                    None => n,
                    Some(b) if name == "min" => b.min(n),
                    Some(b) => b.max(n),
                });
            }
            number(best.unwrap_or(0.0))
        }
        "sum" => {
            arity(args, 1, 1)?;
            let mut total = 0.0;
            for v in to_list(arg(args, 0))? {
                total += to_number(v)?;
            }
            number(total)
        }
        "abs" => one_number(args, f64::abs),
        "ceil" => one_number(args, f64::ceil),
        "floor" => one_number(args, f64::floor),
        "signum" => one_number(args, |n| if n == 0.0 { 0.0 } else { n.signum() }),
        "pow" => {
            arity(args, 2, 2)?;
            number(to_number(arg(args, 0))?.powf(to_number(arg(args, 1))?))
        }
        "sort" => {
            arity(args, 1, 1)?;
            let mut items = to_list(arg(args, 0))?
                .iter()
                .map(to_text)
                .collect::<FResult<Vec<_>>>()?;
            items.sort();
            Ok(TfValue::List(
                items.into_iter().map(TfValue::String).collect(),
            ))
        }
        "cidrsubnet" => {
            arity(args, 3, 3)?;
            net::cidrsubnet(
                &text_arg(args, 0)?,
                to_int(arg(args, 1))?,
                to_int(arg(args, 2))?,
            )
            .map(TfValue::String)
        }
        "cidrhost" => {
            arity(args, 2, 2)?;
            net::cidrhost(&text_arg(args, 0)?, to_int(arg(args, 1))?).map(TfValue::String)
        }
        "cidrnetmask" => {
            arity(args, 1, 1)?;
            net::cidrnetmask(&text_arg(args, 0)?).map(TfValue::String)
        }
        "cidrsubnets" => {
            arity(args, 1, usize::MAX)?;
            let bits = args
                .get(1..)
                .unwrap_or(&[])
                .iter()
                .map(to_int)
                .collect::<FResult<Vec<_>>>()?;
            net::cidrsubnets(&text_arg(args, 0)?, &bits)
                .map(|subnets| TfValue::List(subnets.into_iter().map(TfValue::String).collect()))
        }
        _ => Err(Fail::Unknown(format!("function `{name}` {NOT_OFFLINE}"))),
    }
}

fn one_string(args: &[TfValue], f: impl Fn(&str) -> FResult<String>) -> FResult {
    arity(args, 1, 1)?;
    f(&text_arg(args, 0)?).map(TfValue::String)
}

fn two_strings(args: &[TfValue], f: impl Fn(&str, &str) -> FResult) -> FResult {
    arity(args, 2, 2)?;
    f(&text_arg(args, 0)?, &text_arg(args, 1)?)
}

fn one_number(args: &[TfValue], f: impl Fn(f64) -> f64) -> FResult {
    arity(args, 1, 1)?;
    number(f(to_number(arg(args, 0))?))
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// Flattens nested lists; an unknown element might be a list, so it makes the result
/// unknown, and so does a resource attribute unless its name says it is one value.
fn flatten_into(v: &TfValue, out: &mut Vec<TfValue>, depth: usize) -> FResult<()> {
    if depth > 64 {
        return error("lists nested too deeply");
    }
    match v {
        TfValue::List(items) => {
            for item in items {
                match item {
                    TfValue::List(_) => flatten_into(item, out, depth + 1)?,
                    TfValue::Unknown { reason, .. } => return Err(Fail::Unknown(reason.clone())),
                    TfValue::Ref { attribute, .. } if !scalar_attribute(attribute) => {
                        shallow_known(item)?;
                    }
                    other => out.push(other.clone()),
                }
                if out.len() > MAX_COLLECTION {
                    return Err(Fail::Unknown(format!(
                        "more than {MAX_COLLECTION} elements are not evaluated"
                    )));
                }
            }
            Ok(())
        }
        other => {
            shallow_known(other)?;
            error(format!("flatten needs a list, not a {}", type_name(other)))
        }
    }
}

/// Resource attributes that are one string by their name (`id`, `arn`, `vpc_id`, ...), so
/// a reference to them is one element, never a list to flatten.
fn scalar_attribute(attribute: &str) -> bool {
    let last = attribute.rsplit('.').next().unwrap_or(attribute);
    matches!(
        last,
        "id" | "arn" | "name" | "dns_name" | "cidr_block" | "invoke_url"
    ) || last.ends_with("_id")
        || last.ends_with("_arn")
        || last.ends_with("_name")
}

fn range(args: &[TfValue]) -> FResult {
    arity(args, 1, 3)?;
    all_known(args)?;
    let numbers = args.iter().map(to_number).collect::<FResult<Vec<_>>>()?;
    let (start, limit, step) = match numbers.as_slice() {
        [limit] => (0.0, *limit, 1.0),
        [start, limit] => (*start, *limit, if start <= limit { 1.0 } else { -1.0 }),
        [start, limit, step] => (*start, *limit, *step),
        _ => return error("takes 1 to 3 arguments"),
    };
    if step == 0.0 {
        return error("step must not be zero");
    }
    // Terraform's own limit for `range`.
    const MAX_RANGE: usize = 1_024;
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < limit) || (step < 0.0 && x > limit) {
        if out.len() >= MAX_RANGE {
            return error(format!("more than {MAX_RANGE} elements"));
        }
        out.push(number(x)?);
        x += step;
    }
    Ok(TfValue::List(out))
}

/// `file(path)`: a file of the configuration itself (`"${path.module}/policy.json"`).
fn file(ev: &Evaluator<'_>, args: &[TfValue]) -> FResult {
    arity(args, 1, 1)?;
    let path = text_arg(args, 0)?;
    let normal = super::source::join_dir("", &path);
    match normal.and_then(|p| ev.files.get(&p)) {
        Some(text) => string(text.clone()),
        None => Err(Fail::Unknown(format!(
            "file \"{path}\" is not among the files given"
        ))),
    }
}

fn from_json(v: serde_json::Value) -> TfValue {
    match v {
        serde_json::Value::Null => TfValue::Null,
        serde_json::Value::Bool(b) => TfValue::Bool(b),
        serde_json::Value::Number(n) => TfValue::Number(n),
        serde_json::Value::String(s) => TfValue::String(s),
        serde_json::Value::Array(items) => {
            TfValue::List(items.into_iter().map(from_json).collect())
        }
        serde_json::Value::Object(map) => {
            TfValue::Map(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

/// JSON as Terraform's `jsonencode` writes it: keys sorted, no spaces, and `<`, `>`, `&`
/// escaped (Go's HTML-safe encoding).
fn jsonencode(v: &TfValue) -> String {
    let mut out = String::new();
    encode_into(v, &mut out);
    out
}

fn encode_into(v: &TfValue, out: &mut String) {
    match v {
        TfValue::Null | TfValue::Ref { .. } | TfValue::Unknown { .. } => out.push_str("null"),
        TfValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        TfValue::Number(n) => out.push_str(&n.to_string()),
        TfValue::String(s) => encode_string(s, out),
        TfValue::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_into(item, out);
            }
            out.push(']');
        }
        TfValue::Map(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_string(k, out);
                out.push(':');
                encode_into(item, out);
            }
            out.push('}');
        }
    }
}

fn encode_string(s: &str, out: &mut String) {
    let quoted = serde_json::Value::String(s.to_owned()).to_string();
    for c in quoted.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
}

/// Go's `fmt` verbs as Terraform's `format` accepts them: `%s %d %v %q %t %f %e %g %x %X
/// %o %b %%`, with flags `-+ 0#`, width and precision.
fn format(spec: &str, args: &[TfValue]) -> FResult<String> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let (mut left, mut plus, mut zero, mut space) = (false, false, false, false);
        while let Some(&f) = chars.peek() {
            match f {
                '-' => left = true,
                '+' => plus = true,
                '0' => zero = true,
                ' ' => space = true,
                '#' => {}
                _ => break,
            }
            chars.next();
        }
        if chars.peek() == Some(&'[') {
            return Err(Fail::Unknown(
                "format with explicit argument indexes is not evaluated".to_owned(),
            ));
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            precision = Some(p.parse().unwrap_or(0).min(64));
        }
        let width: usize = width.parse::<usize>().unwrap_or(0).min(1_024);
        let Some(verb) = chars.next() else {
            return error("the format ends in the middle of a verb");
        };
        let Some(v) = args.get(next) else {
            return error(format!("too few arguments for the format \"{spec}\""));
        };
        next += 1;
        let signed = |n: f64, body: String| {
            if n >= 0.0 && plus {
                format!("+{body}")
            } else if n >= 0.0 && space {
                format!(" {body}")
            } else {
                body
            }
        };
        let body = match verb {
            's' => {
                let s = to_text(v)?;
                match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            'v' => match v {
                TfValue::String(_) | TfValue::Number(_) | TfValue::Bool(_) => to_text(v)?,
                other => jsonencode(other),
            },
            'q' => {
                let s = to_text(v)?;
                serde_json::Value::String(s).to_string()
            }
            't' => to_bool(v)?.to_string(),
            'd' => {
                let n = to_number(v)?;
                if n.fract() != 0.0 {
                    return error(format!("%d needs a whole number, not {n}"));
                }
                signed(n, format!("{n:.0}"))
            }
            'f' | 'F' => {
                let n = to_number(v)?;
                signed(n, format!("{n:.*}", precision.unwrap_or(6)))
            }
            'e' | 'E' => {
                let n = to_number(v)?;
                let s = format!("{n:.*e}", precision.unwrap_or(6));
                signed(n, if verb == 'E' { s.to_uppercase() } else { s })
            }
            'g' | 'G' => {
                let n = to_number(v)?;
                signed(
                    n,
                    number(n)
                        .map(|v| to_text(&v))
                        .unwrap_or(Ok(n.to_string()))?,
                )
            }
            'x' | 'X' | 'o' | 'b' => match v {
                TfValue::String(s) if verb == 'x' || verb == 'X' => {
                    let hex: String = s.bytes().map(|b| format!("{b:02x}")).collect();
                    if verb == 'X' {
                        hex.to_uppercase()
                    } else {
                        hex
                    }
                }
                _ => {
                    let n = to_int(v)?;
                    let magnitude = n.unsigned_abs();
                    let digits = match verb {
                        'x' => format!("{magnitude:x}"),
                        'X' => format!("{magnitude:X}"),
                        'o' => format!("{magnitude:o}"),
                        _ => format!("{magnitude:b}"),
                    };
                    if n < 0 {
                        format!("-{digits}")
                    } else {
                        digits
                    }
                }
            },
            other => return error(format!("unsupported format verb %{other}")),
        };
        let len = body.chars().count();
        if len >= width {
            out.push_str(&body);
        } else if left {
            out.push_str(&body);
            out.extend(std::iter::repeat_n(' ', width - len));
        } else if zero
            && matches!(
                verb,
                'd' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o' | 'b'
            )
        {
            let (sign, digits) = match body.strip_prefix(['-', '+', ' ']) {
                Some(rest) => (body.get(..1).unwrap_or(""), rest),
                None => ("", body.as_str()),
            };
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', width - len));
            out.push_str(digits);
        } else {
            out.extend(std::iter::repeat_n(' ', width - len));
            out.push_str(&body);
        }
        if out.len() > MAX_STRING {
            return Err(Fail::Unknown(format!(
                "a string longer than {MAX_STRING} bytes is not evaluated"
            )));
        }
    }
    if next < args.len() {
        return error(format!("too many arguments for the format \"{spec}\""));
    }
    Ok(out)
}

/// `formatlist(spec, args...)`: lists are iterated together, other arguments repeat.
fn formatlist(args: &[TfValue]) -> FResult {
    arity(args, 1, usize::MAX)?;
    let spec = text_arg(args, 0)?;
    let rest = args.get(1..).unwrap_or(&[]);
    let mut len: Option<usize> = None;
    for v in rest {
        if let TfValue::List(items) = v {
            match len {
                Some(l) if l != items.len() => return error("the lists differ in length"),
                _ => len = Some(items.len()),
            }
        }
    }
    let Some(len) = len else {
        return Ok(TfValue::List(vec![TfValue::String(format(&spec, rest)?)]));
    };
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let row: Vec<TfValue> = rest
            .iter()
            .map(|v| match v {
                TfValue::List(items) => items.get(i).cloned().unwrap_or(TfValue::Null),
                other => other.clone(),
            })
            .collect();
        out.push(TfValue::String(format(&spec, &row)?));
    }
    list(out)
}

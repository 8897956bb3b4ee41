//! Python data ↔ JSON values. Out: `pythonize` turns the core's results into dicts,
//! lists, str, int, float, bool and None. In: `pythonize` walks the Python object and a
//! visitor here builds a `serde_json::Value` with limits, because a Python object can be
//! what JSON cannot: nested deeper than any stack (or cyclic: `d["a"] = d`), a small DAG
//! that expands to billions of values, NaN, an int past 64 bits, a non-str key, bytes.
//! Each of those is an `ArgumentError` naming the place, never a crash.

use std::cell::RefCell;
use std::fmt;

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyAny;
use pythonize::{pythonize, Depythonizer};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use vpclink_core::api::ApiError;

use crate::error::to_py;

/// Deeper than any topology, plan or answer (they nest about ten levels) and the same
/// limit serde_json applies to JSON text.
pub const MAX_DEPTH: usize = 128;

/// About four million values: five times a 100,000-resource topology (835,000 values),
/// and few enough to convert in about a second and fit in memory. Without a cap, a
/// shared sub-list repeated at every level (`l = [l, l]`, forty times) would expand to
/// a trillion values and exhaust memory, which aborts the process.
pub const MAX_VALUES: usize = 1 << 22;

/// `value` as JSON; `what` names the argument in errors ("input", "plan", ...).
pub fn to_value(py: Python<'_>, value: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    let state = RefCell::new(State::default());
    let mut de = Depythonizer::from_object(value);
    let seed = Seed {
        state: &state,
        depth: 0,
    };
    match seed.deserialize(&mut de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let reason = e.to_string();
            let original = PyErr::from(e);
            if !original.is_instance_of::<PyException>(py) {
                // KeyboardInterrupt or SystemExit raised by Python code the conversion ran
                // (a mapping's `items`): not a bad argument, so it goes on as it is.
                return Err(original);
            }
            let state = state.into_inner();
            let pointer = pointer(&state.error_path);
            let (code, reason) = match state.limit {
                Some(Limit::Depth) => (
                    "too_deep",
                    format!("nested more than {MAX_DEPTH} levels deep (or cyclic)"),
                ),
                Some(Limit::Values) => (
                    "too_large",
                    format!(
                        "more than {MAX_VALUES} values (a structure repeated many times over?)"
                    ),
                ),
                None => ("not_json", reason),
            };
            let place = if pointer.is_empty() {
                format!("the {what}")
            } else {
                format!("{} of the {what}", shorten(&pointer))
            };
            Err(to_py(
                py,
                ApiError {
                    path: Some(pointer),
                    ..ApiError::argument(code, format!("at {place}: {reason}"))
                },
            ))
        }
    }
}

/// `value` as Python data (dicts, lists, str, int, float, bool, None).
pub fn to_py_data<T: Serialize + ?Sized>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    Ok(pythonize(py, value)?.unbind())
}

#[derive(Default)]
struct State {
    values: usize,
    limit: Option<Limit>,
    /// Where the conversion failed, innermost segment first (filled while unwinding, so
    /// the successful path pays nothing for it).
    error_path: Vec<String>,
}

enum Limit {
    Depth,
    Values,
}

fn pointer(reversed: &[String]) -> String {
    reversed
        .iter()
        .rev()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// A pointer 128 levels deep is unreadable in a message; `path` keeps it whole.
fn shorten(pointer: &str) -> String {
    const SHOWN: usize = 120;
    match pointer.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", pointer.get(..cut).unwrap_or(pointer)),
        None => pointer.to_owned(),
    }
}

#[derive(Clone, Copy)]
struct Seed<'s> {
    state: &'s RefCell<State>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        {
            let mut state = self.state.borrow_mut();
            if self.depth > MAX_DEPTH {
                state.limit = Some(Limit::Depth);
                return Err(de::Error::custom("too deep"));
            }
            state.values += 1;
            if state.values > MAX_VALUES {
                state.limit = Some(Limit::Values);
                return Err(de::Error::custom("too many values"));
            }
        }
        d.deserialize_any(self)
    }
}

impl Seed<'_> {
    fn child(self) -> Self {
        Seed {
            depth: self.depth + 1,
            ..self
        }
    }

    fn failed_at<E>(self, segment: String, e: E) -> E {
        self.state.borrow_mut().error_path.push(segment);
        e
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value (dict, list, str, int, float, bool or None)")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::from)
            .map_err(|_| E::custom(format!("the integer {v} does not fit in 64 bits")))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        u64::try_from(v)
            .map(Value::from)
            .map_err(|_| E::custom(format!("the integer {v} does not fit in 64 bits")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{v} is not a JSON number")))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            match seq.next_element_seed(self.child()) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(Value::Array(items)),
                Err(e) => return Err(self.failed_at(items.len().to_string(), e)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        loop {
            let key: String = match map.next_key() {
                Ok(Some(key)) => key,
                Ok(None) => return Ok(Value::Object(object)),
                // The key itself is not a str: the place is the dict holding it.
                Err(e) => return Err(de::Error::custom(format!("a key is not a str ({e})"))),
            };
            match map.next_value_seed(self.child()) {
                Ok(value) => {
                    object.insert(key, value);
                }
                Err(e) => return Err(self.failed_at(key, e)),
            }
        }
    }
}

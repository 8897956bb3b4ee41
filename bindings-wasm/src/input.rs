//! Conversions at the boundary, and nothing else: JavaScript values into the core's
//! [`Input`] and `serde_json::Value`, and the core's results into plain JavaScript objects.
//!
//! Objects cross as JSON text (`JSON.stringify` on the JS side, `serde_json` here): that
//! drops `undefined` members the way TypeScript callers expect of optional fields, honours
//! `toJSON`, and turns cycles and BigInts into a catchable `TypeError` rather than a trap.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use vpclink_core::api::{ApiError, Input, PlanRequest};
use wasm_bindgen::JsValue;

use crate::error;

/// A thrown JavaScript value; every fallible export returns this as its error.
pub(crate) type JsResult<T> = Result<T, JsValue>;

/// A string is text in any format (JSON, YAML, HCL, a template); anything else is a
/// parsed document.
pub(crate) fn input(value: &JsValue, what: &str) -> JsResult<Input> {
    match value.as_string() {
        Some(text) => Ok(Input::Text { text, file: None }),
        None => Ok(Input::Value(value_of(value, what)?)),
    }
}

/// `value` as JSON; `undefined` and `null` become `null`, for the core to name.
pub(crate) fn value_of(value: &JsValue, what: &str) -> JsResult<Value> {
    let text = js_sys::JSON::stringify(value).map_err(|e| not_json(&e, what))?;
    match text.as_string() {
        Some(text) => serde_json::from_str(&text).map_err(|e| {
            error::to_js(ApiError::argument(
                &format!("bad_{what}"),
                format!("the {what} is not a JSON document: {e}"),
            ))
        }),
        // `JSON.stringify` answers `undefined` for `undefined`, functions and symbols.
        None => Ok(Value::Null),
    }
}

/// A string argument; anything else is an argument error rather than the `TypeError` the
/// generated glue would throw.
pub(crate) fn text(value: &JsValue, what: &str) -> JsResult<String> {
    value.as_string().ok_or_else(|| {
        error::to_js(ApiError::argument(
            &format!("bad_{what}"),
            format!("the {what} must be a string"),
        ))
    })
}

/// `None` for `undefined` and `null`, the value otherwise.
pub(crate) fn optional_value(value: &JsValue, what: &str) -> JsResult<Option<Value>> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value_of(value, what).map(Some)
}

/// `{current?, destroy?}` read off the options object; absent options are the defaults.
pub(crate) fn plan_request(options: &JsValue) -> JsResult<PlanRequest> {
    if options.is_undefined() || options.is_null() {
        return Ok(PlanRequest::default());
    }
    let bad = |message: &str| error::to_js(ApiError::argument("bad_options", message));
    if !options.is_object() {
        return Err(bad(
            "the plan options must be an object: {current?, destroy?}",
        ));
    }
    let current = js_sys::Reflect::get(options, &JsValue::from_str("current"))?;
    let destroy = js_sys::Reflect::get(options, &JsValue::from_str("destroy"))?;
    let destroy = match destroy.as_bool() {
        Some(b) => b,
        None if destroy.is_undefined() || destroy.is_null() => false,
        None => return Err(bad("`options.destroy` must be a boolean")),
    };
    let current = match current.is_undefined() || current.is_null() {
        true => None,
        false => Some(input(&current, "topology")?),
    };
    Ok(PlanRequest { current, destroy })
}

/// A Terraform directory as file name → text.
pub(crate) fn files(value: &JsValue) -> JsResult<BTreeMap<String, String>> {
    serde_json::from_value(value_of(value, "files")?).map_err(|e| {
        error::to_js(ApiError::argument(
            "bad_files",
            format!("the files must map each file name to its text: {e}"),
        ))
    })
}

/// A whole number of milliseconds or a request id: JavaScript numbers are doubles.
pub(crate) fn whole_number(value: f64, what: &str) -> JsResult<u64> {
    // 2^53: the last integer a double holds exactly.
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if value.is_finite() && value.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&value) {
        // Exact: `value` is a whole number within u64's range.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked above"
        )]
        return Ok(value as u64);
    }
    Err(error::to_js(ApiError::argument(
        &format!("bad_{}", what.replace(' ', "_")),
        format!("the {what} must be a whole number from 0 to 2^53-1, not {value}"),
    )))
}

/// A result as a plain object: maps become objects, not `Map`s, and 64-bit integers
/// become numbers, as `JSON.parse` would give.
///
/// The result passes through `serde_json::Value` first: the core already serialises its
/// types into that, so each result type's serialisation is in the module once rather than
/// once more for the JavaScript serialiser.
pub(crate) fn output<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    serde_json::to_value(value)
        .map_err(|e| e.to_string())
        .and_then(|v| {
            v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                .map_err(|e| e.to_string())
        })
        .map_err(|e| {
            error::to_js(ApiError::argument(
                "unrepresentable",
                format!("the result cannot be represented in JavaScript: {e}"),
            ))
        })
}

fn not_json(thrown: &JsValue, what: &str) -> JsValue {
    // Whatever a `toJSON` threw, even `null`: reading its message must not throw again.
    let reason = js_sys::Reflect::get(thrown, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "it cannot be written as JSON".to_owned());
    error::to_js(ApiError::argument(
        &format!("bad_{what}"),
        format!("the {what} is not a JSON document: {reason}"),
    ))
}

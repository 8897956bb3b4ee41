//! The one place an [`ApiError`] becomes a JavaScript `Error`: a real `Error` (so stack
//! traces and `instanceof Error` work) with the error's fields as own properties, so a
//! caller can branch on `err.kind` / `err.code` and underline `err.path` or `err.line`.

use js_sys::Reflect;
use vpclink_core::api::ApiError;
use wasm_bindgen::JsValue;

/// The constructor name callers see in stack traces and `err.name`.
const NAME: &str = "VpclinkError";

/// `error` as a thrown value. Absent places are set to `undefined`, so every error has
/// the same own properties whatever went wrong.
pub(crate) fn to_js(error: ApiError) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name(NAME);
    let kind = serde_json::to_value(error.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let fields: [(&str, JsValue); 6] = [
        ("kind", JsValue::from_str(&kind)),
        ("code", JsValue::from_str(&error.code)),
        ("path", optional_str(error.path.as_deref())),
        ("file", optional_str(error.file.as_deref())),
        ("line", optional_u32(error.line)),
        ("column", optional_u32(error.column)),
    ];
    for (key, value) in fields {
        // Setting a property on a fresh Error cannot fail (it is extensible and has no
        // setters); if it ever did, the message still carries the whole story.
        let _ = Reflect::set(&js, &JsValue::from_str(key), &value);
    }
    js.into()
}

fn optional_str(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

fn optional_u32(value: Option<u32>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, |n| JsValue::from_f64(f64::from(n)))
}

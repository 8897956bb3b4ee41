//! The documents the package ships about itself: JSON Schemas and the rule catalogue.

use vpclink_core::api;
use wasm_bindgen::prelude::*;

use crate::error;
use crate::input::{output, text, JsResult};

/// The JSON Schema (draft 2020-12) called `name`; `"api"` holds every type at once.
#[wasm_bindgen(unchecked_return_type = "JsonSchema")]
pub fn schema(
    #[wasm_bindgen(unchecked_param_type = "SchemaName")] name: JsValue,
) -> JsResult<JsValue> {
    output(&api::schema(&text(&name, "schema_name")?).map_err(error::to_js)?)
}

/// Every code the engine can report, in code order.
#[wasm_bindgen(unchecked_return_type = "RuleMeta[]")]
pub fn rules() -> JsResult<JsValue> {
    output(&api::rules())
}

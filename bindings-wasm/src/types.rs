//! The TypeScript declarations the exports name: `types/api.d.ts` is generated from the
//! core's `schema("api")` (and `schema("live_state")`) by `scripts/build-npm --types`,
//! `types/extra.d.ts` holds the few argument types the schema does not describe. Both are
//! committed; tests fail when the generated file is stale.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const API_TYPES: &str = include_str!("../types/api.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const EXTRA_TYPES: &str = include_str!("../types/extra.d.ts");

//! Host-side support for the generated TypeScript declarations (no export uses it): the
//! schema text `types/api.d.ts` is generated from, and the hash that ties the two together.
//! `tools/gen-types.mjs` writes the hash of the text it read into the file's header; the
//! host test recomputes it from the core, so a change to any type fails `cargo test`
//! until the declarations are regenerated.

use vpclink_core::api::{schema, ApiError};

/// The schemas the declarations come from, as `examples/api_schema.rs` prints them.
pub fn schemas_text() -> Result<String, ApiError> {
    let mut out = serde_json::Map::new();
    for name in ["api", "live_state"] {
        out.insert(name.to_owned(), schema(name)?);
    }
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    Ok(text)
}

/// FNV-1a, 64 bits: the same few lines in Rust and JavaScript, no dependency.
pub fn fnv1a64(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The header line `gen-types.mjs` writes for `schemas_text`.
pub fn header_line(schemas_text: &str) -> String {
    format!("// schemas fnv1a64 {:016x}", fnv1a64(schemas_text))
}

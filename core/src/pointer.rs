//! JSON Pointers (RFC 6901) into the input topology: where every diagnostic points.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct JsonPointer(String);

impl JsonPointer {
    /// The whole document (`""`).
    pub fn root() -> Self {
        JsonPointer(String::new())
    }
    /// Appends one reference token, escaping `~` and `/` as RFC 6901 requires.
    pub fn key(mut self, token: impl AsRef<str>) -> Self {
        self.0.push('/');
        for c in token.as_ref().chars() {
            match c {
                '~' => self.0.push_str("~0"),
                '/' => self.0.push_str("~1"),
                c => self.0.push(c),
            }
        }
        self
    }
    pub fn index(self, i: usize) -> Self {
        self.key(i.to_string())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Shorthand for `/{kind}/{id}`.
    pub fn resource(kind: &str, id: impl AsRef<str>) -> Self {
        JsonPointer::root().key(kind).key(id)
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("/")
        } else {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slash_and_tilde() {
        let p = JsonPointer::root()
            .key("rest_apis")
            .key("shop")
            .key("routes")
            .key("GET /a~b");
        assert_eq!(p.as_str(), "/rest_apis/shop/routes/GET ~1a~0b");
    }
}

//! Rules of the `observability` family.

use super::Rule;

pub const RULES: &[&Rule] = &[];

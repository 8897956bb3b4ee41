//! Rules of the `integration` family.

use super::Rule;

pub const RULES: &[&Rule] = &[];

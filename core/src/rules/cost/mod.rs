//! Rules of the `cost` family.

use super::Rule;

pub const RULES: &[&Rule] = &[];

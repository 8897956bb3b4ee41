//! Rules of the `network` family.

use super::Rule;

pub const RULES: &[&Rule] = &[];

//! Rules of the `vpc_link` family.

use super::Rule;

pub const RULES: &[&Rule] = &[];

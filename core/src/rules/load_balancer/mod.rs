//! Rules of the `load_balancer` family.

use super::Rule;

pub const RULES: &[&Rule] = &[];

//! Rules of the VPC link family (VL1xx).

use super::Rule;

mod single_target;

pub const RULES: &[&Rule] = &[&single_target::RULE];

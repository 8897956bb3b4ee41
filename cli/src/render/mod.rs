//! Output: rustc-style text for people, serde JSON for programs. Rendering only — every
//! verdict shown here was reached by the core.

pub mod cost;
pub mod diagnose;
pub mod human;
pub mod json;
pub mod reach;
pub mod rules;
pub mod style;

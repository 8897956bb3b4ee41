//! A simulated AWS and a crashing host, for driving the executor in tests.
#![allow(dead_code, reason = "shared by several test crates, each using a part")]

pub mod aws;
pub mod host;
pub mod plans;
pub mod shape;

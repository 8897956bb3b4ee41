//! Shared helpers for the conformance and golden tests.

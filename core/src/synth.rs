//! Synthetic topologies of any size, for benchmarks and property tests (deterministic).

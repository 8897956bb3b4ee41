//! Built-in example topologies, so every front end can start from something that works.

/// The classic scenario: a VPC across two AZs, three instances serving 8080, an internal
/// NLB, a VPC link and a REST API. It checks clean.
pub const THREE_TIER: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../examples/three-tier.json"
));

//! vpclink-core: models, validates and plans private API paths on AWS —
//! client → API Gateway → VPC link → Network Load Balancer → target group → targets.
//!
//! The core does no IO: no files, network, clock, environment or printing. Data flows one
//! way: input → [`Topology`] → [`Graph`] → analyses ([`validate`], [`reach()`]) → output.
#![forbid(unsafe_code)]

pub mod api;
pub mod cost;
pub mod diagnose;
pub mod diagnostic;
pub mod error;
pub mod examples;
pub mod exec;
pub mod graph;
pub mod import;
pub mod lifecycle;
pub mod model;
pub mod net;
pub mod parse;
pub mod plan;
pub mod pointer;
pub mod reach;
pub mod render;
pub mod rules;
pub mod schema;
pub mod service;
pub mod synth;
pub mod uri;

mod report;

pub use diagnostic::{Applicability, Diagnostic, Fix, PatchOp, ResourceRef, RuleMeta, Severity};
pub use error::{InputError, InputErrorKind};
pub use graph::Graph;
pub use model::Topology;
pub use parse::{topology_from_json, topology_from_str, topology_from_value, topology_from_yaml};
pub use pointer::JsonPointer;
pub use report::{run_rules, suppress_unknowns, validate, Report, Summary};

/// The version of this build, shared by the crates and the packages.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

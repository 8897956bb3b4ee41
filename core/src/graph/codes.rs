//! Codes for references that do not resolve. Graph building reports these; when any fire,
//! the rules do not run, because their answers would rest on a broken model.

use crate::diagnostic::{Family, RuleMeta, Severity};

pub const UNKNOWN_REFERENCE: RuleMeta = RuleMeta {
    code: "VL001",
    name: "unknown-reference",
    family: Family::Model,
    severity: Severity::Error,
    title: "Reference to a resource that does not exist",
    rationale: "Every reference must name a resource of the right kind in this topology; AWS would reject the call that uses it.",
    source: "DESIGN: the topology format; facts §1 (identifiers and cross-references)",
};

pub const WRONG_KIND: RuleMeta = RuleMeta {
    code: "VL002",
    name: "reference-to-wrong-kind",
    family: Family::Model,
    severity: Severity::Error,
    title: "Reference to a resource of the wrong kind",
    rationale: "The id exists, but as another kind of resource than the field expects.",
    source: "facts §1 (identifiers and cross-references)",
};

pub const BAD_ROUTE_KEY: RuleMeta = RuleMeta {
    code: "VL003",
    name: "invalid-route-key",
    family: Family::Model,
    severity: Severity::Error,
    title: "Route key is not `METHOD /path`",
    rationale: "Routes are keyed by an HTTP method and a path starting with `/`, as API Gateway defines them.",
    source: "facts §3.1 (PutIntegration: httpMethod, resource path)",
};

pub const BAD_TARGET_ID: RuleMeta = RuleMeta {
    code: "VL004",
    name: "invalid-target-id",
    family: Family::Model,
    severity: Severity::Error,
    title: "Target id does not fit the target type",
    rationale:
        "Instance targets name an instance, ip targets an IP address, alb targets a load balancer.",
    source: "facts §4.5 (RegisterTargets)",
};

pub const DUPLICATE_AWS_ID: RuleMeta = RuleMeta {
    code: "VL005",
    name: "duplicate-aws-id",
    family: Family::Model,
    severity: Severity::Error,
    title: "Two resources claim the same AWS id",
    rationale:
        "An existing AWS resource can be modelled once; two entries for it would be planned twice.",
    source: "facts §1 (primary keys)",
};

/// Every code the graph can report, for the catalogue.
pub const REFERENCE_CODES: &[&RuleMeta] = &[
    &UNKNOWN_REFERENCE,
    &WRONG_KIND,
    &BAD_ROUTE_KEY,
    &BAD_TARGET_ID,
    &DUPLICATE_AWS_ID,
];

//! Reachability: security groups (stateful) and network ACLs (stateless, both directions)
//! evaluated at every hop of every path, with AZ enablement and cross-zone.
//!
//! [`NetworkAnalysis`] evaluates every flow once; the network rules and [`reach_graph`]
//! both read it, so a blocked path always names the rule that reports the same block.
//!
//! Assumptions. Where information is missing, a block is reported only when nothing could
//! allow the flow — except for the source of PrivateLink traffic, which nobody publishes:
//! - V1 (PrivateLink) traffic: the NLB subnets' ACLs are checked against the NLB VPC's own
//!   CIDRs as the source (the conservative plan of facts §6, whose UNCONFIRMED note says
//!   the real source address is not documented); an NLB security group that enforces its
//!   inbound rules on PrivateLink traffic must allow the listener port from `0.0.0.0/0`
//!   (facts §4.3, C14).
//! - Targets see the NLB nodes as the source of V1 traffic whatever client IP
//!   preservation says (facts §4.8); V2 traffic with preservation on arrives from the
//!   link's ENIs. Health checks always come from the NLB nodes.
//! - Without cross-zone load balancing only the node in the target's zone sends to it
//!   (traffic and health checks); with it, every node does.
//! - Unknown addresses or group membership count as possibly matching a rule; a prefix
//!   list counts as matching; a subnet without an ACL has the VPC default (allow all); a
//!   target without modelled security groups (ip targets, instances listing none) has
//!   its ingress unchecked; ALB and Lambda targets are not evaluated past the NLB.
//! - The ACLs of a V2 link's own subnets are not evaluated (only its security groups).

mod analysis;
mod report;

pub use crate::uri::{uri_port, UriPort};
pub use analysis::{
    describe_party, Blocked, Blocker, Check, Flow, HopKind, NetworkAnalysis, Owner, Party, Source,
    Subject, Witness,
};
pub use report::{
    Block, HealthCheckVerdict, HealthFailure, HealthResult, Hop, PathVerdict, ReachReport,
    ReachSummary, Verdict,
};

use crate::diagnostic::Diagnostic;
use crate::graph::{self, Graph};
use crate::model::Topology;

/// Resolves `topology` and walks every private path in it. `Err` holds the reference
/// problems that stop the graph from being built.
pub fn reach(topology: &Topology) -> Result<ReachReport, Vec<Diagnostic>> {
    let graph = graph::build(topology)?;
    let analysis = NetworkAnalysis::compute(&graph);
    Ok(reach_graph(&graph, &analysis))
}

/// The report for an already resolved graph and its analysis (shared with the rules).
pub fn reach_graph(graph: &Graph<'_>, analysis: &NetworkAnalysis<'_>) -> ReachReport {
    report::reach_graph(graph, analysis)
}

#[cfg(test)]
mod tests;

//! The topology as a Mermaid flowchart, with the reachability verdicts on its edges.
//!
//! Left to right: API routes → VPC link → NLB listener → target group → targets. VPCs,
//! their Availability Zones and subnets are nested `subgraph`s; instances sit in their
//! subnet; a load balancer is a subgraph of its listeners inside its VPC.
//!
//! Edge colours come from [`crate::reach::reach`]: green where traffic passes (on a
//! reachable path, or before the point where a blocked path stops), red where a path is
//! blocked, labelled with the explanation code (`ENI_SG_RULES_MISMATCH`), amber and dotted
//! where the verdict is unknown, grey and dotted where no path was walked. A target whose
//! health checks fail has a red border and the ELB reason code in its label; one that
//! passes, a green border.
//!
//! A topology whose references do not resolve has no reachability: it is still drawn,
//! from the references that do resolve, with every edge grey, and each problem listed in a
//! `%%` comment — a diagram helps most while a topology is broken.

mod diagram;
mod text;

use crate::model::Topology;

use super::RenderError;

/// The Mermaid source (`flowchart LR`). Never fails today: an invalid topology is drawn
/// as far as it resolves (see the module documentation).
pub fn mermaid(topology: &Topology) -> Result<String, RenderError> {
    let reach = crate::reach::reach(topology);
    Ok(diagram::Diagram::build(topology, reach.as_ref()).render())
}

#[cfg(test)]
mod tests;

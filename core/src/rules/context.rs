//! What a rule sees: the resolved graph and analyses shared between rules, computed once.

use std::cell::OnceCell;

use crate::graph::Graph;
use crate::reach::NetworkAnalysis;

pub struct Context<'g, 't> {
    pub graph: &'g Graph<'t>,
    network: OnceCell<NetworkAnalysis<'t>>,
}

impl<'g, 't> Context<'g, 't> {
    pub fn new(graph: &'g Graph<'t>) -> Self {
        Context {
            graph,
            network: OnceCell::new(),
        }
    }

    /// Security-group and network-ACL evaluation of every flow in the topology, shared by
    /// the network rules and the reachability report so that the two always agree.
    pub fn network(&self) -> &NetworkAnalysis<'t> {
        self.network
            .get_or_init(|| NetworkAnalysis::compute(self.graph))
    }
}

//! Load balancer `State.Code`: `provisioning → active | failed`, `active ↔ active_impaired`
//! (facts §4.1, §9.3).

use super::machine::{Lifecycle, Machine};
use crate::model::LoadBalancerState;

use LoadBalancerState::{Active, ActiveImpaired, Failed, Provisioning};

impl Lifecycle for LoadBalancerState {
    const MACHINE: Machine = Machine::LoadBalancer;
    const ALL: &'static [Self] = &[Provisioning, Active, ActiveImpaired, Failed];

    fn aws_name(self) -> &'static str {
        match self {
            Provisioning => "provisioning",
            Active => "active",
            ActiveImpaired => "active_impaired",
            Failed => "failed",
        }
    }

    fn next_states(self) -> &'static [Self] {
        match self {
            // Creation ends active or failed (facts §4.1); the elbv2 waiter retries on
            // provisioning (facts §9.3).
            Provisioning => &[Active, Failed],
            // Impairment comes and goes while the load balancer keeps serving (facts §4.1).
            Active => &[ActiveImpaired],
            ActiveImpaired => &[Active],
            // A failed load balancer is only deleted (deletion is not a State.Code; it
            // disappears and DescribeLoadBalancers answers LoadBalancerNotFound, facts §9.3).
            Failed => &[],
        }
    }
}

//! The AWS state machines: VPC link status, load balancer state, target health.
//!
//! Each machine is the [`Lifecycle`] trait implemented for the state enum the model already
//! has ([`VpcLinkStatus`](crate::model::VpcLinkStatus),
//! [`LoadBalancerState`](crate::model::LoadBalancerState),
//! [`TargetHealthState`](crate::model::TargetHealthState)); [`transition`] accepts only the
//! moves AWS makes and returns a typed [`IllegalTransition`] otherwise. The planner uses
//! [`require_available`] to refuse a deployment through a VPC link that is not AVAILABLE.

mod load_balancer;
mod machine;
mod target_health;
mod vpc_link;

#[cfg(test)]
mod tests;

pub use machine::{transition, IllegalTransition, Lifecycle, Machine};
pub use target_health::{check_reason, ReasonMismatch, TargetHealthReason};
pub use vpc_link::{require_available, vpc_link_transition, LinkNotAvailable};

//! Rules of the VPC link family (VL1xx).

use super::Rule;

mod internet_facing_load_balancer;
mod load_balancer_without_listener;
mod mixed_versions;
mod quota;
mod shared_load_balancer;
mod single_target;
mod status_failed;
mod status_not_ready;
mod target_elsewhere;
mod target_not_network;
mod v2_rest_without_target;
mod v2_subnet_count;
mod v2_subnets_span_vpcs;

pub const RULES: &[&Rule] = &[
    &single_target::RULE,
    &target_not_network::RULE,
    &target_elsewhere::RULE,
    &shared_load_balancer::RULE,
    &load_balancer_without_listener::RULE,
    &internet_facing_load_balancer::RULE,
    &mixed_versions::RULE,
    &v2_subnet_count::RULE,
    &v2_subnets_span_vpcs::RULE,
    &v2_rest_without_target::RULE,
    &status_failed::RULE,
    &status_not_ready::RULE,
    &quota::RULE,
];

//! Rules of the `cost` family (VL6xx): charges a topology incurs that are easy to miss.

use super::Rule;

mod cross_zone_transfer;
mod idle_load_balancer;
mod private_api_endpoints;

pub const RULES: &[&Rule] = &[
    &cross_zone_transfer::RULE,
    &idle_load_balancer::RULE,
    &private_api_endpoints::RULE,
];

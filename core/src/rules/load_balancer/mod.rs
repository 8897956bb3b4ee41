//! Rules of the load balancer and target group family (VL2xx).

use super::Rule;

mod alb_single_zone;
mod cross_zone_uneven;
mod duplicate_listener_port;
mod duplicate_zone;
mod health_check_disabled;
mod health_check_mismatch;
mod health_check_protocol;
mod health_check_ranges;
mod health_check_timeout;
mod listener_other_vpc;
mod listener_protocol;
mod listener_target_group_protocol;
mod nlb_single_zone;
mod nlb_target_group_unsupported;
mod subnets_span_vpcs;
mod target_group_empty;
mod target_group_unused;
mod target_not_running;
mod target_other_vpc;
mod target_port_not_served;
mod target_unhealthy;
mod target_zone_not_enabled;
mod targets_single_zone;
mod tls_without_certificate;
mod without_subnets;
mod zone_without_targets;
mod zones;

pub const RULES: &[&Rule] = &[
    &nlb_single_zone::RULE,
    &duplicate_zone::RULE,
    &without_subnets::RULE,
    &subnets_span_vpcs::RULE,
    &alb_single_zone::RULE,
    &listener_other_vpc::RULE,
    &duplicate_listener_port::RULE,
    &listener_protocol::RULE,
    &tls_without_certificate::RULE,
    &listener_target_group_protocol::RULE,
    &nlb_target_group_unsupported::RULE,
    &target_group_empty::RULE,
    &targets_single_zone::RULE,
    &target_zone_not_enabled::RULE,
    &zone_without_targets::RULE,
    &health_check_protocol::RULE,
    &health_check_ranges::RULE,
    &health_check_timeout::RULE,
    &health_check_disabled::RULE,
    &health_check_mismatch::RULE,
    &target_port_not_served::RULE,
    &target_other_vpc::RULE,
    &target_not_running::RULE,
    &target_unhealthy::RULE,
    &cross_zone_uneven::RULE,
    &target_group_unused::RULE,
];

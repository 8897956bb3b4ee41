//! Rules of the `integration` family (VL4xx): how API routes reach the load balancer.

use super::Rule;

mod resolve;

mod connection_id_missing;
mod connection_type_internet;
mod http_api_target_listener;
mod integration_type;
mod method_missing;
mod one_link_per_vpc;
mod proxy_method_mismatch;
mod rest_api_not_deployed;
mod stage_variable_undefined;
mod timeout_range;
mod uri_host_certificate;
mod uri_invalid;
mod uri_port_no_listener;
mod uri_scheme_mismatch;
mod v2_link_vpc_mismatch;

pub const RULES: &[&Rule] = &[
    &connection_id_missing::RULE,
    &connection_type_internet::RULE,
    &integration_type::RULE,
    &stage_variable_undefined::RULE,
    &uri_invalid::RULE,
    &uri_port_no_listener::RULE,
    &uri_scheme_mismatch::RULE,
    &uri_host_certificate::RULE,
    &timeout_range::RULE,
    &proxy_method_mismatch::RULE,
    &method_missing::RULE,
    &rest_api_not_deployed::RULE,
    &http_api_target_listener::RULE,
    &v2_link_vpc_mismatch::RULE,
    &one_link_per_vpc::RULE,
];

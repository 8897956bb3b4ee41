//! Rules of the `observability` family (VL5xx): alarms and logs that make a broken private
//! path visible.

use super::Rule;

mod common;

mod alarm_period;
mod alb_metric_in_nlb_namespace;
mod api_alarm_dimension;
mod api_alarm_metric_name;
mod dimension_full_arn;
mod host_count_alarm_dimensions;
mod host_count_alarm_missing;
mod stage_logging_off;
mod stage_metrics_off;

pub const RULES: &[&Rule] = &[
    &host_count_alarm_missing::RULE,
    &host_count_alarm_dimensions::RULE,
    &dimension_full_arn::RULE,
    &alarm_period::RULE,
    &alb_metric_in_nlb_namespace::RULE,
    &api_alarm_dimension::RULE,
    &api_alarm_metric_name::RULE,
    &stage_logging_off::RULE,
    &stage_metrics_off::RULE,
];

//! The bundle format: boto3 responses keyed by botocore service and boto3 operation name,
//! each page stored with the request that produced it. docs/live-state.md describes it.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shapes::{apigateway, apigatewayv2, cloudwatch, ec2, elbv2};
use crate::model::{AccountId, Region};

/// The value of the bundle's `format` field.
pub const FORMAT: &str = "vpclink-aws-bundle";
/// The one bundle version this build reads.
pub const VERSION: u32 = 1;

/// A recording of a live account: the responses of the describe/get calls that the
/// importer reads. Every operation holds a list of pages; each page is
/// `{"request": {params}, "response": {page}}`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "vpclink live-state bundle")]
pub struct Bundle {
    /// Always `vpclink-aws-bundle`.
    #[schemars(extend("const" = "vpclink-aws-bundle"))]
    pub format: String,
    /// Bundle format version; must be 1.
    #[schemars(extend("const" = 1))]
    pub version: u32,
    /// The Region every call was made in.
    pub region: Region,
    /// The account the calls were made in (from `sts get_caller_identity`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountId>,
    /// When the recording was made (ISO 8601); informational.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<String>,
    /// Responses keyed by botocore service name, then boto3 operation name. Services and
    /// operations not listed here are kept out of the topology and listed as skipped.
    pub responses: Responses,
}

/// A page with the request parameters that produced it. List operations may leave the
/// request empty; per-resource operations must name their resource, because the response
/// does not repeat it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPage<R> {
    /// The call's parameters (filters, pagination token); informational.
    #[serde(default)]
    pub request: BTreeMap<String, serde_json::Value>,
    pub response: R,
}

/// A page of a per-resource operation: `request` names the resource the response is about.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallPage<Q, R> {
    pub request: Q,
    pub response: R,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Responses {
    #[serde(default)]
    pub ec2: Ec2Calls,
    #[serde(default)]
    pub elbv2: Elbv2Calls,
    #[serde(default)]
    pub apigateway: ApigatewayCalls,
    #[serde(default)]
    pub apigatewayv2: Apigatewayv2Calls,
    #[serde(default)]
    pub cloudwatch: CloudwatchCalls,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Ec2Calls {
    #[serde(default)]
    pub describe_vpcs: Vec<ListPage<ec2::DescribeVpcs>>,
    #[serde(default)]
    pub describe_subnets: Vec<ListPage<ec2::DescribeSubnets>>,
    #[serde(default)]
    pub describe_security_groups: Vec<ListPage<ec2::DescribeSecurityGroups>>,
    #[serde(default)]
    pub describe_network_acls: Vec<ListPage<ec2::DescribeNetworkAcls>>,
    #[serde(default)]
    pub describe_instances: Vec<ListPage<ec2::DescribeInstances>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Elbv2Calls {
    #[serde(default)]
    pub describe_load_balancers: Vec<ListPage<elbv2::DescribeLoadBalancers>>,
    #[serde(default)]
    pub describe_load_balancer_attributes:
        Vec<CallPage<elbv2::LoadBalancerArnRequest, elbv2::DescribeAttributes>>,
    #[serde(default)]
    pub describe_listeners: Vec<ListPage<elbv2::DescribeListeners>>,
    #[serde(default)]
    pub describe_target_groups: Vec<ListPage<elbv2::DescribeTargetGroups>>,
    #[serde(default)]
    pub describe_target_group_attributes:
        Vec<CallPage<elbv2::TargetGroupArnRequest, elbv2::DescribeAttributes>>,
    #[serde(default)]
    pub describe_target_health:
        Vec<CallPage<elbv2::TargetGroupArnRequest, elbv2::DescribeTargetHealth>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ApigatewayCalls {
    #[serde(default)]
    pub get_vpc_links: Vec<ListPage<apigateway::GetVpcLinks>>,
    #[serde(default)]
    pub get_rest_apis: Vec<ListPage<apigateway::GetRestApis>>,
    /// Call with `embed=['methods']` so that each method carries its integration.
    #[serde(default)]
    pub get_resources: Vec<CallPage<apigateway::RestApiIdRequest, apigateway::GetResources>>,
    /// Preferred over the integration embedded by `get_resources` when both are present.
    #[serde(default)]
    pub get_integration: Vec<CallPage<apigateway::MethodRequest, apigateway::RestIntegration>>,
    #[serde(default)]
    pub get_stages: Vec<CallPage<apigateway::RestApiIdRequest, apigateway::GetStages>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Apigatewayv2Calls {
    #[serde(default)]
    pub get_vpc_links: Vec<ListPage<apigatewayv2::GetVpcLinks>>,
    #[serde(default)]
    pub get_apis: Vec<ListPage<apigatewayv2::GetApis>>,
    #[serde(default)]
    pub get_integrations: Vec<CallPage<apigatewayv2::ApiIdRequest, apigatewayv2::GetIntegrations>>,
    /// Optional: without it an HTTP API's integrations cannot be placed on routes.
    #[serde(default)]
    pub get_routes: Vec<CallPage<apigatewayv2::ApiIdRequest, apigatewayv2::GetRoutes>>,
    /// Optional: an HTTP API's stages and their variables.
    #[serde(default)]
    pub get_stages: Vec<CallPage<apigatewayv2::ApiIdRequest, apigatewayv2::GetStages>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct CloudwatchCalls {
    #[serde(default)]
    pub describe_alarms: Vec<ListPage<cloudwatch::DescribeAlarms>>,
}

/// The operations this importer reads, per service, for listing what a bundle holds
/// beyond them.
pub const KNOWN_OPERATIONS: &[(&str, &[&str])] = &[
    (
        "ec2",
        &[
            "describe_vpcs",
            "describe_subnets",
            "describe_security_groups",
            "describe_network_acls",
            "describe_instances",
        ],
    ),
    (
        "elbv2",
        &[
            "describe_load_balancers",
            "describe_load_balancer_attributes",
            "describe_listeners",
            "describe_target_groups",
            "describe_target_group_attributes",
            "describe_target_health",
        ],
    ),
    (
        "apigateway",
        &[
            "get_vpc_links",
            "get_rest_apis",
            "get_resources",
            "get_integration",
            "get_stages",
        ],
    ),
    (
        "apigatewayv2",
        &[
            "get_vpc_links",
            "get_apis",
            "get_integrations",
            "get_routes",
            "get_stages",
        ],
    ),
    ("cloudwatch", &["describe_alarms"]),
];

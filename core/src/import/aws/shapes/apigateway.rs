//! `apigateway` (REST API, v1 VPC link) responses; lowerCamel keys (facts §10.1).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RestApiIdRequest {
    pub rest_api_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MethodRequest {
    pub rest_api_id: String,
    pub resource_id: String,
    pub http_method: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetVpcLinks {
    #[serde(default)]
    pub items: Vec<VpcLink>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VpcLink {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub target_arns: Vec<String>,
    /// `PENDING`, `AVAILABLE`, `DELETING` or `FAILED`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub status_message: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetRestApis {
    #[serde(default)]
    pub items: Vec<RestApi>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RestApi {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub endpoint_configuration: Option<EndpointConfiguration>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EndpointConfiguration {
    /// `REGIONAL`, `EDGE` or `PRIVATE`.
    #[serde(default)]
    pub types: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetResources {
    #[serde(default)]
    pub items: Vec<Resource>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub id: String,
    /// The full path, such as `/products/{id}`.
    pub path: String,
    #[serde(default)]
    pub resource_methods: BTreeMap<String, Method>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Method {
    #[serde(default)]
    pub authorization_type: Option<String>,
    /// Present when `get_resources` was called with `embed=['methods']`.
    #[serde(default)]
    pub method_integration: Option<RestIntegration>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RestIntegration {
    /// `HTTP`, `HTTP_PROXY`, `AWS`, `AWS_PROXY` or `MOCK`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP method sent to the backend.
    #[serde(default)]
    pub http_method: Option<String>,
    #[serde(default)]
    pub uri: Option<String>,
    /// `INTERNET` or `VPC_LINK`.
    #[serde(default)]
    pub connection_type: Option<String>,
    /// A VPC link id, or `${stageVariables.name}`.
    #[serde(default)]
    pub connection_id: Option<String>,
    #[serde(default)]
    pub timeout_in_millis: Option<u32>,
    #[serde(default)]
    pub tls_config: Option<RestTlsConfig>,
    /// A load balancer ARN, for REST integrations over a V2 link.
    #[serde(default)]
    pub integration_target: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RestTlsConfig {
    #[serde(default)]
    pub insecure_skip_verification: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct GetStages {
    /// Note the key: `item`, not `items` (facts §10.1).
    #[serde(default)]
    pub item: Vec<Stage>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    pub stage_name: String,
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    /// Keyed `resource/method`; `*/*` holds the stage-wide settings.
    #[serde(default)]
    pub method_settings: BTreeMap<String, MethodSetting>,
    #[serde(default)]
    pub access_log_settings: Option<AccessLogSettings>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MethodSetting {
    /// `OFF`, `ERROR` or `INFO`.
    #[serde(default)]
    pub logging_level: Option<String>,
    #[serde(default)]
    pub metrics_enabled: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessLogSettings {
    #[serde(default)]
    pub destination_arn: Option<String>,
}

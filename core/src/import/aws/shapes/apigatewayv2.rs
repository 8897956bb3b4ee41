//! `apigatewayv2` (HTTP API, v2 VPC link) responses; UpperCamel keys (facts §10.2).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ApiIdRequest {
    pub api_id: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct GetVpcLinks {
    #[serde(default)]
    pub items: Vec<VpcLink>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct VpcLink {
    pub vpc_link_id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// `PENDING`, `AVAILABLE`, `DELETING`, `FAILED` or `INACTIVE`.
    #[serde(default)]
    pub vpc_link_status: Option<String>,
    #[serde(default)]
    pub vpc_link_status_message: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct GetApis {
    #[serde(default)]
    pub items: Vec<Api>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Api {
    pub api_id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// `HTTP` or `WEBSOCKET`.
    #[serde(default)]
    pub protocol_type: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct GetIntegrations {
    #[serde(default)]
    pub items: Vec<Integration>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Integration {
    pub integration_id: String,
    /// `HTTP_PROXY`, `AWS_PROXY`, `HTTP`, `AWS` or `MOCK`.
    pub integration_type: String,
    /// `INTERNET` or `VPC_LINK`.
    #[serde(default)]
    pub connection_type: Option<String>,
    #[serde(default)]
    pub connection_id: Option<String>,
    /// A listener ARN (private integrations), a Cloud Map service ARN or a URL.
    #[serde(default)]
    pub integration_uri: Option<String>,
    #[serde(default)]
    pub integration_method: Option<String>,
    #[serde(default)]
    pub timeout_in_millis: Option<u32>,
    #[serde(default)]
    pub tls_config: Option<TlsConfig>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct TlsConfig {
    #[serde(default)]
    pub server_name_to_verify: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct GetRoutes {
    #[serde(default)]
    pub items: Vec<Route>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    pub route_key: String,
    /// `integrations/<IntegrationId>`.
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub authorization_type: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct GetStages {
    #[serde(default)]
    pub items: Vec<Stage>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Stage {
    pub stage_name: String,
    #[serde(default)]
    pub stage_variables: BTreeMap<String, String>,
    #[serde(default)]
    pub default_route_settings: Option<RouteSettings>,
    #[serde(default)]
    pub access_log_settings: Option<AccessLogSettings>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct RouteSettings {
    #[serde(default)]
    pub detailed_metrics_enabled: Option<bool>,
    #[serde(default)]
    pub logging_level: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AccessLogSettings {
    #[serde(default)]
    pub destination_arn: Option<String>,
}

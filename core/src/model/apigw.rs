//! API Gateway: VPC links, REST APIs and HTTP APIs with their routes, integrations and stages.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ids::{Id, KeyMap};

fn is_false(b: &bool) -> bool {
    !*b
}

/// A VPC link. A REST-API link (V1) lists `targets`: the network load balancer it fronts.
/// An HTTP-API link (V2) lists `subnets` and `security_groups` instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VpcLink {
    /// Load balancers (ids in this topology) a V1 link targets. AWS accepts exactly one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Id>,
    /// Subnets of a V2 link (its ENIs live there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum VpcLinkVersion {
    V1,
    V2,
}

impl VpcLink {
    pub fn version(&self) -> VpcLinkVersion {
        if self.subnets.is_empty() && self.security_groups.is_empty() {
            VpcLinkVersion::V1
        } else {
            VpcLinkVersion::V2
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IntegrationType {
    Http,
    HttpProxy,
    Aws,
    AwsProxy,
    Mock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConnectionType {
    Internet,
    VpcLink,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// REST APIs: accept certificates from private CAs. Hostname checks still apply.
    #[serde(default, skip_serializing_if = "is_false")]
    pub insecure_skip_verification: bool,
    /// HTTP APIs: the name used for SNI and certificate verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name_to_verify: Option<String>,
}

/// Which listener an integration sends to: HTTP APIs name it (`IntegrationUri` is a
/// listener ARN), REST APIs over a V2 link name the load balancer (`integrationTarget`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListenerRef {
    pub load_balancer: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Integration {
    #[serde(rename = "type")]
    pub kind: IntegrationType,
    /// Absent: `VPC_LINK` when `vpc_link` is set, `INTERNET` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_type: Option<ConnectionType>,
    /// The connection id: a VPC link id of this topology, or `${stageVariables.name}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_link: Option<String>,
    /// REST: the backend URL (its port picks the NLB listener; its host is the Host header
    /// and TLS name). HTTP APIs use `target` instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<ListenerRef>,
    /// The HTTP method sent to the backend (`integrationHttpMethod`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsConfig>,
}

impl Integration {
    pub fn effective_connection_type(&self) -> ConnectionType {
        self.connection_type.unwrap_or(if self.vpc_link.is_some() {
            ConnectionType::VpcLink
        } else {
            ConnectionType::Internet
        })
    }
    /// The stage variable named by `${stageVariables.name}`, if the connection id is one.
    pub fn connection_stage_variable(&self) -> Option<&str> {
        self.vpc_link
            .as_deref()?
            .strip_prefix("${stageVariables.")?
            .strip_suffix('}')
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub integration: Integration,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum LogLevel {
    Off,
    Error,
    Info,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Execution logging level (REST) — absent means off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logging: Option<LogLevel>,
    /// Detailed CloudWatch metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<bool>,
    /// Access log destination (a log group ARN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_log_destination: Option<String>,
    #[serde(default, skip_serializing_if = "KeyMap::is_empty")]
    pub variables: KeyMap<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum EndpointType {
    #[default]
    Regional,
    Edge,
    Private,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestApi {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub endpoint_type: EndpointType,
    /// Routes keyed `"METHOD /path"`, such as `"GET /products"` or `"ANY /{proxy+}"`.
    #[serde(default)]
    pub routes: KeyMap<Route>,
    #[serde(default)]
    pub stages: KeyMap<Stage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpApi {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Routes keyed `"METHOD /path"` or `"$default"`.
    #[serde(default)]
    pub routes: KeyMap<Route>,
    #[serde(default)]
    pub stages: KeyMap<Stage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_id: Option<String>,
}

/// A parsed route key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteKey<'a> {
    pub method: &'a str,
    pub path: &'a str,
}

pub const HTTP_METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

/// Splits `"GET /products"`; `"$default"` has method `ANY` and path `$default`.
pub fn parse_route_key(key: &str) -> Result<RouteKey<'_>, String> {
    if key == "$default" {
        return Ok(RouteKey {
            method: "ANY",
            path: "$default",
        });
    }
    let (method, path) = key.split_once(' ').ok_or_else(|| {
        format!(
            "route `{key}` needs a method and a path separated by a space, like `GET /products`"
        )
    })?;
    if !HTTP_METHODS.contains(&method) {
        return Err(format!(
            "route `{key}` has method `{method}`; use one of {}",
            HTTP_METHODS.join(", ")
        ));
    }
    if !path.starts_with('/') {
        return Err(format!(
            "route `{key}` has a path that does not start with `/`"
        ));
    }
    Ok(RouteKey { method, path })
}

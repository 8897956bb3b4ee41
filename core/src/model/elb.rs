//! Load balancers, listeners and target groups (Elastic Load Balancing v2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ids::Id;
use super::values::{Arn, Az};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LoadBalancerType {
    Network,
    Application,
    Gateway,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    Internal,
    /// AWS's default when no scheme is given.
    #[default]
    InternetFacing,
}

/// Protocols of listeners, target groups and health checks across ELB types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LbProtocol {
    Tcp,
    Tls,
    Udp,
    TcpUdp,
    Quic,
    TcpQuic,
    Http,
    Https,
    Geneve,
}

impl LbProtocol {
    pub fn as_str(&self) -> &'static str {
        match self {
            LbProtocol::Tcp => "TCP",
            LbProtocol::Tls => "TLS",
            LbProtocol::Udp => "UDP",
            LbProtocol::TcpUdp => "TCP_UDP",
            LbProtocol::Quic => "QUIC",
            LbProtocol::TcpQuic => "TCP_QUIC",
            LbProtocol::Http => "HTTP",
            LbProtocol::Https => "HTTPS",
            LbProtocol::Geneve => "GENEVE",
        }
    }
    /// Whether the listener terminates TLS (and so needs a certificate).
    pub fn terminates_tls(&self) -> bool {
        matches!(self, LbProtocol::Tls | LbProtocol::Https)
    }
    pub fn carries_tcp(&self) -> bool {
        matches!(
            self,
            LbProtocol::Tcp
                | LbProtocol::Tls
                | LbProtocol::TcpUdp
                | LbProtocol::TcpQuic
                | LbProtocol::Http
                | LbProtocol::Https
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Listener {
    pub port: u16,
    pub protocol: LbProtocol,
    /// The target group the default action forwards to.
    pub forward: Id,
    /// Server certificate ARN (TLS/HTTPS listeners).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    #[serde(rename = "type")]
    pub kind: LoadBalancerType,
    #[serde(default)]
    pub scheme: Scheme,
    /// One subnet per Availability Zone the load balancer serves.
    #[serde(default)]
    pub subnets: Vec<Id>,
    /// Security groups. For an NLB they can only be given at creation (facts §4.3).
    #[serde(default)]
    pub security_groups: Vec<Id>,
    /// `load_balancing.cross_zone.enabled`; NLBs default to off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_zone: Option<bool>,
    /// `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`; AWS defaults to on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforce_inbound_rules_on_privatelink: Option<bool>,
    #[serde(default)]
    pub listeners: Vec<Listener>,
    /// The ARN when the load balancer already exists; its Region and account are checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<Arn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl LoadBalancer {
    pub fn cross_zone_enabled(&self) -> bool {
        // ALBs always balance across zones; NLBs only when enabled.
        self.kind == LoadBalancerType::Application || self.cross_zone.unwrap_or(false)
    }
    pub fn enforces_privatelink_inbound(&self) -> bool {
        !self.security_groups.is_empty() && self.enforce_inbound_rules_on_privatelink != Some(false)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    #[default]
    Instance,
    Ip,
    Alb,
    Lambda,
}

/// `traffic-port` or a port number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HealthCheckPort {
    #[default]
    TrafficPort,
    Port(u16),
}

impl Serialize for HealthCheckPort {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            HealthCheckPort::TrafficPort => s.serialize_str("traffic-port"),
            HealthCheckPort::Port(p) => s.serialize_u16(*p),
        }
    }
}

impl<'de> Deserialize<'de> for HealthCheckPort {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = HealthCheckPort;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("\"traffic-port\" or a port number")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<HealthCheckPort, E> {
                u16::try_from(v)
                    .map(HealthCheckPort::Port)
                    .map_err(|_| E::custom(format!("port {v} is above 65535")))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<HealthCheckPort, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom(format!("port {v} is negative")))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<HealthCheckPort, E> {
                if v == "traffic-port" {
                    return Ok(HealthCheckPort::TrafficPort);
                }
                v.parse::<u16>().map(HealthCheckPort::Port).map_err(|_| {
                    E::custom(format!("`{v}` is not \"traffic-port\" or a port number"))
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for HealthCheckPort {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "HealthCheckPort".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "`traffic-port` (the target's port) or a port number.",
            "oneOf": [ { "const": "traffic-port" }, { "type": "integer", "minimum": 1, "maximum": 65535 } ]
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthCheck {
    /// Health checks cannot be disabled for instance, ip or alb targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<LbProtocol>,
    #[serde(default)]
    pub port: HealthCheckPort,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthy_threshold: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unhealthy_threshold: Option<u32>,
    /// HTTP codes counted as healthy, such as `200-399` or `200,204`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matcher: Option<String>,
}

impl Default for HealthCheck {
    fn default() -> Self {
        HealthCheck {
            enabled: None,
            protocol: None,
            port: HealthCheckPort::TrafficPort,
            path: None,
            interval_seconds: None,
            timeout_seconds: None,
            healthy_threshold: None,
            unhealthy_threshold: None,
            matcher: None,
        }
    }
}

impl HealthCheck {
    /// AWS's default protocol for NLB target groups is TCP (facts §4.6).
    pub fn protocol_or_default(&self) -> LbProtocol {
        self.protocol.unwrap_or(LbProtocol::Tcp)
    }
    pub fn port_for(&self, traffic_port: u16) -> u16 {
        match self.port {
            HealthCheckPort::TrafficPort => traffic_port,
            HealthCheckPort::Port(p) => p,
        }
    }
    pub fn interval_or_default(&self) -> u32 {
        self.interval_seconds.unwrap_or(30)
    }
    pub fn timeout_or_default(&self) -> u32 {
        self.timeout_seconds
            .unwrap_or(match self.protocol_or_default() {
                LbProtocol::Http => 6,
                _ => 10,
            })
    }
    pub fn path_or_default(&self) -> &str {
        self.path.as_deref().unwrap_or("/")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// An instance id of this topology (instance targets), an IP address (ip targets) or a
    /// load balancer id (alb targets).
    pub id: String,
    /// Overrides the target group's port for this target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Only for ip targets outside the VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub az: Option<Az>,
}

/// `load_balancing.cross_zone.enabled` on a target group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CrossZoneSetting {
    On,
    Off,
    #[default]
    UseLoadBalancerConfiguration,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    pub vpc: Id,
    pub protocol: LbProtocol,
    pub port: u16,
    #[serde(default)]
    pub target_type: TargetType,
    #[serde(default)]
    pub health_check: HealthCheck,
    #[serde(default)]
    pub targets: Vec<Target>,
    /// `preserve_client_ip.enabled`; the default depends on target type and protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preserve_client_ip: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_zone: Option<CrossZoneSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<Arn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl TargetGroup {
    /// AWS defaults (facts §4.8): instance targets preserve client IPs; ip targets with
    /// TCP/TLS do not; UDP and TCP_UDP always do.
    pub fn preserves_client_ip(&self) -> bool {
        match self.protocol {
            LbProtocol::Udp | LbProtocol::TcpUdp | LbProtocol::Quic | LbProtocol::TcpQuic => true,
            _ => self
                .preserve_client_ip
                .unwrap_or(self.target_type == TargetType::Instance),
        }
    }
    pub fn target_port(&self, target: &Target) -> u16 {
        target.port.unwrap_or(self.port)
    }
    /// Cross-zone as this target group experiences it behind `lb`.
    pub fn cross_zone_behind(&self, lb: &LoadBalancer) -> bool {
        match self.cross_zone.unwrap_or_default() {
            CrossZoneSetting::On => true,
            CrossZoneSetting::Off => false,
            CrossZoneSetting::UseLoadBalancerConfiguration => lb.cross_zone_enabled(),
        }
    }
}

//! VPCs, subnets, security groups, network ACLs and EC2 instances.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ids::Id;
use super::values::{Az, Cidr, IpAddress, IpProtocol, PortRange};

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vpc {
    /// Primary IPv4 CIDR block.
    pub cidr: Cidr,
    /// Secondary CIDR blocks associated with the VPC.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_cidrs: Vec<Cidr>,
    /// The AWS id (`vpc-…`) when the VPC already exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    pub vpc: Id,
    pub az: Az,
    pub cidr: Cidr,
    /// The network ACL associated with the subnet; absent means the VPC's default ACL,
    /// which allows all traffic in both directions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_acl: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The other end of a security-group rule: exactly one of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Peer {
    Cidr(Cidr),
    SecurityGroup(Id),
    /// A managed prefix list id (`pl-…`); its entries are not modelled.
    PrefixList(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IngressRule {
    pub protocol: IpProtocol,
    /// Required for tcp and udp; ignored for `all`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<PortRange>,
    // YAML writes enums as tags by default; a one-key map reads the same in JSON and YAML.
    #[serde(with = "serde_yaml_ng::with::singleton_map")]
    #[schemars(with = "Peer")]
    pub source: Peer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EgressRule {
    pub protocol: IpProtocol,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<PortRange>,
    #[serde(with = "serde_yaml_ng::with::singleton_map")]
    #[schemars(with = "Peer")]
    pub destination: Peer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A rule of either direction, as the evaluators see it.
#[derive(Debug, Clone, Copy)]
pub struct SgRuleView<'a> {
    pub protocol: IpProtocol,
    pub ports: Option<PortRange>,
    pub peer: &'a Peer,
}

impl IngressRule {
    pub fn view(&self) -> SgRuleView<'_> {
        SgRuleView {
            protocol: self.protocol,
            ports: self.ports,
            peer: &self.source,
        }
    }
}
impl EgressRule {
    pub fn view(&self) -> SgRuleView<'_> {
        SgRuleView {
            protocol: self.protocol,
            ports: self.ports,
            peer: &self.destination,
        }
    }
}

impl SgRuleView<'_> {
    /// The ports this rule opens for `protocol` (all ports for `all`).
    pub fn port_range(&self) -> PortRange {
        if self.protocol == IpProtocol::All {
            PortRange::ALL
        } else {
            self.ports.unwrap_or(PortRange::ALL)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroup {
    pub vpc: Id,
    #[serde(default)]
    pub ingress: Vec<IngressRule>,
    /// Outbound rules. Absent means what AWS gives a new group: allow everything out.
    /// An empty list means no outbound traffic at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress: Option<Vec<EgressRule>>,
    /// The VPC's default group (AWS names it `default`). It comes and goes with its VPC:
    /// AWS refuses to delete it, so plans never do.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NaclAction {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NaclEntry {
    /// Rule number: entries are evaluated in ascending order and the first match decides.
    pub rule: u32,
    pub protocol: IpProtocol,
    /// Required for tcp and udp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<PortRange>,
    pub cidr: Cidr,
    pub action: NaclAction,
}

impl NaclEntry {
    pub fn port_range(&self) -> PortRange {
        if self.protocol.has_ports() {
            self.ports.unwrap_or(PortRange::ALL)
        } else {
            PortRange::ALL
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkAcl {
    pub vpc: Id,
    /// Inbound entries. Every list ends with AWS's implicit deny-all (`*`).
    #[serde(default)]
    pub ingress: Vec<NaclEntry>,
    /// Outbound entries.
    #[serde(default)]
    pub egress: Vec<NaclEntry>,
    /// The VPC's default ACL. Its entries are listed like any other; AWS creates it with
    /// allow-all rules numbered 100.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What a process on an instance serves, so health checks and URIs can be compared with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum AppProtocol {
    Tcp,
    Udp,
    Tls,
    Http,
    Https,
}

impl AppProtocol {
    pub fn is_tls(&self) -> bool {
        matches!(self, AppProtocol::Tls | AppProtocol::Https)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServedPort {
    pub port: u16,
    pub protocol: AppProtocol,
    /// The path that answers health checks with a success code, for HTTP(S).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_path: Option<String>,
    /// Names on the server certificate (CN/SAN), for HTTPS/TLS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificate_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub subnet: Id,
    #[serde(default)]
    pub security_groups: Vec<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<IpAddress>,
    /// Ports the instance serves. Absent means unknown: rules that compare health checks
    /// with the service stay quiet rather than guess.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serves: Option<Vec<ServedPort>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// The AMI to launch from. When absent, a plan looks up the latest Amazon Linux 2023
    /// image through its public SSM parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

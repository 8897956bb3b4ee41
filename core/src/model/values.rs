//! Value types that reject bad values when the topology is parsed, so every later stage can
//! trust them. Each serialises back to the string form a person writes.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use ipnet::IpNet;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// Implements `Serialize`/`Deserialize` through `Display`/`FromStr`, and a string JSON Schema.
macro_rules! string_value {
    ($ty:ident, $desc:expr, $example:expr) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = Cow::<'de, str>::deserialize(d)?;
                text.parse().map_err(de::Error::custom)
            }
        }
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                stringify!($ty).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "description": $desc, "examples": [$example] })
            }
        }
    };
}

/// An IPv4 or IPv6 CIDR block such as `10.0.1.0/24`. Host bits must be zero, as AWS requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr(IpNet);

impl Cidr {
    pub fn net(&self) -> IpNet {
        self.0
    }
    pub fn is_ipv4(&self) -> bool {
        matches!(self.0, IpNet::V4(_))
    }
    /// The everything-range of this address family (`0.0.0.0/0` or `::/0`).
    pub fn is_any(&self) -> bool {
        self.0.prefix_len() == 0
    }
    pub fn contains(&self, other: &Cidr) -> bool {
        self.0.contains(&other.0)
    }
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.0.contains(&other.0.network()) || other.0.contains(&self.0.network())
    }
    /// First and last address as integers in a shared space: IPv4 maps into the
    /// IPv4-mapped IPv6 range so that the two families never overlap.
    pub fn bounds(&self) -> (u128, u128) {
        match self.0 {
            IpNet::V4(n) => {
                let base = 0xffff_u128 << 32;
                (
                    base | u128::from(u32::from(n.network())),
                    base | u128::from(u32::from(n.broadcast())),
                )
            }
            IpNet::V6(n) => (u128::from(n.network()), u128::from(n.broadcast())),
        }
    }
}

impl FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let net: IpNet = s.parse().map_err(|_| {
            format!("`{s}` is not a CIDR block; write an address and a prefix length, like `10.0.0.0/16`")
        })?;
        if net.trunc() != net {
            return Err(format!(
                "`{s}` has host bits set; the network address of that block is `{}`",
                net.trunc()
            ));
        }
        Ok(Cidr(net))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
string_value!(Cidr, "An IPv4 or IPv6 CIDR block.", "10.0.1.0/24");

/// A single address, as a `/32` or `/128` CIDR for the evaluators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpAddress(core::net::IpAddr);

impl IpAddress {
    pub fn as_cidr(&self) -> Cidr {
        Cidr(IpNet::from(self.0))
    }
}
impl FromStr for IpAddress {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.parse()
            .map(IpAddress)
            .map_err(|_| format!("`{s}` is not an IP address"))
    }
}
impl fmt::Display for IpAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
string_value!(IpAddress, "An IPv4 or IPv6 address.", "10.0.1.10");

/// An inclusive range of TCP/UDP ports. Written `"80"`, `80` or `"1024-65535"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };
    /// The return-traffic range AWS recommends for NLB paths (facts §6).
    pub const EPHEMERAL: PortRange = PortRange {
        from: 1024,
        to: 65535,
    };
    pub fn single(port: u16) -> Self {
        PortRange {
            from: port,
            to: port,
        }
    }
    pub fn contains(&self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }
    pub fn covers(&self, other: &PortRange) -> bool {
        self.from <= other.from && other.to <= self.to
    }
}

impl FromStr for PortRange {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a port or port range; write `443` or `1024-65535`");
        let parse = |p: &str| p.trim().parse::<u16>().map_err(|_| bad());
        let range = match s.split_once('-') {
            Some((a, b)) => PortRange {
                from: parse(a)?,
                to: parse(b)?,
            },
            None => PortRange::single(parse(s)?),
        };
        if range.from > range.to {
            return Err(format!(
                "port range `{s}` runs backwards; write the lower port first"
            ));
        }
        Ok(range)
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

impl Serialize for PortRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PortRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = PortRange;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a port (0-65535) or a range like \"1024-65535\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PortRange, E> {
                u16::try_from(v)
                    .map(PortRange::single)
                    .map_err(|_| E::custom(format!("port {v} is above 65535")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PortRange, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom(format!("port {v} is negative")))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PortRange, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for PortRange {
    fn schema_name() -> Cow<'static, str> {
        "PortRange".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A port or an inclusive port range.",
            "oneOf": [
                { "type": "integer", "minimum": 0, "maximum": 65535 },
                { "type": "string", "pattern": "^[0-9]{1,5}(-[0-9]{1,5})?$" }
            ],
            "examples": [443, "1024-65535"]
        })
    }
}

/// An AWS Region name such as `us-east-1` or `us-gov-west-1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(String);

impl Region {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_region(s: &str) -> bool {
    // geography-[qualifier-]direction-number, all lower case: us-east-1, ap-southeast-2, us-gov-west-1
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts
            .last()
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
}

impl FromStr for Region {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if is_region(s) {
            Ok(Region(s.to_owned()))
        } else {
            Err(format!(
                "`{s}` is not an AWS Region name; Regions look like `us-east-1` or `eu-west-2`"
            ))
        }
    }
}
impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_value!(Region, "An AWS Region name.", "us-east-1");

/// An Availability Zone name such as `us-east-1a` (Local Zones such as `us-west-2-lax-1a` too).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Az(String);

impl Az {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The Region this zone belongs to, read from its name.
    pub fn region(&self) -> Option<Region> {
        let mut end = self.0.len();
        // Local Zones: us-west-2-lax-1a → us-west-2
        if let Some(pos) = self.0.char_indices().find_map(|(i, _)| {
            let head = &self.0[..i];
            (i > 0 && is_region(head) && self.0[i..].starts_with('-')).then_some(i)
        }) {
            end = pos;
        } else {
            end -= self
                .0
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_lowercase())
                .count();
        }
        self.0[..end].parse().ok()
    }
}

impl FromStr for Az {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let ok = s.len() > 2
            && s.ends_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let az = Az(s.to_owned());
        if ok && az.region().is_some() {
            Ok(az)
        } else {
            Err(format!(
                "`{s}` is not an Availability Zone name; zones look like `us-east-1a`"
            ))
        }
    }
}
impl fmt::Display for Az {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_value!(Az, "An Availability Zone name.", "us-east-1a");

/// An Amazon Resource Name: `arn:partition:service:region:account:resource`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Arn {
    text: String,
}

impl Arn {
    fn part(&self, n: usize) -> &str {
        self.text.splitn(6, ':').nth(n).unwrap_or("")
    }
    pub fn service(&self) -> &str {
        self.part(2)
    }
    pub fn region(&self) -> &str {
        self.part(3)
    }
    pub fn account(&self) -> &str {
        self.part(4)
    }
    pub fn resource(&self) -> &str {
        self.part(5)
    }
    pub fn as_str(&self) -> &str {
        &self.text
    }
    /// `net/<name>/<id>` of an NLB ARN, `targetgroup/<name>/<id>` of a target group ARN:
    /// the form CloudWatch dimensions use (facts §7.1).
    pub fn dimension_suffix(&self) -> &str {
        let r = self.resource();
        r.strip_prefix("loadbalancer/").unwrap_or(r)
    }
}

impl FromStr for Arn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        if parts.len() == 6 && parts[0] == "arn" && !parts[1].is_empty() && !parts[2].is_empty() {
            Ok(Arn { text: s.to_owned() })
        } else {
            Err(format!(
                "`{s}` is not an ARN; ARNs look like `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/name/id`"
            ))
        }
    }
}
impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
string_value!(
    Arn,
    "An Amazon Resource Name.",
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/shop/0123456789abcdef"
);

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(String);

impl AccountId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl FromStr for AccountId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.len() == 12 && s.chars().all(|c| c.is_ascii_digit()) {
            Ok(AccountId(s.to_owned()))
        } else {
            Err(format!("`{s}` is not an AWS account id (12 digits)"))
        }
    }
}
impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_value!(AccountId, "A 12-digit AWS account id.", "123456789012");

/// IP protocol of a security-group rule or network ACL entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IpProtocol {
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
    /// `-1`: every protocol and every port.
    All,
    /// Any other protocol number.
    Number(u8),
}

impl IpProtocol {
    pub fn matches(&self, other: IpProtocol) -> bool {
        *self == IpProtocol::All || *self == other
    }
    /// Whether rules of this protocol carry a port range.
    pub fn has_ports(&self) -> bool {
        matches!(self, IpProtocol::Tcp | IpProtocol::Udp)
    }
}

impl FromStr for IpProtocol {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "tcp" | "6" => IpProtocol::Tcp,
            "udp" | "17" => IpProtocol::Udp,
            "icmp" | "1" => IpProtocol::Icmp,
            "icmpv6" | "58" => IpProtocol::Icmpv6,
            "all" | "-1" => IpProtocol::All,
            other => match other.parse::<u8>() {
                Ok(n) => IpProtocol::Number(n),
                Err(_) => {
                    return Err(format!(
                        "`{s}` is not an IP protocol; use `tcp`, `udp`, `icmp`, `all` or a protocol number"
                    ))
                }
            },
        })
    }
}
impl fmt::Display for IpProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpProtocol::Tcp => f.write_str("tcp"),
            IpProtocol::Udp => f.write_str("udp"),
            IpProtocol::Icmp => f.write_str("icmp"),
            IpProtocol::Icmpv6 => f.write_str("icmpv6"),
            IpProtocol::All => f.write_str("all"),
            IpProtocol::Number(n) => write!(f, "{n}"),
        }
    }
}

impl Serialize for IpProtocol {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for IpProtocol {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = IpProtocol;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an IP protocol: \"tcp\", \"udp\", \"icmp\", \"all\" or a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<IpProtocol, E> {
                v.to_string().parse().map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<IpProtocol, E> {
                v.to_string().parse().map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IpProtocol, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}
impl JsonSchema for IpProtocol {
    fn schema_name() -> Cow<'static, str> {
        "IpProtocol".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "IP protocol: tcp, udp, icmp, icmpv6, all (-1), or a protocol number.",
            "oneOf": [
                { "type": "string", "enum": ["tcp", "udp", "icmp", "icmpv6", "all", "-1"] },
                { "type": "integer", "minimum": -1, "maximum": 255 },
                { "type": "string", "pattern": "^[0-9]{1,3}$" }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_rejects_host_bits_and_names_the_network() {
        let err = "10.0.1.5/24".parse::<Cidr>().unwrap_err();
        assert!(err.contains("10.0.1.0/24"), "{err}");
        assert!("10.0.1.0/24".parse::<Cidr>().is_ok());
        assert!("nonsense".parse::<Cidr>().is_err());
    }

    #[test]
    fn cidr_bounds_keep_families_apart() {
        let v4: Cidr = "0.0.0.0/0".parse().unwrap();
        let v6: Cidr = "::/0".parse().unwrap();
        let (a, b) = v4.bounds();
        assert!(a > 0 && b < u128::MAX);
        assert_eq!(v6.bounds(), (0, u128::MAX));
    }

    #[test]
    fn port_ranges_parse_both_forms() {
        assert_eq!("80".parse::<PortRange>().unwrap(), PortRange::single(80));
        assert_eq!(
            "1024-65535".parse::<PortRange>().unwrap(),
            PortRange::EPHEMERAL
        );
        assert!("90-80".parse::<PortRange>().is_err());
        assert!("70000".parse::<PortRange>().is_err());
        let p: PortRange = serde_json::from_str("8080").unwrap();
        assert_eq!(p, PortRange::single(8080));
        assert!(serde_json::from_str::<PortRange>("-1").is_err());
    }

    #[test]
    fn regions_and_zones() {
        assert!("us-east-1".parse::<Region>().is_ok());
        assert!("us-gov-west-1".parse::<Region>().is_ok());
        assert!("US-EAST-1".parse::<Region>().is_err());
        assert!("useast".parse::<Region>().is_err());
        let az: Az = "us-east-1a".parse().unwrap();
        assert_eq!(az.region().unwrap().as_str(), "us-east-1");
        let local: Az = "us-west-2-lax-1a".parse().unwrap();
        assert_eq!(local.region().unwrap().as_str(), "us-west-2");
        assert!("us-east-1".parse::<Az>().is_err());
    }

    #[test]
    fn arn_parts() {
        let arn: Arn =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/shop/abc"
                .parse()
                .unwrap();
        assert_eq!(arn.region(), "eu-west-1");
        assert_eq!(arn.account(), "123456789012");
        assert_eq!(arn.dimension_suffix(), "net/shop/abc");
        assert!("arn:aws".parse::<Arn>().is_err());
    }

    #[test]
    fn protocols_accept_names_and_numbers() {
        assert_eq!("-1".parse::<IpProtocol>().unwrap(), IpProtocol::All);
        assert_eq!("6".parse::<IpProtocol>().unwrap(), IpProtocol::Tcp);
        let p: IpProtocol = serde_json::from_str("-1").unwrap();
        assert_eq!(p, IpProtocol::All);
        assert!("tcpx".parse::<IpProtocol>().is_err());
    }
}

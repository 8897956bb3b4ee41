//! Create steps: one family per file, each following facts §9.1/§9.2 with the call shapes
//! of facts §10.

mod alarm;
mod apigw;
mod elb;
mod http;
mod link;
mod network;
mod rest;

use serde_json::{json, Value};

use crate::model::{IpProtocol, NaclEntry, Peer, PortRange};

use super::ctx::Ctx;
use super::diff::Fate;
use super::error::PlanError;
use super::key::{Key, Kind};
use super::types::{Change, JoinPart};

pub(crate) use elb::{health_check_params, load_balancer_gone, target_group_attributes};
pub(crate) use link::link_gone;
pub(crate) use network::instance_state_wait;
pub(crate) use rest::{endpoint_type, rest_stage_variables, ResourcePaths};

impl Ctx<'_> {
    /// Emits the steps that create a desired entity (new, or the new half of a
    /// replacement).
    pub(crate) fn create(&mut self, key: &Key) -> Result<(), PlanError> {
        match key.kind {
            Kind::Vpc => self.create_vpc(key),
            Kind::Subnet => self.create_subnet(key),
            Kind::SecurityGroup => self.create_security_group(key),
            Kind::NetworkAcl => self.create_network_acl(key),
            Kind::Instance => self.create_instance(key),
            Kind::TargetGroup => self.create_target_group(key),
            Kind::LoadBalancer => self.create_load_balancer(key),
            Kind::Listener => self.create_listener(key),
            Kind::VpcLink => self.create_vpc_link(key),
            Kind::RestApi => self.create_rest_api(key),
            Kind::RestRoute => self.create_rest_route(key),
            Kind::RestStage => self.create_rest_stage(key),
            Kind::HttpApi => self.create_http_api(key),
            Kind::HttpRoute => self.create_http_route(key),
            Kind::HttpStage => self.create_http_stage(key),
            Kind::Alarm => self.put_alarm(key, true),
        }
    }

    /// "Create", or "Recreate" for the new half of a replacement.
    pub(crate) fn verb(&self, key: &Key) -> &'static str {
        match self.fate(key) {
            Some(Fate::Replace { .. }) => "Recreate",
            _ => "Create",
        }
    }

    /// The changes a replacement carries, for its create step.
    pub(crate) fn replace_changes(&self, key: &Key) -> Vec<Change> {
        match self.fate(key) {
            Some(Fate::Replace { changes, .. }) => changes.clone(),
            _ => Vec::new(),
        }
    }

    /// The id a new entity's steps share their create step's outputs under.
    pub(crate) fn create_id(key: &Key) -> String {
        key.step("create")
    }
}

/// The EC2 name of an IP protocol in security-group rules.
pub(crate) fn sg_protocol(p: IpProtocol) -> String {
    match p {
        IpProtocol::All => "-1".into(),
        other => other.to_string(),
    }
}

/// The EC2 protocol number of a network ACL entry: a string (facts §6, §10.4).
pub(crate) fn nacl_protocol(p: IpProtocol) -> String {
    match p {
        IpProtocol::Tcp => "6".into(),
        IpProtocol::Udp => "17".into(),
        IpProtocol::Icmp => "1".into(),
        IpProtocol::Icmpv6 => "58".into(),
        IpProtocol::All => "-1".into(),
        IpProtocol::Number(n) => n.to_string(),
    }
}

/// One `IpPermission` for a rule; `peer_id` is the other group's id when the peer is a
/// security group.
pub(crate) fn ip_permission(
    protocol: IpProtocol,
    ports: Option<PortRange>,
    peer: &Peer,
    peer_id: Option<Value>,
    description: Option<&str>,
) -> Value {
    let mut p = json!({ "IpProtocol": sg_protocol(protocol) });
    let range = match protocol {
        IpProtocol::Tcp | IpProtocol::Udp => Some(ports.unwrap_or(PortRange::ALL)),
        _ => None,
    };
    if let Some(r) = range {
        p["FromPort"] = json!(r.from);
        p["ToPort"] = json!(r.to);
    } else if matches!(protocol, IpProtocol::Icmp | IpProtocol::Icmpv6) {
        // Every ICMP type and code.
        p["FromPort"] = json!(-1);
        p["ToPort"] = json!(-1);
    }
    let mut entry = match peer {
        Peer::Cidr(c) if c.is_ipv4() => json!({ "CidrIp": c.to_string() }),
        Peer::Cidr(c) => json!({ "CidrIpv6": c.to_string() }),
        Peer::SecurityGroup(_) => json!({ "GroupId": peer_id.unwrap_or(Value::Null) }),
        Peer::PrefixList(pl) => json!({ "PrefixListId": pl }),
    };
    if let Some(d) = description {
        entry["Description"] = json!(d);
    }
    let list = match peer {
        Peer::Cidr(c) if c.is_ipv4() => "IpRanges",
        Peer::Cidr(_) => "Ipv6Ranges",
        Peer::SecurityGroup(_) => "UserIdGroupPairs",
        Peer::PrefixList(_) => "PrefixListIds",
    };
    p[list] = json!([entry]);
    p
}

/// The JMESPath filter (as join parts) selecting `perm` in a group's `field` list by
/// protocol, ports and peer.
fn permission_filter(field: &str, perm: &Value) -> Vec<JoinPart> {
    let text = |s: String| JoinPart::Text(s);
    let mut cond = format!(
        "IpProtocol=={}",
        super::aws::lit(perm["IpProtocol"].as_str().unwrap_or("-1"))
    );
    if let (Some(f), Some(t)) = (perm["FromPort"].as_i64(), perm["ToPort"].as_i64()) {
        cond.push_str(&format!(" && FromPort==`{f}` && ToPort==`{t}`"));
    }
    let mut parts = vec![text(format!("{field}[?{cond} && "))];
    let (list, field_name, value) = [
        ("IpRanges", "CidrIp"),
        ("Ipv6Ranges", "CidrIpv6"),
        ("UserIdGroupPairs", "GroupId"),
        ("PrefixListIds", "PrefixListId"),
    ]
    .iter()
    .find_map(|(list, f)| {
        perm[*list]
            .get(0)
            .and_then(|e| e.get(*f))
            .map(|v| (*list, *f, v.clone()))
    })
    .unwrap_or(("IpRanges", "CidrIp", Value::Null));
    parts.push(text(format!("{list}[?{field_name}=='")));
    parts.extend(join_value(&value));
    parts.push(text("']]".into()));
    parts
}

/// A JMESPath (as join parts) over `describe_security_groups` that yields a value when
/// the group's `field` list holds `perm`: the lookup of an authorize step.
pub(crate) fn permission_query(field: &str, perm: &Value) -> Vec<JoinPart> {
    let mut parts = vec![JoinPart::Text("SecurityGroups[0].".into())];
    parts.extend(permission_filter(field, perm));
    parts.push(JoinPart::Text(" | [0].IpProtocol".into()));
    parts
}

/// Join parts for a parameter value: a literal string, or an `$output` reference.
pub(crate) fn join_value(v: &Value) -> Vec<JoinPart> {
    if let Some(s) = v.as_str() {
        return vec![JoinPart::Text(s.to_owned())];
    }
    if let Some(o) = v.get("$output") {
        if let (Some(step), Some(name)) = (o["step"].as_str(), o["name"].as_str()) {
            return vec![super::step::join_ref(step, name)];
        }
    }
    if let Some(parts) = v.get("$join").and_then(Value::as_array) {
        return parts.iter().flat_map(join_value).collect();
    }
    Vec::new()
}

/// The query as people read it: references shown as `<step:name>`.
pub(crate) fn shown_query(parts: &[JoinPart]) -> String {
    parts
        .iter()
        .map(|p| match p {
            JoinPart::Text(t) => t.clone(),
            JoinPart::Output { output } => format!("<{}:{}>", output.step, output.name),
        })
        .collect()
}

/// `create_network_acl_entry` / `replace_network_acl_entry` parameters.
pub(crate) fn nacl_entry_params(acl: Value, e: &NaclEntry, egress: bool) -> Value {
    let mut p = json!({
        "NetworkAclId": acl,
        "RuleNumber": e.rule,
        "Protocol": nacl_protocol(e.protocol),
        "RuleAction": match e.action { crate::model::NaclAction::Allow => "allow", crate::model::NaclAction::Deny => "deny" },
        "Egress": egress,
    });
    if e.cidr.is_ipv4() {
        p["CidrBlock"] = json!(e.cidr.to_string());
    } else {
        p["Ipv6CidrBlock"] = json!(e.cidr.to_string());
    }
    if e.protocol.has_ports() {
        let r = e.port_range();
        p["PortRange"] = json!({ "From": r.from, "To": r.to });
    } else if matches!(e.protocol, IpProtocol::Icmp | IpProtocol::Icmpv6) {
        p["IcmpTypeCode"] = json!({ "Type": -1, "Code": -1 });
    }
    p
}

/// The direction word of a NACL entry or SG rule list.
pub(crate) fn direction(egress: bool) -> &'static str {
    if egress {
        "egress"
    } else {
        "ingress"
    }
}

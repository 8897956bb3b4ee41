//! Security groups: stateful, allow-only, the union of every rule of every attached group
//! (facts §5.1). Return traffic of an allowed flow is always allowed, so only the direction
//! that opens the flow is evaluated.

use crate::model::{Cidr, Id, IpProtocol, Peer, PortRange, SecurityGroup, SgRuleView};

use super::space::{Space, Span};

/// Which rule list of the groups applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub fn key(&self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }
}

/// The other end of a flow, as a security group sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint<'a> {
    /// The addresses traffic comes from or goes to; `None` when unknown, in which case a
    /// CIDR rule may match and is counted as matching.
    pub addrs: Option<Vec<Cidr>>,
    /// The groups the other end's network interfaces belong to; `None` when unknown, in
    /// which case a rule naming a group may match and is counted as matching.
    pub groups: Option<Vec<&'a Id>>,
}

impl<'a> Endpoint<'a> {
    /// Known addresses, known (possibly empty) group membership.
    pub fn new(addrs: Vec<Cidr>, groups: Vec<&'a Id>) -> Self {
        Endpoint {
            addrs: Some(addrs),
            groups: Some(groups),
        }
    }
}

/// What the groups decide for a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SgVerdict {
    Allowed,
    /// No rule allows the part of the flow in `uncovered`.
    Blocked {
        uncovered: Space,
    },
}

impl SgVerdict {
    pub fn is_allowed(&self) -> bool {
        matches!(self, SgVerdict::Allowed)
    }
}

/// Whether `groups` (the groups on one network interface) allow `protocol` on `ports`
/// from (ingress) or to (egress) `peer`. Prefix-list rules are counted as matching, since
/// their entries are not modelled: a block is only reported when nothing could open it.
pub fn evaluate<'g>(
    groups: impl IntoIterator<Item = &'g SecurityGroup>,
    direction: Direction,
    peer: &Endpoint<'_>,
    protocol: IpProtocol,
    ports: PortRange,
) -> SgVerdict {
    let mut rest = match &peer.addrs {
        Some(addrs) => Space::from_cidrs(addrs, ports),
        None => Space::from_span(Span::everywhere(ports)),
    };
    if rest.is_empty() {
        return SgVerdict::Allowed;
    }
    for group in groups {
        let rules: Vec<SgRuleView<'_>> = match direction {
            Direction::Ingress => group.ingress.iter().map(|r| r.view()).collect(),
            Direction::Egress => match &group.egress {
                // An unmodelled egress list is AWS's default: everything out.
                None => return SgVerdict::Allowed,
                Some(rules) => rules.iter().map(|r| r.view()).collect(),
            },
        };
        for rule in rules {
            if !rule.protocol.matches(protocol) {
                continue;
            }
            let ports = rule.port_range();
            match rule.peer {
                Peer::Cidr(c) if peer.addrs.is_some() => rest.subtract_cidr(c, ports),
                Peer::SecurityGroup(g) => match &peer.groups {
                    Some(member_of) if !member_of.contains(&g) => continue,
                    _ => rest.subtract(&Span::everywhere(ports)),
                },
                // Unknown addresses may fall in the block; prefix lists may hold anything.
                Peer::Cidr(_) | Peer::PrefixList(_) => rest.subtract(&Span::everywhere(ports)),
            }
            if rest.is_empty() {
                return SgVerdict::Allowed;
            }
        }
    }
    SgVerdict::Blocked { uncovered: rest }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sg(v: serde_json::Value) -> SecurityGroup {
        serde_json::from_value(v).unwrap()
    }
    fn cidr(s: &str) -> Cidr {
        s.parse().unwrap()
    }
    fn id(s: &str) -> Id {
        s.parse().unwrap()
    }

    #[test]
    fn group_reference_matches_members_only() {
        let app = sg(json!({ "vpc": "v", "ingress": [
            { "protocol": "tcp", "ports": "8080", "source": { "security_group": "nlb" } } ] }));
        let nlb = id("nlb");
        let other = id("other");
        let from_nlb = Endpoint::new(vec![cidr("10.0.101.0/24")], vec![&nlb]);
        let from_other = Endpoint::new(vec![cidr("10.0.101.0/24")], vec![&other]);
        let tcp = IpProtocol::Tcp;
        assert!(evaluate(
            [&app],
            Direction::Ingress,
            &from_nlb,
            tcp,
            PortRange::single(8080)
        )
        .is_allowed());
        assert!(!evaluate(
            [&app],
            Direction::Ingress,
            &from_nlb,
            tcp,
            PortRange::single(8081)
        )
        .is_allowed());
        assert!(!evaluate(
            [&app],
            Direction::Ingress,
            &from_other,
            tcp,
            PortRange::single(8080)
        )
        .is_allowed());
        // Unknown membership: the reference might match, so no block.
        let unknown = Endpoint {
            addrs: Some(vec![cidr("10.0.101.0/24")]),
            groups: None,
        };
        assert!(evaluate(
            [&app],
            Direction::Ingress,
            &unknown,
            tcp,
            PortRange::single(8080)
        )
        .is_allowed());
    }

    #[test]
    fn rules_of_all_groups_add_up() {
        let a = sg(json!({ "vpc": "v", "ingress": [
            { "protocol": "tcp", "ports": "8080", "source": { "cidr": "10.0.101.0/24" } } ] }));
        let b = sg(json!({ "vpc": "v", "ingress": [
            { "protocol": "tcp", "ports": "8080", "source": { "cidr": "10.0.102.0/24" } } ] }));
        let peer = Endpoint::new(vec![cidr("10.0.101.0/24"), cidr("10.0.102.0/24")], vec![]);
        let p = PortRange::single(8080);
        assert!(!evaluate([&a], Direction::Ingress, &peer, IpProtocol::Tcp, p).is_allowed());
        assert!(evaluate([&a, &b], Direction::Ingress, &peer, IpProtocol::Tcp, p).is_allowed());
        match evaluate([&a], Direction::Ingress, &peer, IpProtocol::Tcp, p) {
            SgVerdict::Blocked { uncovered } => {
                assert_eq!(uncovered.first().unwrap().addresses(), "10.0.102.0/24")
            }
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn protocol_all_covers_every_port_and_udp_rules_do_not_cover_tcp() {
        let all = sg(json!({ "vpc": "v", "ingress": [
            { "protocol": "all", "source": { "cidr": "0.0.0.0/0" } } ] }));
        let udp = sg(json!({ "vpc": "v", "ingress": [
            { "protocol": "udp", "ports": "0-65535", "source": { "cidr": "0.0.0.0/0" } } ] }));
        let peer = Endpoint::new(vec![cidr("10.0.0.0/16")], vec![]);
        assert!(evaluate(
            [&all],
            Direction::Ingress,
            &peer,
            IpProtocol::Tcp,
            PortRange::ALL
        )
        .is_allowed());
        assert!(!evaluate(
            [&udp],
            Direction::Ingress,
            &peer,
            IpProtocol::Tcp,
            PortRange::single(80)
        )
        .is_allowed());
    }

    #[test]
    fn prefix_lists_are_conservative() {
        let pl = sg(json!({ "vpc": "v", "ingress": [
            { "protocol": "tcp", "ports": "443", "source": { "prefix_list": "pl-123" } } ] }));
        let peer = Endpoint::new(vec![cidr("0.0.0.0/0")], vec![]);
        assert!(evaluate(
            [&pl],
            Direction::Ingress,
            &peer,
            IpProtocol::Tcp,
            PortRange::single(443)
        )
        .is_allowed());
        assert!(!evaluate(
            [&pl],
            Direction::Ingress,
            &peer,
            IpProtocol::Tcp,
            PortRange::single(80)
        )
        .is_allowed());
    }

    #[test]
    fn egress_default_allows_and_empty_list_denies() {
        let default = sg(json!({ "vpc": "v" }));
        let none = sg(json!({ "vpc": "v", "egress": [] }));
        let peer = Endpoint::new(vec![cidr("10.0.1.0/24")], vec![]);
        let p = PortRange::single(8080);
        assert!(evaluate([&default], Direction::Egress, &peer, IpProtocol::Tcp, p).is_allowed());
        assert!(!evaluate([&none], Direction::Egress, &peer, IpProtocol::Tcp, p).is_allowed());
    }

    #[test]
    fn ipv4_rules_do_not_open_ipv6_sources() {
        let v4 = sg(json!({ "vpc": "v", "ingress": [
            { "protocol": "tcp", "ports": "80", "source": { "cidr": "0.0.0.0/0" } } ] }));
        let v6_peer = Endpoint::new(vec![cidr("2001:db8::/64")], vec![]);
        assert!(!evaluate(
            [&v4],
            Direction::Ingress,
            &v6_peer,
            IpProtocol::Tcp,
            PortRange::single(80)
        )
        .is_allowed());
    }
}

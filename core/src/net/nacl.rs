//! Network ACLs: stateless, entries in ascending rule number, first match wins, and an
//! implicit deny (`*`) at the end of each list (facts §6).

use crate::model::{Cidr, IpProtocol, NaclAction, NaclEntry, NetworkAcl, PortRange};

use super::sg::Direction;
use super::space::Space;

/// What stopped (part of) a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NaclBlocker {
    /// A deny entry: its position in the list as written, and its rule number.
    Entry { index: usize, rule: u32 },
    /// Nothing matched, so the final `*` rule denied it.
    ImplicitDeny,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NaclVerdict {
    Allowed,
    /// `blocked` is the part of the flow the blocker decides (all of it, for the
    /// implicit deny).
    Blocked {
        by: NaclBlocker,
        blocked: Space,
    },
}

impl NaclVerdict {
    pub fn is_allowed(&self) -> bool {
        matches!(self, NaclVerdict::Allowed)
    }
}

/// The entries in evaluation order: by rule number, ties in written order.
pub fn ordered(entries: &[NaclEntry]) -> Vec<(usize, &NaclEntry)> {
    let mut order: Vec<(usize, &NaclEntry)> = entries.iter().enumerate().collect();
    order.sort_by_key(|(i, e)| (e.rule, *i));
    order
}

/// Evaluates the whole of `flow` (peer addresses × destination ports) against `entries`.
/// Any part that reaches a deny entry, or the end of the list, blocks the flow.
pub fn evaluate(entries: &[NaclEntry], protocol: IpProtocol, flow: &Space) -> NaclVerdict {
    let mut rest = flow.clone();
    if rest.is_empty() {
        return NaclVerdict::Allowed;
    }
    for (index, entry) in ordered(entries) {
        if !entry.protocol.matches(protocol) {
            continue;
        }
        let ports = entry.port_range();
        if !rest.intersects_cidr(&entry.cidr, ports) {
            continue;
        }
        match entry.action {
            NaclAction::Deny => {
                return NaclVerdict::Blocked {
                    by: NaclBlocker::Entry {
                        index,
                        rule: entry.rule,
                    },
                    blocked: rest.intersection_cidr(&entry.cidr, ports),
                }
            }
            NaclAction::Allow => {
                rest.subtract_cidr(&entry.cidr, ports);
                if rest.is_empty() {
                    return NaclVerdict::Allowed;
                }
            }
        }
    }
    NaclVerdict::Blocked {
        by: NaclBlocker::ImplicitDeny,
        blocked: rest,
    }
}

/// The flow a subnet's ACL sees: traffic to or from `peers` on `ports`, minus the subnet's
/// own addresses, since traffic inside one subnet never crosses its ACL.
pub fn subnet_flow(own: &Cidr, peers: &[Cidr], ports: PortRange) -> Space {
    let mut flow = Space::from_cidrs(peers, ports);
    flow.subtract_cidr(own, PortRange::ALL);
    flow
}

/// Evaluates a subnet's ACL for one direction; `None` is the VPC's default ACL, which
/// allows everything.
pub fn evaluate_subnet(
    acl: Option<&NetworkAcl>,
    direction: Direction,
    own: &Cidr,
    peers: &[Cidr],
    protocol: IpProtocol,
    ports: PortRange,
) -> NaclVerdict {
    let Some(acl) = acl else {
        return NaclVerdict::Allowed;
    };
    let entries = match direction {
        Direction::Ingress => &acl.ingress,
        Direction::Egress => &acl.egress,
    };
    evaluate(entries, protocol, &subnet_flow(own, peers, ports))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entries(v: serde_json::Value) -> Vec<NaclEntry> {
        serde_json::from_value(v).unwrap()
    }
    fn cidr(s: &str) -> Cidr {
        s.parse().unwrap()
    }
    fn flow(c: &str, p: &str) -> Space {
        Space::from_cidrs([&cidr(c)], p.parse().unwrap())
    }

    #[test]
    fn first_match_wins_so_a_low_deny_shadows_a_later_allow() {
        let e = entries(json!([
            { "rule": 200, "protocol": "tcp", "ports": "8080", "cidr": "10.0.0.0/16", "action": "allow" },
            { "rule": 100, "protocol": "tcp", "ports": "8080", "cidr": "10.0.101.0/24", "action": "deny" }
        ]));
        match evaluate(&e, IpProtocol::Tcp, &flow("10.0.101.0/24", "8080")) {
            NaclVerdict::Blocked { by, .. } => {
                assert_eq!(
                    by,
                    NaclBlocker::Entry {
                        index: 1,
                        rule: 100
                    }
                )
            }
            v => panic!("{v:?}"),
        }
        assert!(evaluate(&e, IpProtocol::Tcp, &flow("10.0.102.0/24", "8080")).is_allowed());
    }

    #[test]
    fn partial_coverage_falls_through_to_the_implicit_deny() {
        let e = entries(json!([
            { "rule": 100, "protocol": "tcp", "ports": "8080", "cidr": "10.0.101.0/24", "action": "allow" }
        ]));
        match evaluate(&e, IpProtocol::Tcp, &flow("10.0.100.0/23", "8080")) {
            NaclVerdict::Blocked { by, blocked } => {
                assert_eq!(by, NaclBlocker::ImplicitDeny);
                assert_eq!(blocked.first().unwrap().addresses(), "10.0.100.0/24");
            }
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn ephemeral_range_must_be_allowed_whole() {
        let narrow = entries(json!([
            { "rule": 100, "protocol": "tcp", "ports": "32768-65535", "cidr": "0.0.0.0/0", "action": "allow" }
        ]));
        let whole = entries(json!([
            { "rule": 100, "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0", "action": "allow" }
        ]));
        let f = Space::from_cidrs([&cidr("10.0.1.0/24")], PortRange::EPHEMERAL);
        assert!(!evaluate(&narrow, IpProtocol::Tcp, &f).is_allowed());
        assert!(evaluate(&whole, IpProtocol::Tcp, &f).is_allowed());
    }

    #[test]
    fn protocol_all_matches_tcp_and_families_stay_apart() {
        let e = entries(json!([
            { "rule": 100, "protocol": "-1", "cidr": "::/0", "action": "allow" },
            { "rule": 110, "protocol": "udp", "ports": "0-65535", "cidr": "0.0.0.0/0", "action": "allow" }
        ]));
        assert!(evaluate(&e, IpProtocol::Tcp, &flow("2001:db8::/64", "443")).is_allowed());
        assert!(!evaluate(&e, IpProtocol::Tcp, &flow("10.0.0.0/16", "443")).is_allowed());
    }

    #[test]
    fn default_acl_and_own_subnet_are_not_evaluated() {
        let own = cidr("10.0.1.0/24");
        let deny_all: NetworkAcl = serde_json::from_value(json!({ "vpc": "v" })).unwrap();
        let p = PortRange::single(80);
        assert!(evaluate_subnet(
            None,
            Direction::Ingress,
            &own,
            &[cidr("10.0.0.0/16")],
            IpProtocol::Tcp,
            p
        )
        .is_allowed());
        assert!(evaluate_subnet(
            Some(&deny_all),
            Direction::Ingress,
            &own,
            &[own],
            IpProtocol::Tcp,
            p
        )
        .is_allowed());
        assert!(!evaluate_subnet(
            Some(&deny_all),
            Direction::Ingress,
            &own,
            &[cidr("10.0.0.0/16")],
            IpProtocol::Tcp,
            p
        )
        .is_allowed());
    }
}

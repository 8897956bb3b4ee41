//! Rules of the network family (VL3xx): security groups, network ACLs, subnets.
//!
//! The flow rules (VL301–VL313) read [`crate::reach::NetworkAnalysis`], the same
//! evaluation the reachability report walks, so a blocked path and its diagnostic never
//! disagree. Each distinct cause (same blocking place, ports and kind) gives one
//! diagnostic, however many flows it breaks.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{fixes, Context, Rule};
use crate::diagnostic::{Diagnostic, Fix, PatchOp, RuleMeta};
use crate::model::{Cidr, NaclEntry, Peer, PortRange};
use crate::net::{Direction, NaclBlocker};
use crate::pointer::JsonPointer;
use crate::reach::{Blocker, Check, HopKind, Party, Subject};

mod instance_sg_other_vpc;
mod instance_sg_quota;
mod link_sg_egress;
mod nacl_nlb_inbound_listener;
mod nacl_nlb_inbound_return;
mod nacl_nlb_outbound_return;
mod nacl_nlb_outbound_to_targets;
mod nacl_rule_numbers;
mod nacl_shadowed_allow;
mod nacl_target_inbound;
mod nacl_target_outbound_return;
mod nlb_sg_egress;
mod nlb_sg_ingress_from_link;
mod nlb_sg_privatelink;
mod sg_reference_other_vpc;
mod sg_rule_quota;
mod subnet_nacl_other_vpc;
mod subnet_outside_vpc;
mod subnet_overlap;
mod subnet_zone_region;
mod target_sg_health_check;
mod target_sg_open_to_world;
mod target_sg_traffic;

pub const RULES: &[&Rule] = &[
    &target_sg_traffic::RULE,
    &target_sg_health_check::RULE,
    &nlb_sg_egress::RULE,
    &nlb_sg_privatelink::RULE,
    &nlb_sg_ingress_from_link::RULE,
    &link_sg_egress::RULE,
    &target_sg_open_to_world::RULE,
    &nacl_target_inbound::RULE,
    &nacl_target_outbound_return::RULE,
    &nacl_nlb_outbound_to_targets::RULE,
    &nacl_nlb_inbound_return::RULE,
    &nacl_nlb_inbound_listener::RULE,
    &nacl_nlb_outbound_return::RULE,
    &nacl_shadowed_allow::RULE,
    &nacl_rule_numbers::RULE,
    &sg_reference_other_vpc::RULE,
    &sg_rule_quota::RULE,
    &instance_sg_quota::RULE,
    &subnet_outside_vpc::RULE,
    &subnet_overlap::RULE,
    &subnet_zone_region::RULE,
    &instance_sg_other_vpc::RULE,
    &subnet_nacl_other_vpc::RULE,
];

/// The network rule that reports a blocked check of `kind` (`traffic`: the check carries
/// request traffic, not only health checks). Reach uses it so that every blocked path
/// names the diagnostic that explains it. Zone blocks belong to the load-balancer family.
pub(crate) fn code_for(kind: HopKind, traffic: bool) -> Option<&'static str> {
    let meta = match kind {
        HopKind::TargetSecurityGroupIngress if traffic => &target_sg_traffic::RULE.meta,
        HopKind::TargetSecurityGroupIngress => &target_sg_health_check::RULE.meta,
        HopKind::LoadBalancerSecurityGroupEgress => &nlb_sg_egress::RULE.meta,
        HopKind::LoadBalancerSecurityGroupPrivateLink => &nlb_sg_privatelink::RULE.meta,
        HopKind::LoadBalancerSecurityGroupIngress => &nlb_sg_ingress_from_link::RULE.meta,
        HopKind::VpcLinkSecurityGroupEgress => &link_sg_egress::RULE.meta,
        HopKind::TargetSubnetInbound => &nacl_target_inbound::RULE.meta,
        HopKind::TargetSubnetOutboundReturn => &nacl_target_outbound_return::RULE.meta,
        HopKind::LoadBalancerSubnetOutbound => &nacl_nlb_outbound_to_targets::RULE.meta,
        HopKind::LoadBalancerSubnetInboundReturn => &nacl_nlb_inbound_return::RULE.meta,
        HopKind::LoadBalancerSubnetInbound => &nacl_nlb_inbound_listener::RULE.meta,
        HopKind::LoadBalancerSubnetOutboundReturn => &nacl_nlb_outbound_return::RULE.meta,
        // Reported by the load balancer family (target in a zone the NLB does not serve).
        HopKind::AvailabilityZone => return Some("VL214"),
        HopKind::Route
        | HopKind::VpcLink
        | HopKind::LoadBalancer
        | HopKind::Listener
        | HopKind::TargetGroup
        | HopKind::Target => return None,
    };
    Some(meta.code)
}

/// What a flow rule says beyond the evaluation's own sentence.
pub(super) struct Wording {
    /// Why the block breaks the API, one sentence.
    pub why: &'static str,
    /// What to do, one sentence.
    pub help: &'static str,
}

/// One diagnostic per distinct blocked check that `pick` selects, with a fix that adds the
/// missing allow (security-group rule or ACL entry) where one can be built.
pub(super) fn report_blocks(
    cx: &Context<'_, '_>,
    out: &mut Vec<Diagnostic>,
    meta: &RuleMeta,
    pick: impl Fn(&Check<'_>) -> bool,
    wording: &Wording,
) {
    let analysis = cx.network();
    let mut groups: BTreeMap<(JsonPointer, HopKind, PortRange), Vec<&Check<'_>>> = BTreeMap::new();
    for check in analysis.checks() {
        let Some(block) = &check.block else { continue };
        if !pick(check) {
            continue;
        }
        groups
            .entry((block.path.clone(), check.kind, check.ports))
            .or_default()
            .push(check);
    }
    for ((path, _, _), checks) in groups {
        let Some(first) = checks.first() else {
            continue;
        };
        let Some(block) = &first.block else { continue };
        let mut message = block.explanation.clone();
        if checks.len() > 1 {
            let more = checks.len() - 1;
            message.push_str(&format!(
                " The same rules block {more} more flow{} like it.",
                if more > 1 { "s" } else { "" }
            ));
        }
        message.push(' ');
        message.push_str(wording.why);
        let mut d =
            Diagnostic::new(meta, block.component.clone(), path, message).with_help(wording.help);
        let fix = match block.blocker {
            Blocker::SecurityGroups => sg_fix(&checks),
            Blocker::NetworkAcl(by) => nacl_fix(cx, &checks, by),
            Blocker::Zone => None,
        };
        if let Some(fix) = fix {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
}

/// The CIDRs of the checks' other ends that hold blocked addresses.
fn blocked_cidrs(checks: &[&Check<'_>]) -> Vec<Cidr> {
    let mut cidrs: Vec<Cidr> = Vec::new();
    for check in checks {
        let (Some(block), Some(addrs)) = (&check.block, &check.endpoint.addrs) else {
            continue;
        };
        for c in addrs {
            if block.blocked.intersects_cidr(c, PortRange::ALL) && !cidrs.contains(c) {
                cidrs.push(*c);
            }
        }
    }
    cidrs
}

/// Adds one rule to the first group that allows what is missing: by group reference when
/// the other end has groups (the NLB's, the link's, the target's), else by CIDR.
fn sg_fix(checks: &[&Check<'_>]) -> Option<Fix> {
    let first = checks.first()?;
    let Subject::SecurityGroups {
        groups, direction, ..
    } = &first.subject
    else {
        return None;
    };
    let group = groups.first()?;
    let list = JsonPointer::resource("security_groups", group).key(direction.key());
    let peer_key = match direction {
        Direction::Ingress => "source",
        Direction::Egress => "destination",
    };
    let protocol = first.protocol.to_string();
    let ports = first.ports.to_string();
    let peer_group = match (&first.party, &first.endpoint.groups) {
        (Party::PrivateLinkClients, _) => None,
        (_, Some(g)) => g.first().copied(),
        (_, None) => None,
    };
    let (peers, words): (Vec<Value>, String) = match peer_group {
        Some(g) => (
            vec![json!({ "security_group": g.as_str() })],
            format!("security group `{g}`"),
        ),
        None => {
            let cidrs = blocked_cidrs(checks);
            if cidrs.is_empty() {
                return None;
            }
            let words = cidrs
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            (
                cidrs
                    .iter()
                    .map(|c| json!({ "cidr": c.to_string() }))
                    .collect(),
                words,
            )
        }
    };
    let ops: Vec<PatchOp> = peers
        .into_iter()
        .map(|peer| {
            let rule = json!({
                "protocol": protocol,
                "ports": ports,
                peer_key: peer,
                "description": "added by vpclink",
            });
            fixes::append(list.clone(), &rule)
        })
        .collect();
    let way = match direction {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    };
    Some(fixes::safe(
        format!(
            "Allow {} {ports} {way} {words} in security group `{group}`",
            protocol.to_ascii_uppercase()
        ),
        ops,
    ))
}

/// Free rule numbers for `n` new entries: just below `below` when an explicit deny blocks
/// (so the allow takes effect first), else after the last entry.
fn free_numbers(entries: &[NaclEntry], below: Option<u32>, n: usize) -> Option<Vec<u32>> {
    let used = |r: u32| entries.iter().any(|e| e.rule == r);
    let mut out = Vec::with_capacity(n);
    match below {
        Some(limit) => {
            // A deny numbered past AWS's range (VL315) still gets allows inside it.
            let mut r = limit.min(32767);
            while out.len() < n {
                r = r.checked_sub(1).filter(|r| *r >= 1)?;
                if !used(r) {
                    out.push(r);
                }
            }
        }
        None => {
            let last = entries
                .iter()
                .map(|e| e.rule)
                .filter(|r| *r <= 32766)
                .max()
                .unwrap_or(0);
            let mut r = (last / 10 + 1) * 10;
            while out.len() < n {
                if r > 32766 {
                    return None;
                }
                if !used(r) {
                    out.push(r);
                }
                r += 10;
            }
        }
    }
    Some(out)
}

/// Adds allow entries for the blocked peer ranges. Safe when only the implicit deny
/// blocks; overriding someone's explicit deny is for a person to decide.
fn nacl_fix(cx: &Context<'_, '_>, checks: &[&Check<'_>], by: NaclBlocker) -> Option<Fix> {
    let first = checks.first()?;
    let Subject::NetworkAcl { acl, direction, .. } = &first.subject else {
        return None;
    };
    let entries = cx
        .graph
        .network_acl(acl.as_str())
        .map(|a| match direction {
            Direction::Ingress => &a.ingress,
            Direction::Egress => &a.egress,
        })?;
    let cidrs = blocked_cidrs(checks);
    if cidrs.is_empty() {
        return None;
    }
    let below = match by {
        NaclBlocker::Entry { rule, .. } => Some(rule),
        NaclBlocker::ImplicitDeny => None,
    };
    let numbers = free_numbers(entries, below, cidrs.len())?;
    let list = JsonPointer::resource("network_acls", acl).key(direction.key());
    let ops: Vec<PatchOp> = cidrs
        .iter()
        .zip(&numbers)
        .map(|(c, n)| {
            fixes::append(
                list.clone(),
                &json!({
                    "rule": n,
                    "protocol": first.protocol.to_string(),
                    "ports": first.ports.to_string(),
                    "cidr": c.to_string(),
                    "action": "allow",
                }),
            )
        })
        .collect();
    let way = match direction {
        Direction::Ingress => "inbound from",
        Direction::Egress => "outbound to",
    };
    let words = cidrs
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let description = format!(
        "Allow {} {} {way} {words} in network ACL `{acl}`",
        first.protocol.to_string().to_ascii_uppercase(),
        first.ports
    );
    Some(match by {
        NaclBlocker::ImplicitDeny => fixes::safe(description, ops),
        NaclBlocker::Entry { .. } => fixes::unsafe_fix(description, ops),
    })
}

/// Whether a security-group rule of any protocol family could carry TCP on `port`.
pub(super) fn opens_tcp_port(
    protocol: crate::model::IpProtocol,
    ports: PortRange,
    port: u16,
) -> bool {
    protocol.matches(crate::model::IpProtocol::Tcp) && ports.contains(port)
}

/// The peer of a rule, for messages.
pub(super) fn peer_words(peer: &Peer) -> String {
    match peer {
        Peer::Cidr(c) => format!("`{c}`"),
        Peer::SecurityGroup(g) => format!("security group `{g}`"),
        Peer::PrefixList(p) => format!("prefix list `{p}`"),
    }
}

/// Topologies shared by the tests of several rules.
#[cfg(test)]
pub(crate) mod fixtures {
    use serde_json::json;

    /// The three-tier example plus an HTTP API over a V2 link in `private-a`;
    /// `nat` turns client IP preservation off so targets see the NLB instead.
    pub fn v2_link(nat: bool) -> serde_json::Value {
        json!([
            { "op": "add", "path": "/security_groups/link", "value": { "vpc": "app",
                "egress": [ { "protocol": "tcp", "ports": "80", "destination": { "security_group": "nlb" } } ] } },
            { "op": "add", "path": "/vpc_links/v2", "value":
                { "subnets": ["private-a"], "security_groups": ["link"] } },
            { "op": "add", "path": "/http_apis", "value": { "h": { "routes": { "GET /x": {
                "integration": { "type": "HTTP_PROXY", "vpc_link": "v2",
                                 "target": { "load_balancer": "nlb", "port": 80 } } } } } } },
            { "op": "add", "path": "/target_groups/backend/preserve_client_ip", "value": !nat }
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reach::reach;
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn free_numbers_go_below_a_deny_or_after_the_last_entry() {
        let entries: Vec<NaclEntry> = serde_json::from_value(json!([
            { "rule": 99, "protocol": "tcp", "ports": "1", "cidr": "10.0.0.0/8", "action": "allow" },
            { "rule": 100, "protocol": "tcp", "ports": "1", "cidr": "10.0.0.0/8", "action": "deny" },
            { "rule": 120, "protocol": "tcp", "ports": "1", "cidr": "10.0.0.0/8", "action": "allow" }
        ]))
        .unwrap();
        assert_eq!(free_numbers(&entries, Some(100), 2), Some(vec![98, 97]));
        assert_eq!(free_numbers(&entries, None, 2), Some(vec![130, 140]));
        assert_eq!(free_numbers(&entries, Some(1), 1), None);
    }

    /// Every blocked path names a rule code that the diagnostics contain.
    #[track_caller]
    fn agree(doc: serde_json::Value) {
        let topo = crate::parse::topology_from_value(doc.clone()).unwrap();
        let report = reach(&topo).unwrap();
        let diags = diagnostics(doc);
        for p in &report.paths {
            if let crate::reach::Verdict::Blocked(b) = &p.verdict {
                if let Some(code) = b.rule_code {
                    assert!(
                        diags.iter().any(|d| d.code == code && d.path == b.path),
                        "{code} at {} missing: {diags:#?}",
                        b.path
                    );
                }
            }
        }
    }

    #[test]
    fn blocked_paths_and_diagnostics_agree() {
        agree(three_tier());
        for patch in [
            json!([{ "op": "replace", "path": "/security_groups/app/ingress", "value": [] }]),
            json!([{ "op": "replace", "path": "/security_groups/nlb/egress", "value": [] }]),
            json!([{ "op": "replace", "path": "/network_acls/private/ingress", "value": [] }]),
            json!([{ "op": "replace", "path": "/network_acls/private/egress", "value": [] }]),
            json!([{ "op": "replace", "path": "/network_acls/nlb/ingress", "value": [] }]),
            json!([{ "op": "replace", "path": "/network_acls/nlb/egress", "value": [] }]),
            json!([{ "op": "remove", "path": "/load_balancers/nlb/enforce_inbound_rules_on_privatelink" }]),
        ] {
            agree(patched(three_tier(), patch));
        }
    }
}

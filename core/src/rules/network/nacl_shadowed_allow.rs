//! VL314: a lower-numbered deny shadows an allow entry completely.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::{IpProtocol, NaclAction, NaclEntry};
use crate::net::nacl::ordered;
use crate::net::Space;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL314",
        name: "network-acl-allow-shadowed",
        family: Family::Network,
        severity: Severity::Warning,
        title: "Network ACL allow entry is shadowed by a lower-numbered deny",
        rationale: "Entries are evaluated in ascending rule number and the first match decides; an allow whose whole range is decided earlier, partly by a deny, never takes effect.",
        source: "facts §6, NA-03 [S41][S42]; https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html",
    },
    check,
};

/// Whether `earlier` decides every packet of `protocol` that `later` matches.
fn covers_protocol(earlier: IpProtocol, later: IpProtocol) -> bool {
    earlier == IpProtocol::All || earlier == later
}

fn shadowing_denies(entries: &[NaclEntry], index: usize) -> Option<Vec<u32>> {
    let entry = entries.get(index)?;
    let mut rest = Space::from_cidrs([&entry.cidr], entry.port_range());
    let mut denies = Vec::new();
    for (i, earlier) in ordered(entries) {
        if i == index || earlier.rule >= entry.rule {
            break;
        }
        if !covers_protocol(earlier.protocol, entry.protocol) {
            continue;
        }
        let ports = earlier.port_range();
        if !rest.intersects_cidr(&earlier.cidr, ports) {
            continue;
        }
        if earlier.action == NaclAction::Deny {
            denies.push(earlier.rule);
        }
        rest.subtract_cidr(&earlier.cidr, ports);
        if rest.is_empty() {
            return (!denies.is_empty()).then_some(denies);
        }
    }
    None
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (acl_id, acl) in &cx.graph.topology.network_acls {
        for (direction, entries) in [("ingress", &acl.ingress), ("egress", &acl.egress)] {
            for (i, entry) in entries.iter().enumerate() {
                if entry.action != NaclAction::Allow {
                    continue;
                }
                let Some(denies) = shadowing_denies(entries, i) else {
                    continue;
                };
                let rules = denies
                    .iter()
                    .map(|r| r.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(
                    Diagnostic::new(
                        &RULE.meta,
                        ResourceRef::new("network_acls", acl_id),
                        JsonPointer::resource("network_acls", acl_id).key(direction).index(i),
                        format!(
                            "{} rule {} of network ACL `{acl_id}` (allow {} {} for `{}`) never takes effect: lower-numbered entries decide all of its traffic first, and rule {rules} denies it.",
                            if direction == "ingress" { "Inbound" } else { "Outbound" },
                            entry.rule,
                            entry.protocol.to_string().to_ascii_uppercase(),
                            entry.port_range(),
                            entry.cidr,
                        ),
                    )
                    .with_help("Give the allow a lower rule number than the deny, or narrow the deny."),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn deny(cidr: &str) -> serde_json::Value {
        json!([{ "op": "add", "path": "/network_acls/private/ingress/-", "value":
            { "rule": 50, "protocol": "-1", "cidr": cidr, "action": "deny" } }])
    }

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL314", unchanged());
    }

    #[test]
    fn fires_when_a_lower_deny_covers_the_whole_allow() {
        assert_fires_at(
            "VL314",
            deny("10.0.0.0/16"),
            &["/network_acls/private/ingress/0"],
        );
    }

    #[test]
    fn quiet_when_the_deny_covers_only_part() {
        assert_quiet("VL314", deny("10.0.100.0/24"));
    }
}

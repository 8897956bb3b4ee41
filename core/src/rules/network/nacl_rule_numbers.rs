//! VL315: network ACL rule numbers are 1–32766 and unique within a direction.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL315",
        name: "network-acl-rule-number-invalid",
        family: Family::Network,
        severity: Severity::Error,
        title: "Network ACL rule number is out of range or repeated",
        rationale: "EC2 accepts rule numbers 1–32766 (higher ones are AWS's) and one entry per number and direction.",
        source: "facts §6, NA-04 [S1]; https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (acl_id, acl) in &cx.graph.topology.network_acls {
        for (direction, entries) in [("ingress", &acl.ingress), ("egress", &acl.egress)] {
            let mut first: BTreeMap<u32, usize> = BTreeMap::new();
            for (i, entry) in entries.iter().enumerate() {
                let at = JsonPointer::resource("network_acls", acl_id)
                    .key(direction)
                    .index(i)
                    .key("rule");
                let resource = ResourceRef::new("network_acls", acl_id);
                if !(1..=32766).contains(&entry.rule) {
                    out.push(
                        Diagnostic::new(
                            &RULE.meta,
                            resource,
                            at,
                            format!(
                                "Rule number {} in the {direction} entries of network ACL `{acl_id}` is outside 1–32766, so EC2 rejects the entry.",
                                entry.rule
                            ),
                        )
                        .with_help("Number entries between 1 and 32766, with gaps (10, 20, …) to leave room for inserts."),
                    );
                    continue;
                }
                if let Some(j) = first.get(&entry.rule) {
                    out.push(
                        Diagnostic::new(
                            &RULE.meta,
                            resource,
                            at,
                            format!(
                                "Rule number {} appears twice in the {direction} entries of network ACL `{acl_id}`; EC2 keeps one entry per number, so creating the second fails.",
                                entry.rule
                            ),
                        )
                        .with_help("Give each entry of a direction its own rule number.")
                        .with_related(
                            JsonPointer::resource("network_acls", acl_id).key(direction).index(*j),
                            "the first entry with this number",
                        ),
                    );
                } else {
                    first.insert(entry.rule, i);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL315", unchanged());
    }

    #[test]
    fn fires_for_out_of_range_numbers() {
        assert_fires_at(
            "VL315",
            json!([{ "op": "replace", "path": "/network_acls/private/ingress/0/rule", "value": 32767 }]),
            &["/network_acls/private/ingress/0/rule"],
        );
    }

    #[test]
    fn fires_for_the_second_entry_with_a_number() {
        assert_fires_at(
            "VL315",
            json!([{ "op": "add", "path": "/network_acls/nlb/egress/-", "value":
                { "rule": 110, "protocol": "tcp", "ports": "443", "cidr": "10.0.0.0/16", "action": "allow" } }]),
            &["/network_acls/nlb/egress/2/rule"],
        );
    }

    #[test]
    fn the_ends_of_the_range_are_fine() {
        assert_quiet(
            "VL315",
            json!([
                { "op": "replace", "path": "/network_acls/private/ingress/0/rule", "value": 1 },
                { "op": "replace", "path": "/network_acls/private/egress/0/rule", "value": 32766 }
            ]),
        );
    }
}

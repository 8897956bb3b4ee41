//! VL317: a security group holds at most 60 inbound and 60 outbound rules.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::Peer;
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

/// AWS's default quota per direction, counted separately for IPv4 and IPv6 rules.
const MAX_RULES: usize = 60;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL317",
        name: "security-group-rule-quota",
        family: Family::Network,
        severity: Severity::Error,
        title: "Security group has more than 60 inbound or outbound rules",
        rationale: "By default a security group holds 60 inbound and 60 outbound rules (IPv4 and IPv6 counted separately); more are refused.",
        source: "facts §5.2, SG-03 [S40]; https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html",
    },
    check,
};

/// (IPv4-counted, IPv6-counted) rules among `peers`.
fn counts<'a>(peers: impl Iterator<Item = &'a Peer>) -> (usize, usize) {
    peers.fold((0, 0), |(v4, v6), p| match p {
        Peer::Cidr(c) if !c.is_ipv4() => (v4, v6 + 1),
        _ => (v4 + 1, v6),
    })
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (sg_id, sg) in &cx.graph.topology.security_groups {
        let lists = [
            (
                "inbound",
                "ingress",
                counts(sg.ingress.iter().map(|r| &r.source)),
            ),
            (
                "outbound",
                "egress",
                counts(sg.egress.iter().flatten().map(|r| &r.destination)),
            ),
        ];
        for (words, key, (v4, v6)) in lists {
            let (n, family) = if v4 >= v6 { (v4, "IPv4") } else { (v6, "IPv6") };
            if n <= MAX_RULES {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ResourceRef::new("security_groups", sg_id),
                    JsonPointer::resource("security_groups", sg_id).key(key),
                    format!(
                        "Security group `{sg_id}` has {n} {family} {words} rules; the default quota is {MAX_RULES}, so EC2 refuses the rules beyond it."
                    ),
                )
                .with_help("Merge rules (wider port ranges, group references, prefix lists), split them over another group, or request a quota increase."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example() {
        assert_quiet("VL317", unchanged());
    }

    #[test]
    fn fires_above_sixty_rules() {
        let rules: Vec<_> = (0..61)
            .map(|i| json!({ "protocol": "tcp", "ports": 1000 + i, "source": { "cidr": "10.0.0.0/16" } }))
            .collect();
        assert_fires_at(
            "VL317",
            json!([{ "op": "replace", "path": "/security_groups/app/ingress", "value": rules }]),
            &["/security_groups/app/ingress"],
        );
    }

    #[test]
    fn ipv4_and_ipv6_rules_count_separately() {
        let rules: Vec<_> = (0..60)
            .flat_map(|i| {
                [
                    json!({ "protocol": "tcp", "ports": 1000 + i, "source": { "cidr": "10.0.0.0/16" } }),
                    json!({ "protocol": "tcp", "ports": 1000 + i, "source": { "cidr": "::/0" } }),
                ]
            })
            .collect();
        assert_quiet(
            "VL317",
            json!([{ "op": "replace", "path": "/security_groups/app/ingress", "value": rules }]),
        );
    }
}

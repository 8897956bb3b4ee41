//! VL318: an instance carries at most five security groups.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::pointer::JsonPointer;
use crate::rules::{Context, Rule};

/// AWS's default quota of security groups per network interface.
const MAX_GROUPS: usize = 5;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL318",
        name: "instance-security-group-quota",
        family: Family::Network,
        severity: Severity::Error,
        title: "Instance has more than five security groups",
        rationale: "A network interface takes five security groups by default (adjustable up to 16); more are refused at launch or modification.",
        source: "facts §5.2, SG-03 [S40]; https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html",
    },
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (id, inst) in &cx.graph.topology.instances {
        let n = inst.security_groups.len();
        if n <= MAX_GROUPS {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("instances", id),
                JsonPointer::resource("instances", id).key("security_groups"),
                format!(
                    "Instance `{id}` lists {n} security groups; a network interface takes {MAX_GROUPS} by default, so EC2 refuses the launch or the change."
                ),
            )
            .with_help("Merge the groups' rules into fewer groups, or request a quota increase (up to 16)."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn groups(n: usize) -> serde_json::Value {
        let mut patch = vec![];
        let mut names = vec![json!("app")];
        for i in 1..n {
            patch.push(json!({ "op": "add", "path": format!("/security_groups/g{i}"), "value": { "vpc": "app" } }));
            names.push(json!(format!("g{i}")));
        }
        patch.push(
            json!({ "op": "replace", "path": "/instances/web-1/security_groups", "value": names }),
        );
        serde_json::Value::Array(patch)
    }

    #[test]
    fn quiet_on_the_clean_example_and_at_five() {
        assert_quiet("VL318", unchanged());
        assert_quiet("VL318", groups(5));
    }

    #[test]
    fn fires_at_six() {
        assert_fires_at("VL318", groups(6), &["/instances/web-1/security_groups"]);
    }
}

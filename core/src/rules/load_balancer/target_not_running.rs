//! VL223: registered instances are running.

use crate::diagnostic::{Diagnostic, Family, ResourceRef, RuleMeta, Severity};
use crate::model::InstanceState;
use crate::pointer::JsonPointer;
use crate::rules::{fixes, Context, Rule};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VL223",
        name: "target-instance-not-running",
        family: Family::LoadBalancer,
        severity: Severity::Error,
        title: "Registered instance is stopped or terminated",
        rationale: "A stopped or terminated instance stays registered but unused (Target.InvalidState) and serves nothing; instances must be running to be registered.",
        source: "facts §4.5, §4.7, §12, TG-05 [S1][S33]; https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html",
    },
    check,
};

fn state_name(s: InstanceState) -> Option<&'static str> {
    match s {
        InstanceState::Stopping => Some("stopping"),
        InstanceState::Stopped => Some("stopped"),
        InstanceState::ShuttingDown => Some("shutting down"),
        InstanceState::Terminated => Some("terminated"),
        InstanceState::Pending | InstanceState::Running => None,
    }
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let g = cx.graph;
    let Some(observed) = g.observed() else {
        return;
    };
    for (tg_id, _) in &g.topology.target_groups {
        for t in g.targets_of(tg_id.as_str()) {
            let Some((instance_id, _)) = t.instance else {
                continue;
            };
            let Some(state) = observed
                .instances
                .get(instance_id.as_str())
                .map(|o| o.state)
            else {
                continue;
            };
            let Some(name) = state_name(state) else {
                continue;
            };
            let gone = matches!(
                state,
                InstanceState::Terminated | InstanceState::ShuttingDown
            );
            let mut d = Diagnostic::new(
                &RULE.meta,
                ResourceRef::new("target_groups", tg_id),
                t.path(),
                format!(
                    "Instance `{instance_id}` is {name} but still registered in `{tg_id}`; AWS marks it unused (Target.InvalidState) and it serves nothing, so the target group has less capacity than it shows."
                ),
            )
            .with_related(
                JsonPointer::root().key("observed").key("instances").key(instance_id).key("state"),
                "the observed instance state",
            );
            if gone {
                d = d
                    .with_help("Deregister the terminated instance and register its replacement.")
                    .with_fix(fixes::unsafe_fix(
                        format!("Deregister `{instance_id}` from `{tg_id}`"),
                        vec![fixes::remove(t.path())],
                    ));
            } else {
                d = d.with_help(format!(
                    "Start `{instance_id}` again, or deregister it if it is meant to stay stopped."
                ));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    #[test]
    fn quiet_on_the_clean_example_and_for_running_instances() {
        assert_quiet("VL223", unchanged());
        assert_quiet(
            "VL223",
            json!([{ "op": "add", "path": "/observed", "value":
                { "instances": { "web-1": { "state": "running" } } } }]),
        );
    }

    #[test]
    fn fires_for_a_stopped_instance() {
        assert_fires_at(
            "VL223",
            json!([{ "op": "add", "path": "/observed", "value":
                { "instances": { "web-2": { "state": "stopped" } } } }]),
            &["/target_groups/backend/targets/1"],
        );
    }

    #[test]
    fn fires_for_a_terminated_instance_and_the_fix_deregisters_it() {
        let patch = json!([{ "op": "add", "path": "/observed", "value":
            { "instances": { "web-3": { "state": "terminated" } } } }]);
        assert_fires_at(
            "VL223",
            patch.clone(),
            &["/target_groups/backend/targets/2"],
        );
        assert_fix_clears("VL223", patch);
    }
}

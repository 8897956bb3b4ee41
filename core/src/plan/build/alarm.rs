//! CloudWatch alarms, with dimensions taken from the resources they watch (facts §7,
//! §9.2 step 20).

use serde_json::{json, Value};

use super::super::aws::key_value_tags;
use super::super::ctx::Ctx;
use super::super::error::PlanError;
use super::super::key::{Key, Kind};
use super::super::step::{call, out, output_ref};
use super::super::types::{Action, Step, StepId};

impl Ctx<'_> {
    /// `put_metric_alarm`, which creates or overwrites the alarm of that name (facts
    /// §7.3), so an update is the same call.
    pub(crate) fn put_alarm(&mut self, key: &Key, create: bool) -> Result<(), PlanError> {
        self.put_alarm_step(key, create).map(|_| ())
    }

    pub(crate) fn put_alarm_step(&mut self, key: &Key, create: bool) -> Result<StepId, PlanError> {
        let Some(a) = self.d.alarms.get(&key.id).cloned() else {
            return Err(PlanError::internal(format!("no alarm `{key}`")));
        };
        let name = self.name(key);
        let mut dims = Vec::new();
        if let Some(tg) = &a.target_group {
            let v = self.target_group_dimension(&Key::new(Kind::TargetGroup, tg.as_str()))?;
            dims.push(json!({ "Name": "TargetGroup", "Value": v }));
        }
        // Host counts exist only per target group *and* load balancer (facts §7.1, C9): the
        // load balancer is the alarm's, or the one whose listener forwards to the group.
        let lb = a
            .load_balancer
            .as_ref()
            .map(|l| l.as_str().to_owned())
            .or_else(|| {
                let tg = a.target_group.as_ref()?;
                self.forwarders
                    .get(tg.as_str())?
                    .first()
                    .map(|(lb, _)| lb.clone())
            });
        if let Some(lb) = lb {
            let v = self.load_balancer_dimension(&Key::new(Kind::LoadBalancer, lb.as_str()))?;
            dims.push(json!({ "Name": "LoadBalancer", "Value": v }));
        }
        if let Some(api) = &a.api {
            // REST APIs are named by name, HTTP APIs by id (facts §7.2).
            if self.d.rest_apis.contains(api.as_str()) {
                let n = self.name(&Key::new(Kind::RestApi, api.as_str()));
                dims.push(json!({ "Name": "ApiName", "Value": n }));
            } else {
                let v = self.id_of(&Key::new(Kind::HttpApi, api.as_str()))?;
                dims.push(json!({ "Name": "ApiId", "Value": v }));
            }
            if let Some(stage) = &a.stage {
                dims.push(json!({ "Name": "Stage", "Value": stage }));
            }
        }
        for d in &a.dimensions {
            dims.push(json!({ "Name": d.name, "Value": d.value }));
        }
        let statistic = a.statistic.clone().unwrap_or_else(|| {
            // Maximum/Minimum are the useful statistics of host counts (facts §7.1).
            if a.metric.ends_with("HostCount") {
                "Maximum".into()
            } else {
                "Average".into()
            }
        });
        let mut params = json!({
            "AlarmName": name,
            "Namespace": a.effective_namespace(),
            "MetricName": a.metric,
            "Dimensions": dims,
            "Statistic": statistic,
            "Period": a.period_seconds.unwrap_or(60),
            "EvaluationPeriods": a.evaluation_periods.unwrap_or(1),
            "Threshold": a.threshold,
            "ComparisonOperator": a.comparison.clone().unwrap_or_else(|| "GreaterThanThreshold".into()),
        });
        if let Some(t) = &a.treat_missing_data {
            params["TreatMissingData"] = json!(t);
        }
        let id = if create {
            Ctx::create_id(key)
        } else {
            key.step("update")
        };
        let mut step = Step::new(
            id.clone(),
            if create {
                Action::Create
            } else {
                Action::Update
            },
            self.res(key),
            format!(
                "{} alarm `{name}` on {} {}.",
                if create { self.verb(key) } else { "Update" },
                a.effective_namespace(),
                a.metric
            ),
            call("cloudwatch", "put_metric_alarm", {
                let mut p = params;
                if create {
                    p["Tags"] = key_value_tags(None, &Ctx::tag_id(key));
                }
                p
            }),
        )
        .lookup(
            call(
                "cloudwatch",
                "describe_alarms",
                json!({ "AlarmNames": [name.clone()] }),
            ),
            vec![out("AlarmArn", "MetricAlarms[0].AlarmArn")],
        );
        if create {
            step = step
                .undo(
                    call(
                        "cloudwatch",
                        "delete_alarms",
                        json!({ "AlarmNames": [name] }),
                    ),
                    None,
                )
                .changes(self.replace_changes(key));
            self.add_create(key, step)
        } else {
            self.add_update(key, step, false)
        }
    }

    /// `targetgroup/<name>/<id>`: the ARN from `targetgroup/` on (facts §1, §7.1). A new
    /// group's output keeps the text after `targetgroup/`, so the prefix is joined back.
    fn target_group_dimension(&mut self, key: &Key) -> Result<Value, PlanError> {
        if self.creates(key) {
            return Ok(json!({ "$join": [
                "targetgroup/",
                output_ref(&key.step("create"), "TargetGroupNameAndId"),
            ]}));
        }
        match self.id_of(key)? {
            Value::String(arn) => Ok(json!(arn_suffix(&arn, "targetgroup/"))),
            other => Ok(other),
        }
    }

    /// `net/<name>/<id>`: the ARN after `loadbalancer/` (facts §1, §7.1).
    fn load_balancer_dimension(&mut self, key: &Key) -> Result<Value, PlanError> {
        if self.creates(key) {
            return Ok(output_ref(&key.step("create"), "LoadBalancerFullName"));
        }
        match self.id_of(key)? {
            Value::String(arn) => Ok(json!(arn
                .split_once("loadbalancer/")
                .map(|(_, rest)| rest.to_owned())
                .unwrap_or(arn))),
            other => Ok(other),
        }
    }
}

/// The part of an ARN from `marker` on (the marker kept).
fn arn_suffix(arn: &str, marker: &str) -> String {
    match arn.find(marker) {
        Some(i) => arn.get(i..).unwrap_or(arn).to_owned(),
        None => arn.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_group_dimension_keeps_its_prefix() {
        assert_eq!(
            arn_suffix(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/abc",
                "targetgroup/"
            ),
            "targetgroup/shop/abc"
        );
    }
}

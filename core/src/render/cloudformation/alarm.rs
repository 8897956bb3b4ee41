//! CloudWatch alarms, with the dimensions the load balancer metrics need (facts §7.3).

use serde_json::{json, Map, Value};

use super::{carry, defaulted, get_att, top_metadata, Cfn};
use crate::pointer::JsonPointer;
use crate::render::defaults::{
    alarm_load_balancer, alarm_statistic, ALARM_COMPARISON, ALARM_EVALUATION_PERIODS,
    ALARM_PERIOD_SECONDS, STANDARD_STATISTICS,
};
use crate::render::RenderError;

pub(super) fn render(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    let t = cfn.t;
    for (id, alarm) in &t.alarms {
        let Some(logical) = cfn.logical("alarms", id).map(str::to_owned) else {
            continue;
        };
        let at = || JsonPointer::resource("alarms", id);
        let mut dims = Vec::new();
        // Topology fields left out that CloudWatch needs, filled in here.
        let mut filled: Vec<(&str, Value)> = Vec::new();
        if let Some(tg) = &alarm.target_group {
            let value = match cfn.logical("target_groups", tg.as_str()) {
                Some(l) => get_att(l, "TargetGroupFullName"),
                None => match t
                    .target_groups
                    .get(tg.as_str())
                    .and_then(|g| g.arn.as_ref())
                {
                    Some(arn) => json!(arn.dimension_suffix()),
                    None => {
                        return Err(RenderError {
                            message: format!(
                            "alarm `{id}` names target group `{tg}`, which is not in the topology"
                        ),
                            path: Some(at().key("target_group")),
                        })
                    }
                },
            };
            dims.push(json!({ "Name": "TargetGroup", "Value": value }));
        }
        let implied_lb = alarm.load_balancer.is_none();
        if let Some(lb) = alarm_load_balancer(&cfn.graph, alarm) {
            let value = match cfn.logical("load_balancers", lb) {
                Some(l) => get_att(l, "LoadBalancerFullName"),
                None => match t.load_balancers.get(lb).and_then(|l| l.arn.as_ref()) {
                    Some(arn) => json!(arn.dimension_suffix()),
                    None => {
                        return Err(RenderError {
                            message: format!(
                            "alarm `{id}` needs load balancer `{lb}`, which is not in the topology"
                        ),
                            path: Some(at().key("load_balancer")),
                        })
                    }
                },
            };
            dims.push(json!({ "Name": "LoadBalancer", "Value": value }));
            if implied_lb {
                filled.push(("load_balancer", json!(lb)));
            }
        }
        if let Some(api) = &alarm.api {
            // REST metrics are keyed by the API's name, HTTP API metrics by its id (facts §7.2).
            if let Some(rest) = t.rest_apis.get(api.as_str()) {
                let name = rest.name.as_deref().unwrap_or(api.as_str());
                dims.push(json!({ "Name": "ApiName", "Value": name }));
            } else {
                let value = cfn.reference("http_apis", api.as_str(), None, || at().key("api"))?;
                dims.push(json!({ "Name": "ApiId", "Value": value }));
            }
            if let Some(stage) = &alarm.stage {
                dims.push(json!({ "Name": "Stage", "Value": stage }));
            }
        }
        for d in &alarm.dimensions {
            dims.push(json!({ "Name": d.name, "Value": d.value }));
        }

        let mut p = Map::new();
        // Named like the planner and the Terraform export name it.
        p.insert(
            "AlarmName".into(),
            json!(alarm.name.as_deref().unwrap_or(id.as_str())),
        );
        p.insert("Namespace".into(), json!(alarm.effective_namespace()));
        p.insert("MetricName".into(), json!(alarm.metric));
        if !dims.is_empty() {
            p.insert("Dimensions".into(), Value::Array(dims));
        }
        let statistic = alarm_statistic(alarm);
        if STANDARD_STATISTICS.contains(&statistic) {
            p.insert("Statistic".into(), json!(statistic));
        } else {
            p.insert("ExtendedStatistic".into(), json!(statistic));
        }
        p.insert(
            "Period".into(),
            json!(alarm.period_seconds.unwrap_or(ALARM_PERIOD_SECONDS)),
        );
        p.insert(
            "EvaluationPeriods".into(),
            json!(alarm.evaluation_periods.unwrap_or(ALARM_EVALUATION_PERIODS)),
        );
        if !alarm.threshold.is_finite() {
            return Err(RenderError {
                message: format!("alarm `{id}` has a threshold that is not a finite number"),
                path: Some(at().key("threshold")),
            });
        }
        p.insert("Threshold".into(), json!(alarm.threshold));
        p.insert(
            "ComparisonOperator".into(),
            json!(alarm.comparison.as_deref().unwrap_or(ALARM_COMPARISON)),
        );
        if let Some(tmd) = &alarm.treat_missing_data {
            p.insert("TreatMissingData".into(), json!(tmd));
        }
        for (field, absent, written) in [
            ("statistic", alarm.statistic.is_none(), json!(statistic)),
            (
                "period_seconds",
                alarm.period_seconds.is_none(),
                json!(ALARM_PERIOD_SECONDS),
            ),
            (
                "evaluation_periods",
                alarm.evaluation_periods.is_none(),
                json!(ALARM_EVALUATION_PERIODS),
            ),
            (
                "comparison",
                alarm.comparison.is_none(),
                json!(ALARM_COMPARISON),
            ),
        ] {
            if absent {
                filled.push((field, written));
            }
        }
        let mut meta = top_metadata("alarms", id.as_str(), alarm.name.as_ref());
        defaulted(&mut meta, filled);
        // A namespace equal to the one the dimensions imply reads as no namespace.
        let implied = if alarm.api.is_some() {
            "AWS/ApiGateway"
        } else {
            "AWS/NetworkELB"
        };
        if let Some(ns) = alarm.namespace.as_deref().filter(|ns| *ns == implied) {
            carry(&mut meta, "namespace", json!(ns));
        }
        cfn.add(logical, "AWS::CloudWatch::Alarm", Vec::new(), meta, p);
    }
    Ok(())
}

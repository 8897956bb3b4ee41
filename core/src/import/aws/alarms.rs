//! CloudWatch metric alarms; their dimensions point at the resources of the bundle
//! (facts §7.1, §10.5).

use crate::import::ImportError;
use crate::model::{Alarm, Dimension};
use crate::pointer::JsonPointer;

use super::context::{assign_ids, dedupe, response_at, Found, Importer};

const KIND: &str = "AWS::CloudWatch::Alarm";

pub fn import(im: &mut Importer<'_>) -> Result<(), ImportError> {
    let mut found = Vec::new();
    for (p, page) in im
        .bundle
        .responses
        .cloudwatch
        .describe_alarms
        .iter()
        .enumerate()
    {
        for c in &page.response.composite_alarms {
            im.skip(
                &c.alarm_name,
                KIND,
                "composite alarms are outside the model",
            );
        }
        for (i, a) in page.response.metric_alarms.iter().enumerate() {
            found.push(Found {
                item: a,
                at: response_at("cloudwatch", "describe_alarms", p)
                    .key("MetricAlarms")
                    .index(i),
                aws_id: a.alarm_name.as_str(),
                name: Some(a.alarm_name.as_str()),
            });
        }
    }
    let found = dedupe(found);
    let ids = assign_ids(&found, "AlarmName")?;
    for (f, id) in found.iter().zip(ids) {
        let a = f.item;
        let (Some(metric), Some(threshold)) = (a.metric_name.clone(), a.threshold) else {
            im.skip(
                &a.alarm_name,
                KIND,
                "metric-math and anomaly-detection alarms are outside the model",
            );
            continue;
        };
        let mut alarm = Alarm {
            metric,
            namespace: a.namespace.clone(),
            target_group: None,
            load_balancer: None,
            api: None,
            stage: None,
            dimensions: Vec::new(),
            statistic: a.statistic.clone().or_else(|| a.extended_statistic.clone()),
            period_seconds: a.period,
            evaluation_periods: a.evaluation_periods,
            threshold,
            comparison: a.comparison_operator.clone(),
            treat_missing_data: a.treat_missing_data.clone(),
            name: Some(a.alarm_name.clone()),
        };
        for d in &a.dimensions {
            let refs = &im.refs;
            let slot = match d.name.as_str() {
                "LoadBalancer" => Some((
                    &mut alarm.load_balancer,
                    refs.load_balancer_dimensions.get(&d.value).cloned(),
                )),
                "TargetGroup" => Some((
                    &mut alarm.target_group,
                    refs.target_group_dimensions.get(&d.value).cloned(),
                )),
                "ApiName" => {
                    let mut by_name = im
                        .topo
                        .rest_apis
                        .iter()
                        .filter(|(_, api)| api.name.as_deref() == Some(d.value.as_str()));
                    // API names need not be unique; only an unambiguous one is followed.
                    let api = match (by_name.next(), by_name.next()) {
                        (Some((api, _)), None) => Some(api.clone()),
                        _ => None,
                    };
                    Some((&mut alarm.api, api))
                }
                "ApiId" => Some((&mut alarm.api, refs.http_apis.get(&d.value).cloned())),
                _ => None,
            };
            match slot {
                Some((slot @ None, Some(id))) => *slot = Some(id),
                _ if d.name == "Stage" && alarm.stage.is_none() => {
                    alarm.stage = Some(d.value.clone());
                }
                // Kept literally: it is exactly what CloudWatch matches against.
                _ => alarm.dimensions.push(Dimension {
                    name: d.name.clone(),
                    value: d.value.clone(),
                }),
            }
        }
        let at_topo = JsonPointer::resource("alarms", &id);
        im.source(
            at_topo,
            a.alarm_arn.as_deref().unwrap_or(&a.alarm_name),
            &f.at,
        );
        im.topo.alarms.0.insert(id, alarm);
    }
    Ok(())
}

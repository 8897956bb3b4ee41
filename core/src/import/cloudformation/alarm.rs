//! CloudWatch alarms. Dimensions that name a target group or load balancer of the template
//! through `TargetGroupFullName` / `LoadBalancerFullName` become references (facts §1, §7.1).

use super::build::{Coll, Importer};
use super::template::Resource;
use super::value::Val;
use crate::import::ImportError;
use crate::model::{Alarm, Dimension};
use crate::pointer::JsonPointer;

impl Importer<'_> {
    pub fn map_alarm(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some(id) = self.id_of(&r.logical).map(|(_, id)| id.clone()) else {
            return Ok(());
        };
        let path = JsonPointer::resource("alarms", &id);
        let metric_v = self.prop(r, "MetricName")?;
        let Some(metric) = self.text(metric_v.as_ref(), &path.clone().key("metric")) else {
            self.skip(
                r,
                "a metric-math alarm (or one whose metric is unknown) is not modelled",
            );
            self.ids.remove(&r.logical);
            return Ok(());
        };
        let mut alarm = Alarm {
            metric,
            namespace: None,
            target_group: None,
            load_balancer: None,
            api: None,
            stage: None,
            dimensions: Vec::new(),
            statistic: None,
            period_seconds: None,
            evaluation_periods: None,
            threshold: 0.0,
            comparison: None,
            treat_missing_data: None,
            name: None,
        };
        let v = self.prop(r, "Namespace")?;
        alarm.namespace = self.text(v.as_ref(), &path.clone().key("namespace"));
        let v = match self.prop(r, "Statistic")? {
            Some(v) => Some(v),
            None => self.prop(r, "ExtendedStatistic")?,
        };
        alarm.statistic = self.text(v.as_ref(), &path.clone().key("statistic"));
        let v = self.prop(r, "Period")?;
        alarm.period_seconds =
            self.number(r, "Period", v.as_ref(), &path.clone().key("period_seconds"))?;
        let v = self.prop(r, "EvaluationPeriods")?;
        alarm.evaluation_periods = self.number(
            r,
            "EvaluationPeriods",
            v.as_ref(),
            &path.clone().key("evaluation_periods"),
        )?;
        let v = self.prop(r, "Threshold")?;
        alarm.threshold = self
            .number(r, "Threshold", v.as_ref(), &path.clone().key("threshold"))?
            .unwrap_or(0.0);
        let v = self.prop(r, "ComparisonOperator")?;
        alarm.comparison = self.text(v.as_ref(), &path.clone().key("comparison"));
        let v = self.prop(r, "TreatMissingData")?;
        alarm.treat_missing_data = self.text(v.as_ref(), &path.clone().key("treat_missing_data"));
        alarm.name = Self::name(self.prop(r, "AlarmName")?.as_ref());

        let dims = self.prop(r, "Dimensions")?.unwrap_or(Val::Null);
        if let Some(u) = dims.as_unk() {
            let u = u.clone();
            self.unknown(path.clone().key("dimensions"), &u);
        }
        for d in dims.items() {
            let Some(name) = d.get("Name").and_then(Val::as_lit) else {
                continue;
            };
            let value = d.get("Value").cloned().unwrap_or(Val::Null);
            let full_name = matches!(
                value.as_res().and_then(|(_, a)| a),
                Some("TargetGroupFullName" | "LoadBalancerFullName")
            );
            match name.as_str() {
                "TargetGroup" if full_name => {
                    if let Some(tg) = self.local_ref(&value, Coll::TargetGroups) {
                        alarm.target_group = Some(tg);
                        continue;
                    }
                }
                "LoadBalancer" if full_name => {
                    if let Some(lb) = self.local_ref(&value, Coll::LoadBalancers) {
                        alarm.load_balancer = Some(lb);
                        continue;
                    }
                }
                "ApiName" | "ApiId" => {
                    let rest = self
                        .local_ref(&value, Coll::RestApis)
                        .or_else(|| self.api_named(value.as_lit().as_deref()));
                    let http = self.local_ref(&value, Coll::HttpApis);
                    // REST metrics carry `ApiName`, HTTP API metrics `ApiId`: the other
                    // one is kept as written too, so that VL506 can name it.
                    let (api, fits) = match (rest, http) {
                        (Some(api), _) => (Some(api), name == "ApiName"),
                        (None, Some(api)) => (Some(api), name == "ApiId"),
                        (None, None) => (None, false),
                    };
                    if let Some(api) = api {
                        alarm.api = Some(api);
                        if fits {
                            continue;
                        }
                    }
                }
                "Stage" => {
                    if let Some(s) = value.as_lit() {
                        alarm.stage = Some(s);
                        continue;
                    }
                }
                _ => {}
            }
            // Anything else is kept as CloudWatch would store it. `!Ref` of a target group
            // or load balancer gives its full ARN, which is exactly the mistake VL503 names.
            let text = match value.as_res() {
                Some((logical, None)) => match self.id_of(logical) {
                    Some((Coll::TargetGroups, tg)) => Some(format!(
                        "arn:aws:elasticloadbalancing:{}:${{AWS::AccountId}}:targetgroup/{tg}/${{{logical}}}",
                        self.topo.region
                    )),
                    Some((Coll::LoadBalancers, lb)) => Some(format!(
                        "arn:aws:elasticloadbalancing:{}:${{AWS::AccountId}}:loadbalancer/net/{lb}/${{{logical}}}",
                        self.topo.region
                    )),
                    _ => value.display(),
                },
                _ => value.display(),
            };
            let i = alarm.dimensions.len();
            if let Some(u) = value.first_unknown() {
                let u = u.clone();
                self.unknown(path.clone().key("dimensions").index(i).key("value"), &u);
            }
            alarm.dimensions.push(Dimension {
                name,
                value: text.unwrap_or_default(),
            });
        }
        // A namespace the model implies is left out, as in a topology written by hand.
        if alarm.namespace.is_some() {
            let stated = alarm.namespace.take();
            if stated.as_deref() != Some(alarm.effective_namespace()) {
                alarm.namespace = stated;
            }
        }
        self.topo.alarms.0.insert(id, alarm);
        self.source(path, r);
        Ok(())
    }

    /// A REST API of the template with this name (`ApiName` holds the name, not the id;
    /// an API without a name is deployed under its id).
    fn api_named(&self, name: Option<&str>) -> Option<crate::model::Id> {
        let name = name?;
        self.topo
            .rest_apis
            .iter()
            .find(|(id, a)| a.name.as_deref().unwrap_or(id.as_str()) == name)
            .map(|(id, _)| id.clone())
    }
}

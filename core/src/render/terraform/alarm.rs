//! CloudWatch alarms, with the dimensions the load balancer metrics need (facts §7.3).

use super::hcl::{Body, Expr};
use super::{carry_name, tags, Tf};
use crate::pointer::JsonPointer;
use crate::render::defaults::{
    alarm_load_balancer, alarm_statistic, ALARM_COMPARISON, ALARM_EVALUATION_PERIODS,
    ALARM_PERIOD_SECONDS, STANDARD_STATISTICS,
};
use crate::render::RenderError;

pub(super) fn render(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    let t = tf.t;
    for (id, alarm) in &t.alarms {
        let Some((ty, name)) = tf.declared("alarms", id).map(|(t, n)| (t, n.to_owned())) else {
            continue;
        };
        let at = || JsonPointer::resource("alarms", id);
        let mut dims = Vec::new();
        if let Some(tg) = &alarm.target_group {
            dims.push((
                "TargetGroup".to_owned(),
                suffix(tf, "target_groups", tg.as_str(), || {
                    at().key("target_group")
                })?,
            ));
        }
        if let Some(lb) = alarm_load_balancer(&tf.graph, alarm) {
            dims.push((
                "LoadBalancer".to_owned(),
                suffix(tf, "load_balancers", lb, || at().key("load_balancer"))?,
            ));
        }
        if let Some(api) = &alarm.api {
            // REST metrics are keyed by the API's name, HTTP API metrics by its id (facts §7.2).
            if let Some(rest) = t.rest_apis.get(api.as_str()) {
                let n = rest.name.as_deref().unwrap_or(api.as_str());
                dims.push(("ApiName".to_owned(), Expr::str(n)));
            } else {
                let v = tf.reference("http_apis", api.as_str(), "id", || at().key("api"))?;
                dims.push(("ApiId".to_owned(), v));
            }
            if let Some(stage) = &alarm.stage {
                dims.push(("Stage".to_owned(), Expr::str(stage)));
            }
        }
        for d in &alarm.dimensions {
            dims.push((d.name.clone(), Expr::str(&d.value)));
        }
        if !alarm.threshold.is_finite() {
            return Err(RenderError {
                message: format!("alarm `{id}` has a threshold that is not a finite number"),
                path: Some(at().key("threshold")),
            });
        }
        let mut b = Body::new();
        // Terraform requires a name; CloudFormation would make one up.
        b.attr(
            "alarm_name",
            Expr::str(alarm.name.as_deref().unwrap_or(id.as_str())),
        )
        .attr("namespace", Expr::str(alarm.effective_namespace()))
        .attr("metric_name", Expr::str(&alarm.metric));
        let statistic = alarm_statistic(alarm);
        if STANDARD_STATISTICS.contains(&statistic) {
            b.attr("statistic", Expr::str(statistic));
        } else {
            b.attr("extended_statistic", Expr::str(statistic));
        }
        b.attr(
            "period",
            Expr::Int(i64::from(
                alarm.period_seconds.unwrap_or(ALARM_PERIOD_SECONDS),
            )),
        )
        .attr(
            "evaluation_periods",
            Expr::Int(i64::from(
                alarm.evaluation_periods.unwrap_or(ALARM_EVALUATION_PERIODS),
            )),
        )
        .attr("threshold", Expr::Float(alarm.threshold))
        .attr(
            "comparison_operator",
            Expr::str(alarm.comparison.as_deref().unwrap_or(ALARM_COMPARISON)),
        );
        if let Some(tmd) = &alarm.treat_missing_data {
            b.attr("treat_missing_data", Expr::str(tmd));
        }
        if !dims.is_empty() {
            b.attr("dimensions", Expr::Object(dims));
        }
        let mut tag_map = tags(None, "alarms", id.as_str(), None);
        carry_name(&mut b, &mut tag_map, id.as_str(), alarm.name.as_ref());
        b.attr("tags", tag_map);
        tf.resource(ty, &name, b);
    }
    Ok(())
}

/// The `arn_suffix` CloudWatch dimensions use (`net/<name>/<id>`), declared or literal.
fn suffix(
    tf: &Tf<'_>,
    kind: &'static str,
    id: &str,
    path: impl FnOnce() -> JsonPointer,
) -> Result<Expr, RenderError> {
    if let Some((ty, name)) = tf.declared(kind, id) {
        return Ok(Expr::raw(format!("{ty}.{name}.arn_suffix")));
    }
    let arn = match kind {
        "target_groups" => tf.t.target_groups.get(id).and_then(|g| g.arn.as_ref()),
        _ => tf.t.load_balancers.get(id).and_then(|l| l.arn.as_ref()),
    };
    arn.map(|a| Expr::str(a.dimension_suffix()))
        .ok_or_else(|| RenderError {
            message: format!(
                "`{id}` in `{kind}` is neither declared nor an existing resource with an ARN"
            ),
            path: Some(path()),
        })
}

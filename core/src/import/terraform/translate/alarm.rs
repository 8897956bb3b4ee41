//! CloudWatch metric alarms; `dimensions` (a map in Terraform) become CloudFormation's list.

use super::{node, Props, Tx};
use crate::import::terraform::ir::TfValue;

impl Tx<'_> {
    pub(super) fn alarm(&mut self, i: usize) {
        let pos = node::at(i);
        let mut p = Props::default();
        for (cfn, tf) in [
            ("AlarmName", "alarm_name"),
            ("Namespace", "namespace"),
            ("MetricName", "metric_name"),
            ("Statistic", "statistic"),
            ("ExtendedStatistic", "extended_statistic"),
            ("Period", "period"),
            ("EvaluationPeriods", "evaluation_periods"),
            ("Threshold", "threshold"),
            ("ComparisonOperator", "comparison_operator"),
            ("TreatMissingData", "treat_missing_data"),
        ] {
            self.set(&mut p, i, cfn, tf);
        }
        match self.val(i, "dimensions") {
            Some(TfValue::Map(dims)) => {
                let mut items = Vec::new();
                for (name, value) in dims {
                    if let Some(v) = self.conv(value, i) {
                        items.push(node::map(
                            vec![
                                ("Name".to_owned(), node::quoted(name.clone(), pos)),
                                ("Value".to_owned(), v),
                            ],
                            pos,
                        ));
                    }
                }
                p.put("Dimensions", node::seq(items, pos));
            }
            Some(other) => self.set_value(&mut p, i, "Dimensions", "dimensions", other),
            None => {}
        }
        let meta = self.meta(i);
        let logical = self.logical.get(i).cloned().unwrap_or_default();
        self.push(&logical, "AWS::CloudWatch::Alarm", i, p, meta);
    }
}

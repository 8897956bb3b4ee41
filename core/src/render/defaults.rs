//! What the CloudFormation and Terraform exports share: the values they fill in when the
//! topology leaves them out (so both deploy the same thing), and resolving the topology.

/// The public SSM parameter of the latest Amazon Linux 2023 AMI (x86_64), used when an
/// instance names no `image_id`.
pub(crate) const AL2023_SSM_PARAMETER: &str =
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/// The instance type when the topology names none: small, current, x86_64 like the AMI.
pub(crate) const INSTANCE_TYPE: &str = "t3.micro";

/// Alarm settings when the topology leaves them out (the planner fills in the same).
/// CloudWatch needs a statistic, a period, an evaluation count and a comparison for every
/// metric alarm.
pub(crate) fn alarm_statistic(alarm: &crate::model::Alarm) -> &str {
    match &alarm.statistic {
        Some(s) => s,
        // Maximum is the useful statistic of host counts (facts §7.1).
        None if alarm.metric.ends_with("HostCount") => "Maximum",
        None => "Average",
    }
}
pub(crate) const ALARM_PERIOD_SECONDS: u32 = 60;
pub(crate) const ALARM_EVALUATION_PERIODS: u32 = 1;
pub(crate) const ALARM_COMPARISON: &str = "GreaterThanThreshold";

/// The statistics CloudWatch takes as `Statistic`; anything else (`p99`, `tm90`) is an
/// `ExtendedStatistic`.
pub(crate) const STANDARD_STATISTICS: [&str; 5] =
    ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

/// The load balancer whose dimension an alarm takes: the one it names, or the one whose
/// listener forwards to its target group.
pub(crate) fn alarm_load_balancer<'t>(
    graph: &crate::graph::Graph<'t>,
    alarm: &'t crate::model::Alarm,
) -> Option<&'t str> {
    if let Some(lb) = &alarm.load_balancer {
        return Some(lb.as_str());
    }
    let tg = alarm.target_group.as_ref()?;
    graph
        .load_balancers_of_target_group(tg.as_str())
        .first()
        .map(|&(id, _)| id.as_str())
}

/// Access-log format for REST stages: the integration fields that explain VPC-link
/// failures (facts §3.6).
pub(crate) const REST_ACCESS_LOG_FORMAT: &str = concat!(
    r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","#,
    r#""requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","#,
    r#""resourcePath":"$context.resourcePath","status":"$context.status","#,
    r#""responseLatency":"$context.responseLatency","#,
    r#""integrationStatus":"$context.integration.status","#,
    r#""integrationLatency":"$context.integration.latency","#,
    r#""integrationError":"$context.integration.error","#,
    r#""errorMessage":"$context.error.message"}"#
);

/// Access-log format for HTTP API stages.
pub(crate) const HTTP_ACCESS_LOG_FORMAT: &str = concat!(
    r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","#,
    r#""requestTime":"$context.requestTime","routeKey":"$context.routeKey","#,
    r#""status":"$context.status","responseLatency":"$context.responseLatency","#,
    r#""integrationStatus":"$context.integrationStatus","#,
    r#""integrationLatency":"$context.integrationLatency","#,
    r#""integrationError":"$context.integrationErrorMessage"}"#
);

/// A security-group description from an id, keeping only the characters EC2 accepts in
/// descriptions (`a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`).
pub(crate) fn security_group_description(id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-:/()#,@[]+=&;{}!$* ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("vpclink security group {clean}")
}

/// Resolves the topology for an export, or explains the first reference that does not
/// resolve (an export of a dangling reference would only fail later, at deploy time).
pub(crate) fn resolve(
    topology: &crate::model::Topology,
) -> Result<crate::graph::Graph<'_>, super::RenderError> {
    crate::graph::build(topology).map_err(|diagnostics| {
        let more = diagnostics.len().saturating_sub(1);
        let suffix = if more > 0 {
            format!(" ({more} more problems)")
        } else {
            String::new()
        };
        match diagnostics.into_iter().next() {
            Some(d) => super::RenderError {
                message: format!(
                    "cannot export a topology whose references do not resolve: {}{suffix}",
                    d.message
                ),
                path: Some(d.path),
            },
            None => super::RenderError {
                message: "cannot export a topology whose references do not resolve".into(),
                path: None,
            },
        }
    })
}

//! What REST and HTTP APIs share: the access-log format, the integration type names, and
//! which target registrations a deployment waits for.

use std::collections::BTreeSet;

use crate::model::{IntegrationType, Route, Stage};

use super::super::ctx::Ctx;
use super::super::key;
use super::super::types::StepId;

/// The access-log format when a stage names a destination: the fields that explain VPC
/// link failures (facts §3.6).
pub(crate) const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","status":"$context.status","error":"$context.error.message","responseType":"$context.error.responseType","integrationStatus":"$context.integration.status","integrationError":"$context.integration.error","integrationLatency":"$context.integration.latency"}"#;

impl Ctx<'_> {
    /// The target registrations of this plan behind an API's routes: through the load
    /// balancers its VPC links or integration targets reach. A deployment prefers to
    /// wait for them, so a stage starts serving a path once its targets are healthy.
    pub(crate) fn registrations_behind(
        &self,
        routes: &crate::model::KeyMap<Route>,
        stages: &crate::model::KeyMap<Stage>,
    ) -> Vec<StepId> {
        let mut lbs = BTreeSet::new();
        for (_, r) in routes.iter() {
            for link in key::links_of_integration(&r.integration, stages) {
                if let Some(l) = self.d.vpc_links.get(link) {
                    lbs.extend(l.targets.iter().map(|t| t.as_str().to_owned()));
                }
            }
            if let Some(t) = &r.integration.target {
                lbs.insert(t.load_balancer.as_str().to_owned());
            }
        }
        let mut out = Vec::new();
        for lb in &lbs {
            for l in self
                .d
                .load_balancers
                .get(lb.as_str())
                .map(|x| x.listeners.as_slice())
                .unwrap_or_default()
            {
                let id = format!("register.targets.{}", l.forward);
                if self.has_step(&id) && !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }
}

pub(crate) fn integration_type(t: IntegrationType) -> &'static str {
    match t {
        IntegrationType::Http => "HTTP",
        IntegrationType::HttpProxy => "HTTP_PROXY",
        IntegrationType::Aws => "AWS",
        IntegrationType::AwsProxy => "AWS_PROXY",
        IntegrationType::Mock => "MOCK",
    }
}

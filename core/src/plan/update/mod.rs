//! Update steps: a kept resource changed in ways AWS can change in place.

mod apigw;
mod elb;
mod network;

use serde_json::{json, Value};

use super::ctx::Ctx;
use super::error::PlanError;
use super::key::{Key, Kind};
use super::step::call;
use super::types::{Action, Change, Step, StepId};

/// Whether any change touches `property` or something under it.
pub(crate) fn touches(changes: &[Change], property: &str) -> bool {
    changes.iter().any(|c| {
        c.property == property
            || c.property
                .strip_prefix(property)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// The changes under `property`, for a step's `changes`.
pub(crate) fn under(changes: &[Change], property: &str) -> Vec<Change> {
    changes
        .iter()
        .filter(|c| touches(std::slice::from_ref(c), property))
        .cloned()
        .collect()
}

impl Ctx<'_> {
    /// Emits the steps that change a kept entity in place.
    pub(crate) fn update(&mut self, key: &Key, changes: &[Change]) -> Result<(), PlanError> {
        match key.kind {
            Kind::Vpc => self.update_vpc(key, changes),
            Kind::Subnet => self.update_subnet(key, changes),
            Kind::SecurityGroup => self.update_security_group(key, changes),
            Kind::NetworkAcl => self.update_network_acl(key, changes),
            Kind::Instance => self.update_instance(key, changes),
            Kind::TargetGroup => self.update_target_group(key, changes),
            Kind::LoadBalancer => self.update_load_balancer(key, changes),
            Kind::Listener => self.update_listener(key, changes),
            Kind::VpcLink => self.update_vpc_link(key, changes),
            Kind::RestApi => self.update_rest_api(key, changes),
            Kind::RestRoute => self.update_rest_route(key, changes),
            Kind::RestStage => self.update_rest_stage(key, changes),
            Kind::HttpApi => self.update_http_api(key, changes),
            Kind::HttpRoute => self.update_http_route(key, changes),
            Kind::HttpStage => self.update_http_stage(key, changes),
            Kind::Alarm => self.put_alarm_step(key, false).map(|_| ()),
        }
    }

    /// `create_tags` with a new `Name` on an EC2 resource.
    pub(crate) fn rename_ec2(&mut self, key: &Key, changes: &[Change]) -> Result<(), PlanError> {
        if !touches(changes, "/name") {
            return Ok(());
        }
        let id = self.old_id_of(key)?;
        let name = self.name(key);
        let step = Step::new(
            key.step("tag"),
            Action::Update,
            self.res(key),
            format!(
                "Rename {} `{key}` to `{name}` (its `Name` tag).",
                key.kind.noun()
            ),
            call(
                "ec2",
                "create_tags",
                json!({ "Resources": [id], "Tags": [{ "Key": "Name", "Value": name }] }),
            ),
        )
        .changes(under(changes, "/name"));
        self.add_update(key, step, false)?;
        Ok(())
    }

    /// A plain update step of a kept entity.
    pub(crate) fn update_step(
        &mut self,
        key: &Key,
        id: String,
        description: String,
        call: super::types::ApiCall,
        changes: Vec<Change>,
        detach: bool,
    ) -> Result<StepId, PlanError> {
        let step = Step::new(id, Action::Update, self.res(key), description, call).changes(changes);
        self.add_update(key, step, detach)
    }
}

/// Text for a list of values in descriptions.
pub(crate) fn listed(values: &[Value]) -> String {
    values
        .iter()
        .map(|v| match v.as_str() {
            Some(s) => format!("`{s}`"),
            None => v.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

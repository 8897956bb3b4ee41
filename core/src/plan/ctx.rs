//! The planner's working state: the fates, the steps so far, and how a parameter names a
//! resource's AWS id (a literal for what exists, an earlier step's output for what this
//! plan creates).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::model::Topology;
use crate::pointer::JsonPointer;

use super::aws;
use super::diff::{Fate, Fates};
use super::error::{PlanError, PlanErrorCode};
use super::key::{self, Key, Kind};
use super::step::{call, out, output_ref};
use super::types::{Action, ResourceRef, Step, StepId};

pub(crate) struct Ctx<'a> {
    pub d: &'a Topology,
    pub c: Option<&'a Topology>,
    pub fates: Fates,
    pub steps: Vec<Step>,
    /// Where each step is in `steps`.
    ids: BTreeMap<StepId, usize>,
    /// The step that creates each new entity (its outputs name the new AWS id).
    pub created: BTreeMap<Key, StepId>,
    /// The step that removes each old entity (a delete, or the delete of a replacement).
    pub removed: BTreeMap<Key, StepId>,
    /// Every step that changes a kept entity in place.
    pub updates: BTreeMap<Key, Vec<StepId>>,
    /// The update steps that only drop a reference (revoke, deregister), safe to run
    /// before what they referred to is replaced.
    pub detaches: BTreeMap<Key, Vec<StepId>>,
    /// Preferred orderings (step, the step it should wait for), added at the end where
    /// they agree with the required ones.
    pub soft: Vec<(StepId, StepId)>,
    /// For each target group of `desired`, the listeners forwarding to it as
    /// (load balancer id, port), in load balancer order.
    pub forwarders: BTreeMap<String, Vec<(String, u16)>>,
}

/// The output that carries a new resource's AWS id.
pub(crate) fn primary_output(kind: Kind) -> &'static str {
    match kind {
        Kind::Vpc => "VpcId",
        Kind::Subnet => "SubnetId",
        Kind::SecurityGroup => "GroupId",
        Kind::NetworkAcl => "NetworkAclId",
        Kind::Instance => "InstanceId",
        Kind::TargetGroup => "TargetGroupArn",
        Kind::LoadBalancer => "LoadBalancerArn",
        Kind::Listener => "ListenerArn",
        Kind::VpcLink => "VpcLinkId",
        Kind::RestApi => "RestApiId",
        Kind::HttpApi => "ApiId",
        Kind::RestRoute | Kind::HttpRoute => "RouteId",
        Kind::RestStage | Kind::HttpStage => "StageName",
        Kind::Alarm => "AlarmArn",
    }
}

impl<'a> Ctx<'a> {
    pub fn new(d: &'a Topology, c: Option<&'a Topology>, fates: Fates) -> Self {
        let mut forwarders: BTreeMap<String, Vec<(String, u16)>> = BTreeMap::new();
        for (lb, l) in &d.load_balancers {
            for x in &l.listeners {
                forwarders
                    .entry(x.forward.as_str().to_owned())
                    .or_default()
                    .push((lb.as_str().to_owned(), x.port));
            }
        }
        Ctx {
            forwarders,
            d,
            c,
            fates,
            steps: Vec::new(),
            ids: BTreeMap::new(),
            created: BTreeMap::new(),
            removed: BTreeMap::new(),
            updates: BTreeMap::new(),
            detaches: BTreeMap::new(),
            soft: Vec::new(),
        }
    }

    pub fn fate(&self, key: &Key) -> Option<&Fate> {
        self.fates.get(key)
    }

    /// Adds a step; a second step with the same id is a planner bug.
    pub fn add(&mut self, step: Step) -> Result<StepId, PlanError> {
        let id = step.id.clone();
        if self.ids.contains_key(&id) {
            return Err(PlanError::internal(format!("two steps have the id `{id}`")));
        }
        self.ids.insert(id.clone(), self.steps.len());
        self.steps.push(step);
        Ok(id)
    }

    /// Adds a step unless one with its id is there already (shared lookups).
    pub fn add_once(&mut self, step: Step) -> StepId {
        let id = step.id.clone();
        if !self.ids.contains_key(&id) {
            self.ids.insert(id.clone(), self.steps.len());
            self.steps.push(step);
        }
        id
    }

    pub fn has_step(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    pub fn step_mut(&mut self, id: &str) -> Option<&mut Step> {
        let i = *self.ids.get(id)?;
        self.steps.get_mut(i)
    }

    /// Adds the step that creates `key` and records it.
    pub fn add_create(&mut self, key: &Key, step: Step) -> Result<StepId, PlanError> {
        let id = self.add(step)?;
        self.created.insert(key.clone(), id.clone());
        Ok(id)
    }

    /// Adds the step that removes the old `key` and records it.
    pub fn add_remove(&mut self, key: &Key, step: Step) -> Result<StepId, PlanError> {
        let id = self.add(step)?;
        self.removed.insert(key.clone(), id.clone());
        Ok(id)
    }

    /// Adds a step that changes the kept `key` in place.
    pub fn add_update(&mut self, key: &Key, step: Step, detach: bool) -> Result<StepId, PlanError> {
        let id = self.add(step)?;
        self.updates
            .entry(key.clone())
            .or_default()
            .push(id.clone());
        if detach {
            self.detaches
                .entry(key.clone())
                .or_default()
                .push(id.clone());
        }
        Ok(id)
    }

    /// Makes `step` wait for `on`.
    pub fn edge(&mut self, step: &str, on: &str) {
        if step == on {
            return;
        }
        if let Some(s) = self.step_mut(step) {
            if !s.depends_on.iter().any(|d| d == on) {
                s.depends_on.push(on.to_owned());
            }
        }
    }

    /// The resource of a desired entity.
    pub fn res(&self, key: &Key) -> ResourceRef {
        let path = key::path_of(self.d, key)
            .unwrap_or_else(|| JsonPointer::resource(key.kind.collection(), &key.id));
        key::resource_ref(key, path)
    }

    /// The resource of a current entity (deletes point into `current`).
    pub fn res_current(&self, key: &Key) -> ResourceRef {
        let path = self
            .c
            .and_then(|c| key::path_of(c, key))
            .unwrap_or_else(|| JsonPointer::resource(key.kind.collection(), &key.id));
        key::resource_ref(key, path)
    }

    /// The name a desired entity gets in AWS.
    pub fn name(&self, key: &Key) -> String {
        key::aws_name(self.d, key)
    }

    /// How a parameter names the AWS id of a desired entity: the output of the step that
    /// creates it, or the literal id it already has.
    pub fn id_of(&mut self, key: &Key) -> Result<Value, PlanError> {
        if key.kind == Kind::NetworkAcl && self.is_default_acl(key) && self.id_known(key).is_none()
        {
            return self.default_acl_lookup(key);
        }
        if self.fates.renewed(key) {
            return Ok(output_ref(&key.step("create"), primary_output(key.kind)));
        }
        let known = key::aws_id(self.d, key).or_else(|| self.c.and_then(|c| key::aws_id(c, key)));
        if let Some(id) = known {
            return Ok(Value::String(id));
        }
        if key.kind == Kind::Listener {
            let lb = Key::new(Kind::LoadBalancer, key.id.clone());
            let lb_arn = self.id_of(&lb)?;
            return Ok(self.listener_lookup(key, lb_arn, false));
        }
        Err(self.missing_id(key, "is used by new or changed resources"))
    }

    /// The literal AWS id of the current entity, for deleting or changing it.
    pub fn old_id_of(&mut self, key: &Key) -> Result<Value, PlanError> {
        let known = self
            .c
            .and_then(|c| key::aws_id(c, key))
            .or_else(|| key::aws_id(self.d, key));
        if let Some(id) = known {
            return Ok(Value::String(id));
        }
        if key.kind == Kind::Listener {
            let lb = Key::new(Kind::LoadBalancer, key.id.clone());
            let lb_arn = self.old_id_of(&lb)?;
            return Ok(self.listener_lookup(key, lb_arn, true));
        }
        Err(self.missing_id(key, "must be changed or deleted"))
    }

    pub fn missing_id(&self, key: &Key, why: &str) -> PlanError {
        let path = self
            .c
            .and_then(|c| key::path_of(c, key))
            .or_else(|| key::path_of(self.d, key));
        let field = match key.kind {
            Kind::TargetGroup | Kind::LoadBalancer => "arn",
            _ => "aws_id",
        };
        let mut e = PlanError::new(
            PlanErrorCode::MissingAwsId,
            format!(
                "{} `{key}` {why}, but the current topology gives no `{field}` for it; \
                 import the live account or add the `{field}`",
                key.kind.noun()
            ),
        );
        if let Some(p) = path {
            e = e.at(p);
        }
        e
    }

    /// A step that finds an existing listener's ARN by its port (the topology carries no
    /// ARN for it).
    fn listener_lookup(&mut self, key: &Key, lb_arn: Value, old: bool) -> Value {
        let port = key.sub.clone().unwrap_or_default();
        let id = if old {
            key.step("lookup_old")
        } else {
            key.step("lookup")
        };
        let res = if old {
            self.res_current(key)
        } else {
            self.res(key)
        };
        let step = Step::new(
            id.clone(),
            Action::Lookup,
            res,
            format!(
                "Find the ARN of the existing listener on port {port} of load balancer `{}`.",
                key.id
            ),
            call(
                "elbv2",
                "describe_listeners",
                json!({ "LoadBalancerArn": lb_arn }),
            ),
        )
        .outputs(vec![out(
            "ListenerArn",
            &format!("Listeners[?Port==`{port}`].ListenerArn | [0]"),
        )]);
        self.add_once(step);
        output_ref(&id, "ListenerArn")
    }

    /// The tag value that marks a resource, the topology id.
    pub fn tag_id(key: &Key) -> String {
        key.ref_id()
    }

    /// Whether this plan creates the desired entity (or recreates it).
    pub fn creates(&self, key: &Key) -> bool {
        self.fates.renewed(key)
    }

    /// The tag filter value shared by EC2 lookups.
    pub fn tag_filter(key: &Key) -> Value {
        aws::tag_filter(&Ctx::tag_id(key))
    }
}

//! Delete steps: what `current` has and `desired` does not, and the old half of each
//! replacement. Every call names the current resource by its literal AWS id.

use std::collections::BTreeSet;

use serde_json::json;

use crate::model::{parse_route_key, Peer, VpcLinkVersion};

use super::aws;
use super::build::{
    direction, instance_state_wait, ip_permission, link_gone, load_balancer_gone, ResourcePaths,
};
use super::ctx::Ctx;
use super::diff::Fate;
use super::error::PlanError;
use super::immutable;
use super::key::{self, Key, Kind};
use super::step::{call, out, out_after, output_ref};
use super::types::{Action, ApiCall, Change, Step};

impl Ctx<'_> {
    /// Emits the step that removes the current entity `key` (deleted, or replaced).
    pub(crate) fn remove(&mut self, key: &Key) -> Result<(), PlanError> {
        let (action, changes) = match self.fate(key) {
            Some(Fate::Delete) => (Action::Delete, Vec::new()),
            Some(Fate::Replace { changes, .. }) => (Action::Replace, changes.clone()),
            _ => return Ok(()),
        };
        if let Some(owner) = key.owner() {
            // Sub-resources go with an owner that goes.
            if self.fate(&owner).is_some_and(Fate::removes_old) {
                return Ok(());
            }
        }
        let Some(c) = self.c else {
            return Ok(());
        };
        let verb = if action == Action::Replace {
            "replace"
        } else {
            "delete"
        };
        let noun = key.kind.noun();
        let why = if action == Action::Replace {
            replace_reason(key.kind, &changes)
        } else {
            "the desired topology no longer has it".to_owned()
        };
        let mk = |ctx: &Ctx<'_>, id: String, what: String, call: ApiCall| {
            Step::new(id, action, ctx.res_current(key), what, call).changes(changes.clone())
        };
        let old_name = key::aws_name(c, key);
        let step: Step = match key.kind {
            Kind::Vpc => {
                let id = self.old_id_of(key)?;
                mk(
                    self,
                    key.step(verb),
                    format!("Delete {noun} `{key}`: {why}."),
                    call("ec2", "delete_vpc", json!({ "VpcId": id })),
                )
            }
            Kind::Subnet => {
                let id = self.old_id_of(key)?;
                mk(
                    self,
                    key.step(verb),
                    format!("Delete {noun} `{key}`: {why}."),
                    call("ec2", "delete_subnet", json!({ "SubnetId": id })),
                )
            }
            Kind::SecurityGroup => {
                // The default group goes with its VPC; deleting it is refused (AWS VPC User
                // Guide, "Delete a security group": it can't be the VPC's default group).
                if c.security_groups.get(&key.id).is_some_and(|g| g.default) {
                    return Ok(());
                }
                self.revoke_group_references(key)?;
                let id = self.old_id_of(key)?;
                mk(
                    self,
                    key.step(verb),
                    format!("Delete {noun} `{key}`: {why}."),
                    call("ec2", "delete_security_group", json!({ "GroupId": id })),
                )
            }
            Kind::NetworkAcl => {
                // The default ACL goes with its VPC and cannot be deleted (facts §6).
                if c.network_acls.get(&key.id).is_some_and(|a| a.default) {
                    return Ok(());
                }
                let id = self.old_id_of(key)?;
                mk(
                    self,
                    key.step(verb),
                    format!("Delete {noun} `{key}`, after its subnets moved off it: {why}."),
                    call("ec2", "delete_network_acl", json!({ "NetworkAclId": id })),
                )
            }
            Kind::Instance => {
                let id = self.old_id_of(key)?;
                mk(
                    self,
                    key.step(verb),
                    format!(
                        "Terminate {noun} `{key}` and wait until it is terminated, so its security \
                         groups can go: {why}."
                    ),
                    call(
                        "ec2",
                        "terminate_instances",
                        json!({ "InstanceIds": [id.clone()] }),
                    ),
                )
                .wait(instance_state_wait(id, "terminated", &[]))
                .seconds(aws::INSTANCE_DELETE_SECONDS)
            }
            Kind::TargetGroup => {
                let id = self.old_id_of(key)?;
                mk(
                    self,
                    key.step(verb),
                    format!("Delete {noun} `{key}` once no listener forwards to it: {why}."),
                    call(
                        "elbv2",
                        "delete_target_group",
                        json!({ "TargetGroupArn": id }),
                    ),
                )
            }
            Kind::LoadBalancer => {
                let id = self.old_id_of(key)?;
                mk(
                    self,
                    key.step(verb),
                    format!(
                        "Delete {noun} `{key}` with its listeners and wait until it is gone: {why}."
                    ),
                    call(
                        "elbv2",
                        "delete_load_balancer",
                        json!({ "LoadBalancerArn": id.clone() }),
                    ),
                )
                .wait(load_balancer_gone(id))
                .seconds(aws::LOAD_BALANCER_DELETE_SECONDS)
            }
            Kind::Listener => {
                let id = self.old_id_of(key)?;
                mk(
                    self,
                    key.step(verb),
                    format!(
                        "Delete listener {} of load balancer `{}`: {why}.",
                        key.sub.as_deref().unwrap_or_default(),
                        key.id
                    ),
                    call("elbv2", "delete_listener", json!({ "ListenerArn": id })),
                )
            }
            Kind::VpcLink => {
                let id = self.old_id_of(key)?;
                let version = c
                    .vpc_links
                    .get(&key.id)
                    .map(|l| l.version())
                    .unwrap_or(VpcLinkVersion::V1);
                let c = match version {
                    VpcLinkVersion::V1 => call(
                        "apigateway",
                        "delete_vpc_link",
                        json!({ "vpcLinkId": id.clone() }),
                    ),
                    VpcLinkVersion::V2 => call(
                        "apigatewayv2",
                        "delete_vpc_link",
                        json!({ "VpcLinkId": id.clone() }),
                    ),
                };
                mk(
                    self,
                    key.step(verb),
                    format!(
                        "Delete {noun} `{key}` once no deployed stage uses it, and wait until it is \
                         gone so its load balancer can go (facts §2.4): {why}."
                    ),
                    c,
                )
                .wait(link_gone(version, id))
                .seconds(aws::LINK_DELETE_SECONDS)
            }
            Kind::RestApi => {
                let id = self.old_id_of(key)?;
                mk(
                    self,
                    key.step(verb),
                    format!("Delete {noun} `{key}` with its stages and integrations: {why}."),
                    call("apigateway", "delete_rest_api", json!({ "restApiId": id })),
                )
            }
            Kind::RestRoute => return self.remove_rest_route(key, action, changes),
            Kind::RestStage => {
                let api = self.old_id_of(&Key::new(Kind::RestApi, key.id.clone()))?;
                let stage = key.sub.clone().unwrap_or_default();
                mk(
                    self,
                    key.step(verb),
                    format!("Delete stage `{stage}` of REST API `{}`: {why}.", key.id),
                    call(
                        "apigateway",
                        "delete_stage",
                        json!({ "restApiId": api, "stageName": stage }),
                    ),
                )
            }
            Kind::HttpApi => {
                let id = self.old_id_of(key)?;
                mk(
                    self,
                    key.step(verb),
                    format!("Delete {noun} `{key}` with its routes and stages: {why}."),
                    call("apigatewayv2", "delete_api", json!({ "ApiId": id })),
                )
            }
            Kind::HttpRoute => return self.remove_http_route(key, action, changes),
            Kind::HttpStage => {
                let api = self.old_id_of(&Key::new(Kind::HttpApi, key.id.clone()))?;
                let stage = key.sub.clone().unwrap_or_default();
                mk(
                    self,
                    key.step(verb),
                    format!("Delete stage `{stage}` of HTTP API `{}`: {why}.", key.id),
                    call(
                        "apigatewayv2",
                        "delete_stage",
                        json!({ "ApiId": api, "StageName": stage }),
                    ),
                )
            }
            Kind::Alarm => mk(
                self,
                key.step(verb),
                format!("Delete alarm `{old_name}`: {why}."),
                call(
                    "cloudwatch",
                    "delete_alarms",
                    json!({ "AlarmNames": [old_name.clone()] }),
                ),
            ),
        };
        self.add_remove(key, step)?;
        Ok(())
    }

    /// Before a group that goes is deleted, the rules of other going groups that name it
    /// are revoked: a referenced group cannot be deleted (facts §5.1, §9.4 step 7).
    fn revoke_group_references(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(sg) = self.c.and_then(|c| c.security_groups.get(&key.id)).cloned() else {
            return Ok(());
        };
        let going = |ctx: &Ctx<'_>, g: &str| {
            g != key.id
                && ctx
                    .fate(&Key::new(Kind::SecurityGroup, g))
                    .is_some_and(Fate::removes_old)
        };
        for egress in [false, true] {
            let rules: Vec<(
                crate::model::IpProtocol,
                Option<crate::model::PortRange>,
                Peer,
            )> = if egress {
                sg.egress
                    .iter()
                    .flatten()
                    .map(|r| (r.protocol, r.ports, r.destination.clone()))
                    .collect()
            } else {
                sg.ingress
                    .iter()
                    .map(|r| (r.protocol, r.ports, r.source.clone()))
                    .collect()
            };
            let mut perms = Vec::new();
            let mut named = BTreeSet::new();
            for (protocol, ports, peer) in rules {
                if let Peer::SecurityGroup(g) = &peer {
                    if going(self, g.as_str()) {
                        let id = self.old_id_of(&Key::new(Kind::SecurityGroup, g.as_str()))?;
                        perms.push(ip_permission(protocol, ports, &peer, Some(id), None));
                        named.insert(g.as_str().to_owned());
                    }
                }
            }
            if perms.is_empty() {
                continue;
            }
            let group = self.old_id_of(key)?;
            let dir = direction(egress);
            let step = Step::new(
                key.step_with("revoke", &format!("{dir}_references")),
                Action::Deregister,
                self.res_current(key),
                format!(
                    "Revoke the {} rules of security group `{key}` that name {}, so each group can \
                     be deleted (facts §5.1).",
                    if egress { "outbound" } else { "inbound" },
                    named
                        .iter()
                        .map(|g| format!("`{g}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                call(
                    "ec2",
                    &format!("revoke_security_group_{dir}"),
                    json!({ "GroupId": group, "IpPermissions": perms }),
                ),
            );
            let id = self.add(step)?;
            self.detaches.entry(key.clone()).or_default().push(id);
        }
        Ok(())
    }

    /// A REST route that goes while its API stays: `delete_method`, or `delete_resource`
    /// for the topmost path no desired route uses (it takes its methods and children).
    fn remove_rest_route(
        &mut self,
        key: &Key,
        action: Action,
        changes: Vec<Change>,
    ) -> Result<(), PlanError> {
        let api = Key::new(Kind::RestApi, key.id.clone());
        let route_key = key.sub.clone().unwrap_or_default();
        let Ok(parsed) = parse_route_key(&route_key) else {
            return Ok(());
        };
        let (method, path) = (parsed.method.to_owned(), parsed.path.to_owned());
        let kept: BTreeSet<String> = self
            .d
            .rest_apis
            .get(&key.id)
            .map(|a| ResourcePaths::used(&a.routes))
            .unwrap_or_default();
        let here = self.res_current(key).path;
        let rest_api = self.old_id_of(&api)?;
        // The topmost path of this route that no desired route needs.
        let unused = ResourcePaths::prefixes(&path)
            .into_iter()
            .find(|p| !kept.contains(p));
        let step = match unused {
            Some(p) => {
                let id = format!("delete.resource.{api}.{p}");
                if self.has_step(&id) {
                    self.removed.insert(key.clone(), id);
                    return Ok(());
                }
                let resource = self.resource_id(&api, &p, &here)?;
                Step::new(
                    id,
                    action,
                    self.res_current(key),
                    format!(
                        "Delete the resource `{p}` of REST API `{api}` with its methods; no route \
                         uses it any more."
                    ),
                    call(
                        "apigateway",
                        "delete_resource",
                        json!({ "restApiId": rest_api, "resourceId": resource }),
                    ),
                )
            }
            None => {
                let resource = self.resource_id(&api, &path, &here)?;
                Step::new(
                    key.step("delete"),
                    action,
                    self.res_current(key),
                    format!("Delete the method `{route_key}` of REST API `{api}`."),
                    call(
                        "apigateway",
                        "delete_method",
                        json!({ "restApiId": rest_api, "resourceId": resource,
                                "httpMethod": method }),
                    ),
                )
            }
        };
        self.add_remove(key, step.changes(changes))?;
        Ok(())
    }

    /// An HTTP route that goes while its API stays: the route, then its integration.
    fn remove_http_route(
        &mut self,
        key: &Key,
        action: Action,
        changes: Vec<Change>,
    ) -> Result<(), PlanError> {
        let api = self.old_id_of(&Key::new(Kind::HttpApi, key.id.clone()))?;
        let route_key = key.sub.clone().unwrap_or_default();
        let lookup = key.step("lookup");
        let select = format!("Items[?RouteKey=={}]", aws::lit(&route_key));
        let find = Step::new(
            lookup.clone(),
            Action::Lookup,
            self.res_current(key),
            format!(
                "Find the route and integration ids of `{route_key}` on HTTP API `{}`.",
                key.id
            ),
            call(
                "apigatewayv2",
                "get_routes",
                json!({ "ApiId": api.clone() }),
            ),
        )
        .outputs(vec![
            out("RouteId", &format!("{select}.RouteId | [0]")),
            out_after(
                "IntegrationId",
                &format!("{select}.Target | [0]"),
                "integrations/",
            ),
        ]);
        self.add_once(find);
        let verb = if action == Action::Replace {
            "replace"
        } else {
            "delete"
        };
        let route = Step::new(
            key.step(verb),
            action,
            self.res_current(key),
            format!("Delete the route `{route_key}` of HTTP API `{}`.", key.id),
            call(
                "apigatewayv2",
                "delete_route",
                json!({ "ApiId": api.clone(), "RouteId": output_ref(&lookup, "RouteId") }),
            ),
        )
        .changes(changes.clone());
        let route_id = self.add(route)?;
        let integration = Step::new(
            key.step_with(verb, "integration"),
            action,
            self.res_current(key),
            format!(
                "Delete the integration of `{route_key}` on HTTP API `{}`, after its route; \
                 it releases the VPC link (facts §9.4).",
                key.id
            ),
            call(
                "apigatewayv2",
                "delete_integration",
                json!({ "ApiId": api, "IntegrationId": output_ref(&lookup, "IntegrationId") }),
            ),
        )
        .after([route_id])
        .changes(changes);
        self.add_remove(key, integration)?;
        Ok(())
    }
}

/// Why a replacement is needed, in a few words.
fn replace_reason(kind: Kind, changes: &[Change]) -> String {
    let props: Vec<String> = changes
        .iter()
        .filter(|c| c.immutable)
        .map(
            |c| match (&c.reason, immutable::source(kind, &c.property)) {
                (Some(r), _) => format!("`{}` ({r})", c.property),
                (None, Some(source)) => format!("`{}` ({source})", c.property),
                (None, None) => format!("`{}`", c.property),
            },
        )
        .collect();
    if props.is_empty() {
        "it is replaced".into()
    } else {
        format!(
            "it is replaced because AWS cannot change {} in place",
            props.join(", ")
        )
    }
}

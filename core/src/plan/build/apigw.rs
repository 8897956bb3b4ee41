//! VPC links, REST APIs (resources, methods, integrations, deployments, stage settings)
//! and HTTP APIs (integrations, routes, stages) (facts §9.2 steps 13–19, §10.1, §10.2).

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::model::{
    parse_route_key, ConnectionType, IntegrationType, LogLevel, Route, Stage, VpcLinkVersion,
};

use super::super::aws::{self, map_tags, LINK_TIMEOUT, POLL_SECONDS};
use super::super::ctx::Ctx;
use super::super::error::{PlanError, PlanErrorCode};
use super::super::key::{self, Key, Kind};
use super::super::step::{call, out, output_ref, wait, wait_gone};
use super::super::types::{Action, ResourceRef, Step, StepId, Wait};

/// The access-log format when a stage names a destination: the fields that explain VPC
/// link failures (facts §3.6).
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","status":"$context.status","error":"$context.error.message","responseType":"$context.error.responseType","integrationStatus":"$context.integration.status","integrationError":"$context.integration.error","integrationLatency":"$context.integration.latency"}"#;

/// The resource paths a REST API's routes need, root first, parents before children.
pub(crate) struct ResourcePaths;

impl ResourcePaths {
    /// `/products/{id}` → `["/products", "/products/{id}"]`; `/` → `[]`.
    pub(crate) fn prefixes(path: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut acc = String::new();
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            acc.push('/');
            acc.push_str(seg);
            out.push(acc.clone());
        }
        out
    }

    /// Every path prefix the routes of a REST API use.
    pub(crate) fn used(routes: &crate::model::KeyMap<Route>) -> BTreeSet<String> {
        routes
            .iter()
            .filter_map(|(k, _)| parse_route_key(k).ok())
            .flat_map(|r| ResourcePaths::prefixes(r.path))
            .collect()
    }
}

/// A REST stage's variables, with those that name a VPC link of the topology (connection
/// ids `${stageVariables.x}`) turned into the link's AWS id.
pub(crate) fn rest_stage_variables(
    ctx: &mut Ctx<'_>,
    api: &crate::model::RestApi,
    stage: &Stage,
) -> Result<Map<String, Value>, PlanError> {
    let link_vars: BTreeSet<&str> = api
        .routes
        .iter()
        .filter_map(|(_, r)| r.integration.connection_stage_variable())
        .collect();
    let mut out = Map::new();
    for (name, value) in stage.variables.iter() {
        let v = if link_vars.contains(name.as_str()) && ctx.d.vpc_links.contains(value) {
            ctx.id_of(&Key::new(Kind::VpcLink, value.as_str()))?
        } else {
            json!(value)
        };
        out.insert(name.clone(), v);
    }
    Ok(out)
}

impl Ctx<'_> {
    /// The target registrations of this plan behind an API's routes: through the load
    /// balancers its VPC links or integration targets reach. A deployment prefers to
    /// wait for them, so a stage starts serving a path once its targets are healthy.
    fn registrations_behind(
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

    pub(crate) fn create_vpc_link(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(link) = self.d.vpc_links.get(&key.id) else {
            return Ok(());
        };
        let name = self.name(key);
        let id = Ctx::create_id(key);
        let me = output_ref(&id, "VpcLinkId");
        let step = match link.version() {
            VpcLinkVersion::V1 => {
                let mut arns = Vec::new();
                let mut listeners = Vec::new();
                for lb in &link.targets {
                    let lb_key = Key::new(Kind::LoadBalancer, lb.as_str());
                    arns.push(self.id_of(&lb_key)?);
                    // AWS advises the listener before the link (facts §9.1).
                    for l in self
                        .d
                        .load_balancers
                        .get(lb.as_str())
                        .map(|x| x.listeners.as_slice())
                        .unwrap_or_default()
                    {
                        let lk = Key::sub(Kind::Listener, lb.as_str(), l.port.to_string());
                        if self.creates(&lk) {
                            listeners.push(lk.step("create"));
                        }
                    }
                }
                let targets = link
                    .targets
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                Step::new(
                    id.clone(),
                    Action::Create,
                    self.res(key),
                    format!(
                        "{} REST VPC link `{key}` to load balancer {targets} and wait until it is \
                         AVAILABLE (typically 2–4 minutes, facts §2.2).",
                        self.verb(key)
                    ),
                    call(
                        "apigateway",
                        "create_vpc_link",
                        json!({ "name": name, "targetArns": arns,
                                "tags": map_tags(&Ctx::tag_id(key)) }),
                    ),
                )
                .outputs(vec![out("VpcLinkId", "id")])
                .wait(link_wait(VpcLinkVersion::V1, me.clone()))
                .lookup(
                    call("apigateway", "get_vpc_links", json!({ "limit": 500 })),
                    vec![out(
                        "VpcLinkId",
                        &format!(
                            "{}.id | [0]",
                            aws::tag_select("items", "tags", &Ctx::tag_id(key))
                        ),
                    )],
                )
                .undo(
                    call(
                        "apigateway",
                        "delete_vpc_link",
                        json!({ "vpcLinkId": me.clone() }),
                    ),
                    Some(link_gone(VpcLinkVersion::V1, me)),
                )
                .seconds(aws::LINK_V1_SECONDS)
                .after(listeners)
            }
            VpcLinkVersion::V2 => {
                let mut subnets = Vec::new();
                for s in &link.subnets {
                    subnets.push(self.id_of(&Key::new(Kind::Subnet, s.as_str()))?);
                }
                let mut groups = Vec::new();
                for g in &link.security_groups {
                    groups.push(self.id_of(&Key::new(Kind::SecurityGroup, g.as_str()))?);
                }
                Step::new(
                    id.clone(),
                    Action::Create,
                    self.res(key),
                    format!(
                        "{} VPC link `{key}` (V2) with ENIs in {} subnet{} and wait until it is \
                         AVAILABLE.",
                        self.verb(key),
                        link.subnets.len(),
                        if link.subnets.len() == 1 { "" } else { "s" }
                    ),
                    call(
                        "apigatewayv2",
                        "create_vpc_link",
                        json!({ "Name": name, "SubnetIds": subnets, "SecurityGroupIds": groups,
                                "Tags": map_tags(&Ctx::tag_id(key)) }),
                    ),
                )
                .outputs(vec![out("VpcLinkId", "VpcLinkId")])
                .wait(link_wait(VpcLinkVersion::V2, me.clone()))
                .lookup(
                    call(
                        "apigatewayv2",
                        "get_vpc_links",
                        json!({ "MaxResults": "100" }),
                    ),
                    vec![out(
                        "VpcLinkId",
                        &format!(
                            "{}.VpcLinkId | [0]",
                            aws::tag_select("Items", "Tags", &Ctx::tag_id(key))
                        ),
                    )],
                )
                .undo(
                    call(
                        "apigatewayv2",
                        "delete_vpc_link",
                        json!({ "VpcLinkId": me.clone() }),
                    ),
                    Some(link_gone(VpcLinkVersion::V2, me)),
                )
                .seconds(aws::LINK_V2_SECONDS)
            }
        };
        self.add_create(key, step.changes(self.replace_changes(key)))?;
        Ok(())
    }

    pub(crate) fn create_rest_api(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(api) = self.d.rest_apis.get(&key.id) else {
            return Ok(());
        };
        let name = self.name(key);
        let endpoint = endpoint_type(api.endpoint_type);
        let id = Ctx::create_id(key);
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.res(key),
            format!("{} {endpoint} REST API `{key}`.", self.verb(key)),
            call(
                "apigateway",
                "create_rest_api",
                json!({ "name": name, "endpointConfiguration": { "types": [endpoint] },
                        "tags": map_tags(&Ctx::tag_id(key)) }),
            ),
        )
        .outputs(vec![
            out("RestApiId", "id"),
            out("RootResourceId", "rootResourceId"),
        ])
        .lookup(
            call("apigateway", "get_rest_apis", json!({ "limit": 500 })),
            vec![
                out(
                    "RestApiId",
                    &format!(
                        "{}.id | [0]",
                        aws::tag_select("items", "tags", &Ctx::tag_id(key))
                    ),
                ),
                out(
                    "RootResourceId",
                    &format!(
                        "{}.rootResourceId | [0]",
                        aws::tag_select("items", "tags", &Ctx::tag_id(key))
                    ),
                ),
            ],
        )
        .undo(
            call(
                "apigateway",
                "delete_rest_api",
                json!({ "restApiId": output_ref(&id, "RestApiId") }),
            ),
            None,
        )
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        Ok(())
    }

    /// The id of a REST API resource (a path): the root from the API, a path this plan
    /// adds from its `create_resource` step, an existing path from a lookup.
    pub(crate) fn resource_id(
        &mut self,
        api: &Key,
        path: &str,
        needed_by: &crate::pointer::JsonPointer,
    ) -> Result<Value, PlanError> {
        let api_new = self.creates(api);
        if path == "/" && api_new {
            return Ok(output_ref(&api.step("create"), "RootResourceId"));
        }
        let exists = !api_new
            && (path == "/"
                || self
                    .c
                    .and_then(|c| c.rest_apis.get(&api.id))
                    .is_some_and(|a| ResourcePaths::used(&a.routes).contains(path)));
        let res = ResourceRef {
            kind: "resource".into(),
            id: format!("{api}/{path}"),
            path: needed_by.clone(),
        };
        let rest_api = self.id_of(api)?;
        let query = format!("items[?path=={}].id | [0]", aws::lit(path));
        if exists {
            let id = format!("lookup.resource.{api}.{path}");
            let step = Step::new(
                id.clone(),
                Action::Lookup,
                res,
                format!("Find the id of the existing resource `{path}` of REST API `{api}`."),
                call(
                    "apigateway",
                    "get_resources",
                    json!({ "restApiId": rest_api, "limit": 500 }),
                ),
            )
            .outputs(vec![out("ResourceId", &query)]);
            self.add_once(step);
            return Ok(output_ref(&id, "ResourceId"));
        }
        let id = format!("create.resource.{api}.{path}");
        if !self.has_step(&id) {
            let (parent_path, part) = match path.rsplit_once('/') {
                Some(("", part)) => ("/".to_owned(), part.to_owned()),
                Some((parent, part)) => (parent.to_owned(), part.to_owned()),
                None => ("/".to_owned(), path.to_owned()),
            };
            let parent = self.resource_id(api, &parent_path, needed_by)?;
            let step = Step::new(
                id.clone(),
                if api_new {
                    Action::Create
                } else {
                    Action::Update
                },
                res,
                format!("Create the resource `{path}` of REST API `{api}`."),
                call(
                    "apigateway",
                    "create_resource",
                    json!({ "restApiId": rest_api.clone(), "parentId": parent, "pathPart": part }),
                ),
            )
            .outputs(vec![out("ResourceId", "id")])
            .lookup(
                call(
                    "apigateway",
                    "get_resources",
                    json!({ "restApiId": rest_api.clone(), "limit": 500 }),
                ),
                vec![out("ResourceId", &query)],
            )
            .undo(
                call(
                    "apigateway",
                    "delete_resource",
                    json!({ "restApiId": rest_api, "resourceId": output_ref(&id, "ResourceId") }),
                ),
                None,
            );
            if api_new {
                self.add(step)?;
            } else {
                self.add_update(api, step, false)?;
            }
        }
        Ok(output_ref(&id, "ResourceId"))
    }

    /// A REST route: `put_method`, then `put_integration` (facts §9.2 steps 15–17).
    pub(crate) fn create_rest_route(&mut self, key: &Key) -> Result<(), PlanError> {
        let api_key = Key::new(Kind::RestApi, key.id.clone());
        let route_key = key.sub.clone().unwrap_or_default();
        let Some(route) = self
            .d
            .rest_apis
            .get(&key.id)
            .and_then(|a| a.routes.get(&route_key))
            .cloned()
        else {
            return Ok(());
        };
        let Ok(parsed) = parse_route_key(&route_key) else {
            return Ok(());
        };
        let (method, path) = (parsed.method.to_owned(), parsed.path.to_owned());
        let here = self.res(key).path;
        let resource = self.resource_id(&api_key, &path, &here)?;
        let rest_api = self.id_of(&api_key)?;
        let mut params = json!({
            "restApiId": rest_api.clone(),
            "resourceId": resource.clone(),
            "httpMethod": method,
            "authorizationType": route.authorization.as_deref().unwrap_or("NONE"),
        });
        let path_params = path_parameters(&path);
        if !path_params.is_empty() {
            let m: Map<String, Value> = path_params
                .iter()
                .map(|p| (format!("method.request.path.{p}"), json!(true)))
                .collect();
            params["requestParameters"] = Value::Object(m);
        }
        let id = key.step("create");
        let step = Step::new(
            id.clone(),
            if self.creates(&api_key) {
                Action::Create
            } else {
                Action::Update
            },
            self.res(key),
            format!("Create the method `{route_key}` of REST API `{}`.", key.id),
            call("apigateway", "put_method", params),
        )
        .lookup(
            call(
                "apigateway",
                "get_resources",
                json!({ "restApiId": rest_api.clone(), "limit": 500, "embed": ["methods"] }),
            ),
            vec![out(
                "HttpMethod",
                &format!(
                    "items[?path=={}] | [0].resourceMethods.{}.httpMethod",
                    aws::lit(&path),
                    method
                ),
            )],
        )
        .undo(
            call(
                "apigateway",
                "delete_method",
                json!({ "restApiId": rest_api, "resourceId": resource, "httpMethod": method }),
            ),
            None,
        )
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        self.put_integration(key, false)?;
        Ok(())
    }

    /// `put_integration`: creates or overwrites the integration of a REST method.
    pub(crate) fn put_integration(&mut self, key: &Key, update: bool) -> Result<StepId, PlanError> {
        let api_key = Key::new(Kind::RestApi, key.id.clone());
        let route_key = key.sub.clone().unwrap_or_default();
        let Some(route) = self
            .d
            .rest_apis
            .get(&key.id)
            .and_then(|a| a.routes.get(&route_key))
            .cloned()
        else {
            return Err(PlanError::internal(format!("no REST route `{key}`")));
        };
        let parsed = parse_route_key(&route_key)
            .map_err(|m| PlanError::new(PlanErrorCode::InvalidTopology, m))?;
        let (method, path) = (parsed.method.to_owned(), parsed.path.to_owned());
        let here = self.res(key).path;
        let resource = self.resource_id(&api_key, &path, &here)?;
        let rest_api = self.id_of(&api_key)?;
        let i = &route.integration;
        let mut params = json!({
            "restApiId": rest_api.clone(),
            "resourceId": resource.clone(),
            "httpMethod": method,
            "type": integration_type(i.kind),
        });
        if matches!(i.kind, IntegrationType::Http | IntegrationType::HttpProxy) {
            params["integrationHttpMethod"] = json!(i.method.as_deref().unwrap_or(&method));
        }
        if let Some(uri) = &i.uri {
            params["uri"] = json!(uri);
        }
        let link_ref = i.vpc_link.clone();
        match i.effective_connection_type() {
            ConnectionType::VpcLink => {
                params["connectionType"] = json!("VPC_LINK");
                if let Some(link) = &link_ref {
                    params["connectionId"] = if i.connection_stage_variable().is_some() {
                        json!(link)
                    } else {
                        self.id_of(&Key::new(Kind::VpcLink, link.as_str()))?
                    };
                }
            }
            ConnectionType::Internet => params["connectionType"] = json!("INTERNET"),
        }
        if let Some(ms) = i.timeout_ms {
            params["timeoutInMillis"] = json!(ms);
        }
        if let Some(tls) = &i.tls {
            if tls.insecure_skip_verification {
                params["tlsConfig"] = json!({ "insecureSkipVerification": true });
            }
        }
        // A REST integration through a V2 link names its load balancer (facts §2.6, §14).
        if let Some(target) = &i.target {
            params["integrationTarget"] =
                self.id_of(&Key::new(Kind::LoadBalancer, target.load_balancer.as_str()))?;
        }
        let path_params = path_parameters(&path);
        if !path_params.is_empty() && i.kind == IntegrationType::HttpProxy {
            let m: Map<String, Value> = path_params
                .iter()
                .map(|p| {
                    (
                        format!("integration.request.path.{p}"),
                        json!(format!("method.request.path.{p}")),
                    )
                })
                .collect();
            params["requestParameters"] = Value::Object(m);
        }
        let through = match (&link_ref, i.effective_connection_type()) {
            (Some(l), ConnectionType::VpcLink) => format!(" through VPC link `{l}`"),
            _ => String::new(),
        };
        let step = Step::new(
            key.step_with(if update { "update" } else { "create" }, "integration"),
            if update || !self.creates(&api_key) {
                Action::Update
            } else {
                Action::Create
            },
            ResourceRef {
                path: self.res(key).path.key("integration"),
                ..self.res(key)
            },
            format!(
                "{} the {} integration of `{route_key}` on REST API `{}`{through}.",
                if update { "Update" } else { "Create" },
                integration_type(i.kind),
                key.id
            ),
            call("apigateway", "put_integration", params),
        )
        .undo(
            call(
                "apigateway",
                "delete_integration",
                json!({ "restApiId": rest_api, "resourceId": resource, "httpMethod": method }),
            ),
            None,
        )
        .after(self.created.get(key).cloned().filter(|_| !update));
        if update {
            self.add_update(key, step, false)
        } else {
            self.add(step)
        }
    }

    pub(crate) fn create_rest_stage(&mut self, key: &Key) -> Result<(), PlanError> {
        self.deploy_rest_stage(key, false)?;
        self.rest_stage_settings(key, None, Vec::new())?;
        Ok(())
    }

    /// `create_deployment` with a stage name: after every integration of the API and
    /// after the VPC links they use are AVAILABLE (facts §9.2 step 18; a deployment with a
    /// PENDING link waits, facts §2.4). Deployments of one API run one after another
    /// (AWS allows one per 5 s, facts §2.3).
    pub(crate) fn deploy_rest_stage(
        &mut self,
        key: &Key,
        update: bool,
    ) -> Result<StepId, PlanError> {
        let api_key = Key::new(Kind::RestApi, key.id.clone());
        let stage_name = key.sub.clone().unwrap_or_default();
        let Some(api) = self.d.rest_apis.get(&key.id).cloned() else {
            return Err(PlanError::internal(format!("no REST API `{}`", key.id)));
        };
        let Some(stage) = api.stages.get(&stage_name).cloned() else {
            return Err(PlanError::internal(format!("no stage `{key}`")));
        };
        let rest_api = self.id_of(&api_key)?;
        let variables = rest_stage_variables(self, &api, &stage)?;
        let mut params = json!({ "restApiId": rest_api.clone(), "stageName": stage_name });
        if !variables.is_empty() {
            params["variables"] = Value::Object(variables);
        }
        let mut after: Vec<StepId> = Vec::new();
        for (route_key, route) in api.routes.iter() {
            let rk = Key::sub(Kind::RestRoute, key.id.clone(), route_key.clone());
            for id in [
                rk.step("create"),
                rk.step_with("create", "integration"),
                rk.step_with("update", "integration"),
            ] {
                if self.has_step(&id) {
                    after.push(id);
                }
            }
            for link in key::links_of_integration(&route.integration, &api.stages) {
                let lk = Key::new(Kind::VpcLink, link);
                if self.creates(&lk) {
                    after.push(lk.step("create"));
                }
            }
        }
        // One deployment at a time per API: the previous stage's, in stage order.
        let earlier: Vec<StepId> = api
            .stages
            .iter()
            .map(|(n, _)| n.clone())
            .take_while(|n| *n != stage_name)
            .flat_map(|n| {
                let k = Key::sub(Kind::RestStage, key.id.clone(), n);
                [
                    k.step_with("create", "deployment"),
                    k.step_with("redeploy", "stage"),
                ]
            })
            .filter(|id| self.has_step(id))
            .collect();
        after.extend(earlier);
        let id = if update {
            key.step_with("redeploy", "stage")
        } else {
            key.step_with("create", "deployment")
        };
        let step = Step::new(
            id.clone(),
            if update {
                Action::Update
            } else {
                Action::Create
            },
            self.res(key),
            format!(
                "{} REST API `{}` to stage `{stage_name}`, after its integrations and VPC links \
                 are ready.",
                if update { "Redeploy" } else { "Deploy" },
                key.id
            ),
            call("apigateway", "create_deployment", params),
        )
        .outputs(vec![out("DeploymentId", "id")])
        .lookup(
            call(
                "apigateway",
                "get_stages",
                json!({ "restApiId": rest_api.clone() }),
            ),
            vec![out(
                "DeploymentId",
                &format!(
                    "item[?stageName=={}].deploymentId | [0]",
                    aws::lit(&stage_name)
                ),
            )],
        )
        .seconds(aws::DEPLOYMENT_SECONDS)
        .after(after)
        .changes(self.replace_changes(key));
        for reg in self.registrations_behind(&api.routes, &api.stages) {
            self.soft.push((id.clone(), reg));
        }
        let step = if update {
            step
        } else {
            step.undo(
                call(
                    "apigateway",
                    "delete_stage",
                    json!({ "restApiId": rest_api, "stageName": stage_name }),
                ),
                None,
            )
        };
        if update {
            self.add_update(key, step, false)
        } else {
            self.add_create(key, step)
        }
    }

    /// `update_stage` with the stage's logging, metrics and access-log settings (facts
    /// §3.6); `from` is the current stage when updating one.
    pub(crate) fn rest_stage_settings(
        &mut self,
        key: &Key,
        from: Option<&Stage>,
        extra_ops: Vec<Value>,
    ) -> Result<Option<StepId>, PlanError> {
        let stage_name = key.sub.clone().unwrap_or_default();
        let Some(stage) = self
            .d
            .rest_apis
            .get(&key.id)
            .and_then(|a| a.stages.get(&stage_name))
            .cloned()
        else {
            return Ok(None);
        };
        let mut ops = stage_patch(from, &stage);
        ops.extend(extra_ops);
        if ops.is_empty() {
            return Ok(None);
        }
        let api_key = Key::new(Kind::RestApi, key.id.clone());
        let rest_api = self.id_of(&api_key)?;
        let update = from.is_some();
        let mut after = Vec::new();
        for id in [
            key.step_with("create", "deployment"),
            key.step_with("redeploy", "stage"),
        ] {
            if self.has_step(&id) {
                after.push(id);
            }
        }
        let step = Step::new(
            key.step("update"),
            if update {
                Action::Update
            } else {
                Action::Create
            },
            self.res(key),
            format!(
                "Set logging, metrics and access logs of stage `{stage_name}` of REST API `{}` \
                 (execution logs need the account's CloudWatch role, facts §3.6).",
                key.id
            ),
            call(
                "apigateway",
                "update_stage",
                json!({ "restApiId": rest_api, "stageName": stage_name, "patchOperations": ops }),
            ),
        )
        .after(after);
        let id = if update {
            self.add_update(key, step, false)?
        } else {
            self.add(step)?
        };
        Ok(Some(id))
    }

    pub(crate) fn create_http_api(&mut self, key: &Key) -> Result<(), PlanError> {
        let name = self.name(key);
        let id = Ctx::create_id(key);
        let step = Step::new(
            id.clone(),
            Action::Create,
            self.res(key),
            format!("{} HTTP API `{key}`.", self.verb(key)),
            call(
                "apigatewayv2",
                "create_api",
                json!({ "Name": name, "ProtocolType": "HTTP", "Tags": map_tags(&Ctx::tag_id(key)) }),
            ),
        )
        .outputs(vec![out("ApiId", "ApiId")])
        .lookup(
            call("apigatewayv2", "get_apis", json!({ "MaxResults": "500" })),
            vec![out(
                "ApiId",
                &format!(
                    "{}.ApiId | [0]",
                    aws::tag_select("Items", "Tags", &Ctx::tag_id(key))
                ),
            )],
        )
        .undo(
            call(
                "apigatewayv2",
                "delete_api",
                json!({ "ApiId": output_ref(&id, "ApiId") }),
            ),
            None,
        )
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        Ok(())
    }

    /// The parameters of an HTTP API integration (facts §3.7, §10.2).
    pub(crate) fn http_integration_params(
        &mut self,
        key: &Key,
        route: &Route,
    ) -> Result<Map<String, Value>, PlanError> {
        let api_key = Key::new(Kind::HttpApi, key.id.clone());
        let route_key = key.sub.clone().unwrap_or_default();
        let i = &route.integration;
        let mut p = Map::new();
        p.insert("ApiId".into(), self.id_of(&api_key)?);
        p.insert("IntegrationType".into(), json!(integration_type(i.kind)));
        match i.effective_connection_type() {
            ConnectionType::VpcLink => {
                p.insert("ConnectionType".into(), json!("VPC_LINK"));
                if let Some(link) = &i.vpc_link {
                    let v = if i.connection_stage_variable().is_some() {
                        json!(link)
                    } else {
                        self.id_of(&Key::new(Kind::VpcLink, link.as_str()))?
                    };
                    p.insert("ConnectionId".into(), v);
                }
            }
            ConnectionType::Internet => {
                p.insert("ConnectionType".into(), json!("INTERNET"));
            }
        }
        // A private HTTP integration names a listener ARN (facts §3.7).
        if let Some(target) = &i.target {
            let port = match target.port {
                Some(p) => Some(p),
                None => self
                    .d
                    .load_balancers
                    .get(target.load_balancer.as_str())
                    .and_then(|lb| lb.listeners.first())
                    .map(|l| l.port),
            };
            let Some(port) = port else {
                return Err(PlanError::new(
                    PlanErrorCode::InvalidTopology,
                    format!(
                        "route `{route_key}` of HTTP API `{}` targets load balancer `{}`, which has no listener",
                        key.id, target.load_balancer
                    ),
                )
                .at(self.res(key).path.key("integration").key("target")));
            };
            let lk = Key::sub(
                Kind::Listener,
                target.load_balancer.as_str(),
                port.to_string(),
            );
            p.insert("IntegrationUri".into(), self.id_of(&lk)?);
        } else if let Some(uri) = &i.uri {
            p.insert("IntegrationUri".into(), json!(uri));
        }
        let method = parse_route_key(&route_key)
            .map(|r| r.method.to_owned())
            .unwrap_or_else(|_| "ANY".into());
        p.insert(
            "IntegrationMethod".into(),
            json!(i.method.clone().unwrap_or(method)),
        );
        p.insert("PayloadFormatVersion".into(), json!("1.0"));
        if let Some(ms) = i.timeout_ms {
            p.insert("TimeoutInMillis".into(), json!(ms));
        }
        if let Some(name) = i.tls.as_ref().and_then(|t| t.server_name_to_verify.clone()) {
            p.insert("TlsConfig".into(), json!({ "ServerNameToVerify": name }));
        }
        p.insert("Description".into(), json!(integration_tag(key)));
        Ok(p)
    }

    /// An HTTP route: its integration, then the route pointing at it.
    pub(crate) fn create_http_route(&mut self, key: &Key) -> Result<(), PlanError> {
        let api_key = Key::new(Kind::HttpApi, key.id.clone());
        let route_key = key.sub.clone().unwrap_or_default();
        let Some(route) = self
            .d
            .http_apis
            .get(&key.id)
            .and_then(|a| a.routes.get(&route_key))
            .cloned()
        else {
            return Ok(());
        };
        let api = self.id_of(&api_key)?;
        let params = self.http_integration_params(key, &route)?;
        let action = if self.creates(&api_key) {
            Action::Create
        } else {
            Action::Update
        };
        let integration_id = key.step_with("create", "integration");
        let integration = Step::new(
            integration_id.clone(),
            action,
            ResourceRef {
                path: self.res(key).path.key("integration"),
                ..self.res(key)
            },
            format!(
                "Create the {} integration of `{route_key}` on HTTP API `{}`.",
                integration_type(route.integration.kind),
                key.id
            ),
            call("apigatewayv2", "create_integration", Value::Object(params)),
        )
        .outputs(vec![out("IntegrationId", "IntegrationId")])
        .lookup(
            call(
                "apigatewayv2",
                "get_integrations",
                json!({ "ApiId": api.clone() }),
            ),
            vec![out(
                "IntegrationId",
                &format!(
                    "Items[?Description=={}].IntegrationId | [0]",
                    aws::lit(&integration_tag(key))
                ),
            )],
        )
        .undo(
            call(
                "apigatewayv2",
                "delete_integration",
                json!({ "ApiId": api.clone(),
                        "IntegrationId": output_ref(&integration_id, "IntegrationId") }),
            ),
            None,
        )
        .changes(self.replace_changes(key));
        self.add(integration)?;
        let mut params = json!({
            "ApiId": api.clone(),
            "RouteKey": route_key,
            "Target": { "$join": ["integrations/", output_ref(&integration_id, "IntegrationId")] },
        });
        if let Some(auth) = &route.authorization {
            params["AuthorizationType"] = json!(auth);
        }
        let id = key.step("create");
        let step = Step::new(
            id.clone(),
            action,
            self.res(key),
            format!(
                "Create the route `{route_key}` of HTTP API `{}` to its integration.",
                key.id
            ),
            call("apigatewayv2", "create_route", params),
        )
        .outputs(vec![out("RouteId", "RouteId")])
        .lookup(
            call(
                "apigatewayv2",
                "get_routes",
                json!({ "ApiId": api.clone() }),
            ),
            vec![out(
                "RouteId",
                &format!("Items[?RouteKey=={}].RouteId | [0]", aws::lit(&route_key)),
            )],
        )
        .undo(
            call(
                "apigatewayv2",
                "delete_route",
                json!({ "ApiId": api, "RouteId": output_ref(&id, "RouteId") }),
            ),
            None,
        );
        self.add_create(key, step)?;
        Ok(())
    }

    /// An HTTP stage that deploys every change by itself (`AutoDeploy`), after the routes
    /// and the VPC links they use.
    pub(crate) fn create_http_stage(&mut self, key: &Key) -> Result<(), PlanError> {
        let api_key = Key::new(Kind::HttpApi, key.id.clone());
        let stage_name = key.sub.clone().unwrap_or_default();
        let Some(api) = self.d.http_apis.get(&key.id).cloned() else {
            return Ok(());
        };
        let Some(stage) = api.stages.get(&stage_name).cloned() else {
            return Ok(());
        };
        let api_id = self.id_of(&api_key)?;
        let mut params = json!({
            "ApiId": api_id.clone(),
            "StageName": stage_name,
            "AutoDeploy": true,
            "Tags": map_tags(&Ctx::tag_id(key)),
        });
        if let Some(m) = stage.metrics {
            params["DefaultRouteSettings"] = json!({ "DetailedMetricsEnabled": m });
        }
        if let Some(dest) = &stage.access_log_destination {
            params["AccessLogSettings"] =
                json!({ "DestinationArn": dest, "Format": ACCESS_LOG_FORMAT });
        }
        if !stage.variables.is_empty() {
            let mut vars = Map::new();
            let link_vars: BTreeSet<&str> = api
                .routes
                .iter()
                .filter_map(|(_, r)| r.integration.connection_stage_variable())
                .collect();
            for (n, v) in stage.variables.iter() {
                let value = if link_vars.contains(n.as_str()) && self.d.vpc_links.contains(v) {
                    self.id_of(&Key::new(Kind::VpcLink, v.as_str()))?
                } else {
                    json!(v)
                };
                vars.insert(n.clone(), value);
            }
            params["StageVariables"] = Value::Object(vars);
        }
        let mut after: Vec<StepId> = Vec::new();
        for (rk, route) in api.routes.iter() {
            let k = Key::sub(Kind::HttpRoute, key.id.clone(), rk.clone());
            if self.creates(&k) {
                after.push(k.step("create"));
            }
            for link in key::links_of_integration(&route.integration, &api.stages) {
                let lk = Key::new(Kind::VpcLink, link);
                if self.creates(&lk) {
                    after.push(lk.step("create"));
                }
            }
        }
        let id = key.step("create");
        for reg in self.registrations_behind(&api.routes, &api.stages) {
            self.soft.push((id.clone(), reg));
        }
        let step = Step::new(
            id,
            if self.creates(&api_key) {
                Action::Create
            } else {
                Action::Update
            },
            self.res(key),
            format!(
                "{} stage `{stage_name}` of HTTP API `{}`, deploying automatically, after its routes \
                 and VPC links are ready.",
                self.verb(key),
                key.id
            ),
            call("apigatewayv2", "create_stage", params),
        )
        .lookup(
            call("apigatewayv2", "get_stages", json!({ "ApiId": api_id.clone() })),
            vec![out(
                "StageName",
                &format!(
                    "Items[?StageName=={}].StageName | [0]",
                    aws::lit(&stage_name)
                ),
            )],
        )
        .undo(
            call(
                "apigatewayv2",
                "delete_stage",
                json!({ "ApiId": api_id, "StageName": stage_name }),
            ),
            None,
        )
        .after(after)
        .changes(self.replace_changes(key));
        self.add_create(key, step)?;
        Ok(())
    }
}

/// The tag an HTTP integration carries in its description: integrations have no name
/// or tags, and a crashed run must find the one it made.
pub(crate) fn integration_tag(key: &Key) -> String {
    format!("{}:{}", aws::TAG_KEY, key.ref_id())
}

/// Path parameters of a route path: `{id}` → `id`, `{proxy+}` → `proxy`.
fn path_parameters(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|s| s.trim_end_matches('+').to_owned())
        .collect()
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

pub(crate) fn endpoint_type(t: crate::model::EndpointType) -> &'static str {
    match t {
        crate::model::EndpointType::Regional => "REGIONAL",
        crate::model::EndpointType::Edge => "EDGE",
        crate::model::EndpointType::Private => "PRIVATE",
    }
}

fn log_level(l: Option<LogLevel>) -> &'static str {
    match l {
        Some(LogLevel::Info) => "INFO",
        Some(LogLevel::Error) => "ERROR",
        Some(LogLevel::Off) | None => "OFF",
    }
}

/// `update_stage` patch operations that bring a stage from `from` (a new stage: AWS's
/// defaults) to `to` (facts §3.6, §10.1).
pub(crate) fn stage_patch(from: Option<&Stage>, to: &Stage) -> Vec<Value> {
    let base = Stage::default();
    let from = from.unwrap_or(&base);
    let new = std::ptr::eq(from, &base);
    let mut ops = Vec::new();
    if to.logging != from.logging && !(new && to.logging.is_none()) {
        ops.push(json!({ "op": "replace", "path": "/*/*/logging/loglevel",
                         "value": log_level(to.logging) }));
    }
    if to.metrics != from.metrics && !(new && to.metrics.is_none()) {
        ops.push(json!({ "op": "replace", "path": "/*/*/metrics/enabled",
                         "value": to.metrics.unwrap_or(false).to_string() }));
    }
    if to.access_log_destination != from.access_log_destination {
        match &to.access_log_destination {
            Some(dest) => {
                ops.push(
                    json!({ "op": "replace", "path": "/accessLogSettings/destinationArn",
                                 "value": dest }),
                );
                ops.push(
                    json!({ "op": "replace", "path": "/accessLogSettings/format",
                                 "value": ACCESS_LOG_FORMAT }),
                );
            }
            None => ops.push(json!({ "op": "remove", "path": "/accessLogSettings" })),
        }
    }
    ops
}

/// Polls `get_vpc_link` until AVAILABLE; FAILED ends it with the status message (facts
/// §9.3: no waiter exists; poll every ~15 s, give up after ~15 minutes).
pub(crate) fn link_wait(version: VpcLinkVersion, id: Value) -> Wait {
    match version {
        VpcLinkVersion::V1 => wait(
            call("apigateway", "get_vpc_link", json!({ "vpcLinkId": id })),
            "status",
            &["AVAILABLE"],
            &["FAILED"],
            POLL_SECONDS,
            LINK_TIMEOUT,
        )
        .with_message("statusMessage"),
        VpcLinkVersion::V2 => wait(
            call("apigatewayv2", "get_vpc_link", json!({ "VpcLinkId": id })),
            "VpcLinkStatus",
            &["AVAILABLE"],
            &["FAILED"],
            POLL_SECONDS,
            LINK_TIMEOUT,
        )
        .with_message("VpcLinkStatusMessage"),
    }
}

/// Polls `get_vpc_link` until `NotFoundException`: the link is gone (facts §2.4).
pub(crate) fn link_gone(version: VpcLinkVersion, id: Value) -> Wait {
    match version {
        VpcLinkVersion::V1 => wait_gone(
            call("apigateway", "get_vpc_link", json!({ "vpcLinkId": id })),
            "status",
            &["NotFoundException"],
            POLL_SECONDS,
            LINK_TIMEOUT,
        ),
        VpcLinkVersion::V2 => wait_gone(
            call("apigatewayv2", "get_vpc_link", json!({ "VpcLinkId": id })),
            "VpcLinkStatus",
            &["NotFoundException"],
            POLL_SECONDS,
            LINK_TIMEOUT,
        ),
    }
}

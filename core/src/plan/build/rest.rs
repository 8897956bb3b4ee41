//! REST APIs: the API, its resources, methods and integrations, deployments per stage and
//! stage settings (facts §3, §9.2 steps 14–19, §10.1).

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::model::{parse_route_key, ConnectionType, IntegrationType, LogLevel, Route, Stage};

use super::super::aws::{self, map_tags};
use super::super::ctx::Ctx;
use super::super::error::{PlanError, PlanErrorCode};
use super::super::key::{self, Key, Kind};
use super::super::step::{call, out, output_ref};
use super::super::types::{Action, ResourceRef, Step, StepId};
use super::apigw::{integration_type, ACCESS_LOG_FORMAT};

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
            // Configures a resource; deleting that resource undoes it, so even in a new
            // deployment it is an update without an undo of its own (rollback then
            // reports nothing left behind).
            Action::Update,
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
}

/// Path parameters of a route path: `{id}` → `id`, `{proxy+}` → `proxy`.
fn path_parameters(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|s| s.trim_end_matches('+').to_owned())
        .collect()
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

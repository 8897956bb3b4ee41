//! HTTP APIs: the API, integrations to load-balancer listeners over V2 links, routes, and
//! stages that deploy themselves (facts §3.7, §10.2).

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::model::{parse_route_key, ConnectionType, Route};

use super::super::aws::{self, map_tags};
use super::super::ctx::Ctx;
use super::super::error::{PlanError, PlanErrorCode};
use super::super::key::{self, Key, Kind};
use super::super::step::{call, out, output_ref};
use super::super::types::{Action, ResourceRef, Step, StepId};
use super::apigw::{integration_type, ACCESS_LOG_FORMAT};

impl Ctx<'_> {
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

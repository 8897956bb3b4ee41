//! In-place changes to VPC links, REST and HTTP APIs, their routes and stages.

use serde_json::{json, Value};

use crate::model::{parse_route_key, VpcLinkVersion};

use super::super::aws;
use super::super::build::{endpoint_type as endpoint, rest_stage_variables};
use super::super::ctx::Ctx;
use super::super::error::PlanError;
use super::super::key::{Key, Kind};
use super::super::step::{call, out, out_after, output_ref};
use super::super::types::{Action, Change, Step};
use super::{touches, under};

impl Ctx<'_> {
    pub(crate) fn update_vpc_link(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        if !touches(changes, "/name") {
            return Ok(());
        }
        let Some(link) = self.d.vpc_links.get(&key.id) else {
            return Ok(());
        };
        let id = self.old_id_of(key)?;
        let name = self.name(key);
        let c = match link.version() {
            VpcLinkVersion::V1 => call(
                "apigateway",
                "update_vpc_link",
                json!({ "vpcLinkId": id,
                        "patchOperations": [{ "op": "replace", "path": "/name", "value": name }] }),
            ),
            VpcLinkVersion::V2 => call(
                "apigatewayv2",
                "update_vpc_link",
                json!({ "VpcLinkId": id, "Name": name }),
            ),
        };
        self.update_step(
            key,
            key.step("update"),
            format!("Rename VPC link `{key}` to `{name}`."),
            c,
            under(changes, "/name"),
            false,
        )?;
        Ok(())
    }

    pub(crate) fn update_rest_api(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        let (Some(c), Some(d)) = (
            self.c.and_then(|c| c.rest_apis.get(&key.id)).cloned(),
            self.d.rest_apis.get(&key.id).cloned(),
        ) else {
            return Ok(());
        };
        let mut ops = Vec::new();
        if touches(changes, "/name") {
            ops.push(json!({ "op": "replace", "path": "/name", "value": self.name(key) }));
        }
        if touches(changes, "/endpoint_type") {
            // The endpoint type is replaced by naming the old one in the path (facts §10.1).
            ops.push(json!({ "op": "replace",
                             "path": format!("/endpointConfiguration/types/{}", endpoint(c.endpoint_type)),
                             "value": endpoint(d.endpoint_type) }));
        }
        if ops.is_empty() {
            return Ok(());
        }
        let id = self.old_id_of(key)?;
        self.update_step(
            key,
            key.step("update"),
            format!("Change the name or endpoint type of REST API `{key}`."),
            call(
                "apigateway",
                "update_rest_api",
                json!({ "restApiId": id, "patchOperations": ops }),
            ),
            changes.to_vec(),
            false,
        )?;
        Ok(())
    }

    pub(crate) fn update_rest_route(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        if touches(changes, "/integration") {
            let id = self.put_integration(key, true)?;
            if let Some(s) = self.step_mut(&id) {
                s.changes = under(changes, "/integration");
            }
        }
        if touches(changes, "/authorization") {
            let route_key = key.sub.clone().unwrap_or_default();
            let Ok(parsed) = parse_route_key(&route_key) else {
                return Ok(());
            };
            let (method, path) = (parsed.method.to_owned(), parsed.path.to_owned());
            let api = Key::new(Kind::RestApi, key.id.clone());
            let here = self.res(key).path;
            let resource = self.resource_id(&api, &path, &here)?;
            let rest_api = self.id_of(&api)?;
            let auth = self
                .d
                .rest_apis
                .get(&key.id)
                .and_then(|a| a.routes.get(&route_key))
                .and_then(|r| r.authorization.clone())
                .unwrap_or_else(|| "NONE".into());
            self.update_step(
                key,
                key.step("update"),
                format!(
                    "Set the authorization of `{route_key}` on REST API `{}` to {auth}.",
                    key.id
                ),
                call(
                    "apigateway",
                    "update_method",
                    json!({ "restApiId": rest_api, "resourceId": resource, "httpMethod": method,
                            "patchOperations": [{ "op": "replace", "path": "/authorizationType",
                                                  "value": auth }] }),
                ),
                under(changes, "/authorization"),
                false,
            )?;
        }
        Ok(())
    }

    pub(crate) fn update_rest_stage(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        let stage_name = key.sub.clone().unwrap_or_default();
        let (Some(api), Some(old)) = (
            self.d.rest_apis.get(&key.id).cloned(),
            self.c
                .and_then(|c| c.rest_apis.get(&key.id))
                .and_then(|a| a.stages.get(&stage_name))
                .cloned(),
        ) else {
            return Ok(());
        };
        let Some(new) = api.stages.get(&stage_name).cloned() else {
            return Ok(());
        };
        if touches(changes, "/deployment") {
            let id = self.deploy_rest_stage(key, true)?;
            if let Some(s) = self.step_mut(&id) {
                s.changes = under(changes, "/deployment");
            }
        }
        let mut extra = Vec::new();
        if touches(changes, "/variables") {
            let vars = rest_stage_variables(self, &api, &new)?;
            for (name, value) in &vars {
                extra.push(
                    json!({ "op": "replace", "path": format!("/variables/{name}"),
                                   "value": value }),
                );
            }
            for (name, _) in old.variables.iter() {
                if !vars.contains_key(name) {
                    extra.push(json!({ "op": "remove", "path": format!("/variables/{name}") }));
                }
            }
        }
        if let Some(id) = self.rest_stage_settings(key, Some(&old), extra)? {
            if let Some(s) = self.step_mut(&id) {
                s.changes = changes
                    .iter()
                    .filter(|c| c.property != "/deployment")
                    .cloned()
                    .collect();
            }
        }
        Ok(())
    }

    pub(crate) fn update_http_api(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        if !touches(changes, "/name") {
            return Ok(());
        }
        let id = self.old_id_of(key)?;
        let name = self.name(key);
        self.update_step(
            key,
            key.step("update"),
            format!("Rename HTTP API `{key}` to `{name}`."),
            call(
                "apigatewayv2",
                "update_api",
                json!({ "ApiId": id, "Name": name }),
            ),
            under(changes, "/name"),
            false,
        )?;
        Ok(())
    }

    /// The route and integration ids of an existing HTTP route, found by its key (the
    /// topology carries neither).
    fn http_route_lookup(&mut self, key: &Key) -> Result<String, PlanError> {
        let api = self.id_of(&Key::new(Kind::HttpApi, key.id.clone()))?;
        let route_key = key.sub.clone().unwrap_or_default();
        let id = key.step("lookup");
        let select = format!("Items[?RouteKey=={}]", aws::lit(&route_key));
        let step = Step::new(
            id.clone(),
            Action::Lookup,
            self.res_current(key),
            format!(
                "Find the route and integration ids of `{route_key}` on HTTP API `{}`.",
                key.id
            ),
            call("apigatewayv2", "get_routes", json!({ "ApiId": api })),
        )
        .outputs(vec![
            out("RouteId", &format!("{select}.RouteId | [0]")),
            // `Target` is `integrations/<id>` (facts §10.2).
            out_after(
                "IntegrationId",
                &format!("{select}.Target | [0]"),
                "integrations/",
            ),
        ]);
        self.add_once(step);
        Ok(id)
    }

    pub(crate) fn update_http_route(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
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
        let lookup = self.http_route_lookup(key)?;
        if touches(changes, "/integration") {
            let mut params = self.http_integration_params(key, &route)?;
            params.insert("IntegrationId".into(), output_ref(&lookup, "IntegrationId"));
            self.update_step(
                key,
                key.step_with("update", "integration"),
                format!(
                    "Update the integration of `{route_key}` on HTTP API `{}`.",
                    key.id
                ),
                call("apigatewayv2", "update_integration", Value::Object(params)),
                under(changes, "/integration"),
                false,
            )?;
        }
        if touches(changes, "/authorization") {
            let api = self.id_of(&Key::new(Kind::HttpApi, key.id.clone()))?;
            let auth = route.authorization.clone().unwrap_or_else(|| "NONE".into());
            self.update_step(
                key,
                key.step("update"),
                format!(
                    "Set the authorization of `{route_key}` on HTTP API `{}` to {auth}.",
                    key.id
                ),
                call(
                    "apigatewayv2",
                    "update_route",
                    json!({ "ApiId": api, "RouteId": output_ref(&lookup, "RouteId"),
                            "AuthorizationType": auth }),
                ),
                under(changes, "/authorization"),
                false,
            )?;
        }
        Ok(())
    }

    pub(crate) fn update_http_stage(
        &mut self,
        key: &Key,
        changes: &[Change],
    ) -> Result<(), PlanError> {
        let stage_name = key.sub.clone().unwrap_or_default();
        let Some(stage) = self
            .d
            .http_apis
            .get(&key.id)
            .and_then(|a| a.stages.get(&stage_name))
            .cloned()
        else {
            return Ok(());
        };
        let api = self.id_of(&Key::new(Kind::HttpApi, key.id.clone()))?;
        let mut params = json!({ "ApiId": api, "StageName": stage_name });
        params["DefaultRouteSettings"] =
            json!({ "DetailedMetricsEnabled": stage.metrics.unwrap_or(false) });
        if let Some(dest) = &stage.access_log_destination {
            params["AccessLogSettings"] = json!({ "DestinationArn": dest });
        }
        if touches(changes, "/variables") {
            let vars: serde_json::Map<String, Value> = stage
                .variables
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            params["StageVariables"] = Value::Object(vars);
        }
        self.update_step(
            key,
            key.step("update"),
            format!(
                "Update the settings of stage `{stage_name}` of HTTP API `{}`.",
                key.id
            ),
            call("apigatewayv2", "update_stage", params),
            changes.to_vec(),
            false,
        )?;
        Ok(())
    }
}

//! Routes from an OpenAPI body (`Body` of a RestApi or HTTP Api, `DefinitionBody` of a
//! SAM API): each operation's `x-amazon-apigateway-integration` is an integration.

use super::apigw::{Api, RouteIn, OPENAPI};
use super::build::Importer;
use super::template::Resource;
use super::yaml::Node;
use crate::import::ImportError;
use crate::model::Id;
use crate::pointer::JsonPointer;

/// OpenAPI operation keys and the route method they stand for.
fn method_of(key: &str) -> Option<&'static str> {
    Some(match key.to_ascii_lowercase().as_str() {
        "get" => "GET",
        "put" => "PUT",
        "post" => "POST",
        "delete" => "DELETE",
        "options" => "OPTIONS",
        "head" => "HEAD",
        "patch" => "PATCH",
        "x-amazon-apigateway-any-method" => "ANY",
        _ => return None,
    })
}

impl Importer<'_> {
    pub fn openapi_routes(
        &mut self,
        r: &Resource<'_>,
        body: &Node,
        api: Api,
        api_id: &Id,
    ) -> Result<(), ImportError> {
        let coll = match api {
            Api::Rest => "rest_apis",
            Api::Http => "http_apis",
        };
        let routes_at = JsonPointer::resource(coll, api_id).key("routes");
        // A body built by an intrinsic (`Fn::Transform: AWS::Include`) is read at deploy.
        let literal_body = body.tag.is_none()
            && !body
                .entries()
                .first()
                .is_some_and(|e| e.key.starts_with("Fn::") && body.entries().len() == 1);
        if !literal_body {
            let v = self.t.eval(body)?;
            let (expr, reason) = match v.first_unknown() {
                Some(u) => (u.expr.clone(), u.reason.clone()),
                None => (
                    super::template::render(body),
                    "the OpenAPI body is computed at deploy time".to_owned(),
                ),
            };
            self.unknown_at(
                routes_at,
                &expr,
                &format!("{reason}; the API's routes are not read"),
            );
            return Ok(());
        }
        let Some(paths) = body.get("paths") else {
            return Ok(());
        };
        for p in paths.entries() {
            for op in p.value.entries() {
                let Some(method) = method_of(&op.key) else {
                    continue;
                };
                let Some(integration) = op.value.get("x-amazon-apigateway-integration") else {
                    continue;
                };
                let integration = self.t.eval(integration)?;
                let key = if api == Api::Http && p.key == "/$default" {
                    "$default".to_owned()
                } else {
                    format!("{method} {}", p.key)
                };
                self.add_route(RouteIn {
                    api,
                    api_id: api_id.clone(),
                    key,
                    integration,
                    names: &OPENAPI,
                    authorization: None,
                    logical: format!("{}.paths.{}.{}", r.logical, p.key, op.key),
                    pos: op.key_pos,
                })?;
            }
        }
        Ok(())
    }
}

//! API Gateway: VPC links (V1 and V2), REST APIs (resource tree, methods with their
//! integration block, deployments, stages), HTTP APIs (integrations, routes, stages), and
//! SAM's `AWS::Serverless::Api` / `HttpApi`. OpenAPI bodies are read in `openapi.rs`.

use std::collections::BTreeMap;

use super::build::{Coll, Hint, Importer};
use super::template::{error_at, Resource};
use super::value::{Part, Val};
use super::yaml::Pos;
use crate::import::ImportError;
use crate::model::{
    ConnectionType, EndpointType, HttpApi, Id, Integration, IntegrationType, KeyMap, ListenerRef,
    LogLevel, RestApi, Route, Stage, TlsConfig, VpcLink,
};
use crate::pointer::JsonPointer;

/// Which API family an integration belongs to: their property names differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Rest,
    Http,
}

/// Property names of an integration in one notation.
pub struct Names {
    pub kind: &'static str,
    pub method: &'static str,
    pub uri: &'static str,
    pub conn_type: &'static str,
    pub conn_id: &'static str,
    pub timeout: &'static str,
    pub target: &'static str,
    pub tls: &'static str,
    pub tls_skip: &'static str,
    pub tls_name: &'static str,
}

/// `AWS::ApiGateway::Method.Integration` (facts §11).
pub const CFN_REST: Names = Names {
    kind: "Type",
    method: "IntegrationHttpMethod",
    uri: "Uri",
    conn_type: "ConnectionType",
    conn_id: "ConnectionId",
    timeout: "TimeoutInMillis",
    target: "IntegrationTarget",
    tls: "TlsConfig",
    tls_skip: "InsecureSkipVerification",
    tls_name: "ServerNameToVerify",
};

/// `AWS::ApiGatewayV2::Integration` (facts §11).
pub const CFN_HTTP: Names = Names {
    kind: "IntegrationType",
    method: "IntegrationMethod",
    uri: "IntegrationUri",
    conn_type: "ConnectionType",
    conn_id: "ConnectionId",
    timeout: "TimeoutInMillis",
    target: "IntegrationTarget",
    tls: "TlsConfig",
    tls_skip: "InsecureSkipVerification",
    tls_name: "ServerNameToVerify",
};

/// `x-amazon-apigateway-integration` in an OpenAPI body.
pub const OPENAPI: Names = Names {
    kind: "type",
    method: "httpMethod",
    uri: "uri",
    conn_type: "connectionType",
    conn_id: "connectionId",
    timeout: "timeoutInMillis",
    target: "integrationTarget",
    tls: "tlsConfig",
    tls_skip: "insecureSkipVerification",
    tls_name: "serverNameToVerify",
};

fn integration_type(s: &str) -> Option<IntegrationType> {
    Some(match s.trim().to_ascii_uppercase().as_str() {
        "HTTP" => IntegrationType::Http,
        "HTTP_PROXY" => IntegrationType::HttpProxy,
        "AWS" => IntegrationType::Aws,
        "AWS_PROXY" => IntegrationType::AwsProxy,
        "MOCK" => IntegrationType::Mock,
        _ => return None,
    })
}

fn log_level(s: &str) -> Option<LogLevel> {
    match s.trim().to_ascii_uppercase().as_str() {
        "OFF" => Some(LogLevel::Off),
        "ERROR" => Some(LogLevel::Error),
        "INFO" => Some(LogLevel::Info),
        _ => None,
    }
}

/// A route's integration, read from a Method, a V2 Integration or an OpenAPI operation.
pub struct RouteIn {
    pub api: Api,
    pub api_id: Id,
    pub key: String,
    pub integration: Val,
    pub names: &'static Names,
    pub authorization: Option<String>,
    pub logical: String,
    pub pos: Pos,
}

impl Importer<'_> {
    pub fn map_vpc_link(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some(id) = self.id_of(&r.logical).map(|(_, id)| id.clone()) else {
            return Ok(());
        };
        let path = JsonPointer::resource("vpc_links", &id);
        let name = Self::name(self.prop(r, "Name")?.as_ref());
        let mut link = VpcLink {
            targets: Vec::new(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            aws_id: None,
            name,
        };
        if r.kind == "AWS::ApiGateway::VpcLink" {
            // A load balancer outside the template is a placeholder whose listeners are
            // unknown; the integrations through it are marked unknown in `finish_routes`.
            let v = self.prop(r, "TargetArns")?;
            let hint = Hint {
                outside_lb: true,
                ..Hint::default()
            };
            link.targets = self.references(
                v.as_ref(),
                Coll::LoadBalancers,
                &hint,
                &path.clone().key("targets"),
            )?;
        } else {
            let v = self.prop(r, "SubnetIds")?;
            let vpc = v.as_ref().and_then(|v| {
                v.items().iter().chain(std::iter::once(v)).find_map(|i| {
                    let s = self.local_ref(i, Coll::Subnets)?;
                    self.topo.subnets.get(s.as_str()).map(|s| s.vpc.clone())
                })
            });
            let hint = Hint {
                vpc,
                ..Hint::default()
            };
            link.subnets = self.references(
                v.as_ref(),
                Coll::Subnets,
                &hint,
                &path.clone().key("subnets"),
            )?;
            let hint = Hint {
                vpc: link
                    .subnets
                    .first()
                    .and_then(|s| self.topo.subnets.get(s.as_str()))
                    .map(|s| s.vpc.clone()),
                ..Hint::default()
            };
            let v = self.prop(r, "SecurityGroupIds")?;
            link.security_groups = self.references(
                v.as_ref(),
                Coll::SecurityGroups,
                &hint,
                &path.clone().key("security_groups"),
            )?;
            if link.subnets.is_empty() {
                // The model tells V2 links by their subnets; keep it a V2 link.
                self.unknown_at(
                    path.clone().key("subnets"),
                    "(no SubnetIds)",
                    "a V2 VPC link without known subnets",
                );
            }
        }
        self.topo.vpc_links.0.insert(id, link);
        self.source(path, r);
        Ok(())
    }

    // ---------------------------------------------------------------------------------
    // REST APIs.

    pub fn map_rest_api(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some(id) = self.id_of(&r.logical).map(|(_, id)| id.clone()) else {
            return Ok(());
        };
        let path = JsonPointer::resource("rest_apis", &id);
        let sam = r.kind == "AWS::Serverless::Api";
        let name = Self::name(self.prop(r, "Name")?.as_ref());
        let endpoint = match self.prop(r, "EndpointConfiguration")? {
            None => None,
            Some(v) => {
                let t = match &v {
                    Val::Map(_) => v
                        .get("Types")
                        .and_then(|t| t.items().first().cloned())
                        .or_else(|| v.get("Type").cloned()),
                    other => Some(other.clone()),
                };
                self.text(t.as_ref(), &path.clone().key("endpoint_type"))
            }
        };
        let endpoint_type = match endpoint.as_deref().map(str::to_ascii_uppercase).as_deref() {
            Some("PRIVATE") => EndpointType::Private,
            Some("EDGE") => EndpointType::Edge,
            // SAM APIs and APIs with an unknown endpoint are taken as Regional.
            Some("REGIONAL") | None => EndpointType::Regional,
            Some(other) => {
                return Err(error_at(
                    r.props
                        .get("EndpointConfiguration")
                        .map(|n| n.pos)
                        .unwrap_or(r.pos),
                    Some(r.pointer("EndpointConfiguration")),
                    format!("endpoint type `{other}` is not REGIONAL, EDGE or PRIVATE"),
                ))
            }
        };
        let mut api = RestApi {
            name,
            endpoint_type,
            routes: KeyMap::default(),
            stages: KeyMap::default(),
            aws_id: None,
        };
        if sam {
            // SAM creates the deployment and the stage named `StageName`.
            if let Some(stage_v) = self.prop(r, "StageName")? {
                let props = self.props_val(r)?;
                if let Some(stage_name) = self.stage_name(&stage_v, &path) {
                    let stage = self.stage(
                        &props,
                        &path.clone().key("stages").key(&stage_name),
                        StageStyle::Sam,
                    )?;
                    api.stages.0.insert(stage_name.clone(), stage);
                    self.source(path.clone().key("stages").key(&stage_name), r);
                }
            }
        }
        self.topo.rest_apis.0.insert(id.clone(), api);
        self.source(path.clone(), r);
        let body_key = if sam { "DefinitionBody" } else { "Body" };
        if let Some(body) = r.props.get(body_key) {
            self.openapi_routes(r, body, Api::Rest, &id)?;
        } else {
            for other in ["BodyS3Location", "DefinitionUri"] {
                if r.props.get(other).is_some() {
                    self.unknown_at(
                        path.clone().key("routes"),
                        &format!("{}.{other}", r.logical),
                        "the OpenAPI definition lives in a separate file (S3); its routes are not read",
                    );
                }
            }
        }
        Ok(())
    }

    /// The whole `Properties` map, evaluated.
    pub fn props_val(&self, r: &Resource<'_>) -> Result<Val, ImportError> {
        let mut out = Vec::new();
        for e in r.props.entries() {
            let v = self.t.eval(&e.value).map_err(|mut err| {
                err.path.get_or_insert_with(|| r.pointer(&e.key));
                err
            })?;
            out.push((e.key.clone(), v));
        }
        Ok(Val::Map(out))
    }

    fn stage_name(&mut self, v: &Val, api_path: &JsonPointer) -> Option<String> {
        if let Some(s) = v.as_lit() {
            return Some(s);
        }
        // An unknown name: keep it as written, and mark the stage as unknown.
        let shown = v.display()?;
        if let Some(u) = v.first_unknown() {
            let u = u.clone();
            self.unknown(api_path.clone().key("stages").key(&shown), &u);
        }
        Some(shown)
    }

    /// `/a/b` of an `AWS::ApiGateway::Resource` (or `` for the root) and its API.
    fn resource_path(&self, v: &Val, depth: usize) -> Option<(Id, String)> {
        if depth > 64 {
            return None;
        }
        let (logical, attr) = v.as_res()?;
        if attr == Some("RootResourceId") {
            let (coll, id) = self.id_of(logical)?;
            return (coll == Coll::RestApis).then(|| (id.clone(), String::new()));
        }
        let r = self.t.resource(logical)?;
        if r.kind != "AWS::ApiGateway::Resource" {
            return None;
        }
        let parent = self.t.eval(r.props.get("ParentId")?).ok()?;
        let (api, base) = self.resource_path(&parent, depth + 1)?;
        let part = self.t.eval(r.props.get("PathPart")?).ok()?.display()?;
        Some((api, format!("{base}/{part}")))
    }

    pub fn map_method(&mut self, r: &Resource<'_>) -> Result<Option<RouteIn>, ImportError> {
        let api_v = self.prop(r, "RestApiId")?.unwrap_or(Val::Null);
        let Some(api_id) = self.local_ref(&api_v, Coll::RestApis) else {
            self.skip(r, "its REST API is not declared in this template");
            return Ok(None);
        };
        let res_v = self.prop(r, "ResourceId")?.unwrap_or(Val::Null);
        let Some((_, path)) = self.resource_path(&res_v, 0) else {
            self.skip(
                r,
                "its resource path cannot be worked out from the template",
            );
            return Ok(None);
        };
        let method_v = self.prop(r, "HttpMethod")?;
        let Some(method) = method_v.as_ref().and_then(Val::as_lit) else {
            self.skip(r, "its HTTP method is known only at deploy time");
            return Ok(None);
        };
        let key = match &r.meta_route {
            Some(k) => k.clone(),
            None => {
                let p = if path.is_empty() { "/" } else { path.as_str() };
                format!("{} {p}", method.trim().to_ascii_uppercase())
            }
        };
        let Some(integration) = self.prop(r, "Integration")? else {
            self.skip(r, "a method without an integration has no backend to check");
            return Ok(None);
        };
        let authorization = self.prop(r, "AuthorizationType")?.and_then(|v| v.as_lit());
        Ok(Some(RouteIn {
            api: Api::Rest,
            api_id,
            key,
            integration,
            names: &CFN_REST,
            authorization,
            logical: r.logical.clone(),
            pos: r.pos,
        }))
    }

    /// Adds a route read from any notation.
    pub fn add_route(&mut self, route: RouteIn) -> Result<(), ImportError> {
        let coll = match route.api {
            Api::Rest => "rest_apis",
            Api::Http => "http_apis",
        };
        let at = JsonPointer::resource(coll, &route.api_id)
            .key("routes")
            .key(&route.key);
        let Some(integration) = self.integration(&route, &at.clone().key("integration"))? else {
            return Ok(());
        };
        let r = Route {
            integration,
            // `NONE` is what CloudFormation requires for an open method; the model leaves
            // it out.
            authorization: route
                .authorization
                .filter(|a| !a.eq_ignore_ascii_case("NONE")),
        };
        let routes = match route.api {
            Api::Rest => self
                .topo
                .rest_apis
                .0
                .get_mut(&route.api_id)
                .map(|a| &mut a.routes),
            Api::Http => self
                .topo
                .http_apis
                .0
                .get_mut(&route.api_id)
                .map(|a| &mut a.routes),
        };
        if let Some(routes) = routes {
            routes.0.insert(route.key.clone(), r);
        }
        self.source_at(at, &route.logical, route.pos);
        Ok(())
    }

    fn integration(
        &mut self,
        route: &RouteIn,
        at: &JsonPointer,
    ) -> Result<Option<Integration>, ImportError> {
        let n = route.names;
        let v = &route.integration;
        if let Some(u) = v.as_unk() {
            let u = u.clone();
            self.unknown(at.clone(), &u);
            return Ok(None);
        }
        let kind = match self.text(v.get(n.kind), &at.clone().key("type")) {
            Some(k) => integration_type(&k).ok_or_else(|| {
                error_at(
                    route.pos,
                    None,
                    format!(
                        "`{}` of `{}`: `{k}` is not an integration type",
                        n.kind, route.logical
                    ),
                )
            })?,
            None => IntegrationType::HttpProxy,
        };
        let connection_type =
            match self.text(v.get(n.conn_type), &at.clone().key("connection_type")) {
                Some(c) if c.eq_ignore_ascii_case("VPC_LINK") => Some(ConnectionType::VpcLink),
                Some(c) if c.eq_ignore_ascii_case("INTERNET") => Some(ConnectionType::Internet),
                _ => None,
            };
        let hint = Hint {
            v2: route.api == Api::Http,
            ..Hint::default()
        };
        let vpc_link = match v.get(n.conn_id) {
            None | Some(Val::Null) => None,
            Some(c) => match c.as_lit() {
                Some(s) if s.contains("${stageVariables.") => Some(s),
                _ => self
                    .reference(c, Coll::VpcLinks, &hint, &at.clone().key("vpc_link"))?
                    .map(|id| id.to_string()),
            },
        };
        let method = v
            .get(n.method)
            .and_then(|m| self.text(Some(m), &at.clone().key("method")))
            .map(|m| m.to_ascii_uppercase());
        let timeout_ms = match v.get(n.timeout) {
            Some(t) => self
                .text(Some(t), &at.clone().key("timeout_ms"))
                .and_then(|t| t.trim().parse().ok()),
            None => None,
        };
        let tls = v.get(n.tls).map(|t| TlsConfig {
            insecure_skip_verification: t
                .get(n.tls_skip)
                .and_then(Val::as_lit)
                .is_some_and(|s| s.eq_ignore_ascii_case("true")),
            server_name_to_verify: t.get(n.tls_name).and_then(|s| Self::name(Some(s))),
        });
        let mut uri = None;
        let mut target = None;
        let uri_v = v.get(n.uri);
        match route.api {
            Api::Rest => {
                if let Some(u) = uri_v {
                    uri = self.uri_text(u, &at.clone().key("uri"));
                }
                // REST over a V2 link names the load balancer (Nov 2025, facts §2.6).
                if let Some(t) = v.get(n.target) {
                    target = self.listener_ref(t, &at.clone().key("target"));
                }
            }
            Api::Http => match uri_v {
                None => {}
                Some(u) => {
                    let private = connection_type == Some(ConnectionType::VpcLink);
                    if let Some((lb, port)) = self.listener_target(u) {
                        target = Some(ListenerRef {
                            load_balancer: lb,
                            port: Some(port),
                        });
                    } else if let Some(lb) = self.local_ref(u, Coll::LoadBalancers) {
                        // A load balancer ARN where a listener ARN belongs: kept, so that
                        // the listener rule can say so.
                        target = Some(ListenerRef {
                            load_balancer: lb,
                            port: None,
                        });
                    } else if !private {
                        uri = self.uri_text(u, &at.clone().key("uri"));
                    } else {
                        let expr = u
                            .first_unknown()
                            .map(|x| x.expr.clone())
                            .or_else(|| u.display())
                            .unwrap_or_default();
                        self.unknown_at(
                            at.clone(),
                            &expr,
                            "the integration targets something outside the model (a Cloud Map service, or a listener outside the template)",
                        );
                    }
                }
            },
        }
        // The connection type that `vpc_link` already implies is left out, as in a
        // topology written by hand.
        let implied = if vpc_link.is_some() {
            ConnectionType::VpcLink
        } else {
            ConnectionType::Internet
        };
        let connection_type = connection_type.filter(|c| *c != implied);
        Ok(Some(Integration {
            kind,
            connection_type,
            vpc_link,
            uri,
            target,
            method,
            timeout_ms,
            tls,
        }))
    }

    fn listener_ref(&mut self, v: &Val, at: &JsonPointer) -> Option<ListenerRef> {
        if let Some((lb, port)) = self.listener_target(v) {
            return Some(ListenerRef {
                load_balancer: lb,
                port: Some(port),
            });
        }
        if let Some(lb) = self.local_ref(v, Coll::LoadBalancers) {
            return Some(ListenerRef {
                load_balancer: lb,
                port: None,
            });
        }
        let expr = v
            .first_unknown()
            .map(|x| x.expr.clone())
            .or_else(|| v.display())
            .unwrap_or_default();
        self.unknown_at(
            at.clone(),
            &expr,
            "the integration target is outside the template",
        );
        None
    }

    /// A URI as API Gateway will see it: a load balancer's `DNSName` becomes a name of the
    /// same shape, an instance's `PrivateIp` its (placeholder) address; anything unknown
    /// is kept as `${…}` and recorded.
    fn uri_text(&mut self, v: &Val, at: &JsonPointer) -> Option<String> {
        let parts = v.parts()?;
        let mut s = String::new();
        for p in parts {
            match p {
                Part::Lit(t) => s.push_str(&t),
                Part::Res { logical, attr } => {
                    let target = self.id_of(&logical).map(|(c, id)| (c, id.clone()));
                    match (target, attr.as_deref()) {
                        (Some((Coll::LoadBalancers, id)), Some("DNSName")) => {
                            let internal = self
                                .topo
                                .load_balancers
                                .get(id.as_str())
                                .is_some_and(|l| l.scheme == crate::model::Scheme::Internal);
                            s.push_str(&format!(
                                "{}{id}.elb.{}.amazonaws.com",
                                if internal { "internal-" } else { "" },
                                self.topo.region
                            ));
                        }
                        (Some((Coll::Instances, id)), Some("PrivateIp")) => {
                            let expr = format!("!GetAtt {logical}.PrivateIp");
                            match self.instance_address(&id, &expr) {
                                Some(ip) => s.push_str(&ip),
                                None => s.push_str(&format!("${{{logical}.PrivateIp}}")),
                            }
                        }
                        (_, attr) => {
                            let shown = match attr {
                                Some(a) => format!("{logical}.{a}"),
                                None => logical.clone(),
                            };
                            s.push_str(&format!("${{{shown}}}"));
                            self.unknown_at(
                                at.clone(),
                                &format!("${{{shown}}}"),
                                "part of the URI is an attribute known only after deploy",
                            );
                        }
                    }
                }
                Part::Unk(u) => {
                    s.push_str(&format!("${{{}}}", u.show));
                    self.unknown(at.clone(), &u);
                }
            }
        }
        Some(s)
    }

    pub fn map_deployment(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let api_v = self.prop(r, "RestApiId")?.unwrap_or(Val::Null);
        let Some(api_id) = self.local_ref(&api_v, Coll::RestApis) else {
            self.skip(r, "its REST API is not declared in this template");
            return Ok(());
        };
        let Some(stage_v) = self.prop(r, "StageName")? else {
            // A deployment without a stage name is staged by an AWS::ApiGateway::Stage.
            return Ok(());
        };
        let path = JsonPointer::resource("rest_apis", &api_id);
        let Some(name) = self.stage_name(&stage_v, &path) else {
            return Ok(());
        };
        let desc = self
            .prop(r, "StageDescription")?
            .unwrap_or(Val::Map(Vec::new()));
        let at = path.key("stages").key(&name);
        let stage = self.stage(&desc, &at, StageStyle::Rest)?;
        if let Some(api) = self.topo.rest_apis.0.get_mut(&api_id) {
            api.stages.0.entry(name).or_insert(stage);
        }
        self.source(at, r);
        Ok(())
    }

    pub fn map_stage(&mut self, r: &Resource<'_>, api: Api) -> Result<(), ImportError> {
        let (api_key, coll, style) = match api {
            Api::Rest => ("RestApiId", Coll::RestApis, StageStyle::Rest),
            Api::Http => ("ApiId", Coll::HttpApis, StageStyle::Http),
        };
        let api_v = self.prop(r, api_key)?.unwrap_or(Val::Null);
        let Some(api_id) = self.local_ref(&api_v, coll) else {
            self.skip(r, "its API is not declared in this template");
            return Ok(());
        };
        let path = JsonPointer::resource(coll.as_str(), &api_id);
        let stage_v = self.prop(r, "StageName")?.unwrap_or(Val::Null);
        let Some(name) = self.stage_name(&stage_v, &path) else {
            self.skip(r, "a stage without a name");
            return Ok(());
        };
        let props = self.props_val(r)?;
        let at = path.key("stages").key(&name);
        let mut stage = self.stage(&props, &at, style)?;
        if api == Api::Http && stage.logging.is_none() {
            // HTTP APIs have no execution logging; the exporter carries the topology's level.
            let carried = r.meta.and_then(|m| m.get("logging"));
            stage.logging = carried.and_then(|l| l.as_str()).and_then(log_level);
        }
        let stages = match api {
            Api::Rest => self
                .topo
                .rest_apis
                .0
                .get_mut(&api_id)
                .map(|a| &mut a.stages),
            Api::Http => self
                .topo
                .http_apis
                .0
                .get_mut(&api_id)
                .map(|a| &mut a.stages),
        };
        if let Some(stages) = stages {
            stages.0.insert(name, stage);
        }
        self.source(at, r);
        Ok(())
    }

    /// Logging, metrics, access logs and variables of a stage, in REST, HTTP or SAM form.
    fn stage(
        &mut self,
        p: &Val,
        at: &JsonPointer,
        style: StageStyle,
    ) -> Result<Stage, ImportError> {
        let mut stage = Stage::default();
        let vars_key = match style {
            StageStyle::Http => "StageVariables",
            StageStyle::Rest | StageStyle::Sam => "Variables",
        };
        if let Some(Val::Map(vars)) = p.get(vars_key) {
            let mut out = BTreeMap::new();
            for (k, v) in vars {
                let text = match v.as_lit() {
                    Some(s) => s,
                    None => {
                        // A variable naming a VPC link of the template holds its id.
                        match self.local_ref(v, Coll::VpcLinks) {
                            Some(id) => id.to_string(),
                            None => {
                                if let Some(u) = v.first_unknown() {
                                    let u = u.clone();
                                    self.unknown(at.clone().key("variables").key(k), &u);
                                }
                                v.display().unwrap_or_default()
                            }
                        }
                    }
                };
                out.insert(k.clone(), text);
            }
            stage.variables = KeyMap(out);
        }
        // Stage-wide method settings (`/*` and `*`) decide logging and metrics.
        let settings: Vec<Val> = match style {
            StageStyle::Http => p.get("DefaultRouteSettings").cloned().into_iter().collect(),
            StageStyle::Rest | StageStyle::Sam => {
                let mut all: Vec<Val> = p
                    .get("MethodSettings")
                    .map(|m| m.items().to_vec())
                    .unwrap_or_default();
                // A deployment's StageDescription carries them directly too.
                if p.get("LoggingLevel").is_some() || p.get("MetricsEnabled").is_some() {
                    all.push(p.clone());
                }
                all
            }
        };
        for s in &settings {
            let path = s.get("ResourcePath").and_then(Val::as_lit);
            let method = s.get("HttpMethod").and_then(Val::as_lit);
            let stage_wide = path.as_deref().is_none_or(|p| p == "/*")
                && method.as_deref().is_none_or(|m| m == "*");
            if !stage_wide {
                continue;
            }
            if let Some(l) = s.get("LoggingLevel") {
                stage.logging = self
                    .text(Some(l), &at.clone().key("logging"))
                    .and_then(|l| log_level(&l));
            }
            let metrics_key = match style {
                StageStyle::Http => "DetailedMetricsEnabled",
                _ => "MetricsEnabled",
            };
            if let Some(m) = s.get(metrics_key) {
                stage.metrics = self.bool(Some(m), &at.clone().key("metrics"));
            }
        }
        let access_key = match style {
            StageStyle::Http => "AccessLogSettings",
            StageStyle::Rest | StageStyle::Sam => "AccessLogSetting",
        };
        if let Some(dest) = p.get(access_key).and_then(|a| a.get("DestinationArn")) {
            // Only its presence matters to the rules; an ARN known after deploy is shown as
            // written.
            stage.access_log_destination = Self::name(Some(dest));
        }
        Ok(stage)
    }

    /// Integrations that reach a placeholder load balancer (through a V1 link, or as a V2
    /// target): its listeners are unknown, so the integration's port, scheme and target
    /// cannot be checked.
    pub fn finish_routes(&mut self) {
        let mut marks: Vec<(JsonPointer, String)> = Vec::new();
        let apis = self
            .topo
            .rest_apis
            .iter()
            .map(|(id, a)| ("rest_apis", id, &a.routes))
            .chain(
                self.topo
                    .http_apis
                    .iter()
                    .map(|(id, a)| ("http_apis", id, &a.routes)),
            );
        for (coll, api, routes) in apis {
            for (key, route) in routes.iter() {
                let i = &route.integration;
                let mut lbs: Vec<&Id> = Vec::new();
                if let Some(link) = i
                    .vpc_link
                    .as_deref()
                    .and_then(|l| self.topo.vpc_links.get(l))
                {
                    lbs.extend(link.targets.iter());
                }
                if let Some(t) = &i.target {
                    lbs.push(&t.load_balancer);
                }
                if let Some(lb) = lbs
                    .into_iter()
                    .find(|lb| self.is_placeholder(Coll::LoadBalancers, lb))
                {
                    marks.push((
                        JsonPointer::resource(coll, api)
                            .key("routes")
                            .key(key)
                            .key("integration"),
                        lb.to_string(),
                    ));
                }
            }
        }
        for (at, lb) in marks {
            self.unknown_at(
                at,
                &format!("load balancer `{lb}`"),
                "the integration reaches a load balancer outside the template, whose listeners are unknown",
            );
        }
    }

    // ---------------------------------------------------------------------------------
    // HTTP APIs.

    pub fn map_http_api(&mut self, r: &Resource<'_>) -> Result<(), ImportError> {
        let Some(id) = self.id_of(&r.logical).map(|(_, id)| id.clone()) else {
            return Ok(());
        };
        let sam = r.kind == "AWS::Serverless::HttpApi";
        if !sam {
            let proto = self.prop(r, "ProtocolType")?.and_then(|v| v.as_lit());
            if proto
                .as_deref()
                .is_some_and(|p| !p.eq_ignore_ascii_case("HTTP"))
            {
                self.skip(r, "a WebSocket API is not part of the model");
                self.ids.remove(&r.logical);
                return Ok(());
            }
        }
        let path = JsonPointer::resource("http_apis", &id);
        let name = Self::name(self.prop(r, "Name")?.as_ref());
        let mut api = HttpApi {
            name,
            routes: KeyMap::default(),
            stages: KeyMap::default(),
            aws_id: None,
        };
        if sam {
            let stage_v = self
                .prop(r, "StageName")?
                .unwrap_or_else(|| Val::lit("$default"));
            if let Some(stage_name) = self.stage_name(&stage_v, &path) {
                let props = self.props_val(r)?;
                let stage = self.stage(
                    &props,
                    &path.clone().key("stages").key(&stage_name),
                    StageStyle::Http,
                )?;
                api.stages.0.insert(stage_name.clone(), stage);
            }
        }
        self.topo.http_apis.0.insert(id.clone(), api);
        self.source(path.clone(), r);
        let body_key = if sam { "DefinitionBody" } else { "Body" };
        if let Some(body) = r.props.get(body_key) {
            self.openapi_routes(r, body, Api::Http, &id)?;
        } else if r.props.get("BodyS3Location").is_some() || r.props.get("DefinitionUri").is_some()
        {
            self.unknown_at(
                path.key("routes"),
                &r.logical,
                "the OpenAPI definition lives in a separate file (S3); its routes are not read",
            );
        }
        Ok(())
    }

    /// `AWS::ApiGatewayV2::Integration`: kept until a route names it.
    pub fn read_v2_integration(
        &mut self,
        r: &Resource<'_>,
    ) -> Result<Option<(Id, Val)>, ImportError> {
        let api_v = self.prop(r, "ApiId")?.unwrap_or(Val::Null);
        let Some(api_id) = self.local_ref(&api_v, Coll::HttpApis) else {
            self.skip(r, "its HTTP API is not declared in this template");
            return Ok(None);
        };
        Ok(Some((api_id, self.props_val(r)?)))
    }

    pub fn map_v2_route(
        &mut self,
        r: &Resource<'_>,
        integrations: &BTreeMap<String, (Id, Val)>,
    ) -> Result<Option<RouteIn>, ImportError> {
        let api_v = self.prop(r, "ApiId")?.unwrap_or(Val::Null);
        let Some(api_id) = self.local_ref(&api_v, Coll::HttpApis) else {
            self.skip(r, "its HTTP API is not declared in this template");
            return Ok(None);
        };
        let key_v = self.prop(r, "RouteKey")?;
        let Some(key) = r
            .meta_route
            .clone()
            .or_else(|| key_v.as_ref().and_then(Val::as_lit))
        else {
            self.skip(r, "its route key is known only at deploy time");
            return Ok(None);
        };
        // `integrations/${Integration}` names the integration.
        let target = self.prop(r, "Target")?;
        let integ = target
            .as_ref()
            .and_then(Self::logical_of)
            .and_then(|l| integrations.get(&l));
        let Some((_, integration)) = integ else {
            self.skip(
                r,
                "the route has no integration of this template as its target",
            );
            return Ok(None);
        };
        let authorization = self.prop(r, "AuthorizationType")?.and_then(|v| v.as_lit());
        Ok(Some(RouteIn {
            api: Api::Http,
            api_id,
            key,
            integration: integration.clone(),
            names: &CFN_HTTP,
            authorization,
            logical: r.logical.clone(),
            pos: r.pos,
        }))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StageStyle {
    Rest,
    Http,
    Sam,
}

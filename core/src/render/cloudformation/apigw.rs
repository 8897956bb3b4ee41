//! VPC links, REST APIs (API Gateway v1) and HTTP APIs (API Gateway v2).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::{carry, defaulted, get_att, metadata, r#ref, top_metadata, Cfn};
use crate::model::{
    parse_route_key, ConnectionType, EndpointType, HttpApi, Id, Integration, IntegrationType,
    KeyMap, LogLevel, RestApi, Stage, VpcLinkVersion,
};
use crate::pointer::JsonPointer;
use crate::render::defaults::{HTTP_ACCESS_LOG_FORMAT, REST_ACCESS_LOG_FORMAT};
use crate::render::naming::short_hash;
use crate::render::RenderError;

pub(super) fn render(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    vpc_links(cfn)?;
    let t = cfn.t;
    for (id, api) in &t.rest_apis {
        if let Some(logical) = cfn.logical("rest_apis", id).map(str::to_owned) {
            rest_api(cfn, id, api, &logical)?;
        }
    }
    for (id, api) in &t.http_apis {
        if let Some(logical) = cfn.logical("http_apis", id).map(str::to_owned) {
            http_api(cfn, id, api, &logical)?;
        }
    }
    Ok(())
}

pub(super) fn integration_type(k: IntegrationType) -> &'static str {
    match k {
        IntegrationType::Http => "HTTP",
        IntegrationType::HttpProxy => "HTTP_PROXY",
        IntegrationType::Aws => "AWS",
        IntegrationType::AwsProxy => "AWS_PROXY",
        IntegrationType::Mock => "MOCK",
    }
}

fn log_level(l: LogLevel) -> &'static str {
    match l {
        LogLevel::Off => "OFF",
        LogLevel::Error => "ERROR",
        LogLevel::Info => "INFO",
    }
}

fn vpc_links(cfn: &mut Cfn<'_>) -> Result<(), RenderError> {
    let t = cfn.t;
    for (id, link) in &t.vpc_links {
        let Some(logical) = cfn.logical("vpc_links", id).map(str::to_owned) else {
            continue;
        };
        let at = || JsonPointer::resource("vpc_links", id);
        let mut p = Map::new();
        p.insert(
            "Name".into(),
            json!(link.name.as_deref().unwrap_or(id.as_str())),
        );
        let type_name =
            match link.version() {
                VpcLinkVersion::V1 => {
                    let mut arns = Vec::new();
                    for (i, lb) in link.targets.iter().enumerate() {
                        arns.push(cfn.reference("load_balancers", lb.as_str(), None, || {
                            at().key("targets").index(i)
                        })?);
                    }
                    p.insert("TargetArns".into(), Value::Array(arns));
                    "AWS::ApiGateway::VpcLink"
                }
                VpcLinkVersion::V2 => {
                    let mut subnets = Vec::new();
                    for (i, s) in link.subnets.iter().enumerate() {
                        subnets.push(cfn.reference("subnets", s.as_str(), None, || {
                            at().key("subnets").index(i)
                        })?);
                    }
                    p.insert("SubnetIds".into(), Value::Array(subnets));
                    if !link.security_groups.is_empty() {
                        let mut groups = Vec::new();
                        for (i, sg) in link.security_groups.iter().enumerate() {
                            groups.push(cfn.reference(
                                "security_groups",
                                sg.as_str(),
                                Some("GroupId"),
                                || at().key("security_groups").index(i),
                            )?);
                        }
                        p.insert("SecurityGroupIds".into(), Value::Array(groups));
                    }
                    "AWS::ApiGatewayV2::VpcLink"
                }
            };
        cfn.add(
            logical,
            type_name,
            Vec::new(),
            top_metadata("vpc_links", id.as_str(), link.name.as_ref()),
            p,
        );
    }
    Ok(())
}

/// What an integration's properties cannot tell an import: a `method` the export filled
/// in from the route's (`route_method`), a `method` on a MOCK integration (which takes
/// none), and a `connection_type` the topology states although the connection id implies
/// it.
fn carry_integration(meta: &mut Value, integration: &Integration, route_method: &str) {
    match (&integration.method, integration.kind) {
        (None, IntegrationType::Mock) => {}
        (None, _) => defaulted(meta, vec![("method", json!(route_method))]),
        (Some(m), IntegrationType::Mock) => carry(meta, "method", json!(m)),
        (Some(_), _) => {}
    }
    let implied = if integration.vpc_link.is_some() {
        ConnectionType::VpcLink
    } else {
        ConnectionType::Internet
    };
    if integration.connection_type == Some(implied) {
        let text = match implied {
            ConnectionType::VpcLink => "VPC_LINK",
            ConnectionType::Internet => "INTERNET",
        };
        carry(meta, "connection_type", json!(text));
    }
}

/// A route's stated `NONE` authorization, which an import reads as no authorization.
fn carry_open_authorization(meta: &mut Value, route: &crate::model::Route) {
    if let Some(a) = route
        .authorization
        .as_deref()
        .filter(|a| a.eq_ignore_ascii_case("NONE"))
    {
        carry(meta, "authorization", json!(a));
    }
}

/// The connection id of an integration: the link's id, or a `${stageVariables.x}` text
/// that the stage resolves.
fn connection_id(
    cfn: &Cfn<'_>,
    integration: &Integration,
    at: &JsonPointer,
) -> Result<Option<Value>, RenderError> {
    let Some(link) = &integration.vpc_link else {
        return Ok(None);
    };
    if integration.connection_stage_variable().is_some() {
        return Ok(Some(json!(link)));
    }
    cfn.reference("vpc_links", link, None, || at.clone().key("vpc_link"))
        .map(Some)
}

/// Stage variables, with the ones integrations use as connection ids turned into
/// references to the links they name (the topology holds link ids, AWS wants link ids of
/// the deployed links).
fn stage_variables(
    cfn: &Cfn<'_>,
    connection_vars: &BTreeSet<&str>,
    stage: &Stage,
    at: impl Fn() -> JsonPointer,
) -> Result<Map<String, Value>, RenderError> {
    let mut vars = Map::new();
    for (name, value) in stage.variables.iter() {
        let v = if connection_vars.contains(name.as_str()) && cfn.t.vpc_links.contains(value) {
            cfn.reference("vpc_links", value, None, || at().key("variables").key(name))?
        } else {
            json!(value)
        };
        vars.insert(name.clone(), v);
    }
    Ok(vars)
}

fn connection_variables(routes: &KeyMap<crate::model::Route>) -> BTreeSet<&str> {
    routes
        .iter()
        .filter_map(|(_, r)| r.integration.connection_stage_variable())
        .collect()
}

/// Path segments of a REST route path, without empty ones (`/a//b/` → `a`, `b`).
fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn rest_api(cfn: &mut Cfn<'_>, id: &Id, api: &RestApi, logical: &str) -> Result<(), RenderError> {
    let at = || JsonPointer::resource("rest_apis", id);
    let endpoint = match api.endpoint_type {
        EndpointType::Regional => "REGIONAL",
        EndpointType::Edge => "EDGE",
        EndpointType::Private => "PRIVATE",
    };
    let mut p = Map::new();
    p.insert(
        "Name".into(),
        json!(api.name.as_deref().unwrap_or(id.as_str())),
    );
    p.insert(
        "EndpointConfiguration".into(),
        json!({ "Types": [endpoint] }),
    );
    cfn.add(
        logical.to_owned(),
        "AWS::ApiGateway::RestApi",
        Vec::new(),
        top_metadata("rest_apis", id.as_str(), api.name.as_ref()),
        p,
    );
    if api.endpoint_type == EndpointType::Private {
        cfn.note(format!(
            "REST API `{id}` is PRIVATE: give it a resource policy (the RestApi's Policy) \
             before deploying, or the deployment is refused."
        ));
    }

    // One resource per path prefix; sorted, a parent comes before its children.
    let mut prefixes: BTreeSet<String> = BTreeSet::new();
    for (key, _) in api.routes.iter() {
        let route = parse_route_key(key).map_err(|message| RenderError {
            message,
            path: Some(at().key("routes").key(key)),
        })?;
        let segs = segments(route.path);
        for n in 1..=segs.len() {
            prefixes.insert(format!("/{}", segs.get(..n).unwrap_or_default().join("/")));
        }
    }
    let mut resources: BTreeMap<String, String> = BTreeMap::new();
    for prefix in &prefixes {
        let (parent, part) = match prefix.rsplit_once('/') {
            Some((parent, part)) => (parent, part),
            None => ("", prefix.as_str()),
        };
        let parent_id = match resources.get(parent) {
            Some(l) => r#ref(l),
            None => get_att(logical, "RootResourceId"),
        };
        let name = cfn.part_id(logical, &["Resource", prefix], prefix);
        let mut p = Map::new();
        p.insert("RestApiId".into(), r#ref(logical));
        p.insert("ParentId".into(), parent_id);
        p.insert("PathPart".into(), json!(part));
        cfn.add(
            name.clone(),
            "AWS::ApiGateway::Resource",
            Vec::new(),
            metadata("rest_apis", id.as_str(), Some(("path", json!(prefix)))),
            p,
        );
        resources.insert(prefix.clone(), name);
    }

    let mut methods: Vec<String> = Vec::new();
    let mut fingerprint = String::new();
    for (key, route) in api.routes.iter() {
        let rat = at().key("routes").key(key);
        let parsed = parse_route_key(key).map_err(|message| RenderError {
            message,
            path: Some(rat.clone()),
        })?;
        let segs = segments(parsed.path);
        let resource_id = if segs.is_empty() {
            get_att(logical, "RootResourceId")
        } else {
            let prefix = format!("/{}", segs.join("/"));
            match resources.get(&prefix) {
                Some(l) => r#ref(l),
                None => get_att(logical, "RootResourceId"),
            }
        };
        let integration = rest_integration(cfn, id, key, &route.integration, parsed.method, &rat)?;
        let mut p = Map::new();
        p.insert("RestApiId".into(), r#ref(logical));
        p.insert("ResourceId".into(), resource_id);
        p.insert("HttpMethod".into(), json!(parsed.method));
        p.insert(
            "AuthorizationType".into(),
            json!(route.authorization.as_deref().unwrap_or("NONE")),
        );
        p.insert("Integration".into(), Value::Object(integration));
        let path_word = if segs.is_empty() { "Root" } else { parsed.path };
        let verb = parsed.method.to_ascii_lowercase();
        let name = cfn.part_id(logical, &["Method", &verb, path_word], key);
        fingerprint.push_str(key);
        fingerprint.push('\u{0}');
        fingerprint.push_str(&Value::Object(p.clone()).to_string());
        fingerprint.push('\u{0}');
        let mut meta = metadata("rest_apis", id.as_str(), Some(("route", json!(key))));
        carry_integration(&mut meta, &route.integration, parsed.method);
        carry_open_authorization(&mut meta, route);
        cfn.add(name.clone(), "AWS::ApiGateway::Method", Vec::new(), meta, p);
        methods.push(name);
    }

    if methods.is_empty() {
        if !api.stages.is_empty() {
            cfn.note(format!(
                "REST API `{id}` has no routes, so it cannot be deployed and its stages are \
                 not declared."
            ));
        }
        return Ok(());
    }

    // A new logical id whenever the methods change makes CloudFormation create a new
    // deployment; DependsOn on every method keeps it from running before them (facts §11).
    let hash = short_hash(&fingerprint);
    let deployment = cfn.part_id(logical, &["Deployment", &hash], &hash);
    let mut p = Map::new();
    p.insert("RestApiId".into(), r#ref(logical));
    p.insert(
        "Description".into(),
        json!(format!("vpclink deployment {hash}")),
    );
    cfn.add(
        deployment.clone(),
        "AWS::ApiGateway::Deployment",
        methods,
        metadata("rest_apis", id.as_str(), Some(("deployment", json!(hash)))),
        p,
    );

    let connection_vars = connection_variables(&api.routes);
    let mut logging = false;
    for (stage_name, stage) in api.stages.iter() {
        let sat = || at().key("stages").key(stage_name);
        let mut p = Map::new();
        p.insert("RestApiId".into(), r#ref(logical));
        p.insert("StageName".into(), json!(stage_name));
        p.insert("DeploymentId".into(), r#ref(&deployment));
        let vars = stage_variables(cfn, &connection_vars, stage, sat)?;
        if !vars.is_empty() {
            p.insert("Variables".into(), Value::Object(vars));
        }
        if stage.logging.is_some() || stage.metrics.is_some() {
            let mut s = Map::new();
            s.insert("HttpMethod".into(), json!("*"));
            s.insert("ResourcePath".into(), json!("/*"));
            if let Some(level) = stage.logging {
                logging |= level != LogLevel::Off;
                s.insert("LoggingLevel".into(), json!(log_level(level)));
            }
            if let Some(metrics) = stage.metrics {
                s.insert("MetricsEnabled".into(), json!(metrics));
            }
            p.insert("MethodSettings".into(), json!([s]));
        }
        if let Some(dest) = &stage.access_log_destination {
            p.insert(
                "AccessLogSetting".into(),
                json!({ "DestinationArn": dest, "Format": REST_ACCESS_LOG_FORMAT }),
            );
        }
        let name = cfn.part_id(logical, &["Stage", stage_name], stage_name);
        cfn.add(
            name.clone(),
            "AWS::ApiGateway::Stage",
            Vec::new(),
            metadata("rest_apis", id.as_str(), Some(("stage", json!(stage_name)))),
            p,
        );
        let url = json!({ "Fn::Join": ["", [
            "https://", r#ref(logical), ".execute-api.", r#ref("AWS::Region"), ".",
            r#ref("AWS::URLSuffix"), "/", stage_name
        ]]});
        cfn.output(
            format!("{name}Url"),
            format!("Invoke URL of stage {stage_name} of REST API {id}"),
            url,
        );
    }
    // facts §3.6: logging needs the account-level CloudWatch role.
    if logging {
        cfn.note(format!(
            "REST API `{id}` logs executions: the account needs API Gateway's CloudWatch Logs \
             role (AWS::ApiGateway::Account, CloudWatchRoleArn) before a stage with logging \
             can be created."
        ));
    }
    Ok(())
}

fn rest_integration(
    cfn: &mut Cfn<'_>,
    api_id: &Id,
    key: &str,
    integration: &Integration,
    method: &str,
    at: &JsonPointer,
) -> Result<Map<String, Value>, RenderError> {
    let iat = at.clone().key("integration");
    let mut i = Map::new();
    i.insert("Type".into(), json!(integration_type(integration.kind)));
    if integration.kind != IntegrationType::Mock {
        i.insert(
            "IntegrationHttpMethod".into(),
            json!(integration.method.as_deref().unwrap_or(method)),
        );
    }
    if let Some(uri) = &integration.uri {
        i.insert("Uri".into(), json!(uri));
    }
    let connection_type = integration.effective_connection_type();
    if connection_type == ConnectionType::VpcLink || integration.connection_type.is_some() {
        i.insert(
            "ConnectionType".into(),
            json!(match connection_type {
                ConnectionType::VpcLink => "VPC_LINK",
                ConnectionType::Internet => "INTERNET",
            }),
        );
    }
    if let Some(conn) = connection_id(cfn, integration, &iat)? {
        i.insert("ConnectionId".into(), conn);
    }
    if let Some(target) = &integration.target {
        // REST over a V2 link names the load balancer (facts §2.6, §14 item 2).
        let lb = cfn.reference(
            "load_balancers",
            target.load_balancer.as_str(),
            None,
            || iat.clone().key("target").key("load_balancer"),
        )?;
        i.insert("IntegrationTarget".into(), lb);
    }
    if let Some(ms) = integration.timeout_ms {
        i.insert("TimeoutInMillis".into(), json!(ms));
    }
    if integration
        .tls
        .as_ref()
        .is_some_and(|t| t.insecure_skip_verification)
    {
        // Not in the CloudFormation schema for REST integrations (facts §11).
        cfn.note(format!(
            "REST API `{api_id}` route `{key}`: tls.insecure_skip_verification has no \
             CloudFormation property; set it after deployment with `aws apigateway \
             update-integration` (patch /tlsConfig/insecureSkipVerification)."
        ));
    }
    Ok(i)
}

fn http_api(cfn: &mut Cfn<'_>, id: &Id, api: &HttpApi, logical: &str) -> Result<(), RenderError> {
    let at = || JsonPointer::resource("http_apis", id);
    let mut p = Map::new();
    p.insert(
        "Name".into(),
        json!(api.name.as_deref().unwrap_or(id.as_str())),
    );
    p.insert("ProtocolType".into(), json!("HTTP"));
    cfn.add(
        logical.to_owned(),
        "AWS::ApiGatewayV2::Api",
        Vec::new(),
        top_metadata("http_apis", id.as_str(), api.name.as_ref()),
        p,
    );

    for (key, route) in api.routes.iter() {
        let rat = at().key("routes").key(key);
        let parsed = parse_route_key(key).map_err(|message| RenderError {
            message,
            path: Some(rat.clone()),
        })?;
        let integration = &route.integration;
        let iat = rat.clone().key("integration");
        let mut i = Map::new();
        i.insert("ApiId".into(), r#ref(logical));
        i.insert(
            "IntegrationType".into(),
            json!(integration_type(integration.kind)),
        );
        if integration.kind != IntegrationType::Mock {
            i.insert(
                "IntegrationMethod".into(),
                json!(integration.method.as_deref().unwrap_or(parsed.method)),
            );
        }
        if let Some(target) = &integration.target {
            i.insert("IntegrationUri".into(), listener_arn(cfn, target, &iat)?);
        } else if let Some(uri) = &integration.uri {
            i.insert("IntegrationUri".into(), json!(uri));
        }
        let connection_type = integration.effective_connection_type();
        if connection_type == ConnectionType::VpcLink || integration.connection_type.is_some() {
            i.insert(
                "ConnectionType".into(),
                json!(match connection_type {
                    ConnectionType::VpcLink => "VPC_LINK",
                    ConnectionType::Internet => "INTERNET",
                }),
            );
        }
        if let Some(conn) = connection_id(cfn, integration, &iat)? {
            i.insert("ConnectionId".into(), conn);
        }
        if matches!(
            integration.kind,
            IntegrationType::HttpProxy | IntegrationType::Http
        ) {
            // HTTP proxy integrations speak payload format 1.0 (facts §3.7).
            i.insert("PayloadFormatVersion".into(), json!("1.0"));
        }
        if let Some(ms) = integration.timeout_ms {
            i.insert("TimeoutInMillis".into(), json!(ms));
        }
        if let Some(name) = integration
            .tls
            .as_ref()
            .and_then(|t| t.server_name_to_verify.as_ref())
        {
            i.insert("TlsConfig".into(), json!({ "ServerNameToVerify": name }));
        }
        let verb = parsed.method.to_ascii_lowercase();
        let integration_name = cfn.part_id(logical, &["Integration", &verb, parsed.path], key);
        let mut meta = metadata("http_apis", id.as_str(), Some(("route", json!(key))));
        carry_integration(&mut meta, integration, parsed.method);
        cfn.add(
            integration_name.clone(),
            "AWS::ApiGatewayV2::Integration",
            Vec::new(),
            meta,
            i,
        );

        let mut r = Map::new();
        r.insert("ApiId".into(), r#ref(logical));
        r.insert("RouteKey".into(), json!(key));
        r.insert(
            "Target".into(),
            json!({ "Fn::Join": ["", ["integrations/", r#ref(&integration_name)]] }),
        );
        if let Some(auth) = &route.authorization {
            r.insert("AuthorizationType".into(), json!(auth));
        }
        let route_name = cfn.part_id(logical, &["Route", &verb, parsed.path], key);
        let mut meta = metadata("http_apis", id.as_str(), Some(("route", json!(key))));
        carry_open_authorization(&mut meta, route);
        cfn.add(route_name, "AWS::ApiGatewayV2::Route", Vec::new(), meta, r);
    }

    let connection_vars = connection_variables(&api.routes);
    for (stage_name, stage) in api.stages.iter() {
        let sat = || at().key("stages").key(stage_name);
        let mut p = Map::new();
        p.insert("ApiId".into(), r#ref(logical));
        p.insert("StageName".into(), json!(stage_name));
        // HTTP API stages deploy themselves when routes change.
        p.insert("AutoDeploy".into(), json!(true));
        let vars = stage_variables(cfn, &connection_vars, stage, sat)?;
        if !vars.is_empty() {
            p.insert("StageVariables".into(), Value::Object(vars));
        }
        if let Some(metrics) = stage.metrics {
            p.insert(
                "DefaultRouteSettings".into(),
                json!({ "DetailedMetricsEnabled": metrics }),
            );
        }
        if let Some(dest) = &stage.access_log_destination {
            p.insert(
                "AccessLogSettings".into(),
                json!({ "DestinationArn": dest, "Format": HTTP_ACCESS_LOG_FORMAT }),
            );
        }
        if stage.logging.is_some_and(|l| l != LogLevel::Off) {
            cfn.note(format!(
                "HTTP API `{id}` stage `{stage_name}`: HTTP APIs have no execution logging; \
                 use access logs (access_log_destination) instead."
            ));
        }
        let mut meta = metadata("http_apis", id.as_str(), Some(("stage", json!(stage_name))));
        if let Some(level) = stage.logging {
            // No property holds it; carried so that the import gives the topology back.
            carry(&mut meta, "logging", json!(log_level(level)));
        }
        let name = cfn.part_id(logical, &["Stage", stage_name], stage_name);
        cfn.add(
            name.clone(),
            "AWS::ApiGatewayV2::Stage",
            Vec::new(),
            meta,
            p,
        );
        // The `$default` stage is served at the endpoint itself.
        let url = if stage_name == "$default" {
            get_att(logical, "ApiEndpoint")
        } else {
            json!({ "Fn::Join": ["", [get_att(logical, "ApiEndpoint"), format!("/{stage_name}")]] })
        };
        cfn.output(
            format!("{name}Url"),
            format!("Invoke URL of stage {stage_name} of HTTP API {id}"),
            url,
        );
    }
    Ok(())
}

/// The ARN of the listener an HTTP API integration sends to (facts §3.7: `IntegrationUri`
/// is a listener ARN): the one on the named port, or the load balancer's only listener.
fn listener_arn(
    cfn: &Cfn<'_>,
    target: &crate::model::ListenerRef,
    at: &JsonPointer,
) -> Result<Value, RenderError> {
    let lb_id = target.load_balancer.as_str();
    let here = || at.clone().key("target");
    let lb = cfn.t.load_balancers.get(lb_id).ok_or_else(|| RenderError {
        message: format!("there is no load balancer `{lb_id}` in this topology"),
        path: Some(here().key("load_balancer")),
    })?;
    let listener = match target.port {
        Some(port) => lb.listeners.iter().find(|l| l.port == port),
        None if lb.listeners.len() == 1 => lb.listeners.first(),
        None => None,
    };
    let Some(listener) = listener else {
        return Err(RenderError {
            message: match target.port {
                Some(port) => format!("load balancer `{lb_id}` has no listener on port {port}"),
                None => format!(
                    "load balancer `{lb_id}` has {} listeners; name the port to send to",
                    lb.listeners.len()
                ),
            },
            path: Some(here()),
        });
    };
    if let Some(arn) = &listener.aws_id {
        return Ok(json!(arn));
    }
    match cfn.listeners.get(&(lb_id.to_owned(), listener.port)) {
        Some(l) => Ok(r#ref(l)),
        None => Err(RenderError {
            message: format!(
                "the listener on port {} of load balancer `{lb_id}` is not declared",
                listener.port
            ),
            path: Some(here()),
        }),
    }
}

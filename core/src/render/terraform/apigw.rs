//! VPC links, REST APIs (API Gateway v1) and HTTP APIs (API Gateway v2).

use std::collections::{BTreeMap, BTreeSet};

use super::hcl::{Block, Body, Expr, Part};
use super::{carry, carry_name, tags, Tf};
use crate::model::{
    parse_route_key, ConnectionType, EndpointType, HttpApi, Id, Integration, IntegrationType,
    KeyMap, ListenerRef, LogLevel, RestApi, Route, Stage, VpcLinkVersion,
};
use crate::pointer::JsonPointer;
use crate::render::defaults::{HTTP_ACCESS_LOG_FORMAT, REST_ACCESS_LOG_FORMAT};
use crate::render::naming::short_hash;
use crate::render::RenderError;

pub(super) fn render(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    vpc_links(tf)?;
    let t = tf.t;
    for (id, api) in &t.rest_apis {
        if let Some((ty, name)) = tf.declared("rest_apis", id).map(|(t, n)| (t, n.to_owned())) {
            rest_api(tf, id, api, ty, &name)?;
        }
    }
    for (id, api) in &t.http_apis {
        if let Some((ty, name)) = tf.declared("http_apis", id).map(|(t, n)| (t, n.to_owned())) {
            http_api(tf, id, api, ty, &name)?;
        }
    }
    Ok(())
}

fn log_level(level: LogLevel) -> &'static str {
    match level {
        LogLevel::Off => "OFF",
        LogLevel::Error => "ERROR",
        LogLevel::Info => "INFO",
    }
}

fn integration_type(k: IntegrationType) -> &'static str {
    match k {
        IntegrationType::Http => "HTTP",
        IntegrationType::HttpProxy => "HTTP_PROXY",
        IntegrationType::Aws => "AWS",
        IntegrationType::AwsProxy => "AWS_PROXY",
        IntegrationType::Mock => "MOCK",
    }
}

fn vpc_links(tf: &mut Tf<'_>) -> Result<(), RenderError> {
    let t = tf.t;
    for (id, link) in &t.vpc_links {
        let Some((ty, name)) = tf.declared("vpc_links", id).map(|(t, n)| (t, n.to_owned())) else {
            continue;
        };
        let at = || JsonPointer::resource("vpc_links", id);
        let mut b = Body::new();
        b.attr(
            "name",
            Expr::str(link.name.as_deref().unwrap_or(id.as_str())),
        );
        match link.version() {
            VpcLinkVersion::V1 => {
                let mut arns = Vec::new();
                for (i, lb) in link.targets.iter().enumerate() {
                    arns.push(tf.reference("load_balancers", lb.as_str(), "arn", || {
                        at().key("targets").index(i)
                    })?);
                }
                b.attr("target_arns", Expr::List(arns));
            }
            VpcLinkVersion::V2 => {
                let mut subnets = Vec::new();
                for (i, s) in link.subnets.iter().enumerate() {
                    subnets.push(
                        tf.reference("subnets", s.as_str(), "id", || at().key("subnets").index(i))?,
                    );
                }
                let mut groups = Vec::new();
                for (i, sg) in link.security_groups.iter().enumerate() {
                    groups.push(tf.reference("security_groups", sg.as_str(), "id", || {
                        at().key("security_groups").index(i)
                    })?);
                }
                b.attr("subnet_ids", Expr::List(subnets))
                    .attr("security_group_ids", Expr::List(groups));
            }
        }
        let mut tg = tags(None, "vpc_links", id.as_str(), None);
        carry_name(&mut b, &mut tg, id.as_str(), link.name.as_ref());
        b.attr("tags", tg);
        tf.resource(ty, &name, b);
    }
    Ok(())
}

fn connection_id(
    tf: &Tf<'_>,
    integration: &Integration,
    at: &JsonPointer,
) -> Result<Option<Expr>, RenderError> {
    let Some(link) = &integration.vpc_link else {
        return Ok(None);
    };
    if integration.connection_stage_variable().is_some() {
        // `${stageVariables.x}` must reach API Gateway as written: quoted, it is escaped.
        return Ok(Some(Expr::str(link)));
    }
    tf.reference("vpc_links", link, "id", || at.clone().key("vpc_link"))
        .map(Some)
}

fn connection_variables(routes: &KeyMap<Route>) -> BTreeSet<&str> {
    routes
        .iter()
        .filter_map(|(_, r)| r.integration.connection_stage_variable())
        .collect()
}

/// Stage variables; those integrations use as connection ids become references to the
/// links they name.
fn stage_variables(
    tf: &Tf<'_>,
    connection_vars: &BTreeSet<&str>,
    stage: &Stage,
    at: impl Fn() -> JsonPointer,
) -> Result<Expr, RenderError> {
    let mut vars = Vec::new();
    for (name, value) in stage.variables.iter() {
        let v = if connection_vars.contains(name.as_str()) && tf.t.vpc_links.contains(value) {
            tf.reference("vpc_links", value, "id", || at().key("variables").key(name))?
        } else {
            Expr::str(value)
        };
        vars.push((name.clone(), v));
    }
    Ok(Expr::Object(vars))
}

fn connection_type_attr(b: &mut Body, integration: &Integration) {
    let ct = integration.effective_connection_type();
    if ct == ConnectionType::VpcLink || integration.connection_type.is_some() {
        b.attr(
            "connection_type",
            Expr::str(match ct {
                ConnectionType::VpcLink => "VPC_LINK",
                ConnectionType::Internet => "INTERNET",
            }),
        );
    }
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn rest_api(
    tf: &mut Tf<'_>,
    id: &Id,
    api: &RestApi,
    ty: &'static str,
    name: &str,
) -> Result<(), RenderError> {
    let at = || JsonPointer::resource("rest_apis", id);
    let api_id = Expr::raw(format!("{ty}.{name}.id"));
    let mut endpoint = Body::new();
    endpoint.attr(
        "types",
        Expr::List(vec![Expr::str(match api.endpoint_type {
            EndpointType::Regional => "REGIONAL",
            EndpointType::Edge => "EDGE",
            EndpointType::Private => "PRIVATE",
        })]),
    );
    let mut b = Body::new();
    let mut tg = tags(None, "rest_apis", id.as_str(), None);
    carry_name(&mut b, &mut tg, id.as_str(), api.name.as_ref());
    b.attr(
        "name",
        Expr::str(api.name.as_deref().unwrap_or(id.as_str())),
    )
    .attr("tags", tg)
    .block(Block::new("endpoint_configuration", &[], endpoint));
    tf.resource(ty, name, b);
    if api.endpoint_type == EndpointType::Private {
        tf.note(format!(
            "REST API `{id}` is PRIVATE: give it a resource policy (the rest API's policy) \
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
    let root = Expr::raw(format!("{ty}.{name}.root_resource_id"));
    let mut resources: BTreeMap<String, String> = BTreeMap::new();
    for prefix in &prefixes {
        let (parent, part) = prefix.rsplit_once('/').unwrap_or(("", prefix.as_str()));
        let parent_id = match resources.get(parent) {
            Some(r) => Expr::raw(format!("aws_api_gateway_resource.{r}.id")),
            None => root.clone(),
        };
        let rname = tf.name(
            "aws_api_gateway_resource",
            &[name, prefix],
            &format!("{id}\u{0}{prefix}"),
        );
        let mut b = Body::new();
        b.attr("rest_api_id", api_id.clone())
            .attr("parent_id", parent_id)
            .attr("path_part", Expr::str(part));
        tf.resource("aws_api_gateway_resource", &rname, b);
        resources.insert(prefix.clone(), rname);
    }

    let mut redeploy = Vec::new();
    for (key, route) in api.routes.iter() {
        let rat = at().key("routes").key(key);
        let parsed = parse_route_key(key).map_err(|message| RenderError {
            message,
            path: Some(rat.clone()),
        })?;
        let segs = segments(parsed.path);
        let resource = match resources.get(&format!("/{}", segs.join("/"))) {
            Some(r) if !segs.is_empty() => {
                redeploy.push(Expr::raw(format!("aws_api_gateway_resource.{r}.id")));
                Expr::raw(format!("aws_api_gateway_resource.{r}.id"))
            }
            _ => root.clone(),
        };
        let path_word = if segs.is_empty() { "root" } else { parsed.path };
        let mname = tf.name(
            "aws_api_gateway_method",
            &[name, parsed.method, path_word],
            &format!("{id}\u{0}{key}"),
        );
        let mut m = Body::new();
        m.attr("rest_api_id", api_id.clone())
            .attr("resource_id", resource.clone())
            .attr("http_method", Expr::str(parsed.method))
            .attr(
                "authorization",
                Expr::str(route.authorization.as_deref().unwrap_or("NONE")),
            );
        tf.resource("aws_api_gateway_method", &mname, m);

        let integration = &route.integration;
        let iat = rat.key("integration");
        let mut i = Body::new();
        i.attr("rest_api_id", api_id.clone())
            .attr("resource_id", resource)
            .attr(
                "http_method",
                Expr::raw(format!("aws_api_gateway_method.{mname}.http_method")),
            )
            .attr("type", Expr::str(integration_type(integration.kind)));
        if integration.kind != IntegrationType::Mock {
            i.attr(
                "integration_http_method",
                Expr::str(integration.method.as_deref().unwrap_or(parsed.method)),
            );
        }
        if let Some(uri) = &integration.uri {
            i.attr("uri", Expr::str(uri));
        }
        connection_type_attr(&mut i, integration);
        if let Some(conn) = connection_id(tf, integration, &iat)? {
            i.attr("connection_id", conn);
        }
        if let Some(target) = &integration.target {
            // facts §2.6: providers gained `integration_target` after AWS added it.
            i.comment(
                "REST over a V2 VPC link: integration_target needs a provider release that \
                 supports it.",
            )
            .attr(
                "integration_target",
                tf.reference(
                    "load_balancers",
                    target.load_balancer.as_str(),
                    "arn",
                    || iat.clone().key("target").key("load_balancer"),
                )?,
            );
        }
        if let Some(ms) = integration.timeout_ms {
            i.attr("timeout_milliseconds", Expr::Int(i64::from(ms)));
        }
        if integration
            .tls
            .as_ref()
            .is_some_and(|t| t.insecure_skip_verification)
        {
            let mut tls = Body::new();
            tls.attr("insecure_skip_verification", Expr::Bool(true));
            i.block(Block::new("tls_config", &[], tls));
        }
        let iname = tf.name(
            "aws_api_gateway_integration",
            &[name, parsed.method, path_word],
            &format!("{id}\u{0}{key}"),
        );
        tf.resource("aws_api_gateway_integration", &iname, i);
        redeploy.push(Expr::raw(format!("aws_api_gateway_method.{mname}.id")));
        redeploy.push(Expr::raw(format!("aws_api_gateway_integration.{iname}.id")));
    }

    if api.routes.is_empty() {
        // API Gateway refuses to deploy an API without methods.
        if !api.stages.is_empty() {
            tf.note(format!(
                "REST API `{id}` has no routes, so it cannot be deployed and its stages are \
                 not declared."
            ));
        }
        return Ok(());
    }

    // Redeploy whenever a route, a method or an integration changes: the ids change on
    // replacement, the settings hash on any edit (a deployment is a snapshot; facts §11).
    let settings = serde_json::to_string(&api.routes).unwrap_or_default();
    let mut trigger = vec![Expr::str(short_hash(&settings))];
    trigger.extend(redeploy);
    let triggers_map = vec![(
        "redeployment".to_owned(),
        Expr::Call(
            "sha1",
            vec![Expr::Call("jsonencode", vec![Expr::List(trigger)])],
        ),
    )];
    let mut lifecycle = Body::new();
    lifecycle.attr("create_before_destroy", Expr::Bool(true));
    let mut d = Body::new();
    d.attr("rest_api_id", api_id.clone())
        .attr("triggers", Expr::Object(triggers_map))
        .block(Block::new("lifecycle", &[], lifecycle));
    let dname = tf.name("aws_api_gateway_deployment", &[name], id.as_str());
    tf.resource("aws_api_gateway_deployment", &dname, d);

    let connection_vars = connection_variables(&api.routes);
    for (stage_name, stage) in api.stages.iter() {
        let sat = || at().key("stages").key(stage_name);
        let sname = tf.name(
            "aws_api_gateway_stage",
            &[name, stage_name],
            &format!("{id}\u{0}{stage_name}"),
        );
        let mut s = Body::new();
        s.attr("rest_api_id", api_id.clone())
            .attr(
                "deployment_id",
                Expr::raw(format!("aws_api_gateway_deployment.{dname}.id")),
            )
            .attr("stage_name", Expr::str(stage_name));
        if !stage.variables.is_empty() {
            s.attr(
                "variables",
                stage_variables(tf, &connection_vars, stage, sat)?,
            );
        }
        s.attr(
            "tags",
            tags(
                None,
                "rest_apis",
                id.as_str(),
                Some(("stage", stage_name.clone())),
            ),
        );
        if let Some(dest) = &stage.access_log_destination {
            let mut logs = Body::new();
            logs.attr("destination_arn", Expr::str(dest))
                .attr("format", Expr::str(REST_ACCESS_LOG_FORMAT));
            s.block(Block::new("access_log_settings", &[], logs));
        }
        tf.resource("aws_api_gateway_stage", &sname, s);

        if stage.logging.is_some() || stage.metrics.is_some() {
            let mut settings = Body::new();
            if let Some(level) = stage.logging {
                settings.attr("logging_level", Expr::str(log_level(level)));
            }
            if let Some(metrics) = stage.metrics {
                settings.attr("metrics_enabled", Expr::Bool(metrics));
            }
            let mut ms = Body::new();
            // facts §3.6: logging needs the account-level CloudWatch role.
            if stage.logging.is_some_and(|l| l != LogLevel::Off) {
                ms.comment(
                    "Execution logging needs the account's API Gateway CloudWatch Logs role \
                     (aws_api_gateway_account).",
                );
            }
            ms.attr("rest_api_id", api_id.clone())
                .attr(
                    "stage_name",
                    Expr::raw(format!("aws_api_gateway_stage.{sname}.stage_name")),
                )
                .attr("method_path", Expr::str("*/*"))
                .block(Block::new("settings", &[], settings));
            let msname = tf.name(
                "aws_api_gateway_method_settings",
                &[name, stage_name],
                &format!("{id}\u{0}{stage_name}"),
            );
            tf.resource("aws_api_gateway_method_settings", &msname, ms);
        }
    }
    Ok(())
}

fn http_api(
    tf: &mut Tf<'_>,
    id: &Id,
    api: &HttpApi,
    ty: &'static str,
    name: &str,
) -> Result<(), RenderError> {
    let at = || JsonPointer::resource("http_apis", id);
    let api_id = Expr::raw(format!("{ty}.{name}.id"));
    let mut b = Body::new();
    let mut tg = tags(None, "http_apis", id.as_str(), None);
    carry_name(&mut b, &mut tg, id.as_str(), api.name.as_ref());
    b.attr(
        "name",
        Expr::str(api.name.as_deref().unwrap_or(id.as_str())),
    )
    .attr("protocol_type", Expr::str("HTTP"))
    .attr("tags", tg);
    tf.resource(ty, name, b);

    for (key, route) in api.routes.iter() {
        let rat = at().key("routes").key(key);
        let parsed = parse_route_key(key).map_err(|message| RenderError {
            message,
            path: Some(rat.clone()),
        })?;
        let integration = &route.integration;
        let iat = rat.key("integration");
        let mut i = Body::new();
        i.attr("api_id", api_id.clone()).attr(
            "integration_type",
            Expr::str(integration_type(integration.kind)),
        );
        if integration.kind != IntegrationType::Mock {
            i.attr(
                "integration_method",
                Expr::str(integration.method.as_deref().unwrap_or(parsed.method)),
            );
        }
        if let Some(target) = &integration.target {
            i.attr("integration_uri", listener_arn(tf, target, &iat)?);
        } else if let Some(uri) = &integration.uri {
            i.attr("integration_uri", Expr::str(uri));
        }
        connection_type_attr(&mut i, integration);
        if let Some(conn) = connection_id(tf, integration, &iat)? {
            i.attr("connection_id", conn);
        }
        if matches!(
            integration.kind,
            IntegrationType::HttpProxy | IntegrationType::Http
        ) {
            i.attr("payload_format_version", Expr::str("1.0"));
        }
        if let Some(ms) = integration.timeout_ms {
            i.attr("timeout_milliseconds", Expr::Int(i64::from(ms)));
        }
        if let Some(server) = integration
            .tls
            .as_ref()
            .and_then(|t| t.server_name_to_verify.as_ref())
        {
            let mut tls = Body::new();
            tls.attr("server_name_to_verify", Expr::str(server));
            i.block(Block::new("tls_config", &[], tls));
        }
        let iname = tf.name(
            "aws_apigatewayv2_integration",
            &[name, parsed.method, parsed.path],
            &format!("{id}\u{0}{key}"),
        );
        tf.resource("aws_apigatewayv2_integration", &iname, i);

        let mut r = Body::new();
        r.attr("api_id", api_id.clone())
            .attr("route_key", Expr::str(key))
            .attr(
                "target",
                Expr::Template(vec![
                    Part::Lit("integrations/".into()),
                    Part::Interp(format!("aws_apigatewayv2_integration.{iname}.id")),
                ]),
            );
        if let Some(auth) = &route.authorization {
            r.attr("authorization_type", Expr::str(auth));
        }
        let rname = tf.name(
            "aws_apigatewayv2_route",
            &[name, parsed.method, parsed.path],
            &format!("{id}\u{0}{key}"),
        );
        tf.resource("aws_apigatewayv2_route", &rname, r);
    }

    let connection_vars = connection_variables(&api.routes);
    for (stage_name, stage) in api.stages.iter() {
        let sat = || at().key("stages").key(stage_name);
        let mut s = Body::new();
        s.attr("api_id", api_id.clone())
            .attr("name", Expr::str(stage_name))
            .attr("auto_deploy", Expr::Bool(true));
        if !stage.variables.is_empty() {
            s.attr(
                "stage_variables",
                stage_variables(tf, &connection_vars, stage, sat)?,
            );
        }
        let mut tg = tags(
            None,
            "http_apis",
            id.as_str(),
            Some(("stage", stage_name.clone())),
        );
        if let Some(level) = stage.logging {
            // HTTP APIs have no execution logging, so no argument holds the level.
            carry(&mut s, &mut tg, "logging", log_level(level).to_owned());
        }
        s.attr("tags", tg);
        if let Some(metrics) = stage.metrics {
            let mut d = Body::new();
            d.attr("detailed_metrics_enabled", Expr::Bool(metrics));
            s.block(Block::new("default_route_settings", &[], d));
        }
        if let Some(dest) = &stage.access_log_destination {
            let mut logs = Body::new();
            logs.attr("destination_arn", Expr::str(dest))
                .attr("format", Expr::str(HTTP_ACCESS_LOG_FORMAT));
            s.block(Block::new("access_log_settings", &[], logs));
        }
        if stage.logging.is_some_and(|l| l != LogLevel::Off) {
            tf.note(format!(
                "HTTP API `{id}` stage `{stage_name}`: HTTP APIs have no execution logging; \
                 use access logs (access_log_destination) instead."
            ));
        }
        let sname = tf.name(
            "aws_apigatewayv2_stage",
            &[name, stage_name],
            &format!("{id}\u{0}{stage_name}"),
        );
        tf.resource("aws_apigatewayv2_stage", &sname, s);
    }
    Ok(())
}

/// The listener an HTTP API integration sends to (facts §3.7): the one on the named port,
/// or the load balancer's only listener.
fn listener_arn(tf: &Tf<'_>, target: &ListenerRef, at: &JsonPointer) -> Result<Expr, RenderError> {
    let lb_id = target.load_balancer.as_str();
    let here = || at.clone().key("target");
    let lb = tf.t.load_balancers.get(lb_id).ok_or_else(|| RenderError {
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
        return Ok(Expr::str(arn));
    }
    match tf.listeners.get(&(lb_id.to_owned(), listener.port)) {
        Some(n) => Ok(Expr::raw(format!("aws_lb_listener.{n}.arn"))),
        None => Err(RenderError {
            message: format!(
                "the listener on port {} of load balancer `{lb_id}` is not declared",
                listener.port
            ),
            path: Some(here()),
        }),
    }
}

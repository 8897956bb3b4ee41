//! API Gateway: VPC links (v1 and v2), REST APIs with their routes, integrations and stages,
//! HTTP APIs with theirs (facts §10.1, §10.2).

use std::collections::{BTreeSet, HashMap};

use crate::import::ImportError;
use crate::model::{
    ConnectionType, EndpointType, HttpApi, Integration, IntegrationType, KeyMap, ListenerRef,
    LogLevel, ObservedVpcLink, RestApi, Route, Stage, TlsConfig, VpcLink, VpcLinkStatus,
};
use crate::pointer::JsonPointer;

use super::context::{assign_ids, dedupe, request_at, response_at, Found, Importer};
use super::shapes::{apigateway, apigatewayv2};

pub fn import(im: &mut Importer<'_>) -> Result<(), ImportError> {
    vpc_links(im)?;
    rest_apis(im)?;
    http_apis(im)?;
    Ok(())
}

enum AnyLink<'a> {
    V1(&'a apigateway::VpcLink),
    V2(&'a apigatewayv2::VpcLink),
}

fn link_status(text: &str) -> Option<VpcLinkStatus> {
    Some(match text {
        "PENDING" => VpcLinkStatus::Pending,
        "AVAILABLE" => VpcLinkStatus::Available,
        "DELETING" => VpcLinkStatus::Deleting,
        "FAILED" => VpcLinkStatus::Failed,
        "INACTIVE" => VpcLinkStatus::Inactive,
        _ => return None,
    })
}

/// Both versions share the topology's `vpc_links`, so their ids are assigned together.
fn vpc_links(im: &mut Importer<'_>) -> Result<(), ImportError> {
    let mut links = Vec::new();
    for (p, page) in im
        .bundle
        .responses
        .apigateway
        .get_vpc_links
        .iter()
        .enumerate()
    {
        for (i, l) in page.response.items.iter().enumerate() {
            let at = response_at("apigateway", "get_vpc_links", p)
                .key("items")
                .index(i);
            links.push((AnyLink::V1(l), at, l.id.as_str(), l.name.as_deref()));
        }
    }
    for (p, page) in im
        .bundle
        .responses
        .apigatewayv2
        .get_vpc_links
        .iter()
        .enumerate()
    {
        for (i, l) in page.response.items.iter().enumerate() {
            let at = response_at("apigatewayv2", "get_vpc_links", p)
                .key("Items")
                .index(i);
            links.push((
                AnyLink::V2(l),
                at,
                l.vpc_link_id.as_str(),
                l.name.as_deref(),
            ));
        }
    }
    let found: Vec<Found<'_, AnyLink<'_>>> = links
        .iter()
        .map(|(item, at, aws_id, name)| Found {
            item,
            at: at.clone(),
            aws_id,
            name: *name,
        })
        .collect();
    let found = dedupe(found);
    let ids = assign_ids(&found, "id")?;
    for (f, id) in found.iter().zip(ids) {
        let at_topo = JsonPointer::resource("vpc_links", &id);
        let (link, status, message) = match f.item {
            AnyLink::V1(l) => {
                let arns: Vec<&str> = l.target_arns.iter().map(String::as_str).collect();
                let targets = im.map_ids(
                    &arns,
                    |r| &r.load_balancers,
                    &at_topo.clone().key("targets"),
                    "load balancer",
                );
                (
                    VpcLink {
                        targets,
                        subnets: Vec::new(),
                        security_groups: Vec::new(),
                        aws_id: Some(l.id.clone()),
                        name: l.name.clone(),
                    },
                    l.status.as_deref(),
                    l.status_message.as_deref(),
                )
            }
            AnyLink::V2(l) => {
                let subnet_ids: Vec<&str> = l.subnet_ids.iter().map(String::as_str).collect();
                let subnets = im.map_ids(
                    &subnet_ids,
                    |r| &r.subnets,
                    &at_topo.clone().key("subnets"),
                    "subnet",
                );
                let group_ids: Vec<&str> =
                    l.security_group_ids.iter().map(String::as_str).collect();
                let security_groups = im.map_ids(
                    &group_ids,
                    |r| &r.security_groups,
                    &at_topo.clone().key("security_groups"),
                    "security group",
                );
                (
                    VpcLink {
                        targets: Vec::new(),
                        subnets,
                        security_groups,
                        aws_id: Some(l.vpc_link_id.clone()),
                        name: l.name.clone(),
                    },
                    l.vpc_link_status.as_deref(),
                    l.vpc_link_status_message.as_deref(),
                )
            }
        };
        if let Some(text) = status {
            match link_status(text) {
                Some(status) => {
                    im.observed.vpc_links.0.insert(
                        id.clone(),
                        ObservedVpcLink {
                            status,
                            status_message: message.filter(|m| !m.is_empty()).map(str::to_owned),
                        },
                    );
                }
                None => im.unknown(
                    JsonPointer::root()
                        .key("observed")
                        .key("vpc_links")
                        .key(&id),
                    text,
                    "not a VPC link status this build knows",
                ),
            }
        }
        im.refs.vpc_links.insert(f.aws_id.to_owned(), id.clone());
        im.source(at_topo, f.aws_id, &f.at);
        im.topo.vpc_links.0.insert(id, link);
    }
    Ok(())
}

fn integration_type(text: &str) -> Option<IntegrationType> {
    Some(match text {
        "HTTP" => IntegrationType::Http,
        "HTTP_PROXY" => IntegrationType::HttpProxy,
        "AWS" => IntegrationType::Aws,
        "AWS_PROXY" => IntegrationType::AwsProxy,
        "MOCK" => IntegrationType::Mock,
        _ => return None,
    })
}

fn connection_type(text: Option<&str>) -> Option<ConnectionType> {
    match text? {
        "VPC_LINK" => Some(ConnectionType::VpcLink),
        "INTERNET" => Some(ConnectionType::Internet),
        _ => None,
    }
}

/// The topology's `vpc_link` for an integration's connection id: a stage variable stays
/// as written, a link in the bundle becomes its id, any other link is an unknown.
fn connection(im: &mut Importer<'_>, id: Option<&str>, path: JsonPointer) -> Option<String> {
    let id = id.filter(|c| !c.is_empty())?;
    if id.starts_with("${stageVariables.") {
        return Some(id.to_owned());
    }
    match im.refs.vpc_links.get(id) {
        Some(link) => Some(link.to_string()),
        None => {
            im.unknown(
                path,
                id,
                "the integration's VPC link is not in the bundle (apigateway/apigatewayv2 get_vpc_links)",
            );
            None
        }
    }
}

/// Stage variables an integration uses as its connection id hold VPC link ids; like every
/// other reference they become topology ids. A value naming no link in the bundle is left
/// out and noted.
fn link_variables(
    im: &mut Importer<'_>,
    variables: &std::collections::BTreeMap<String, String>,
    used_as_links: &BTreeSet<String>,
    stage_path: &JsonPointer,
) -> KeyMap<String> {
    let mut out = KeyMap::default();
    for (name, value) in variables {
        if !used_as_links.contains(name) {
            out.0.insert(name.clone(), value.clone());
            continue;
        }
        match im.refs.vpc_links.get(value) {
            Some(link) => {
                out.0.insert(name.clone(), link.to_string());
            }
            None => im.unknown(
                stage_path.clone().key("variables").key(name),
                value,
                "this stage variable names the VPC link of an integration, and that link is not in the bundle",
            ),
        }
    }
    out
}

fn rest_apis(im: &mut Importer<'_>) -> Result<(), ImportError> {
    let calls = &im.bundle.responses.apigateway;
    let mut found = Vec::new();
    for (p, page) in calls.get_rest_apis.iter().enumerate() {
        for (i, a) in page.response.items.iter().enumerate() {
            found.push(Found {
                item: a,
                at: response_at("apigateway", "get_rest_apis", p)
                    .key("items")
                    .index(i),
                aws_id: a.id.as_str(),
                name: a.name.as_deref(),
            });
        }
    }
    let found = dedupe(found);
    let ids = assign_ids(&found, "id")?;
    // (restApiId, resourceId, httpMethod) → the integration read on its own.
    let mut integrations: HashMap<(&str, &str, &str), &apigateway::RestIntegration> =
        HashMap::new();
    for page in &calls.get_integration {
        let r = &page.request;
        integrations.insert(
            (
                r.rest_api_id.as_str(),
                r.resource_id.as_str(),
                r.http_method.as_str(),
            ),
            &page.response,
        );
    }
    let region = im.bundle.region.to_string();
    for (f, id) in found.iter().zip(ids) {
        let api = f.item;
        let at_topo = JsonPointer::resource("rest_apis", &id);
        let endpoint_type = match api
            .endpoint_configuration
            .as_ref()
            .and_then(|e| e.types.first())
            .map(String::as_str)
        {
            Some("EDGE") => EndpointType::Edge,
            Some("PRIVATE") => EndpointType::Private,
            _ => EndpointType::Regional,
        };
        im.refs.rest_apis.insert(api.id.clone(), id.clone());

        let mut routes = KeyMap::default();
        let mut used_as_links = BTreeSet::new();
        let mut resources_seen = false;
        for (p, page) in calls.get_resources.iter().enumerate() {
            if page.request.rest_api_id != api.id {
                continue;
            }
            resources_seen = true;
            for (i, res) in page.response.items.iter().enumerate() {
                let res_at = response_at("apigateway", "get_resources", p)
                    .key("items")
                    .index(i);
                for (verb, method) in &res.resource_methods {
                    let key = format!("{verb} {}", res.path);
                    let name = format!(
                        "arn:aws:apigateway:{region}::/restapis/{}/resources/{}/methods/{verb}",
                        api.id, res.id
                    );
                    let integration = integrations
                        .get(&(api.id.as_str(), res.id.as_str(), verb.as_str()))
                        .copied()
                        .or(method.method_integration.as_ref());
                    let Some(integration) = integration else {
                        im.skip(
                            name,
                            "AWS::ApiGateway::Method",
                            "its integration is not in the bundle (get_resources with embed=['methods'], or get_integration)",
                        );
                        continue;
                    };
                    let route_at = at_topo.clone().key("routes").key(&key);
                    let Some(kind) = integration_type(&integration.kind) else {
                        im.skip(
                            name,
                            "AWS::ApiGateway::Method",
                            format!("integration type `{}` is not modelled", integration.kind),
                        );
                        continue;
                    };
                    let vpc_link = connection(
                        im,
                        integration.connection_id.as_deref(),
                        route_at.clone().key("integration").key("vpc_link"),
                    );
                    if let Some(var) = vpc_link
                        .as_deref()
                        .and_then(|v| v.strip_prefix("${stageVariables."))
                        .and_then(|v| v.strip_suffix('}'))
                    {
                        used_as_links.insert(var.to_owned());
                    }
                    let target = integration
                        .integration_target
                        .as_deref()
                        .and_then(|arn| match im.refs.load_balancers.get(arn) {
                            Some(lb) => Some(ListenerRef {
                                load_balancer: lb.clone(),
                                port: None,
                            }),
                            None => {
                                im.unknown(
                                    route_at.clone().key("integration").key("target"),
                                    arn,
                                    "the integration's target load balancer is not in the bundle",
                                );
                                None
                            }
                        });
                    routes.0.insert(
                        key.clone(),
                        Route {
                            integration: Integration {
                                kind,
                                connection_type: connection_type(
                                    integration.connection_type.as_deref(),
                                ),
                                vpc_link,
                                uri: integration.uri.clone(),
                                target,
                                method: integration.http_method.clone(),
                                timeout_ms: integration.timeout_in_millis,
                                tls: integration.tls_config.as_ref().map(|t| TlsConfig {
                                    insecure_skip_verification: t
                                        .insecure_skip_verification
                                        .unwrap_or(false),
                                    server_name_to_verify: None,
                                }),
                            },
                            authorization: method
                                .authorization_type
                                .clone()
                                .filter(|a| a != "NONE"),
                        },
                    );
                    im.source(
                        route_at,
                        &name,
                        &res_at.clone().key("resourceMethods").key(verb),
                    );
                }
            }
        }
        if !resources_seen {
            im.unknown(
                at_topo.clone().key("routes"),
                &api.id,
                "apigateway get_resources for this API is not in the bundle, so its routes are unknown",
            );
        }

        let mut stages = KeyMap::default();
        let mut stages_seen = false;
        for (p, page) in calls.get_stages.iter().enumerate() {
            if page.request.rest_api_id != api.id {
                continue;
            }
            stages_seen = true;
            for (i, s) in page.response.item.iter().enumerate() {
                let stage_at = at_topo.clone().key("stages").key(&s.stage_name);
                let all = s.method_settings.get("*/*");
                let stage = Stage {
                    logging: all.and_then(|m| log_level(m.logging_level.as_deref())),
                    metrics: all.and_then(|m| m.metrics_enabled),
                    access_log_destination: s
                        .access_log_settings
                        .as_ref()
                        .and_then(|a| a.destination_arn.clone()),
                    variables: link_variables(im, &s.variables, &used_as_links, &stage_at),
                };
                im.source(
                    stage_at,
                    &format!(
                        "arn:aws:apigateway:{region}::/restapis/{}/stages/{}",
                        api.id, s.stage_name
                    ),
                    &response_at("apigateway", "get_stages", p)
                        .key("item")
                        .index(i),
                );
                stages.0.insert(s.stage_name.clone(), stage);
            }
        }
        if !stages_seen {
            im.unknown(
                at_topo.clone().key("stages"),
                &api.id,
                "apigateway get_stages for this API is not in the bundle, so its stages are unknown",
            );
        }

        im.source(at_topo, &api.id, &f.at);
        im.topo.rest_apis.0.insert(
            id,
            RestApi {
                name: api.name.clone(),
                endpoint_type,
                routes,
                stages,
                aws_id: Some(api.id.clone()),
            },
        );
    }
    // Integrations read on their own whose API or method is not otherwise in the bundle.
    for (p, page) in calls.get_integration.iter().enumerate() {
        if !im.refs.rest_apis.contains_key(&page.request.rest_api_id) {
            im.unknown(
                request_at("apigateway", "get_integration", p, "restApiId"),
                &page.request.rest_api_id,
                "an integration of a REST API that is not in the bundle (apigateway get_rest_apis)",
            );
        }
    }
    Ok(())
}

fn log_level(text: Option<&str>) -> Option<LogLevel> {
    match text? {
        "OFF" => Some(LogLevel::Off),
        "ERROR" => Some(LogLevel::Error),
        "INFO" => Some(LogLevel::Info),
        _ => None,
    }
}

fn http_apis(im: &mut Importer<'_>) -> Result<(), ImportError> {
    let calls = &im.bundle.responses.apigatewayv2;
    let mut found = Vec::new();
    for (p, page) in calls.get_apis.iter().enumerate() {
        for (i, a) in page.response.items.iter().enumerate() {
            if a.protocol_type.as_deref().is_some_and(|t| t != "HTTP") {
                im.skip(
                    &a.api_id,
                    "AWS::ApiGatewayV2::Api",
                    format!(
                        "{} APIs are outside the model",
                        a.protocol_type.as_deref().unwrap_or_default()
                    ),
                );
                continue;
            }
            found.push(Found {
                item: a,
                at: response_at("apigatewayv2", "get_apis", p)
                    .key("Items")
                    .index(i),
                aws_id: a.api_id.as_str(),
                name: a.name.as_deref(),
            });
        }
    }
    let found = dedupe(found);
    let ids = assign_ids(&found, "ApiId")?;
    for (f, id) in found.iter().zip(ids) {
        let api = f.item;
        let at_topo = JsonPointer::resource("http_apis", &id);
        im.refs.http_apis.insert(api.api_id.clone(), id.clone());

        let mut integrations: HashMap<&str, &apigatewayv2::Integration> = HashMap::new();
        let mut integrations_seen = false;
        for page in &calls.get_integrations {
            if page.request.api_id == api.api_id {
                integrations_seen = true;
                for i in &page.response.items {
                    integrations.insert(i.integration_id.as_str(), i);
                }
            }
        }
        let mut routes = KeyMap::default();
        let mut used_as_links = BTreeSet::new();
        let mut routes_seen = false;
        for (p, page) in calls.get_routes.iter().enumerate() {
            if page.request.api_id != api.api_id {
                continue;
            }
            routes_seen = true;
            for (i, r) in page.response.items.iter().enumerate() {
                let route_at = at_topo.clone().key("routes").key(&r.route_key);
                let integration_id = r
                    .target
                    .as_deref()
                    .and_then(|t| t.strip_prefix("integrations/"));
                let Some(integration_id) = integration_id else {
                    im.skip(
                        format!("{} {}", api.api_id, r.route_key),
                        "AWS::ApiGatewayV2::Route",
                        "the route has no integration target",
                    );
                    continue;
                };
                let Some(integration) = integrations.get(integration_id).copied() else {
                    im.unknown(
                        route_at,
                        integration_id,
                        "the route's integration is not in the bundle (apigatewayv2 get_integrations)",
                    );
                    continue;
                };
                let Some(kind) = integration_type(&integration.integration_type) else {
                    im.skip(
                        format!("{} {}", api.api_id, r.route_key),
                        "AWS::ApiGatewayV2::Route",
                        format!(
                            "integration type `{}` is not modelled",
                            integration.integration_type
                        ),
                    );
                    continue;
                };
                let vpc_link = connection(
                    im,
                    integration.connection_id.as_deref(),
                    route_at.clone().key("integration").key("vpc_link"),
                );
                if let Some(var) = vpc_link
                    .as_deref()
                    .and_then(|v| v.strip_prefix("${stageVariables."))
                    .and_then(|v| v.strip_suffix('}'))
                {
                    used_as_links.insert(var.to_owned());
                }
                let uri = integration.integration_uri.as_deref();
                let (target, uri) = match uri {
                    Some(arn)
                        if arn.contains(":elasticloadbalancing:") && arn.contains(":listener/") =>
                    {
                        match im.refs.listeners.get(arn) {
                            Some((lb, port)) => (
                                Some(ListenerRef {
                                    load_balancer: lb.clone(),
                                    port: Some(*port),
                                }),
                                None,
                            ),
                            None => {
                                im.unknown(
                                    route_at.clone().key("integration").key("target"),
                                    arn,
                                    "the integration's listener is not in the bundle (elbv2 describe_listeners)",
                                );
                                (None, None)
                            }
                        }
                    }
                    other => (None, other.map(str::to_owned)),
                };
                routes.0.insert(
                    r.route_key.clone(),
                    Route {
                        integration: Integration {
                            kind,
                            connection_type: connection_type(
                                integration.connection_type.as_deref(),
                            ),
                            vpc_link,
                            uri,
                            target,
                            method: integration.integration_method.clone(),
                            timeout_ms: integration.timeout_in_millis,
                            tls: integration.tls_config.as_ref().map(|t| TlsConfig {
                                insecure_skip_verification: false,
                                server_name_to_verify: t.server_name_to_verify.clone(),
                            }),
                        },
                        authorization: r.authorization_type.clone().filter(|a| a != "NONE"),
                    },
                );
                im.source(
                    route_at,
                    &format!("{} {}", api.api_id, r.route_key),
                    &response_at("apigatewayv2", "get_routes", p)
                        .key("Items")
                        .index(i),
                );
            }
        }
        if !routes_seen {
            im.unknown(
                at_topo.clone().key("routes"),
                &api.api_id,
                if integrations_seen {
                    "apigatewayv2 get_routes is not in the bundle, so the API's integrations cannot be placed on routes; record get_routes to import them"
                } else {
                    "apigatewayv2 get_routes and get_integrations are not in the bundle, so the API's routes are unknown"
                },
            );
        }

        let mut stages = KeyMap::default();
        for (p, page) in calls.get_stages.iter().enumerate() {
            if page.request.api_id != api.api_id {
                continue;
            }
            for (i, s) in page.response.items.iter().enumerate() {
                let stage_at = at_topo.clone().key("stages").key(&s.stage_name);
                let settings = s.default_route_settings.as_ref();
                let stage = Stage {
                    logging: settings.and_then(|m| log_level(m.logging_level.as_deref())),
                    metrics: settings.and_then(|m| m.detailed_metrics_enabled),
                    access_log_destination: s
                        .access_log_settings
                        .as_ref()
                        .and_then(|a| a.destination_arn.clone()),
                    variables: link_variables(im, &s.stage_variables, &used_as_links, &stage_at),
                };
                im.source(
                    stage_at,
                    &format!("{} {}", api.api_id, s.stage_name),
                    &response_at("apigatewayv2", "get_stages", p)
                        .key("Items")
                        .index(i),
                );
                stages.0.insert(s.stage_name.clone(), stage);
            }
        }

        im.source(at_topo, &api.api_id, &f.at);
        im.topo.http_apis.0.insert(
            id,
            HttpApi {
                name: api.name.clone(),
                routes,
                stages,
                aws_id: Some(api.api_id.clone()),
            },
        );
    }
    Ok(())
}

//! API Gateway: VPC links, REST APIs (resources, methods with their integration, deployments,
//! stages with their method settings) and HTTP APIs (integrations, routes, stages).

use super::{node, Props, Tx};
use crate::import::cloudformation::yaml::{Kind, Node, Pos};
use crate::import::terraform::ir::TfValue;

/// Every node of `n` at `pos`, so that an error inside a parsed body leads to its resource.
fn at_pos(mut n: Node, pos: Pos, depth: usize) -> Node {
    n.pos = pos;
    if depth > 256 {
        return n;
    }
    n.kind = match n.kind {
        Kind::Seq(items) => Kind::Seq(
            items
                .into_iter()
                .map(|x| at_pos(x, pos, depth + 1))
                .collect(),
        ),
        Kind::Map(entries) => Kind::Map(
            entries
                .into_iter()
                .map(|mut e| {
                    e.key_pos = pos;
                    e.value = at_pos(e.value, pos, depth + 1);
                    e
                })
                .collect(),
        ),
        other => other,
    };
    n
}

impl Tx<'_> {
    fn own(&self, i: usize) -> String {
        self.logical.get(i).cloned().unwrap_or_default()
    }

    pub(super) fn vpc_link(&mut self, i: usize) {
        let mut p = Props::default();
        self.set(&mut p, i, "Name", "name");
        let cfn = if self.kind(i) == "aws_api_gateway_vpc_link" {
            self.set(&mut p, i, "TargetArns", "target_arns");
            "AWS::ApiGateway::VpcLink"
        } else {
            self.set(&mut p, i, "SubnetIds", "subnet_ids");
            self.set(&mut p, i, "SecurityGroupIds", "security_group_ids");
            "AWS::ApiGatewayV2::VpcLink"
        };
        let meta = self.meta(i);
        self.push(&self.own(i), cfn, i, p, meta);
    }

    /// An OpenAPI `body` (JSON or YAML text) as the template's `Body`.
    fn body(&mut self, p: &mut Props, i: usize) {
        match self.val(i, "body") {
            Some(TfValue::String(text)) => {
                if let Ok(n) = crate::import::cloudformation::yaml::parse(text) {
                    if n.is_map() {
                        p.put("Body", at_pos(n, node::at(i), 0));
                        p.names.push(("Body".to_owned(), "body".to_owned()));
                    }
                }
            }
            Some(other) => self.set_value(p, i, "Body", "body", other),
            None => {}
        }
    }

    pub(super) fn rest_api(&mut self, i: usize) {
        let pos = node::at(i);
        let mut p = Props::default();
        self.set(&mut p, i, "Name", "name");
        if let Some(types) = self
            .block(i, "endpoint_configuration")
            .and_then(|e| e.get("types"))
            .and_then(|t| self.conv(t, i))
        {
            p.put(
                "EndpointConfiguration",
                node::map(vec![("Types".to_owned(), types)], pos),
            );
        }
        self.body(&mut p, i);
        let meta = self.meta(i);
        self.push(&self.own(i), "AWS::ApiGateway::RestApi", i, p, meta);
    }

    pub(super) fn rest_resource(&mut self, i: usize) {
        let mut p = Props::default();
        self.set(&mut p, i, "RestApiId", "rest_api_id");
        self.set(&mut p, i, "ParentId", "parent_id");
        self.set(&mut p, i, "PathPart", "path_part");
        self.push(&self.own(i), "AWS::ApiGateway::Resource", i, p, Vec::new());
    }

    pub(super) fn method(&mut self, i: usize) {
        let mut p = Props::default();
        self.set(&mut p, i, "RestApiId", "rest_api_id");
        self.set(&mut p, i, "ResourceId", "resource_id");
        self.set(&mut p, i, "HttpMethod", "http_method");
        self.set(&mut p, i, "AuthorizationType", "authorization");
        if let Some(g) = self.integration_of.get(&i).copied() {
            let mut integ = Props::default();
            for (cfn, tf) in [
                ("Type", "type"),
                ("IntegrationHttpMethod", "integration_http_method"),
                ("Uri", "uri"),
                ("ConnectionType", "connection_type"),
                ("ConnectionId", "connection_id"),
                ("TimeoutInMillis", "timeout_milliseconds"),
                ("IntegrationTarget", "integration_target"),
            ] {
                self.set(&mut integ, g, cfn, tf);
            }
            if let Some(skip) = self
                .block(g, "tls_config")
                .and_then(|t| t.get("insecure_skip_verification"))
                .and_then(|v| self.conv(v, g))
            {
                integ.put(
                    "TlsConfig",
                    node::map(
                        vec![("InsecureSkipVerification".to_owned(), skip)],
                        node::at(g),
                    ),
                );
            }
            p.names.extend(integ.names);
            p.put("Integration", node::map(integ.entries, node::at(g)));
        }
        let meta = self.meta(i);
        self.push(&self.own(i), "AWS::ApiGateway::Method", i, p, meta);
    }

    pub(super) fn deployment(&mut self, i: usize) {
        let mut p = Props::default();
        self.set(&mut p, i, "RestApiId", "rest_api_id");
        self.set(&mut p, i, "StageName", "stage_name");
        if let Some(settings) = self.method_settings(i) {
            p.put(
                "StageDescription",
                node::map(vec![("MethodSettings".to_owned(), settings)], node::at(i)),
            );
        }
        self.push(
            &self.own(i),
            "AWS::ApiGateway::Deployment",
            i,
            p,
            Vec::new(),
        );
    }

    /// `access_log_settings { destination_arn }` as `{DestinationArn}`.
    fn access_logs(&mut self, p: &mut Props, i: usize, cfn: &str) {
        let Some(dest) = self
            .block(i, "access_log_settings")
            .and_then(|a| a.get("destination_arn"))
            .and_then(super::present)
            .and_then(|d| self.conv(d, i))
        else {
            return;
        };
        p.put(
            cfn,
            node::map(vec![("DestinationArn".to_owned(), dest)], node::at(i)),
        );
    }

    pub(super) fn rest_stage(&mut self, i: usize) {
        let mut p = Props::default();
        self.set(&mut p, i, "RestApiId", "rest_api_id");
        self.set(&mut p, i, "StageName", "stage_name");
        self.set(&mut p, i, "DeploymentId", "deployment_id");
        self.set(&mut p, i, "Variables", "variables");
        self.access_logs(&mut p, i, "AccessLogSetting");
        if let Some(settings) = self.method_settings(i) {
            p.put("MethodSettings", settings);
        }
        let meta = self.meta(i);
        self.push(&self.own(i), "AWS::ApiGateway::Stage", i, p, meta);
    }

    /// The `aws_api_gateway_method_settings` of stage `i` as CloudFormation's
    /// `MethodSettings`: `*/*` is the whole stage, `path/VERB` one method.
    fn method_settings(&mut self, i: usize) -> Option<Node> {
        let mut settings = Vec::new();
        for s in self.settings_of.get(&i).cloned().unwrap_or_default() {
            let pos = node::at(s);
            let (path, verb) = match self.str_val(s, "method_path") {
                Some(mp) if mp == "*/*" => ("/*".to_owned(), "*".to_owned()),
                Some(mp) => match mp.rsplit_once('/') {
                    Some((path, verb)) => (format!("/{path}"), verb.to_owned()),
                    None => (mp, "*".to_owned()),
                },
                None => continue,
            };
            let mut entries = vec![
                ("ResourcePath".to_owned(), node::text(path, pos)),
                ("HttpMethod".to_owned(), node::text(verb, pos)),
            ];
            if let Some(block) = self.block(s, "settings") {
                for (cfn, tf) in [
                    ("LoggingLevel", "logging_level"),
                    ("MetricsEnabled", "metrics_enabled"),
                ] {
                    if let Some(n) = block
                        .get(tf)
                        .and_then(super::present)
                        .and_then(|v| self.conv(v, s))
                    {
                        entries.push((cfn.to_owned(), n));
                    }
                }
            }
            settings.push(node::map(entries, pos));
        }
        (!settings.is_empty()).then(|| node::seq(settings, node::at(i)))
    }

    pub(super) fn http_api(&mut self, i: usize) {
        let mut p = Props::default();
        self.set(&mut p, i, "Name", "name");
        self.set(&mut p, i, "ProtocolType", "protocol_type");
        self.body(&mut p, i);
        let meta = self.meta(i);
        self.push(&self.own(i), "AWS::ApiGatewayV2::Api", i, p, meta);
    }

    pub(super) fn v2_integration(&mut self, i: usize) {
        let mut p = Props::default();
        for (cfn, tf) in [
            ("ApiId", "api_id"),
            ("IntegrationType", "integration_type"),
            ("IntegrationMethod", "integration_method"),
            ("IntegrationUri", "integration_uri"),
            ("ConnectionType", "connection_type"),
            ("ConnectionId", "connection_id"),
            ("TimeoutInMillis", "timeout_milliseconds"),
            ("PayloadFormatVersion", "payload_format_version"),
        ] {
            self.set(&mut p, i, cfn, tf);
        }
        if let Some(name) = self
            .block(i, "tls_config")
            .and_then(|t| t.get("server_name_to_verify"))
            .and_then(super::present)
            .and_then(|v| self.conv(v, i))
        {
            p.put(
                "TlsConfig",
                node::map(vec![("ServerNameToVerify".to_owned(), name)], node::at(i)),
            );
        }
        let meta = self.meta(i);
        self.push(&self.own(i), "AWS::ApiGatewayV2::Integration", i, p, meta);
    }

    pub(super) fn v2_route(&mut self, i: usize) {
        let pos = node::at(i);
        let mut p = Props::default();
        self.set(&mut p, i, "ApiId", "api_id");
        self.set(&mut p, i, "RouteKey", "route_key");
        self.set(&mut p, i, "AuthorizationType", "authorization_type");
        // `integrations/${aws_apigatewayv2_integration.x.id}`: the integration it names.
        let integration = self.val(i, "target").and_then(|t| match t {
            TfValue::Ref { address, .. } => self.resolve(address),
            TfValue::Unknown { expression, .. } => {
                mentioned_integration(expression).and_then(|a| self.resolve(&a))
            }
            _ => None,
        });
        let integration = integration.filter(|&g| self.kind(g) == "aws_apigatewayv2_integration");
        match integration.and_then(|g| self.logical.get(g).cloned()) {
            Some(logical) if !logical.is_empty() => {
                p.put(
                    "Target",
                    node::join(
                        vec![
                            node::text("integrations/", pos),
                            node::reference(&logical, pos),
                        ],
                        pos,
                    ),
                );
                p.names.push(("Target".to_owned(), "target".to_owned()));
            }
            _ => self.set(&mut p, i, "Target", "target"),
        }
        let meta = self.meta(i);
        self.push(&self.own(i), "AWS::ApiGatewayV2::Route", i, p, meta);
    }

    pub(super) fn v2_stage(&mut self, i: usize) {
        let pos = node::at(i);
        let mut p = Props::default();
        self.set(&mut p, i, "ApiId", "api_id");
        self.set(&mut p, i, "StageName", "name");
        self.set(&mut p, i, "StageVariables", "stage_variables");
        if let Some(block) = self.block(i, "default_route_settings") {
            let mut entries = Vec::new();
            for (cfn, tf) in [
                ("DetailedMetricsEnabled", "detailed_metrics_enabled"),
                ("LoggingLevel", "logging_level"),
            ] {
                if let Some(n) = block
                    .get(tf)
                    .and_then(super::present)
                    .and_then(|v| self.conv(v, i))
                {
                    entries.push((cfn.to_owned(), n));
                }
            }
            if !entries.is_empty() {
                p.put("DefaultRouteSettings", node::map(entries, pos));
            }
        }
        self.access_logs(&mut p, i, "AccessLogSettings");
        let meta = self.meta(i);
        self.push(&self.own(i), "AWS::ApiGatewayV2::Stage", i, p, meta);
    }
}

/// The integration an expression names (`integrations/${aws_apigatewayv2_integration.x.id}`
/// as written, when the reader kept the template unevaluated).
fn mentioned_integration(expression: &str) -> Option<String> {
    let start = expression.find("aws_apigatewayv2_integration.")?;
    let rest = expression.get(start..)?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '"')))
        .unwrap_or(rest.len());
    let traversal = rest.get(..end)?;
    // Drop the attribute (`.id`): keep `type.name[key]`.
    let mut parts: Vec<&str> = traversal.splitn(3, '.').collect();
    parts.truncate(2);
    Some(parts.join("."))
}

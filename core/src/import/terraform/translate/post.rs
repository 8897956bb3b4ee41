//! After the CloudFormation reader: everything it recorded in template terms said again in
//! Terraform terms. Logical ids become addresses, parameters the expressions they stand
//! for, sources the file, line and column of the resource block, and errors name the
//! resource and argument where the problem is.

use std::collections::HashMap;

use super::node::index_of;
use super::{Role, Tx};
use crate::import::terraform::ir::TfValue;
use crate::import::ImportError;
use crate::model::{Origin, SkippedResource, SourceFormat, SourceLocation, UnknownValue};
use crate::pointer::JsonPointer;
use crate::Topology;

/// CloudFormation types back to the Terraform type they are written for.
const TYPES: &[(&str, &str)] = &[
    (
        "AWS::EC2::VPCCidrBlock",
        "aws_vpc_ipv4_cidr_block_association",
    ),
    ("AWS::EC2::VPC", "aws_vpc"),
    (
        "AWS::EC2::SubnetNetworkAclAssociation",
        "aws_network_acl_association",
    ),
    ("AWS::EC2::Subnet", "aws_subnet"),
    ("AWS::EC2::NetworkAclEntry", "aws_network_acl_rule"),
    ("AWS::EC2::NetworkAcl", "aws_network_acl"),
    (
        "AWS::EC2::SecurityGroupIngress",
        "aws_vpc_security_group_ingress_rule",
    ),
    (
        "AWS::EC2::SecurityGroupEgress",
        "aws_vpc_security_group_egress_rule",
    ),
    ("AWS::EC2::SecurityGroup", "aws_security_group"),
    ("AWS::EC2::Instance", "aws_instance"),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", "aws_lb"),
    ("AWS::ElasticLoadBalancingV2::Listener", "aws_lb_listener"),
    (
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "aws_lb_target_group",
    ),
    ("AWS::ApiGateway::VpcLink", "aws_api_gateway_vpc_link"),
    ("AWS::ApiGatewayV2::VpcLink", "aws_apigatewayv2_vpc_link"),
    ("AWS::ApiGateway::RestApi", "aws_api_gateway_rest_api"),
    ("AWS::ApiGateway::Resource", "aws_api_gateway_resource"),
    ("AWS::ApiGateway::Method", "aws_api_gateway_method"),
    ("AWS::ApiGateway::Deployment", "aws_api_gateway_deployment"),
    ("AWS::ApiGateway::Stage", "aws_api_gateway_stage"),
    ("AWS::ApiGatewayV2::Api", "aws_apigatewayv2_api"),
    (
        "AWS::ApiGatewayV2::Integration",
        "aws_apigatewayv2_integration",
    ),
    ("AWS::ApiGatewayV2::Route", "aws_apigatewayv2_route"),
    ("AWS::ApiGatewayV2::Stage", "aws_apigatewayv2_stage"),
    ("AWS::CloudWatch::Alarm", "aws_cloudwatch_metric_alarm"),
];

/// Template words that have a Terraform counterpart.
const WORDS: &[(&str, &str)] = &[
    ("this template", "this configuration"),
    ("the template", "the configuration"),
    ("a template", "a configuration"),
    ("template", "configuration"),
    ("deploy time", "apply time"),
    ("after deploy", "after apply"),
    ("at deploy", "at apply"),
    ("Metadata.vpclink.", "tag vpclink:"),
];

/// `(no CidrBlock)`-style placeholders of the CloudFormation reader, in Terraform terms.
const MISSING: &[(&str, &str)] = &[
    ("(no CidrBlock)", "(no cidr_block)"),
    ("(no AvailabilityZone)", "(no availability_zone)"),
    ("(no VpcId)", "(no vpc_id)"),
    ("(no SubnetId)", "(no subnet_id)"),
    ("(no SubnetIds)", "(no subnet_ids)"),
    ("(no Protocol)", "(no protocol)"),
    ("(no Port)", "(no port)"),
];

fn tf_attribute(cfn: &str) -> String {
    match cfn {
        "DNSName" => "dns_name".to_owned(),
        "PrivateIp" => "private_ip".to_owned(),
        "RootResourceId" => "root_resource_id".to_owned(),
        "LoadBalancerFullName" | "TargetGroupFullName" => "arn_suffix".to_owned(),
        "GroupId" => "id".to_owned(),
        other => snake(other),
    }
}

fn snake(s: &str) -> String {
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if k > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Rewrites template text into Terraform text.
struct Words<'t> {
    /// Logical id → address; parameter → the expression it stands for.
    tokens: HashMap<&'t str, String>,
    /// Parameter → (full expression, reason).
    params: HashMap<&'t str, (&'t str, &'t str)>,
    resources: HashMap<&'t str, usize>,
}

impl<'t> Words<'t> {
    fn new(tx: &'t Tx<'_>) -> Words<'t> {
        let mut tokens = HashMap::new();
        let mut params = HashMap::new();
        let mut resources = HashMap::new();
        for (logical, &i) in &tx.origin_of {
            tokens.insert(logical.as_str(), tx.address(i).to_owned());
            resources.insert(logical.as_str(), i);
        }
        for p in &tx.params {
            let base = p.expression.split(" (").next().unwrap_or(&p.expression);
            tokens.insert(p.logical.as_str(), base.to_owned());
            params.insert(
                p.logical.as_str(),
                (p.expression.as_str(), p.reason.as_str()),
            );
        }
        Words {
            tokens,
            params,
            resources,
        }
    }

    /// An unknown's expression: `!Ref P` is P's expression, `!GetAtt L.A` the attribute.
    fn expression(&self, s: &str) -> String {
        if let Some(name) = s.strip_prefix("!Ref ") {
            if let Some((expr, _)) = self.params.get(name) {
                return (*expr).to_owned();
            }
        }
        if let Some(rest) = s
            .strip_prefix("!Select [")
            .and_then(|r| r.strip_suffix(']'))
        {
            if let Some((i, inner)) = rest.split_once(", !Ref ") {
                if let Some(base) = self.tokens.get(inner) {
                    return format!("{base}[{}]", i.trim());
                }
            }
        }
        if let Some(rest) = s.strip_prefix("!GetAtt ") {
            if let Some((l, a)) = rest.split_once('.') {
                if let Some(address) = self.tokens.get(l) {
                    return format!("{address}.{}", tf_attribute(a));
                }
            }
        }
        if let Some((_, tf)) = MISSING.iter().find(|(cfn, _)| *cfn == s) {
            return (*tf).to_owned();
        }
        self.text(s)
    }

    /// A reason: a parameter's "has no default" is the reason Terraform gave.
    fn reason(&self, s: &str) -> String {
        let mut s = s.to_owned();
        for (name, (expr, reason)) in &self.params {
            let phrase = format!("parameter `{name}` has no default");
            if s.contains(&phrase) {
                let why = if reason.is_empty() {
                    format!("`{expr}` is known only after apply")
                } else {
                    (*reason).to_owned()
                };
                s = s.replace(&phrase, &why);
            }
        }
        self.text(&s)
    }

    /// Logical ids and parameters as the addresses and expressions they stand for
    /// (`${L.DNSName}` → `${aws_lb.nlb.dns_name}`), template words as Terraform's.
    fn text(&self, s: &str) -> String {
        let mut s = s.to_owned();
        // A template kept whole (`"http://${aws_lb.x.dns_name}/${var.p}"`) shows as its text.
        for (name, (expr, _)) in &self.params {
            let shown = format!("${{{name}}}");
            if s.contains(&shown) {
                if let Some(inner) = expr.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
                    s = s.replace(&shown, inner);
                }
            }
        }
        for (cfn, tf) in TYPES {
            if s.contains(cfn) {
                s = s.replace(cfn, tf);
            }
        }
        let mut out = String::with_capacity(s.len());
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut k = 0;
        while let Some(&(start, c)) = chars.get(k) {
            if !c.is_ascii_alphanumeric() {
                out.push(c);
                k += 1;
                continue;
            }
            let mut end_k = k;
            while chars
                .get(end_k)
                .is_some_and(|(_, c)| c.is_ascii_alphanumeric())
            {
                end_k += 1;
            }
            let end = chars.get(end_k).map_or(s.len(), |(i, _)| *i);
            let token = s.get(start..end).unwrap_or_default();
            match self.tokens.get(token) {
                Some(address) => {
                    out.push_str(address);
                    // `L.Attr` of a resource: the Terraform attribute.
                    if self.resources.contains_key(token)
                        && chars.get(end_k).is_some_and(|(_, c)| *c == '.')
                    {
                        let mut a_end = end_k + 1;
                        while chars
                            .get(a_end)
                            .is_some_and(|(_, c)| c.is_ascii_alphanumeric())
                        {
                            a_end += 1;
                        }
                        let a_start = chars.get(end_k + 1).map_or(s.len(), |(i, _)| *i);
                        let a_stop = chars.get(a_end).map_or(s.len(), |(i, _)| *i);
                        let attr = s.get(a_start..a_stop).unwrap_or_default();
                        if attr.starts_with(|c: char| c.is_ascii_uppercase()) {
                            out.push('.');
                            out.push_str(&tf_attribute(attr));
                            k = a_end;
                            continue;
                        }
                    }
                }
                None => out.push_str(token),
            }
            k = end_k;
        }
        for (from, to) in WORDS {
            if out.contains(from) {
                out = out.replace(from, to);
            }
        }
        out
    }
}

fn source(tx: &Tx<'_>, i: usize) -> SourceLocation {
    let loc = tx
        .cfg
        .resources
        .get(i)
        .map(|r| r.location.clone())
        .unwrap_or_default();
    SourceLocation {
        name: tx.address(i).to_owned(),
        file: loc.file,
        line: loc.line,
        column: loc.column,
    }
}

pub(super) fn finish(tx: &Tx<'_>, mut topo: Topology, file: Option<&str>) -> Topology {
    let words = Words::new(tx);
    let old = topo.origin.take().unwrap_or(Origin {
        format: SourceFormat::Terraform,
        file: None,
        sources: Default::default(),
        unknowns: Vec::new(),
        skipped: Vec::new(),
    });
    topo = shown_names(topo, &words);
    existing(tx, &mut topo, &old);

    let mut origin = Origin {
        format: SourceFormat::Terraform,
        file: file.map(str::to_owned),
        sources: Default::default(),
        unknowns: Vec::new(),
        skipped: Vec::new(),
    };
    for (path, s) in &old.sources {
        let loc = match tx.origin_of.get(&s.name) {
            Some(&i) => source(tx, i),
            None => SourceLocation {
                name: words.text(&s.name),
                ..s.clone()
            },
        };
        origin.sources.insert(path.clone(), loc);
    }
    // A REST integration is its own resource in Terraform: its findings point there.
    let mut routes_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for (p, s) in &old.sources {
        if p.contains("/routes/") {
            routes_of
                .entry(s.name.as_str())
                .or_default()
                .push(p.as_str());
        }
    }
    for (&m, &g) in &tx.integration_of {
        let method = tx.logical.get(m).map(String::as_str).unwrap_or_default();
        for p in routes_of.get(method).into_iter().flatten() {
            origin
                .sources
                .insert(format!("{p}/integration"), source(tx, g));
        }
    }
    for (&t, attachments) in &tx.attachments {
        let Some(id) = tx.id.get(t).cloned().flatten() else {
            continue;
        };
        let n = topo.target_groups.get(&id).map_or(0, |g| g.targets.len());
        if n != attachments.len() {
            continue;
        }
        for (k, &a) in attachments.iter().enumerate() {
            let p = JsonPointer::resource("target_groups", &id)
                .key("targets")
                .index(k);
            origin.sources.insert(p.as_str().to_owned(), source(tx, a));
        }
    }

    for u in &old.unknowns {
        let (expression, reason) = if u.path.as_str() == "/region" {
            region_unknown(tx)
        } else {
            (words.expression(&u.expression), words.reason(&u.reason))
        };
        push_unknown(&mut origin.unknowns, u.path.clone(), expression, reason);
    }
    registered_at_run_time(tx, &mut origin.unknowns);

    origin.skipped.extend(tx.cfg.skipped.iter().cloned());
    origin.skipped.extend(tx.skipped.iter().cloned());
    for s in &old.skipped {
        let skipped = match tx.origin_of.get(&s.name) {
            Some(&i) => SkippedResource {
                name: tx.address(i).to_owned(),
                kind: tx.kind(i).to_owned(),
                reason: words.reason(&s.reason),
            },
            None => SkippedResource {
                name: words.text(&s.name),
                kind: words.text(&s.kind),
                reason: words.reason(&s.reason),
            },
        };
        if !origin.skipped.contains(&skipped) {
            origin.skipped.push(skipped);
        }
    }
    topo.origin = Some(origin);
    topo
}

fn push_unknown(
    list: &mut Vec<UnknownValue>,
    path: JsonPointer,
    expression: String,
    reason: String,
) {
    if !list
        .iter()
        .any(|u| u.path == path && u.expression == expression)
    {
        list.push(UnknownValue {
            path,
            expression,
            reason,
        });
    }
}

fn region_unknown(tx: &Tx<'_>) -> (String, String) {
    const ASSUMED: &str = "us-east-1 is assumed";
    match &tx.cfg.region {
        Some(TfValue::Unknown { expression, reason }) => {
            (expression.clone(), format!("{reason}; {ASSUMED}"))
        }
        Some(TfValue::Ref { address, attribute }) => (
            format!("{address}.{attribute}"),
            format!("the provider's region is read from `{address}`; {ASSUMED}"),
        ),
        Some(other) => (
            format!("{other:?}"),
            format!("the provider's region is not a Region name; {ASSUMED}"),
        ),
        None => (
            "provider \"aws\"".to_owned(),
            format!(
                "the aws provider sets no region (it comes from the environment or profile); \
                 {ASSUMED}"
            ),
        ),
    }
}

/// Target groups that resources outside the model register targets with (an Auto Scaling
/// group's `target_group_arns`, an ECS service's `load_balancer`): their targets are
/// unknown.
fn registered_at_run_time(tx: &Tx<'_>, unknowns: &mut Vec<UnknownValue>) {
    for (i, r) in tx.cfg.resources.iter().enumerate() {
        if tx.role.get(i) != Some(&Role::Skip)
            || r.kind.contains("listener")
            || r.kind.contains("target_group_attachment")
            || r.kind.starts_with("aws_cloudwatch")
        {
            continue;
        }
        let mut found = Vec::new();
        for v in r.values.values() {
            refs_to_groups(tx, v, &mut found, 0);
        }
        for t in found {
            let Some(id) = tx.id.get(t).cloned().flatten() else {
                continue;
            };
            push_unknown(
                unknowns,
                JsonPointer::resource("target_groups", &id).key("targets"),
                r.address.clone(),
                format!(
                    "targets are registered at run time by `{}` ({}), which is outside the model",
                    r.address, r.kind
                ),
            );
        }
    }
}

fn refs_to_groups(tx: &Tx<'_>, v: &TfValue, out: &mut Vec<usize>, depth: usize) {
    if depth > 32 {
        return;
    }
    match v {
        TfValue::Ref { address, .. } => {
            if let Some(t) = tx.resolve(address) {
                let group = matches!(
                    tx.role.get(t),
                    Some(Role::Cfn("AWS::ElasticLoadBalancingV2::TargetGroup"))
                );
                if group && !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        TfValue::List(items) => items
            .iter()
            .for_each(|x| refs_to_groups(tx, x, out, depth + 1)),
        TfValue::Map(entries) => entries
            .values()
            .for_each(|x| refs_to_groups(tx, x, out, depth + 1)),
        _ => {}
    }
}

/// Resources whose id is known (state, or a plan of what exists) keep it: `aws_id`, or the
/// ARN of load balancers, target groups and listeners.
fn existing(tx: &Tx<'_>, topo: &mut Topology, old: &Origin) {
    for (i, r) in tx.cfg.resources.iter().enumerate() {
        let (Some(Role::Cfn(_)), Some(Some(id))) = (tx.role.get(i), tx.id.get(i)) else {
            continue;
        };
        let text = |k: &str| match r.values.get(k) {
            Some(TfValue::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        let Some(aws) = text("id") else { continue };
        let arn = text("arn").unwrap_or_else(|| aws.clone());
        let id = id.as_str();
        match r.kind.as_str() {
            "aws_vpc" => set(topo.vpcs.0.get_mut(id).map(|x| &mut x.aws_id), aws),
            "aws_subnet" => set(topo.subnets.0.get_mut(id).map(|x| &mut x.aws_id), aws),
            "aws_security_group" => set(
                topo.security_groups.0.get_mut(id).map(|x| &mut x.aws_id),
                aws,
            ),
            "aws_network_acl" => set(topo.network_acls.0.get_mut(id).map(|x| &mut x.aws_id), aws),
            "aws_instance" => set(topo.instances.0.get_mut(id).map(|x| &mut x.aws_id), aws),
            "aws_api_gateway_vpc_link" | "aws_apigatewayv2_vpc_link" => {
                set(topo.vpc_links.0.get_mut(id).map(|x| &mut x.aws_id), aws)
            }
            "aws_api_gateway_rest_api" => {
                set(topo.rest_apis.0.get_mut(id).map(|x| &mut x.aws_id), aws)
            }
            "aws_apigatewayv2_api" => set(topo.http_apis.0.get_mut(id).map(|x| &mut x.aws_id), aws),
            "aws_lb" | "aws_alb" => {
                if let (Some(lb), Ok(a)) = (topo.load_balancers.0.get_mut(id), arn.parse()) {
                    lb.arn.get_or_insert(a);
                }
            }
            "aws_lb_target_group" | "aws_alb_target_group" => {
                if let (Some(tg), Ok(a)) = (topo.target_groups.0.get_mut(id), arn.parse()) {
                    tg.arn.get_or_insert(a);
                }
            }
            _ => {}
        }
    }
    // Listeners are parts: found through where the reader put them.
    for (path, s) in &old.sources {
        let Some(&i) = tx.origin_of.get(&s.name) else {
            continue;
        };
        if !matches!(tx.kind(i), "aws_lb_listener" | "aws_alb_listener") {
            continue;
        }
        let Some(TfValue::String(arn)) = tx.val(i, "arn").or_else(|| tx.val(i, "id")) else {
            continue;
        };
        let parts: Vec<&str> = path.split('/').collect();
        if let ["", "load_balancers", lb, "listeners", k] = parts.as_slice() {
            let listener = k.parse::<usize>().ok().and_then(|k| {
                topo.load_balancers
                    .0
                    .get_mut(lb.replace("~1", "/").replace("~0", "~").as_str())
                    .and_then(|l| l.listeners.get_mut(k))
            });
            if let Some(l) = listener {
                l.aws_id.get_or_insert(arn.clone());
            }
        }
    }
}

fn set(slot: Option<&mut Option<String>>, value: String) {
    if let Some(s) = slot {
        s.get_or_insert(value);
    }
}

/// Names, URIs and other shown text that hold `${Logical}` or `${Parameter}` get the
/// Terraform expression instead.
fn shown_names(topo: Topology, words: &Words<'_>) -> Topology {
    fn walk(v: &mut serde_json::Value, words: &Words<'_>, depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        match v {
            serde_json::Value::String(s) if s.contains("${") => {
                *s = words.text(s);
                true
            }
            serde_json::Value::Array(items) => {
                let mut changed = false;
                for x in items {
                    changed |= walk(x, words, depth + 1);
                }
                changed
            }
            serde_json::Value::Object(map) => {
                let mut changed = false;
                let entries = std::mem::take(map);
                for (k, mut x) in entries {
                    changed |= walk(&mut x, words, depth + 1);
                    let key = if k.contains("${") {
                        changed = true;
                        words.text(&k)
                    } else {
                        k
                    };
                    map.insert(key, x);
                }
                changed
            }
            _ => false,
        }
    }
    let Ok(mut value) = serde_json::to_value(&topo) else {
        return topo;
    };
    if !walk(&mut value, words, 0) {
        return topo;
    }
    crate::parse::topology_from_value(value).unwrap_or(topo)
}

/// An error of the CloudFormation reader, said in Terraform terms: the resource's address
/// and argument, and its file, line and column.
pub(super) fn error(tx: &Tx<'_>, e: ImportError) -> ImportError {
    let words = Words::new(tx);
    let from_path = e
        .path
        .as_deref()
        .and_then(|p| p.strip_prefix("/Resources/"))
        .and_then(|r| r.split('/').next())
        .and_then(|l| tx.origin_of.get(l).copied().map(|i| (l.to_owned(), i)));
    let from_line = e
        .line
        .and_then(index_of)
        .filter(|&i| i < tx.cfg.resources.len())
        .map(|i| (tx.logical.get(i).cloned().unwrap_or_default(), i));
    let found = from_path.or(from_line);
    let mut message = e.message.clone();
    if let Some((logical, _)) = &found {
        for ((l, cfn), tf) in &tx.prop_names {
            if l == logical {
                message = message.replace(&format!("`{cfn}`"), &format!("`{tf}`"));
            }
        }
    }
    let mut message = words.reason(&message);
    let loc = found
        .as_ref()
        .and_then(|(_, i)| tx.cfg.resources.get(*i))
        .map(|r| r.location.clone())
        .unwrap_or_default();
    if let Some((_, i)) = &found {
        let address = tx.address(*i);
        if !message.contains(address) {
            message = format!("`{address}`: {message}");
        }
    }
    if let Some(f) = &loc.file {
        message = format!("{f}: {message}");
    }
    ImportError {
        format: SourceFormat::Terraform,
        message,
        path: None,
        line: loc.line,
        column: loc.column,
    }
}

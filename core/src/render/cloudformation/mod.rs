//! CloudFormation export: a YAML template that declares every resource of the topology that
//! does not exist yet (facts §11 for the types and properties).
//!
//! Conventions, which the CloudFormation importer relies on:
//!
//! - **Metadata.** Every declared resource carries
//!   `Metadata: {vpclink: {id: <topology id>, kind: <topology collection>}}`. Resources that
//!   are parts of a topology resource carry their owner's id and kind plus one key that
//!   names the part:
//!   - `route: "GET /products"` — REST `AWS::ApiGateway::Method`; HTTP API
//!     `AWS::ApiGatewayV2::Integration` and `AWS::ApiGatewayV2::Route`;
//!   - `path: "/products"` — REST `AWS::ApiGateway::Resource` (one per path segment);
//!   - `deployment: <hash of the methods>` — REST `AWS::ApiGateway::Deployment`;
//!   - `stage: "prod"` — `AWS::ApiGateway::Stage`, `AWS::ApiGatewayV2::Stage`;
//!   - `listener: 80` — `AWS::ElasticLoadBalancingV2::Listener` (its port);
//!   - `ingress: 0` / `egress: 0` — `AWS::EC2::SecurityGroupIngress`/`Egress` (the rule's
//!     index in the group's list); on `AWS::EC2::NetworkAclEntry` the rule number;
//!   - `network_acl: "private"` — `AWS::EC2::SubnetNetworkAclAssociation`, with the
//!     subnet's id and kind `subnets`;
//!   - `secondary_cidr: "100.64.0.0/16"` — `AWS::EC2::VPCCidrBlock`, with the VPC's id.
//!
//!   The template itself carries `Metadata: {vpclink: {version: 1, region: ..., notes: [...]}}`.
//! - **Carried values.** What the topology says but no CloudFormation property can hold
//!   rides in the same `Metadata.vpclink`, under the topology's own field name and in its
//!   own format, so that an import gives the topology back:
//!   - `serves: [{port, protocol, health_path?, certificate_names?}]` — `AWS::EC2::Instance`
//!     (what the instance serves; absent means unknown, `[]` means nothing);
//!   - `name: <id>` — a top-level resource whose topology name is its own id, which the
//!     template alone cannot tell from "no name" (the export writes the id where
//!     CloudFormation wants a name);
//!   - `logging: INFO` — `AWS::ApiGatewayV2::Stage` (HTTP APIs have no execution logging,
//!     so the level has no property);
//!   - `namespace`, `connection_type`, `authorization` — an alarm's namespace, an
//!     integration's connection type (REST `AWS::ApiGateway::Method`, HTTP API
//!     `AWS::ApiGatewayV2::Integration`) and a route's `NONE` authorization (REST method,
//!     HTTP API `AWS::ApiGatewayV2::Route`) that the topology states although they are what
//!     it implies, which an import otherwise leaves out;
//!   - `defaults: {field: value, ...}` — fields the topology leaves out and the export
//!     filled in, with the value it wrote, so that an import leaves them out again while
//!     the property still holds that value (an edited one is the template's own): an
//!     instance's `instance_type`, a security group's `description`, an alarm's
//!     `statistic`, `period_seconds`, `evaluation_periods`, `comparison` and
//!     `load_balancer`, an integration's `method`.
//! - **Logical ids** are PascalCase: a kind prefix (`Vpc`, `Subnet`, `SecurityGroup`,
//!   `NetworkAcl`, `Instance`, `LoadBalancer`, `TargetGroup`, `VpcLink`, `RestApi`,
//!   `HttpApi`, `Alarm`) and the topology id with every character other than an ASCII letter
//!   or digit dropped as a word break (`private-a` → `SubnetPrivateA`). Parts append to
//!   their owner's id (`LoadBalancerNlbListener80`, `RestApiShopMethodGetProducts`). An id
//!   that collides with an earlier one (in topology order) gets eight hex digits hashed from
//!   its own kind and id. The REST deployment's id ends in a hash of its methods, so a
//!   changed API gets a new deployment (facts §11: a Deployment does not redeploy by itself).
//! - **Existing resources** (with `aws_id` or `arn`) are not declared; references to them
//!   are the literal id or ARN. Their parts (rules, entries, routes, stages) are taken as
//!   existing with them.
//! - Intrinsics are written long-form (`{Ref: X}`, `{Fn::GetAtt: [X, Attr]}`), so any YAML
//!   reader can load the template without CloudFormation's short-form tags.

mod alarm;
mod apigw;
mod elb;
mod network;
#[cfg(test)]
mod tests;
mod yaml;

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::defaults::AL2023_SSM_PARAMETER;
use super::naming::{pascal, short_hash, Names, Style};
use super::RenderError;
use crate::graph::Graph;
use crate::model::Topology;
use crate::pointer::JsonPointer;

/// The template parameter that resolves [`AL2023_SSM_PARAMETER`].
const AMI_PARAMETER: &str = "LatestAmiId";
/// Logical ids may be 255 characters; leave room for a collision suffix.
const MAX_LOGICAL_ID: usize = 230;

/// The CloudFormation template of `topology`, as YAML.
pub fn cloudformation(topology: &Topology) -> Result<String, RenderError> {
    yaml::to_yaml(&template(topology)?)
}

/// The template as a JSON value (the YAML is this value, serialised).
pub(crate) fn template(topology: &Topology) -> Result<Value, RenderError> {
    let graph = super::defaults::resolve(topology)?;
    let mut cfn = Cfn::new(topology, graph);
    cfn.allocate_primary_ids();
    if cfn.logical.values().all(HashMap::is_empty) {
        return Err(RenderError {
            message: "the topology has nothing to create (every resource exists already), and a \
                      CloudFormation template needs at least one resource"
                .into(),
            path: None,
        });
    }
    network::render(&mut cfn)?;
    elb::render(&mut cfn)?;
    apigw::render(&mut cfn)?;
    alarm::render(&mut cfn)?;
    Ok(cfn.finish())
}

/// The template under construction, and the logical id of every declared resource.
struct Cfn<'t> {
    t: &'t Topology,
    graph: Graph<'t>,
    names: Names,
    /// collection → topology id → logical id, for the declared top-level resources.
    logical: HashMap<&'static str, HashMap<String, String>>,
    /// (load balancer id, port) → logical id of each declared listener.
    listeners: HashMap<(String, u16), String>,
    resources: Map<String, Value>,
    parameters: Map<String, Value>,
    outputs: Map<String, Value>,
    notes: Vec<String>,
}

/// The prefix of each collection's logical ids, in the order resources are declared.
const PREFIXES: [(&str, &str); 11] = [
    ("vpcs", "Vpc"),
    ("subnets", "Subnet"),
    ("network_acls", "NetworkAcl"),
    ("security_groups", "SecurityGroup"),
    ("instances", "Instance"),
    ("target_groups", "TargetGroup"),
    ("load_balancers", "LoadBalancer"),
    ("vpc_links", "VpcLink"),
    ("rest_apis", "RestApi"),
    ("http_apis", "HttpApi"),
    ("alarms", "Alarm"),
];

/// `prefix` followed by `parts` in PascalCase, shortened with a hash when too long.
fn logical_id(prefix: &str, parts: &[&str]) -> String {
    let mut id = String::from(prefix);
    for p in parts {
        id.push_str(&pascal(p));
    }
    if id.len() > MAX_LOGICAL_ID {
        let hash = short_hash(&parts.join("\u{0}"));
        // All ASCII, so any byte index is a character boundary.
        id.truncate(MAX_LOGICAL_ID - hash.len());
        id.push_str(&hash);
    }
    id
}

fn r#ref(logical: &str) -> Value {
    json!({ "Ref": logical })
}

fn get_att(logical: &str, attribute: &str) -> Value {
    json!({ "Fn::GetAtt": [logical, attribute] })
}

/// `Metadata: {vpclink: {id, kind, <part>...}}`.
fn metadata(kind: &str, id: &str, part: Option<(&str, Value)>) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), Value::String(id.to_owned()));
    m.insert("kind".into(), Value::String(kind.to_owned()));
    if let Some((key, value)) = part {
        m.insert(key.to_owned(), value);
    }
    json!({ "vpclink": m })
}

/// `Metadata: {vpclink: {id, kind, name?}}` of a top-level resource: `name` is carried when
/// the topology names the resource with its own id, which the template cannot otherwise
/// tell from a resource without a name.
fn top_metadata(kind: &str, id: &str, name: Option<&String>) -> Value {
    let mut m = metadata(kind, id, None);
    if name.is_some_and(|n| n == id) {
        carry(&mut m, "name", json!(id));
    }
    m
}

/// Adds a carried value to `Metadata.vpclink`.
fn carry(metadata: &mut Value, key: &str, value: Value) {
    if let Some(m) = metadata.get_mut("vpclink").and_then(Value::as_object_mut) {
        m.insert(key.to_owned(), value);
    }
}

/// Records under `Metadata.vpclink.defaults` the topology fields left out that the export
/// filled in, with the values it wrote (nothing when `filled` is empty).
fn defaulted(metadata: &mut Value, filled: Vec<(&str, Value)>) {
    if !filled.is_empty() {
        let map: Map<String, Value> = filled
            .into_iter()
            .map(|(field, value)| (field.to_owned(), value))
            .collect();
        carry(metadata, "defaults", Value::Object(map));
    }
}

/// `Tags: [{Key: Name, Value: ...}]`, the console's name column for EC2 resources.
fn name_tag(name: Option<&str>, id: &str) -> Value {
    json!([{ "Key": "Name", "Value": name.unwrap_or(id) }])
}

impl<'t> Cfn<'t> {
    fn new(t: &'t Topology, graph: Graph<'t>) -> Self {
        let mut names = Names::new(Style::Pascal);
        names.reserve(AMI_PARAMETER);
        Cfn {
            t,
            graph,
            names,
            logical: HashMap::new(),
            listeners: HashMap::new(),
            resources: Map::new(),
            parameters: Map::new(),
            outputs: Map::new(),
            notes: Vec::new(),
        }
    }

    /// Names every declared top-level resource first, so that references can be written
    /// in any order and parts never take a resource's name.
    fn allocate_primary_ids(&mut self) {
        let t = self.t;
        for (kind, prefix) in PREFIXES {
            let ids: Vec<&str> = match kind {
                "vpcs" => declared(&t.vpcs, |v| v.aws_id.is_none()),
                "subnets" => declared(&t.subnets, |s| s.aws_id.is_none()),
                "network_acls" => declared(&t.network_acls, |a| a.aws_id.is_none() && !a.default),
                "security_groups" => declared(&t.security_groups, |s| s.aws_id.is_none()),
                "instances" => declared(&t.instances, |i| i.aws_id.is_none()),
                "target_groups" => declared(&t.target_groups, |g| g.arn.is_none()),
                "load_balancers" => declared(&t.load_balancers, |l| l.arn.is_none()),
                "vpc_links" => declared(&t.vpc_links, |l| l.aws_id.is_none()),
                "rest_apis" => declared(&t.rest_apis, |a| a.aws_id.is_none()),
                "http_apis" => declared(&t.http_apis, |a| a.aws_id.is_none()),
                _ => declared(&t.alarms, |_| true),
            };
            for id in ids {
                let name = self
                    .names
                    .unique(logical_id(prefix, &[id]), &format!("{kind}\u{0}{id}"));
                self.logical
                    .entry(kind)
                    .or_default()
                    .insert(id.to_owned(), name);
            }
        }
    }

    /// The logical id of a declared top-level resource.
    fn logical(&self, kind: &'static str, id: impl AsRef<str>) -> Option<&str> {
        self.logical
            .get(kind)
            .and_then(|m| m.get(id.as_ref()))
            .map(String::as_str)
    }

    /// The logical id a part's name starts from: its owner's, or for an existing owner
    /// (not declared) the id it would have had.
    fn owner_id(&self, kind: &'static str, id: &str) -> String {
        match self.logical(kind, id) {
            Some(l) => l.to_owned(),
            None => {
                let prefix = PREFIXES
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map_or("", |(_, p)| *p);
                logical_id(prefix, &[id])
            }
        }
    }

    /// A new logical id for a part of `owner` (its logical id), unique in the template.
    fn part_id(&mut self, owner: &str, parts: &[&str], seed: &str) -> String {
        let candidate = logical_id(owner, parts);
        self.names.unique(candidate, &format!("{owner}\u{0}{seed}"))
    }

    /// A reference to a resource: `Ref`/`Fn::GetAtt` when declared here, the literal id
    /// or ARN when it exists already.
    fn reference(
        &self,
        kind: &'static str,
        id: &str,
        attribute: Option<&str>,
        path: impl FnOnce() -> JsonPointer,
    ) -> Result<Value, RenderError> {
        if let Some(logical) = self.logical(kind, id) {
            return Ok(match attribute {
                Some(a) => get_att(logical, a),
                None => r#ref(logical),
            });
        }
        let t = self.t;
        let existing: Option<String> = match kind {
            "vpcs" => t.vpcs.get(id).and_then(|v| v.aws_id.clone()),
            "subnets" => t.subnets.get(id).and_then(|v| v.aws_id.clone()),
            "network_acls" => t.network_acls.get(id).and_then(|v| v.aws_id.clone()),
            "security_groups" => t.security_groups.get(id).and_then(|v| v.aws_id.clone()),
            "instances" => t.instances.get(id).and_then(|v| v.aws_id.clone()),
            "target_groups" => t
                .target_groups
                .get(id)
                .and_then(|v| v.arn.as_ref().map(|a| a.to_string())),
            "load_balancers" => t
                .load_balancers
                .get(id)
                .and_then(|v| v.arn.as_ref().map(|a| a.to_string())),
            "vpc_links" => t.vpc_links.get(id).and_then(|v| v.aws_id.clone()),
            "rest_apis" => t.rest_apis.get(id).and_then(|v| v.aws_id.clone()),
            "http_apis" => t.http_apis.get(id).and_then(|v| v.aws_id.clone()),
            _ => None,
        };
        existing.map(Value::String).ok_or_else(|| RenderError {
            message: format!(
                "`{id}` in `{kind}` is neither declared in the template nor an existing resource \
                 with an AWS id, so nothing can refer to it"
            ),
            path: Some(path()),
        })
    }

    /// Adds a resource: `Type`, `DependsOn` (when any), `Metadata`, `Properties`.
    fn add(
        &mut self,
        logical: String,
        type_name: &str,
        depends_on: Vec<String>,
        metadata: Value,
        properties: Map<String, Value>,
    ) {
        let mut r = Map::new();
        r.insert("Type".into(), Value::String(type_name.to_owned()));
        if !depends_on.is_empty() {
            r.insert(
                "DependsOn".into(),
                Value::Array(depends_on.into_iter().map(Value::String).collect()),
            );
        }
        r.insert("Metadata".into(), metadata);
        r.insert("Properties".into(), Value::Object(properties));
        self.resources.insert(logical, Value::Object(r));
    }

    /// The image parameter (declared once, on first use), as a `Ref`.
    fn latest_ami(&mut self) -> Value {
        if !self.parameters.contains_key(AMI_PARAMETER) {
            self.parameters.insert(
                AMI_PARAMETER.into(),
                json!({
                    "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                    "Default": AL2023_SSM_PARAMETER,
                    "Description": "AMI for instances whose topology names no image_id: the latest Amazon Linux 2023 (x86_64)."
                }),
            );
        }
        r#ref(AMI_PARAMETER)
    }

    fn note(&mut self, text: String) {
        self.notes.push(text);
    }

    fn output(&mut self, name: String, description: String, value: Value) {
        self.outputs
            .insert(name, json!({ "Description": description, "Value": value }));
    }

    fn finish(self) -> Value {
        let region = self.t.region.as_str();
        let mut meta = Map::new();
        meta.insert("version".into(), json!(1));
        meta.insert("region".into(), json!(region));
        if let Some(account) = &self.t.account {
            meta.insert("account".into(), json!(account.as_str()));
        }
        if !self.notes.is_empty() {
            meta.insert("notes".into(), json!(self.notes));
        }
        let mut out = Map::new();
        out.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        out.insert(
            "Description".into(),
            json!(format!(
                "Private API path exported by vpclink: API Gateway, VPC link, load balancer, \
                 targets and their network. Deploy in {region}: subnets name its Availability \
                 Zones."
            )),
        );
        out.insert("Metadata".into(), json!({ "vpclink": meta }));
        if !self.parameters.is_empty() {
            out.insert("Parameters".into(), Value::Object(self.parameters));
        }
        out.insert("Resources".into(), Value::Object(self.resources));
        if !self.outputs.is_empty() {
            out.insert("Outputs".into(), Value::Object(self.outputs));
        }
        Value::Object(out)
    }
}

/// Ids of a collection, in id order, that the template declares.
fn declared<T>(map: &crate::model::IdMap<T>, keep: impl Fn(&T) -> bool) -> Vec<&str> {
    map.iter()
        .filter(|(_, v)| keep(v))
        .map(|(id, _)| id.as_str())
        .collect()
}

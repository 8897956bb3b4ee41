//! Terraform export: HCL for the hashicorp/aws provider (v5 or later) that declares every
//! resource of the topology that does not exist yet.
//!
//! Conventions, which a Terraform importer can rely on:
//!
//! - **Names** are snake_case from topology ids (`private-a` → `aws_subnet.private_a`),
//!   unique per resource type; an id that collides with an earlier one (in topology order)
//!   gets eight hex digits hashed from its own kind and id, and one that would start with
//!   a digit gets `id_` in front. Parts append to their owner's name
//!   (`aws_lb_listener.nlb_80`, `aws_api_gateway_method.shop_get_products`).
//! - **Tags.** Every resource that takes tags carries `"vpclink:id" = <topology id>` and
//!   `"vpclink:kind" = <topology collection>`; parts add one key naming the part, as the
//!   CloudFormation export's Metadata does (`"vpclink:listener" = "80"`,
//!   `"vpclink:stage" = "prod"`, `"vpclink:ingress" = "0"`). EC2 resources also get `Name`.
//!   Tags also carry what no argument holds, as the CloudFormation export's Metadata does:
//!   `"vpclink:name"` on a top-level resource the topology names with its own id (the
//!   export writes the id where a name is required, so the name alone could not tell),
//!   `"vpclink:serves"` on instances (compact JSON) and `"vpclink:logging"` on HTTP API
//!   stages. A carried value longer than AWS allows a tag value (256 characters) is left
//!   out, with a comment in the resource saying so.
//! - **Existing resources** (with `aws_id` or `arn`) are not declared; references to them
//!   are the literal id or ARN.
//! - Security-group rules are `aws_vpc_security_group_ingress_rule`/`_egress_rule`
//!   resources, the provider's recommended style. Terraform removes AWS's default allow-all
//!   egress rule from groups it creates, so a group whose topology leaves `egress` out (AWS's
//!   default) gets explicit allow-all egress rules, tagged `"vpclink:egress" = "default"`.

mod alarm;
mod apigw;
mod elb;
mod hcl;
mod network;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use hcl::{Block, Body, Expr};

use super::defaults::AL2023_SSM_PARAMETER;
use super::naming::{short_hash, snake, Names, Style};
use super::RenderError;
use crate::graph::Graph;
use crate::model::{Topology, VpcLinkVersion};
use crate::pointer::JsonPointer;

/// The data source that resolves [`AL2023_SSM_PARAMETER`].
const AMI_DATA_NAME: &str = "al2023_ami";

/// Terraform HCL for `topology`.
pub fn terraform(topology: &Topology) -> Result<String, RenderError> {
    let graph = super::defaults::resolve(topology)?;
    let mut tf = Tf::new(topology, graph);
    tf.allocate_primary_names();
    network::render(&mut tf)?;
    elb::render(&mut tf)?;
    apigw::render(&mut tf)?;
    alarm::render(&mut tf)?;
    Ok(tf.finish())
}

/// The file under construction, and the name of every declared resource.
struct Tf<'t> {
    t: &'t Topology,
    graph: Graph<'t>,
    /// Names taken, per resource type.
    names: HashMap<&'static str, Names>,
    /// collection → topology id → (resource type, name), for declared top-level resources.
    declared: HashMap<&'static str, HashMap<String, (&'static str, String)>>,
    /// (load balancer id, port) → name of each declared `aws_lb_listener`.
    listeners: HashMap<(String, u16), String>,
    blocks: Vec<Block>,
    uses_ami_parameter: bool,
    /// What the configuration cannot say, written as comments at the top.
    notes: Vec<String>,
}

/// The resource type of each collection, in the order resources are declared. VPC links
/// take the V2 type when they are V2 links.
const TYPES: [(&str, &str); 11] = [
    ("vpcs", "aws_vpc"),
    ("subnets", "aws_subnet"),
    ("network_acls", "aws_network_acl"),
    ("security_groups", "aws_security_group"),
    ("instances", "aws_instance"),
    ("target_groups", "aws_lb_target_group"),
    ("load_balancers", "aws_lb"),
    ("vpc_links", "aws_api_gateway_vpc_link"),
    ("rest_apis", "aws_api_gateway_rest_api"),
    ("http_apis", "aws_apigatewayv2_api"),
    ("alarms", "aws_cloudwatch_metric_alarm"),
];

/// A Terraform identifier from topology text.
fn identifier(parts: &[&str]) -> String {
    let s = snake(&parts.join("_"));
    if s.is_empty() {
        format!(
            "id_{}",
            short_hash(&parts.join("\u{0}")).to_ascii_lowercase()
        )
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("id_{s}")
    } else {
        s
    }
}

/// `tags = {...}`: `Name` for EC2 resources, then the vpclink keys.
fn tags(name: Option<&str>, kind: &str, id: &str, part: Option<(&str, String)>) -> Expr {
    let mut entries = Vec::new();
    if let Some(n) = name {
        entries.push(("Name".to_owned(), Expr::str(n)));
    }
    entries.push(("vpclink:id".to_owned(), Expr::str(id)));
    entries.push(("vpclink:kind".to_owned(), Expr::str(kind)));
    if let Some((key, value)) = part {
        entries.push((format!("vpclink:{key}"), Expr::Str(value)));
    }
    Expr::Object(entries)
}

/// The longest tag value AWS accepts, in Unicode characters (AWS tagging restrictions:
/// "Maximum value length – 256 Unicode characters in UTF-8").
const TAG_VALUE_LIMIT: usize = 256;

/// Adds `"vpclink:<key>" = value` to a tags object, for a value no argument holds. A value
/// over [`TAG_VALUE_LIMIT`] is left out and a comment in `body` says so; an import then
/// lacks it.
fn carry(body: &mut Body, tags: &mut Expr, key: &str, value: String) {
    let length = value.chars().count();
    if length > TAG_VALUE_LIMIT {
        body.comment(format!(
            "The tag \"vpclink:{key}\" is left out: its value is {length} characters,"
        ))
        .comment(format!(
            "over AWS's {TAG_VALUE_LIMIT}-character tag value limit; an import will lack it."
        ));
        return;
    }
    if let Expr::Object(entries) = tags {
        entries.push((format!("vpclink:{key}"), Expr::Str(value)));
    }
}

/// Carries `"vpclink:name"` when the topology names a resource with its own id: the export
/// writes the id where it needs a name, so without the tag the import reads no name.
fn carry_name(body: &mut Body, tags: &mut Expr, id: &str, name: Option<&String>) {
    if name.is_some_and(|n| n == id) {
        carry(body, tags, "name", id.to_owned());
    }
}

impl<'t> Tf<'t> {
    fn new(t: &'t Topology, graph: Graph<'t>) -> Self {
        Tf {
            t,
            graph,
            names: HashMap::new(),
            declared: HashMap::new(),
            listeners: HashMap::new(),
            blocks: Vec::new(),
            uses_ami_parameter: false,
            notes: Vec::new(),
        }
    }

    fn allocate_primary_names(&mut self) {
        let t = self.t;
        for (kind, default_type) in TYPES {
            let ids: Vec<(&str, &'static str)> = match kind {
                "vpcs" => declared(&t.vpcs, |v| v.aws_id.is_none(), default_type),
                "subnets" => declared(&t.subnets, |s| s.aws_id.is_none(), default_type),
                "network_acls" => declared(
                    &t.network_acls,
                    |a| a.aws_id.is_none() && !a.default,
                    default_type,
                ),
                "security_groups" => {
                    declared(&t.security_groups, |s| s.aws_id.is_none(), default_type)
                }
                "instances" => declared(&t.instances, |i| i.aws_id.is_none(), default_type),
                "target_groups" => declared(&t.target_groups, |g| g.arn.is_none(), default_type),
                "load_balancers" => declared(&t.load_balancers, |l| l.arn.is_none(), default_type),
                "vpc_links" => t
                    .vpc_links
                    .iter()
                    .filter(|(_, l)| l.aws_id.is_none())
                    .map(|(id, l)| {
                        let ty = match l.version() {
                            VpcLinkVersion::V1 => "aws_api_gateway_vpc_link",
                            VpcLinkVersion::V2 => "aws_apigatewayv2_vpc_link",
                        };
                        (id.as_str(), ty)
                    })
                    .collect(),
                "rest_apis" => declared(&t.rest_apis, |a| a.aws_id.is_none(), default_type),
                "http_apis" => declared(&t.http_apis, |a| a.aws_id.is_none(), default_type),
                _ => declared(&t.alarms, |_| true, default_type),
            };
            for (id, ty) in ids {
                let name = self.name(ty, &[id], &format!("{kind}\u{0}{id}"));
                self.declared
                    .entry(kind)
                    .or_default()
                    .insert(id.to_owned(), (ty, name));
            }
        }
    }

    /// A new name for a resource of type `ty`, unique among that type's names.
    fn name(&mut self, ty: &'static str, parts: &[&str], seed: &str) -> String {
        self.names
            .entry(ty)
            .or_insert_with(|| Names::new(Style::Snake))
            .unique(identifier(parts), seed)
    }

    /// The type and name of a declared top-level resource.
    fn declared(&self, kind: &'static str, id: impl AsRef<str>) -> Option<(&'static str, &str)> {
        self.declared
            .get(kind)
            .and_then(|m| m.get(id.as_ref()))
            .map(|(ty, name)| (*ty, name.as_str()))
    }

    /// The name a part's name starts from: its owner's, or for an existing owner the name
    /// it would have had.
    fn owner_name(&self, kind: &'static str, id: &str) -> String {
        match self.declared(kind, id) {
            Some((_, n)) => n.to_owned(),
            None => identifier(&[id]),
        }
    }

    /// A reference to `attribute` of a resource: `aws_x.name.attribute` when declared here,
    /// the literal id or ARN when it exists already.
    fn reference(
        &self,
        kind: &'static str,
        id: &str,
        attribute: &str,
        path: impl FnOnce() -> JsonPointer,
    ) -> Result<Expr, RenderError> {
        if let Some((ty, name)) = self.declared(kind, id) {
            return Ok(Expr::raw(format!("{ty}.{name}.{attribute}")));
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
        existing.map(Expr::Str).ok_or_else(|| RenderError {
            message: format!(
                "`{id}` in `{kind}` is neither declared in the configuration nor an existing \
                 resource with an AWS id, so nothing can refer to it"
            ),
            path: Some(path()),
        })
    }

    fn note(&mut self, text: String) {
        self.notes.push(text);
    }

    fn resource(&mut self, ty: &str, name: &str, body: Body) {
        self.blocks.push(Block::new("resource", &[ty, name], body));
    }

    /// The AMI of the latest Amazon Linux 2023, through the public SSM parameter.
    fn latest_ami(&mut self) -> Expr {
        self.uses_ami_parameter = true;
        Expr::raw(format!("data.aws_ssm_parameter.{AMI_DATA_NAME}.value"))
    }

    fn finish(self) -> String {
        let mut head = Vec::new();
        let mut aws = Body::new();
        aws.attr(
            "aws",
            Expr::Object(vec![
                ("source".into(), Expr::str("hashicorp/aws")),
                ("version".into(), Expr::str(">= 5.0")),
            ]),
        );
        let mut providers = Body::new();
        providers.block(Block::new("required_providers", &[], aws));
        head.push(Block::new("terraform", &[], providers));
        let mut provider = Body::new();
        provider.attr("region", Expr::str(self.t.region.as_str()));
        head.push(Block::new("provider", &["aws"], provider));
        if self.uses_ami_parameter {
            let mut data = Body::new();
            data.comment("The latest Amazon Linux 2023 AMI, for instances that name no image.")
                .attr("name", Expr::str(AL2023_SSM_PARAMETER));
            head.push(Block::new(
                "data",
                &["aws_ssm_parameter", AMI_DATA_NAME],
                data,
            ));
        }
        head.extend(self.blocks);
        let mut out = String::from(
            "# Private API path exported by vpclink: API Gateway, VPC link, load balancer,\n\
             # targets and their network.\n",
        );
        for n in &self.notes {
            out.push_str("#\n# Note: ");
            out.push_str(&n.replace(['\n', '\r'], " "));
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&hcl::write_file(&head));
        out
    }
}

/// (id, type) of a collection's declared resources, in id order.
fn declared<'a, T>(
    map: &'a crate::model::IdMap<T>,
    keep: impl Fn(&T) -> bool,
    ty: &'static str,
) -> Vec<(&'a str, &'static str)> {
    map.iter()
        .filter(|(_, v)| keep(v))
        .map(|(id, _)| (id.as_str(), ty))
        .collect()
}

//! A [`TfConfig`] into a topology, by way of the CloudFormation importer.
//!
//! Each Terraform resource becomes the CloudFormation resource AWS itself would take for
//! it (`aws_subnet` → `AWS::EC2::Subnet`, `aws_lb_listener` → `…::Listener`), written as
//! the node tree the CloudFormation reader builds from a template, and that reader maps
//! the template. One mapping therefore serves both formats: the placeholders for what
//! lies outside, the unknowns, the carried values and every rule about defaults behave
//! the same for a template and a configuration. Terraform's own shapes are folded in on
//! the way: inline rules and `subnet_ids` become entries and associations, target group
//! attachments become the group's targets, a REST integration joins its method, method
//! settings join their stage.
//!
//! References keep their meaning: a [`TfValue::Ref`] to a translated resource is a `Ref`
//! or `GetAtt` of its logical id (`.id`, `.arn`, `.arn_suffix`, `.dns_name`,
//! `.root_resource_id`; other attributes are inlined when the configuration states them).
//! A reference to anything else (a data source, a variable, a resource outside the
//! model) and every [`TfValue::Unknown`] become a `Ref` to a template parameter without a
//! default, so the CloudFormation reader's placeholders apply; afterwards every unknown,
//! skipped resource, source and error is rewritten back into Terraform terms (`post.rs`).
//!
//! Ids: the `vpclink:id` tag of the vpclink exporter when present, else the resource name
//! with its instance key (`aws_subnet.private[0]` → `private-0`), prefixed with its
//! modules when two collide (`net-this`). Tags `vpclink:<key>` other than `id` and `kind`
//! are carried into `Metadata.vpclink.<key>` the way the CloudFormation export writes
//! them (`ingress`, `egress`, `serves`, `name`, `logging`; JSON text for lists and maps).
//!
//! A string template the HCL reader kept unevaluated because it interpolates resource
//! attributes (`"http://${aws_lb.nlb.dns_name}:8080/x"`) is rebuilt as a `Join`, so a load
//! balancer's DNS name in a URI reads as it does in a template's `!Sub`. Resources whose
//! `id`/`arn` are known (state, or a plan of what exists) keep them as `aws_id`/`arn`.
//!
//! Terraform's egress semantics differ from CloudFormation's: Terraform removes the
//! allow-all egress rule AWS gives a new group, so a group without egress rules has none.
//! The export declares AWS's default as rules tagged `vpclink:egress = default`; a group
//! whose only egress rules are those, unchanged, keeps the model's default egress.

mod alarm;
mod apigw;
mod classify;
mod elb;
pub(super) mod names;
mod network;
mod node;
mod post;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};

use names::{pascal, Address};

use super::ir::{TfConfig, TfValue};
use crate::import::cloudformation::yaml::{Node, Pos};
use crate::import::ImportError;
use crate::model::SkippedResource;
use crate::Topology;

/// The public SSM parameter of the latest Amazon Linux 2023 AMI; the Terraform export
/// reads it through `data.aws_ssm_parameter.al2023_ami` for instances without `image_id`.
const AL2023_PARAMETER: &str =
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
const AL2023_DATA: &str = "data.aws_ssm_parameter.al2023_ami";

/// Translates `config` into a topology. `file` is recorded in `origin.file`.
pub(crate) fn translate(config: &TfConfig, file: Option<&str>) -> Result<Topology, ImportError> {
    let mut tx = Tx::new(config);
    tx.classify();
    tx.assign_ids();
    tx.emit_all();
    let root = tx.template();
    match crate::import::cloudformation::import_tree(&root, None) {
        Ok(topology) => Ok(post::finish(&tx, topology, file)),
        Err(e) => Err(post::error(&tx, e)),
    }
}

/// What becomes of one Terraform resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Role {
    /// Written as this CloudFormation type (its logical id is `Tx::logical[i]`).
    Cfn(&'static str),
    /// Folded into another resource (an attachment into its target group, ...).
    Merged,
    /// Left out, with its entry in `Tx::skipped`.
    Skip,
}

/// A template parameter standing for a value the configuration does not know.
#[derive(Debug, Clone)]
pub(super) struct Param {
    pub logical: String,
    pub expression: String,
    pub reason: String,
    /// An SSM parameter with this default (the latest Amazon Linux 2023 image).
    pub ssm_default: Option<&'static str>,
}

pub(super) struct Tx<'c> {
    pub cfg: &'c TfConfig,
    pub addr: Vec<Option<Address>>,
    index: HashMap<&'c str, usize>,
    /// Instances per address without key (`aws_subnet.private` → `[0]`, `[1]`).
    instances: HashMap<String, Vec<usize>>,
    pub role: Vec<Role>,
    pub logical: Vec<String>,
    pub id: Vec<Option<String>>,
    /// The template's `Resources`, in order.
    pub out: Vec<(String, Node)>,
    /// Logical id of every written resource → the Terraform resource it comes from.
    pub origin_of: HashMap<String, usize>,
    pub params: Vec<Param>,
    param_of: HashMap<String, usize>,
    used: HashSet<String>,
    pub skipped: Vec<SkippedResource>,
    /// (logical id, CloudFormation property) → the Terraform argument it came from.
    pub prop_names: HashMap<(String, String), String>,
    /// Target group → its attachments; method → its integration; stage → its settings.
    pub attachments: BTreeMap<usize, Vec<usize>>,
    pub integration_of: BTreeMap<usize, usize>,
    pub settings_of: BTreeMap<usize, Vec<usize>>,
    /// Security groups whose only egress rules are AWS's default, as exported.
    pub default_egress: HashSet<usize>,
}

impl<'c> Tx<'c> {
    fn new(cfg: &'c TfConfig) -> Tx<'c> {
        let n = cfg.resources.len();
        let mut index = HashMap::new();
        let mut instances: HashMap<String, Vec<usize>> = HashMap::new();
        let mut addr = Vec::with_capacity(n);
        for (i, r) in cfg.resources.iter().enumerate() {
            index.entry(r.address.as_str()).or_insert(i);
            let a = Address::parse(&r.address);
            if let Some(a) = &a {
                instances.entry(a.without_key()).or_default().push(i);
            }
            addr.push(a);
        }
        Tx {
            cfg,
            addr,
            index,
            instances,
            role: vec![Role::Skip; n],
            logical: vec![String::new(); n],
            id: vec![None; n],
            out: Vec::new(),
            origin_of: HashMap::new(),
            params: Vec::new(),
            param_of: HashMap::new(),
            used: HashSet::new(),
            skipped: Vec::new(),
            prop_names: HashMap::new(),
            attachments: BTreeMap::new(),
            integration_of: BTreeMap::new(),
            settings_of: BTreeMap::new(),
            default_egress: HashSet::new(),
        }
    }

    pub fn kind(&self, i: usize) -> &'c str {
        self.cfg
            .resources
            .get(i)
            .map(|r| r.kind.as_str())
            .unwrap_or_default()
    }

    pub fn address(&self, i: usize) -> &'c str {
        self.cfg
            .resources
            .get(i)
            .map(|r| r.address.as_str())
            .unwrap_or_default()
    }

    /// The resource an address names: exactly, or its only instance (`aws_lb.this` for
    /// `aws_lb.this[0]`).
    pub fn resolve(&self, address: &str) -> Option<usize> {
        if let Some(&i) = self.index.get(address) {
            return Some(i);
        }
        match self.instances.get(address).map(Vec::as_slice) {
            Some([only]) => Some(*only),
            _ => None,
        }
    }

    /// The resource a value refers to (a [`TfValue::Ref`] to a resource of the
    /// configuration).
    pub fn target(&self, v: &TfValue) -> Option<usize> {
        match v {
            TfValue::Ref { address, .. } => self.resolve(address),
            _ => None,
        }
    }

    /// An argument of resource `i`; absent, null and empty strings (what state JSON
    /// writes for unset strings) are all `None`.
    pub fn val(&self, i: usize, key: &str) -> Option<&'c TfValue> {
        let v = self.cfg.resources.get(i)?.values.get(key)?;
        present(v)
    }

    /// A nested block given once (`health_check { … }`): its map.
    pub fn block(&self, i: usize, key: &str) -> Option<&'c TfValue> {
        first_block(self.val(i, key)?)
    }

    /// The literal text of a value: a string, number or boolean, or an attribute of
    /// another resource the configuration states literally.
    pub fn literal(&self, v: &TfValue) -> Option<String> {
        self.literal_at(v, 0)
    }

    fn literal_at(&self, v: &TfValue, depth: usize) -> Option<String> {
        match v {
            TfValue::String(s) => Some(s.clone()),
            TfValue::Number(n) => Some(n.to_string()),
            TfValue::Bool(b) => Some(b.to_string()),
            TfValue::Ref { address, attribute } if depth < 8 => {
                let j = self.resolve(address)?;
                let attr = attribute_name(attribute);
                if is_identity(attr) {
                    return None;
                }
                self.literal_at(self.val(j, attr)?, depth + 1)
            }
            _ => None,
        }
    }

    pub fn str_val(&self, i: usize, key: &str) -> Option<String> {
        self.literal(self.val(i, key)?)
    }

    // -----------------------------------------------------------------------------------
    // Values into nodes.

    /// A value as a node of the template; `None` for null.
    pub fn conv(&mut self, v: &TfValue, i: usize) -> Option<Node> {
        self.conv_at(v, i, 0)
    }

    fn conv_at(&mut self, v: &TfValue, i: usize, depth: usize) -> Option<Node> {
        let pos = node::at(i);
        if depth > 48 {
            return Some(self.param(
                "(nested too deeply)",
                "the value nests too deeply to be read",
                pos,
            ));
        }
        Some(match v {
            TfValue::Null => return None,
            TfValue::Bool(b) => node::text(b.to_string(), pos),
            TfValue::Number(n) => node::text(n.to_string(), pos),
            TfValue::String(s) => node::quoted(s.clone(), pos),
            TfValue::List(items) => node::seq(
                items
                    .iter()
                    .filter_map(|x| self.conv_at(x, i, depth + 1))
                    .collect(),
                pos,
            ),
            TfValue::Map(entries) => node::map(
                entries
                    .iter()
                    .filter_map(|(k, x)| self.conv_at(x, i, depth + 1).map(|n| (k.clone(), n)))
                    .collect(),
                pos,
            ),
            TfValue::Ref { address, attribute } => self.ref_node(address, attribute, i, depth),
            TfValue::Unknown { expression, reason } => {
                match self.interpolated(expression, i, depth) {
                    Some(n) => n,
                    None => self.param(expression, reason, pos),
                }
            }
        })
    }

    /// A string template the reader kept unevaluated because it interpolates attributes of
    /// resources (`"http://${aws_lb.nlb.dns_name}:80/x"`): the same text as a `Join`, so
    /// that a load balancer's DNS name reads as the reader of the template reads it.
    /// Anything but plain resource attributes in the interpolations keeps it unknown.
    fn interpolated(&mut self, expression: &str, i: usize, depth: usize) -> Option<Node> {
        let inner = expression.trim().strip_prefix('"')?.strip_suffix('"')?;
        if !inner.contains("${") {
            return None;
        }
        let module = self.addr.get(i)?.as_ref()?.module_prefix();
        let pos = node::at(i);
        let mut parts: Vec<Node> = Vec::new();
        let mut lit = String::new();
        let mut chars = inner.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next()? {
                    'n' => lit.push('\n'),
                    't' => lit.push('\t'),
                    'r' => lit.push('\r'),
                    other => lit.push(other),
                },
                '$' if chars.peek() == Some(&'$') => {
                    chars.next();
                    lit.push('$');
                }
                '%' if chars.peek() == Some(&'{') => return None,
                '$' if chars.peek() == Some(&'{') => {
                    chars.next();
                    let mut inside = String::new();
                    loop {
                        match chars.next()? {
                            '}' => break,
                            ch => inside.push(ch),
                        }
                    }
                    let traversal = inside.trim().trim_matches('~').trim();
                    let ok = !traversal.is_empty()
                        && traversal.chars().all(|ch| {
                            ch.is_ascii_alphanumeric()
                                || matches!(ch, '_' | '-' | '.' | '[' | ']' | '"')
                        });
                    if !ok {
                        return None;
                    }
                    let steps = names::steps(traversal);
                    let first = *steps.first()?;
                    if matches!(
                        first,
                        "var"
                            | "local"
                            | "module"
                            | "count"
                            | "each"
                            | "path"
                            | "self"
                            | "terraform"
                    ) {
                        return None;
                    }
                    let split = if first == "data" { 3 } else { 2 };
                    let address = format!("{module}{}", steps.get(..split)?.join("."));
                    let attribute = steps.get(split..).map(|a| a.join(".")).unwrap_or_default();
                    if attribute.is_empty() {
                        return None;
                    }
                    if !lit.is_empty() {
                        parts.push(node::quoted(std::mem::take(&mut lit), pos));
                    }
                    parts.push(self.ref_node(&address, &attribute, i, depth + 1));
                }
                other => lit.push(other),
            }
        }
        if !lit.is_empty() {
            parts.push(node::quoted(lit, pos));
        }
        Some(node::join(parts, pos))
    }

    /// `address.attribute` as a node: a `Ref`/`GetAtt` of a translated resource, the
    /// literal the configuration states for it, or a parameter.
    fn ref_node(&mut self, address: &str, attribute: &str, i: usize, depth: usize) -> Node {
        let pos = node::at(i);
        let attr = attribute_name(attribute);
        let expression = if attribute.is_empty() {
            address.to_owned()
        } else {
            format!("{address}.{attribute}")
        };
        if address == AL2023_DATA && attr == "value" {
            return self.ssm_param(&expression, pos);
        }
        let Some(j) = self.resolve(address) else {
            let reason = outside_reason(address, attr);
            return self.param(&expression, &reason, pos);
        };
        if !is_identity(attr) {
            if let Some(v) = self.val(j, attr) {
                if let Some(n) = self.conv_at(v, i, depth + 1) {
                    return n;
                }
            }
        }
        let kind = self.kind(j);
        if let Role::Cfn(_) = self.role.get(j).cloned().unwrap_or(Role::Skip) {
            let logical = self.logical.get(j).cloned().unwrap_or_default();
            if let Some(n) = structural(kind, attr, &logical, pos) {
                return n;
            }
            let reason = format!("`{attr}` of `{address}` is known only after apply");
            return self.param(&expression, &reason, pos);
        }
        let reason =
            format!("`{address}` ({kind}) is not modelled; its `{attr}` is known only after apply");
        self.param(&expression, &reason, pos)
    }

    /// A parameter without default standing for `expression`, shared per expression.
    pub fn param(&mut self, expression: &str, reason: &str, pos: Pos) -> Node {
        if let Some(&p) = self.param_of.get(expression) {
            let logical = self
                .params
                .get(p)
                .map(|p| p.logical.clone())
                .unwrap_or_default();
            return node::reference(&logical, pos);
        }
        let base = expression
            .split(" (")
            .next()
            .unwrap_or(expression)
            .to_owned();
        let logical = self.unique(&pascal(&base));
        self.param_of
            .insert(expression.to_owned(), self.params.len());
        self.params.push(Param {
            logical: logical.clone(),
            expression: expression.to_owned(),
            reason: reason.to_owned(),
            ssm_default: None,
        });
        node::reference(&logical, pos)
    }

    fn ssm_param(&mut self, expression: &str, pos: Pos) -> Node {
        let n = self.param(expression, "", pos);
        if let Some(p) = self
            .param_of
            .get(expression)
            .and_then(|&p| self.params.get_mut(p))
        {
            p.ssm_default = Some(AL2023_PARAMETER);
        }
        n
    }

    /// A logical id not used yet.
    pub fn unique(&mut self, base: &str) -> String {
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                base.to_owned()
            } else {
                format!("{base}N{n}")
            };
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    // -----------------------------------------------------------------------------------
    // Writing resources.

    /// Adds resource `logical` of `cfn_type`, from Terraform resource `i`.
    pub fn push(
        &mut self,
        logical: &str,
        cfn_type: &str,
        i: usize,
        props: Props,
        meta: Vec<(String, Node)>,
    ) {
        let pos = node::at(i);
        for (cfn, tf) in props.names {
            self.prop_names.insert((logical.to_owned(), cfn), tf);
        }
        let mut body = vec![("Type".to_owned(), node::text(cfn_type, pos))];
        if !meta.is_empty() {
            body.push((
                "Metadata".to_owned(),
                node::map(vec![("vpclink".to_owned(), node::map(meta, pos))], pos),
            ));
        }
        body.push(("Properties".to_owned(), node::map(props.entries, pos)));
        self.origin_of.insert(logical.to_owned(), i);
        self.out.push((logical.to_owned(), node::map(body, pos)));
    }

    /// Sets CloudFormation property `cfn` from argument `tf` of resource `i`, when present.
    pub fn set(&mut self, props: &mut Props, i: usize, cfn: &str, tf: &str) {
        if let Some(v) = self.val(i, tf) {
            self.set_value(props, i, cfn, tf, v);
        }
    }

    /// Sets `cfn` from a value (of a nested block, say) named `tf` in errors.
    pub fn set_value(&mut self, props: &mut Props, i: usize, cfn: &str, tf: &str, v: &TfValue) {
        if present(v).is_none() {
            return;
        }
        if let Some(n) = self.conv(v, i) {
            props.put(cfn, n);
            props.names.push((cfn.to_owned(), tf.to_owned()));
        }
    }

    /// `Metadata.vpclink` of resource `i`: its topology id (top-level resources) and every
    /// `vpclink:<key>` tag but `id` and `kind`.
    pub fn meta(&self, i: usize) -> Vec<(String, Node)> {
        let pos = node::at(i);
        let mut out = Vec::new();
        if let Some(id) = self.id.get(i).cloned().flatten() {
            out.push(("id".to_owned(), node::quoted(id, pos)));
        }
        let Some(TfValue::Map(tags)) = self.val(i, "tags") else {
            return out;
        };
        for (key, value) in tags {
            let Some(k) = key.strip_prefix("vpclink:") else {
                continue;
            };
            if k == "id" || k == "kind" {
                continue;
            }
            let Some(text) = value.as_str() else { continue };
            let parsed = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .filter(|v| v.is_array() || v.is_object());
            let n = match parsed {
                Some(json) => node::from_json(&json, pos, 0),
                None => node::text(text, pos),
            };
            out.push((k.to_owned(), n));
        }
        out
    }

    /// `Tags: [{Key: Name, Value: …}]` for the EC2 types whose `Name` tag names them.
    pub fn name_tag(&mut self, props: &mut Props, i: usize) {
        let Some(name) = self.val(i, "tags").and_then(|t| t.get("Name")) else {
            return;
        };
        let pos = node::at(i);
        if let Some(v) = self.conv(name, i) {
            let tag = node::map(
                vec![
                    ("Key".to_owned(), node::text("Name", pos)),
                    ("Value".to_owned(), v),
                ],
                pos,
            );
            props.put("Tags", node::seq(vec![tag], pos));
        }
    }

    /// The template: its region, the parameters and the resources.
    fn template(&self) -> Node {
        let pos = Pos::default();
        let mut root = Vec::new();
        let mut meta = Vec::new();
        if let Some(TfValue::String(region)) = &self.cfg.region {
            meta.push(("region".to_owned(), node::text(region.clone(), pos)));
        }
        if let Some(account) = self.account() {
            meta.push(("account".to_owned(), node::quoted(account, pos)));
        }
        if !meta.is_empty() {
            root.push((
                "Metadata".to_owned(),
                node::map(vec![("vpclink".to_owned(), node::map(meta, pos))], pos),
            ));
        }
        if !self.params.is_empty() {
            let params = self
                .params
                .iter()
                .map(|p| {
                    let mut body = Vec::new();
                    match p.ssm_default {
                        Some(default) => {
                            body.push((
                                "Type".to_owned(),
                                node::text("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", pos),
                            ));
                            body.push(("Default".to_owned(), node::text(default, pos)));
                        }
                        None => body.push(("Type".to_owned(), node::text("String", pos))),
                    }
                    (p.logical.clone(), node::map(body, pos))
                })
                .collect();
            root.push(("Parameters".to_owned(), node::map(params, pos)));
        }
        root.push(("Resources".to_owned(), node::map(self.out.clone(), pos)));
        node::map(root, pos)
    }

    /// The account of the translated resources' own ARNs (state, or a plan of what
    /// exists), when they all agree.
    fn account(&self) -> Option<String> {
        let mut found: Option<String> = None;
        for (i, r) in self.cfg.resources.iter().enumerate() {
            if !matches!(self.role.get(i), Some(Role::Cfn(_))) {
                continue;
            }
            let Some(TfValue::String(arn)) = r.values.get("arn") else {
                continue;
            };
            let account = arn.split(':').nth(4).filter(|a| a.len() == 12);
            match (account, &found) {
                (Some(a), None) => found = Some(a.to_owned()),
                (Some(a), Some(f)) if a != f => return None,
                _ => {}
            }
        }
        found
    }

    pub fn skip(&mut self, i: usize, reason: impl Into<String>) {
        if let Some(r) = self.role.get_mut(i) {
            *r = Role::Skip;
        }
        self.skipped.push(SkippedResource {
            name: self.address(i).to_owned(),
            kind: self.kind(i).to_owned(),
            reason: reason.into(),
        });
    }
}

/// CloudFormation properties under construction, with the Terraform argument each came
/// from (for errors).
#[derive(Default)]
pub(super) struct Props {
    pub entries: Vec<(String, Node)>,
    pub names: Vec<(String, String)>,
}

impl Props {
    pub fn put(&mut self, key: &str, value: Node) {
        self.entries.retain(|(k, _)| k != key);
        self.entries.push((key.to_owned(), value));
    }
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }
}

/// `None` for absent values: null and the empty string.
pub(super) fn present(v: &TfValue) -> Option<&TfValue> {
    match v {
        TfValue::Null => None,
        TfValue::String(s) if s.is_empty() => None,
        other => Some(other),
    }
}

/// A nested block's map, whether written as a list of one or as a map.
pub(super) fn first_block(v: &TfValue) -> Option<&TfValue> {
    match v {
        TfValue::List(items) => items.first().and_then(first_block),
        TfValue::Map(_) => Some(v),
        _ => None,
    }
}

/// The attribute's first step: `id` of `id`, `subnet_ids` of `subnet_ids[0]`.
pub(super) fn attribute_name(attribute: &str) -> &str {
    let end = attribute.find(['.', '[']).unwrap_or(attribute.len());
    attribute.get(..end).unwrap_or(attribute)
}

/// Attributes that are the resource's identity (known after apply), never a value the
/// configuration states.
fn is_identity(attr: &str) -> bool {
    matches!(
        attr,
        "id" | "arn"
            | "arn_suffix"
            | "dns_name"
            | "root_resource_id"
            | "execution_arn"
            | "api_endpoint"
            | "zone_id"
    )
}

pub(super) fn is_elb(kind: &str) -> bool {
    matches!(
        kind,
        "aws_lb"
            | "aws_alb"
            | "aws_lb_listener"
            | "aws_alb_listener"
            | "aws_lb_target_group"
            | "aws_alb_target_group"
    )
}

/// The `Ref`/`GetAtt` CloudFormation gives for attribute `attr` of a translated resource.
fn structural(kind: &str, attr: &str, logical: &str, pos: Pos) -> Option<Node> {
    Some(match attr {
        "id" | "" => node::reference(logical, pos),
        "arn" if is_elb(kind) => node::reference(logical, pos),
        "arn" => node::get_att(logical, "Arn", pos),
        "arn_suffix" => match kind {
            "aws_lb" | "aws_alb" => node::get_att(logical, "LoadBalancerFullName", pos),
            "aws_lb_target_group" | "aws_alb_target_group" => {
                node::get_att(logical, "TargetGroupFullName", pos)
            }
            _ => return None,
        },
        "dns_name" => node::get_att(logical, "DNSName", pos),
        "root_resource_id" => node::get_att(logical, "RootResourceId", pos),
        "private_ip" => node::get_att(logical, "PrivateIp", pos),
        "cidr_block" if kind == "aws_vpc" => node::get_att(logical, "CidrBlock", pos),
        "availability_zone" => node::get_att(logical, "AvailabilityZone", pos),
        "api_endpoint" => node::get_att(logical, "ApiEndpoint", pos),
        _ => return None,
    })
}

/// Why a reference to something outside the configuration's resources is unknown.
fn outside_reason(address: &str, attr: &str) -> String {
    if address.starts_with("data.") || address.contains(".data.") {
        format!("read from data source `{address}` when Terraform plans")
    } else if address.starts_with("var.") {
        format!(
            "variable `{}` has no value here",
            address.trim_start_matches("var.")
        )
    } else if address.starts_with("module.") && Address::parse(address).is_none() {
        format!("output `{address}` of a module that is not read")
    } else if attr.is_empty() {
        format!("`{address}` is not a resource of this configuration")
    } else {
        format!("`{address}` is not a resource of this configuration, so its `{attr}` is unknown")
    }
}

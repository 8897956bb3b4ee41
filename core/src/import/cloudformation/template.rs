//! The template's sections (Parameters, Mappings, Conditions, Resources) and the evaluation
//! of intrinsic functions over them, in short form (`!Ref`) and long form (`Ref:`) alike.

use std::collections::BTreeMap;

use super::value::{Part, Unk, Val};
use super::yaml::{Kind, Node, Pos};
use crate::import::ImportError;
use crate::model::SourceFormat;

/// An error at a node of the template.
pub fn error_at(pos: Pos, path: Option<String>, message: impl Into<String>) -> ImportError {
    ImportError {
        format: SourceFormat::Cloudformation,
        message: message.into(),
        path,
        line: Some(pos.line),
        column: Some(pos.column),
    }
}

/// One entry of `Resources`.
#[derive(Debug, Clone)]
pub struct Resource<'t> {
    pub logical: String,
    pub kind: String,
    /// `Properties` (an empty map node when absent).
    pub props: &'t Node,
    /// Where the logical id is written.
    pub pos: Pos,
    pub condition: Option<String>,
    /// `Metadata.vpclink` as the vpclink exporter writes it.
    pub meta_id: Option<String>,
    pub meta_route: Option<String>,
    /// `ingress: i` / `egress: i` of a separate security-group rule: its index in the
    /// group's list.
    pub meta_index: Option<usize>,
    /// The whole `Metadata.vpclink` map, for the values the exporter carries there
    /// because no property holds them (`serves`, `name`, an HTTP API stage's `logging`).
    pub meta: Option<&'t Node>,
}

impl Resource<'_> {
    /// A JSON Pointer into the template, for errors.
    pub fn pointer(&self, prop: &str) -> String {
        let mut p = format!("/Resources/{}/Properties", escape(&self.logical));
        if !prop.is_empty() {
            p.push('/');
            p.push_str(&escape(prop));
        }
        p
    }
}

fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

#[derive(Debug, Clone)]
struct Param<'t> {
    kind: String,
    default: Option<&'t Node>,
}

pub struct Template<'t> {
    pub resources: Vec<Resource<'t>>,
    /// Declarations that are not imported: earlier declarations of a logical id declared
    /// again (id, type), and `Fn::ForEach` loops (key, `Fn::ForEach`).
    pub repeated: Vec<(String, String)>,
    index: BTreeMap<String, usize>,
    params: BTreeMap<String, Param<'t>>,
    mappings: Option<&'t Node>,
    conditions: BTreeMap<String, &'t Node>,
    /// The Region `AWS::Region` evaluates to.
    pub region: String,
    /// Set when the template does not pin its Region and `region` is a guess.
    pub region_guessed: bool,
    /// Resource types the importer maps: `Ref`/`GetAtt` of these stay symbolic, of any other
    /// type they are unknown.
    mapped: fn(&str) -> bool,
    /// The account in the template's `Metadata.vpclink` (what the vpclink exporter writes).
    pub account: Option<String>,
}

static EMPTY: Node = Node {
    kind: Kind::Null,
    tag: None,
    pos: Pos { line: 0, column: 0 },
};

const MAX_DEPTH: usize = 64;

fn shape_error(node: &Node, path: &str, want: &str) -> ImportError {
    error_at(
        node.pos,
        Some(path.to_owned()),
        format!("`{path}` must be {want}, but it is {}", node.shape()),
    )
}

impl<'t> Template<'t> {
    pub fn read(root: &'t Node, mapped: fn(&str) -> bool) -> Result<Template<'t>, ImportError> {
        if !root.is_map() {
            return Err(error_at(
                root.pos,
                None,
                format!(
                    "a CloudFormation template is a map with a `Resources` section, but this is {}",
                    root.shape()
                ),
            ));
        }
        let mut params = BTreeMap::new();
        if let Some(p) = root.get("Parameters") {
            if !p.is_map() && p.kind != Kind::Null {
                return Err(shape_error(p, "/Parameters", "a map"));
            }
            for e in p.entries() {
                let kind = e
                    .value
                    .get("Type")
                    .and_then(Node::as_str)
                    .unwrap_or("String")
                    .to_owned();
                params.insert(
                    e.key.clone(),
                    Param {
                        kind,
                        default: e.value.get("Default"),
                    },
                );
            }
        }
        let mappings = root.get("Mappings");
        let mut conditions = BTreeMap::new();
        if let Some(c) = root.get("Conditions") {
            for e in c.entries() {
                conditions.insert(e.key.clone(), &e.value);
            }
        }

        let res_node = root.get("Resources").ok_or_else(|| {
            error_at(
                root.pos,
                None,
                "the template has no `Resources` section; every CloudFormation template needs one",
            )
        })?;
        if !res_node.is_map() {
            return Err(shape_error(
                res_node,
                "/Resources",
                "a map from logical id to resource",
            ));
        }
        let mut resources: Vec<Resource<'t>> = Vec::new();
        let mut index = BTreeMap::new();
        let mut repeated = Vec::new();
        for e in res_node.entries() {
            // `Fn::ForEach::Name` (AWS::LanguageExtensions) generates resources at deploy.
            if e.key.starts_with("Fn::ForEach") {
                repeated.push((e.key.clone(), "Fn::ForEach".to_owned()));
                continue;
            }
            let at = format!("/Resources/{}", escape(&e.key));
            if !e.value.is_map() {
                return Err(shape_error(
                    &e.value,
                    &at,
                    "a map with `Type` and `Properties`",
                ));
            }
            let kind = match e.value.get("Type") {
                Some(t) => t
                    .as_str()
                    .ok_or_else(|| shape_error(t, &format!("{at}/Type"), "a resource type name"))?
                    .to_owned(),
                None => {
                    return Err(error_at(
                        e.key_pos,
                        Some(at),
                        format!("resource `{}` has no `Type`", e.key),
                    ))
                }
            };
            let props = match e.value.get("Properties") {
                Some(p) if p.is_map() => p,
                Some(p) if p.kind == Kind::Null => &EMPTY,
                Some(p) => return Err(shape_error(p, &format!("{at}/Properties"), "a map")),
                None => &EMPTY,
            };
            let meta = e.value.get("Metadata").and_then(|m| m.get("vpclink"));
            let meta_str = |k: &str| meta.and_then(|m| m.get(k)).and_then(Node::as_str);
            // A repeated logical id: CloudFormation keeps the last declaration.
            if let Some(i) = index.remove(&e.key) {
                if i < resources.len() {
                    let old = resources.remove(i);
                    repeated.push((old.logical, old.kind));
                    for v in index.values_mut() {
                        if *v > i {
                            *v -= 1;
                        }
                    }
                }
            }
            index.insert(e.key.clone(), resources.len());
            resources.push(Resource {
                logical: e.key.clone(),
                kind,
                props,
                pos: e.key_pos,
                condition: e
                    .value
                    .get("Condition")
                    .and_then(Node::as_str)
                    .map(str::to_owned),
                meta_id: meta_str("id").map(str::to_owned),
                meta_route: meta_str("route").map(str::to_owned),
                meta_index: meta_str("ingress")
                    .or_else(|| meta_str("egress"))
                    .and_then(|i| i.parse().ok()),
                meta,
            });
        }

        let mut t = Template {
            resources,
            repeated,
            index,
            params,
            mappings,
            conditions,
            region: "us-east-1".to_owned(),
            region_guessed: true,
            mapped,
            account: None,
        };
        // The exporter records the topology's Region and account in the template's
        // `Metadata.vpclink`; the Region counts only where nothing in the template pins it.
        let meta = root.get("Metadata").and_then(|m| m.get("vpclink"));
        let meta_str = |k: &str| meta.and_then(|m| m.get(k)).and_then(Node::as_str);
        t.account = meta_str("account").map(str::to_owned);
        let meta_region = meta_str("region")
            .and_then(|r| r.parse::<crate::model::Region>().ok())
            .map(|r| r.to_string());
        if let Some(region) = t.pinned_region().or(meta_region) {
            t.region = region;
            t.region_guessed = false;
        }
        Ok(t)
    }

    /// The literal default of parameter `name` when it is read from SSM Parameter Store
    /// (`AWS::SSM::Parameter::Value<…>`): the name of the SSM parameter.
    pub fn ssm_parameter_default(&self, name: &str) -> Option<&str> {
        let p = self.params.get(name)?;
        if !p.kind.starts_with("AWS::SSM::Parameter") {
            return None;
        }
        p.default.and_then(Node::as_str)
    }

    pub fn resource(&self, logical: &str) -> Option<&Resource<'t>> {
        self.index.get(logical).and_then(|&i| self.resources.get(i))
    }

    /// The Region the template itself implies: a literal Availability Zone on a subnet,
    /// else the Region of a literal load balancer ARN (what a V1 link targets).
    fn pinned_region(&self) -> Option<String> {
        for r in &self.resources {
            if r.kind == "AWS::EC2::Subnet" {
                if let Some(az) = r.props.get("AvailabilityZone").and_then(Node::as_str) {
                    if let Ok(az) = az.parse::<crate::model::Az>() {
                        return az.region().map(|r| r.to_string());
                    }
                }
            }
        }
        for r in &self.resources {
            if r.kind == "AWS::ApiGateway::VpcLink" {
                for t in r
                    .props
                    .get("TargetArns")
                    .map(Node::items)
                    .unwrap_or_default()
                {
                    let arn = t.as_str().and_then(|a| a.parse::<crate::model::Arn>().ok());
                    if let Some(region) =
                        arn.and_then(|a| a.region().parse::<crate::model::Region>().ok())
                    {
                        return Some(region.to_string());
                    }
                }
            }
        }
        None
    }

    pub fn eval(&self, node: &Node) -> Result<Val, ImportError> {
        self.eval_at(node, 0)
    }

    fn eval_at(&self, node: &Node, depth: usize) -> Result<Val, ImportError> {
        if depth > MAX_DEPTH {
            return Err(error_at(
                node.pos,
                None,
                "intrinsic functions nest too deeply (or a condition refers to itself)",
            ));
        }
        if let Some(tag) = &node.tag {
            let arg = Node {
                tag: None,
                ..node.clone()
            };
            let name = if tag == "Ref" || tag == "Condition" {
                tag.clone()
            } else {
                format!("Fn::{tag}")
            };
            return self.intrinsic(&name, &arg, node, depth);
        }
        match &node.kind {
            Kind::Null => Ok(Val::Null),
            Kind::Scalar { text, .. } => Ok(literal(text, node)),
            Kind::Seq(items) => {
                let mut out = Vec::new();
                for i in items {
                    let v = self.eval_at(i, depth + 1)?;
                    // `!Ref AWS::NoValue` removes the item.
                    if !v.is_null() {
                        out.push(v);
                    }
                }
                Ok(Val::List(out))
            }
            Kind::Map(entries) => {
                if let [e] = entries.as_slice() {
                    if e.key == "Ref" || e.key.starts_with("Fn::") {
                        return self.intrinsic(&e.key, &e.value, node, depth);
                    }
                }
                let mut out: Vec<(String, Val)> = Vec::new();
                for e in entries {
                    let v = self.eval_at(&e.value, depth + 1)?;
                    // A repeated key: the last one counts.
                    out.retain(|(k, _)| *k != e.key);
                    if !v.is_null() || e.value.kind == Kind::Null {
                        out.push((e.key.clone(), v));
                    }
                }
                Ok(Val::Map(out))
            }
        }
    }

    fn intrinsic(
        &self,
        name: &str,
        arg: &Node,
        whole: &Node,
        depth: usize,
    ) -> Result<Val, ImportError> {
        let d = depth + 1;
        let expr = || render(whole);
        let args = |n: usize| -> Result<&[Node], ImportError> {
            match &arg.kind {
                Kind::Seq(items) if items.len() == n => Ok(items),
                _ => Err(error_at(
                    arg.pos,
                    None,
                    format!(
                        "`{}` takes a list of {n} values, but it is given {}",
                        short(name),
                        arg.shape()
                    ),
                )),
            }
        };
        match name {
            "Ref" => {
                let target = self.eval_at(arg, d)?;
                match target.as_lit() {
                    Some(t) => self.reference(&t, &expr()),
                    None => Ok(Val::Unk(unk(
                        expr(),
                        "the name given to `Ref` is itself computed",
                        None,
                    ))),
                }
            }
            "Fn::GetAtt" => {
                let (logical, attr) = match &arg.kind {
                    Kind::Scalar { text, .. } => match text.split_once('.') {
                        Some((l, a)) => (l.to_owned(), Some(a.to_owned())),
                        None => (text.clone(), None),
                    },
                    Kind::Seq(items) => match items.as_slice() {
                        [l, a] => (
                            self.eval_at(l, d)?.as_lit().unwrap_or_default(),
                            self.eval_at(a, d)?.as_lit(),
                        ),
                        _ => (String::new(), None),
                    },
                    _ => (String::new(), None),
                };
                match attr {
                    Some(attr) if !logical.is_empty() => self.get_att(&logical, &attr, &expr(), d),
                    _ => Err(error_at(
                        arg.pos,
                        None,
                        "`GetAtt` takes `Resource.Attribute` or a list of the resource and the attribute",
                    )),
                }
            }
            "Fn::Sub" => {
                let (text, vars) = match &arg.kind {
                    Kind::Scalar { text, .. } => (text.clone(), None),
                    Kind::Seq(items) => match items.as_slice() {
                        [t, v] => (
                            t.as_str()
                                .ok_or_else(|| {
                                    error_at(t.pos, None, "the first value of `Sub` must be a string")
                                })?
                                .to_owned(),
                            Some(v),
                        ),
                        _ => {
                            return Err(error_at(
                                arg.pos,
                                None,
                                "`Sub` takes a string, or a list of a string and a map of variables",
                            ))
                        }
                    },
                    _ => {
                        return Err(error_at(
                            arg.pos,
                            None,
                            format!("`Sub` takes a string, but it is given {}", arg.shape()),
                        ))
                    }
                };
                self.sub(&text, vars, d)
            }
            "Fn::Join" => {
                let [delim, list] = args(2)? else {
                    return Ok(Val::Null);
                };
                let delim = self.eval_at(delim, d)?.as_lit().unwrap_or_default();
                match self.eval_at(list, d)? {
                    Val::List(items) => {
                        let mut parts = Vec::new();
                        for (i, item) in items.iter().enumerate() {
                            if i > 0 {
                                parts.push(Part::Lit(delim.clone()));
                            }
                            match item.parts() {
                                Some(p) => parts.extend(p),
                                None => {
                                    return Ok(Val::Unk(unk(
                                        expr(),
                                        "`Join` is given an item that is not a string",
                                        None,
                                    )))
                                }
                            }
                        }
                        Ok(Val::text(parts))
                    }
                    Val::Unk(u) => Ok(Val::Unk(Unk {
                        expr: expr(),
                        ..u
                    })),
                    _ => Err(error_at(list.pos, None, "`Join` needs a list to join")),
                }
            }
            "Fn::Select" => {
                let [idx, list] = args(2)? else {
                    return Ok(Val::Null);
                };
                let i = self
                    .eval_at(idx, d)?
                    .as_lit()
                    .and_then(|s| s.trim().parse::<usize>().ok());
                let list = self.eval_at(list, d)?;
                match (i, list) {
                    (Some(i), Val::List(items)) => match items.get(i) {
                        Some(v) => Ok(v.clone()),
                        None => Err(error_at(
                            idx.pos,
                            None,
                            format!(
                                "`Select` picks item {i} of a list of {} items",
                                items.len()
                            ),
                        )),
                    },
                    (Some(i), Val::Unk(u)) => Ok(Val::Unk(Unk {
                        expr: expr(),
                        key: format!("{}[{i}]", u.key),
                        show: format!("{}[{i}]", u.show),
                        index: Some(i),
                        reason: u.reason,
                    })),
                    (_, v) => Ok(Val::Unk(
                        v.first_unknown()
                            .map(|u| Unk {
                                expr: expr(),
                                ..u.clone()
                            })
                            .unwrap_or_else(|| {
                                unk(expr(), "`Select` over a value that is not a list", None)
                            }),
                    )),
                }
            }
            "Fn::Split" => {
                let [delim, s] = args(2)? else {
                    return Ok(Val::Null);
                };
                let delim = self.eval_at(delim, d)?.as_lit().unwrap_or_default();
                let v = self.eval_at(s, d)?;
                match v.as_lit() {
                    Some(text) if !delim.is_empty() => {
                        Ok(Val::List(text.split(delim.as_str()).map(Val::lit).collect()))
                    }
                    _ => Ok(Val::Unk(
                        v.first_unknown()
                            .map(|u| Unk {
                                expr: expr(),
                                ..u.clone()
                            })
                            .unwrap_or_else(|| {
                                unk(expr(), "`Split` of a value known only at deploy time", None)
                            }),
                    )),
                }
            }
            "Fn::If" => {
                let [cond, yes, no] = args(3)? else {
                    return Ok(Val::Null);
                };
                let cname = self.eval_at(cond, d)?.as_lit().unwrap_or_default();
                match self.condition(&cname, d)? {
                    Some(true) => self.eval_at(yes, d),
                    Some(false) => self.eval_at(no, d),
                    None => {
                        let (a, b) = (self.eval_at(yes, d)?, self.eval_at(no, d)?);
                        if a == b {
                            Ok(a)
                        } else {
                            Ok(Val::Unk(unk(
                                expr(),
                                &format!("depends on condition `{cname}`, which cannot be decided offline"),
                                None,
                            )))
                        }
                    }
                }
            }
            "Fn::FindInMap" => {
                let items = arg.items();
                if items.len() < 3 {
                    return Err(error_at(
                        arg.pos,
                        None,
                        "`FindInMap` takes the map name and two keys",
                    ));
                }
                let mut keys = Vec::new();
                for k in items.iter().take(3) {
                    match self.eval_at(k, d)?.as_lit() {
                        Some(s) => keys.push(s),
                        None => {
                            return Ok(Val::Unk(unk(
                                expr(),
                                "a `FindInMap` key is known only at deploy time",
                                None,
                            )))
                        }
                    }
                }
                let found = self
                    .mappings
                    .and_then(|m| keys.iter().try_fold(m, |n, k| n.get(k)));
                match found {
                    Some(n) => self.eval_at(n, d),
                    None => Err(error_at(
                        arg.pos,
                        None,
                        format!("`FindInMap` finds no `{}` in the template's Mappings", keys.join(" / ")),
                    )),
                }
            }
            "Fn::GetAZs" => Ok(Val::Unk(Unk {
                expr: expr(),
                reason: "the Availability Zones of the account are known only at deploy time; placeholder zones differ per index".to_owned(),
                key: "azs".to_owned(),
                show: "AZs".to_owned(),
                index: None,
            })),
            "Fn::ImportValue" => {
                let name = self.eval_at(arg, d)?;
                let shown = name.display().unwrap_or_else(|| render(arg));
                Ok(Val::Unk(Unk {
                    expr: expr(),
                    reason: format!("imported from another stack's export `{shown}`"),
                    key: format!("import:{shown}"),
                    show: format!("ImportValue {shown}"),
                    index: None,
                }))
            }
            "Fn::Base64" => self.eval_at(arg, d),
            "Fn::Cidr" => {
                let [block, count, bits] = args(3)? else {
                    return Ok(Val::Null);
                };
                let vals = (
                    self.eval_at(block, d)?,
                    self.eval_at(count, d)?.as_lit(),
                    self.eval_at(bits, d)?.as_lit(),
                );
                match (vals.0.as_lit(), vals.1, vals.2) {
                    (Some(b), Some(c), Some(h)) => match cidr_split(&b, &c, &h) {
                        Some(list) => Ok(Val::List(list.into_iter().map(Val::lit).collect())),
                        None => Err(error_at(
                            arg.pos,
                            None,
                            format!("`Cidr` cannot split `{b}` into {c} blocks of {h} host bits"),
                        )),
                    },
                    _ => Ok(Val::Unk(
                        vals.0
                            .first_unknown()
                            .map(|u| Unk {
                                expr: expr(),
                                ..u.clone()
                            })
                            .unwrap_or_else(|| unk(expr(), "`Cidr` of a value known only at deploy time", None)),
                    )),
                }
            }
            "Fn::Equals" | "Fn::Not" | "Fn::And" | "Fn::Or" | "Condition" => {
                match self.cond_node(name, arg, d)? {
                    Some(b) => Ok(Val::lit(if b { "true" } else { "false" })),
                    None => Ok(Val::Unk(unk(expr(), "a condition that cannot be decided offline", None))),
                }
            }
            "Fn::Transform" => {
                let name = arg.get("Name").and_then(Node::as_str).unwrap_or_default();
                let location = arg
                    .get("Parameters")
                    .and_then(|p| p.get("Location"))
                    .map(render)
                    .unwrap_or_default();
                let reason = if name == "AWS::Include" {
                    format!("included from `{location}` by AWS::Include at deploy time")
                } else {
                    format!("produced by the `{name}` macro at deploy time")
                };
                Ok(Val::Unk(unk(expr(), &reason, None)))
            }
            other => Ok(Val::Unk(unk(
                expr(),
                &format!("`{}` is evaluated by CloudFormation at deploy time", short(other)),
                None,
            ))),
        }
    }

    /// `Ref name`: a parameter, a pseudo parameter or a resource.
    fn reference(&self, name: &str, expr: &str) -> Result<Val, ImportError> {
        match name {
            "AWS::Region" => return Ok(Val::lit(self.region.clone())),
            "AWS::Partition" => return Ok(Val::lit("aws")),
            "AWS::URLSuffix" => return Ok(Val::lit("amazonaws.com")),
            "AWS::NoValue" => return Ok(Val::Null),
            _ if name.starts_with("AWS::") => {
                return Ok(Val::Unk(Unk {
                    expr: expr.to_owned(),
                    reason: format!("pseudo parameter `{name}` is known only at deploy time"),
                    key: format!("pseudo:{name}"),
                    show: name.to_owned(),
                    index: None,
                }))
            }
            _ => {}
        }
        if let Some(p) = self.params.get(name) {
            let unknown = |reason: String| Unk {
                expr: expr.to_owned(),
                reason,
                key: format!("param:{name}"),
                show: name.to_owned(),
                index: None,
            };
            if p.kind.starts_with("AWS::SSM::Parameter") {
                return Ok(Val::Unk(unknown(format!(
                    "parameter `{name}` is read from SSM Parameter Store at deploy time"
                ))));
            }
            let Some(default) = p.default else {
                return Ok(Val::Unk(unknown(format!(
                    "parameter `{name}` has no default"
                ))));
            };
            let v = self.eval(default)?;
            let is_list = p.kind.starts_with("List<") || p.kind == "CommaDelimitedList";
            return Ok(match (is_list, v.as_lit()) {
                (true, Some(text)) if text.trim().is_empty() => Val::List(Vec::new()),
                (true, Some(text)) => {
                    Val::List(text.split(',').map(|s| Val::lit(s.trim())).collect())
                }
                _ => v,
            });
        }
        if let Some(r) = self.resource(name) {
            if (self.mapped)(&r.kind) {
                return Ok(Val::Text(vec![Part::Res {
                    logical: name.to_owned(),
                    attr: None,
                }]));
            }
            return Ok(Val::Unk(Unk {
                expr: expr.to_owned(),
                reason: format!("`{name}` is of type `{}`, which is not modelled; its id is known only after deploy", r.kind),
                key: format!("res:{name}"),
                show: name.to_owned(),
                index: None,
            }));
        }
        Ok(Val::Unk(unk(
            expr.to_owned(),
            &format!("`{name}` is neither a parameter nor a resource of this template"),
            Some(format!("ref:{name}")),
        )))
    }

    fn get_att(
        &self,
        logical: &str,
        attr: &str,
        expr: &str,
        depth: usize,
    ) -> Result<Val, ImportError> {
        let Some(r) = self.resource(logical) else {
            return Ok(Val::Unk(unk(
                expr.to_owned(),
                &format!("`{logical}` is not a resource of this template"),
                Some(format!("ref:{logical}")),
            )));
        };
        // Attributes that are only template data: evaluate them.
        let data = match (r.kind.as_str(), attr) {
            ("AWS::EC2::VPC", "CidrBlock") => Some("CidrBlock"),
            ("AWS::EC2::Subnet", "AvailabilityZone") => Some("AvailabilityZone"),
            ("AWS::EC2::Subnet", "VpcId") => Some("VpcId"),
            ("AWS::EC2::SecurityGroup", "VpcId") => Some("VpcId"),
            ("AWS::EC2::Instance", "PrivateIp") => {
                r.props.get("PrivateIpAddress").map(|_| "PrivateIpAddress")
            }
            _ => None,
        };
        if let Some(prop) = data {
            if let Some(n) = r.props.get(prop) {
                return self.eval_at(n, depth);
            }
        }
        if (self.mapped)(&r.kind) && !attr.starts_with("Outputs.") {
            return Ok(Val::Text(vec![Part::Res {
                logical: logical.to_owned(),
                attr: Some(attr.to_owned()),
            }]));
        }
        Ok(Val::Unk(Unk {
            expr: expr.to_owned(),
            reason: format!(
                "attribute `{attr}` of `{logical}` ({}, not modelled) is known only after deploy",
                r.kind
            ),
            key: format!("att:{logical}.{attr}"),
            show: format!("{logical}.{attr}"),
            index: None,
        }))
    }

    fn sub(&self, text: &str, vars: Option<&Node>, depth: usize) -> Result<Val, ImportError> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            parts.push(Part::Lit(rest[..start].to_owned()));
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                parts.push(Part::Lit(rest[start..].to_owned()));
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(lit) = name.strip_prefix('!') {
                parts.push(Part::Lit(format!("${{{lit}}}")));
                continue;
            }
            let name = name.trim();
            let expr = format!("${{{name}}}");
            let v = if let Some(n) = vars.and_then(|v| v.get(name)) {
                self.eval_at(n, depth)?
            } else if self.params.contains_key(name)
                || self.resource(name).is_some()
                || name.starts_with("AWS::")
            {
                self.reference(name, &expr)?
            } else if let Some((l, a)) = name.split_once('.') {
                if self.resource(l).is_some() {
                    self.get_att(l, a, &expr, depth)?
                } else {
                    // Not CloudFormation's: API Gateway templates such as
                    // `${stageVariables.host}` pass through as written.
                    Val::lit(expr.clone())
                }
            } else {
                self.reference(name, &expr)?
            };
            match v.parts() {
                Some(p) => parts.extend(p),
                None => parts.push(Part::Unk(unk(
                    expr,
                    "a `Sub` variable that is not a string",
                    None,
                ))),
            }
        }
        parts.push(Part::Lit(rest.to_owned()));
        Ok(Val::text(parts))
    }

    /// Whether condition `name` holds; `None` when it depends on unknown values.
    pub fn condition(&self, name: &str, depth: usize) -> Result<Option<bool>, ImportError> {
        match self.conditions.get(name) {
            Some(node) => self.cond_value(node, depth + 1),
            None => Ok(None),
        }
    }

    fn cond_value(&self, node: &Node, depth: usize) -> Result<Option<bool>, ImportError> {
        if depth > MAX_DEPTH {
            return Err(error_at(
                node.pos,
                None,
                "conditions nest too deeply (or a condition refers to itself)",
            ));
        }
        if let Some(tag) = &node.tag {
            let arg = Node {
                tag: None,
                ..node.clone()
            };
            let name = if tag == "Condition" {
                tag.clone()
            } else {
                format!("Fn::{tag}")
            };
            return self.cond_node(&name, &arg, depth);
        }
        if let [e] = node.entries() {
            return self.cond_node(&e.key, &e.value, depth);
        }
        Ok(self
            .eval_at(node, depth)?
            .as_lit()
            .and_then(|s| match s.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            }))
    }

    fn cond_node(&self, name: &str, arg: &Node, depth: usize) -> Result<Option<bool>, ImportError> {
        let d = depth + 1;
        match name {
            "Condition" => {
                let n = arg.as_str().unwrap_or_default();
                self.condition(n, d)
            }
            "Fn::Equals" => match arg.items() {
                [a, b] => {
                    let (a, b) = (self.eval_at(a, d)?, self.eval_at(b, d)?);
                    Ok(match (a.as_lit(), b.as_lit()) {
                        (Some(a), Some(b)) => Some(a == b),
                        _ => None,
                    })
                }
                _ => Err(error_at(
                    arg.pos,
                    None,
                    "`Equals` compares a list of two values",
                )),
            },
            "Fn::Not" => match arg.items() {
                [c] => Ok(self.cond_value(c, d)?.map(|b| !b)),
                _ => Err(error_at(
                    arg.pos,
                    None,
                    "`Not` takes a list of one condition",
                )),
            },
            "Fn::And" | "Fn::Or" => {
                let and = name == "Fn::And";
                let mut unknown = false;
                for c in arg.items() {
                    match self.cond_value(c, d)? {
                        Some(b) if b != and => return Ok(Some(b)),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                Ok(if unknown { None } else { Some(and) })
            }
            _ => self.cond_value(arg, d),
        }
    }
}

fn unk(expr: String, reason: &str, key: Option<String>) -> Unk {
    let key = key.unwrap_or_else(|| format!("expr:{expr}"));
    Unk {
        show: expr.clone(),
        expr,
        reason: reason.to_owned(),
        key,
        index: None,
    }
}

/// A literal scalar; a dynamic reference (`{{resolve:ssm:…}}`) is resolved at deploy time.
fn literal(text: &str, node: &Node) -> Val {
    if text.contains("{{resolve:") {
        return Val::Unk(unk(
            render(node),
            "a dynamic reference, resolved at deploy time",
            None,
        ));
    }
    Val::lit(text)
}

fn short(name: &str) -> &str {
    name.strip_prefix("Fn::").unwrap_or(name)
}

/// `count` blocks of `host_bits` host bits carved from `block`, as `Fn::Cidr` does.
fn cidr_split(block: &str, count: &str, host_bits: &str) -> Option<Vec<String>> {
    let net: ipnet::IpNet = block.trim().parse().ok()?;
    let count: usize = count.trim().parse().ok()?;
    let bits: u8 = host_bits.trim().parse().ok()?;
    let prefix = net.max_prefix_len().checked_sub(bits)?;
    if prefix < net.prefix_len() || count == 0 || count > 256 {
        return None;
    }
    let subnets = net.trunc().subnets(prefix).ok()?;
    let out: Vec<String> = subnets.take(count).map(|s| s.to_string()).collect();
    (out.len() == count).then_some(out)
}

/// A node as it would be written in short form, for `UnknownValue.expression`.
pub fn render(node: &Node) -> String {
    let mut s = String::new();
    write_node(node, &mut s, 0);
    if s.len() > 200 {
        let cut = (0..=197)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        s.truncate(cut);
        s.push('…');
    }
    s
}

fn write_node(node: &Node, out: &mut String, depth: usize) {
    if depth > 16 {
        out.push('…');
        return;
    }
    if let Some(tag) = &node.tag {
        out.push('!');
        out.push_str(tag);
        out.push(' ');
    }
    match &node.kind {
        Kind::Null => out.push_str("null"),
        Kind::Scalar { text, .. } if text.is_empty() => out.push_str("''"),
        Kind::Scalar { text, .. } => out.push_str(text),
        Kind::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_node(item, out, depth + 1);
            }
            out.push(']');
        }
        Kind::Map(entries) => {
            if let [e] = entries.as_slice() {
                if e.key == "Ref" || e.key.starts_with("Fn::") || e.key == "Condition" {
                    out.push('!');
                    out.push_str(short(&e.key));
                    out.push(' ');
                    write_node(&e.value, out, depth + 1);
                    return;
                }
            }
            out.push('{');
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&e.key);
                out.push_str(": ");
                write_node(&e.value, out, depth + 1);
            }
            out.push('}');
        }
    }
}

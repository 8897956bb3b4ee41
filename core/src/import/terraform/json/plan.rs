//! A saved plan: `planned_values` with `after_unknown`, read against `configuration`.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use super::state::{drop_inline_duplicates, link_by_value};
use super::{instances, resource, value, Instance};
use crate::import::terraform::ir::{TfConfig, TfValue};
use crate::import::terraform::translate::names::{key_text, split_key, steps, Address};
use crate::import::ImportError;

/// Arguments that hold lists of ids: a whole unknown one is a list of references.
const LIST_ATTRS: &[&str] = &[
    "subnets",
    "security_groups",
    "vpc_security_group_ids",
    "subnet_ids",
    "security_group_ids",
    "target_arns",
    "target_group_arns",
];

/// Attributes a reference may stand for by itself: identities. `"http://${aws_lb.x.dns_name}"`
/// references `dns_name` but is not it, so other attributes stay unknown.
const REF_ATTRS: &[&str] = &["id", "arn", "arn_suffix", "root_resource_id"];

type Scope = Vec<(String, Option<String>)>;

/// Where a value is read: the instance, its module scope and its own instance key.
struct Ctx<'a> {
    address: &'a str,
    scope: Scope,
    key: Option<String>,
}

struct Plan<'d> {
    config: Option<&'d Value>,
    variables: Option<&'d Value>,
    /// Instances per address without key, in document order.
    by_base: HashMap<String, Vec<String>>,
}

pub(super) fn read(doc: &Value) -> Result<TfConfig, ImportError> {
    let mut list: Vec<Instance<'_>> = Vec::new();
    if let Some(root) = doc.get("planned_values").and_then(|p| p.get("root_module")) {
        instances(root, "/planned_values/root_module", &mut list, 0)?;
    }
    let mut unknown: HashMap<&str, &Value> = HashMap::new();
    if let Some(changes) = doc.get("resource_changes").and_then(Value::as_array) {
        for c in changes {
            if c.get("deposed").is_some() || c.get("mode").and_then(Value::as_str) == Some("data") {
                continue;
            }
            if let (Some(a), Some(u)) = (
                c.get("address").and_then(Value::as_str),
                c.get("change").and_then(|ch| ch.get("after_unknown")),
            ) {
                unknown.insert(a, u);
            }
        }
    }
    let mut by_base: HashMap<String, Vec<String>> = HashMap::new();
    for i in &list {
        if let Some(a) = Address::parse(&i.address) {
            by_base
                .entry(a.without_key())
                .or_default()
                .push(i.address.clone());
        }
    }
    let plan = Plan {
        config: doc.get("configuration").and_then(|c| c.get("root_module")),
        variables: doc.get("variables"),
        by_base,
    };
    let mut resources = Vec::new();
    let mut configured: HashSet<(usize, String)> = HashSet::new();
    for (n, inst) in list.iter().enumerate() {
        let addr = Address::parse(&inst.address);
        let conf = addr.as_ref().and_then(|a| plan.resource_config(a));
        let exprs = conf.map(|c| c.get("expressions").unwrap_or(&Value::Null));
        if let Some(Value::Object(e)) = exprs {
            configured.extend(e.keys().map(|k| (n, k.clone())));
        }
        let ctx = Ctx {
            address: &inst.address,
            scope: addr.as_ref().map(|a| a.modules.clone()).unwrap_or_default(),
            key: addr.and_then(|a| a.key),
        };
        let values = plan.object(
            Some(inst.values),
            unknown.get(inst.address.as_str()).copied(),
            exprs,
            exprs.is_some(),
            &ctx,
            "",
        );
        resources.push(resource(inst.address.clone(), inst.kind.clone(), values));
    }
    link_by_value(&mut resources);
    drop_inline_duplicates(&mut resources, &|i, attr| {
        !configured.contains(&(i, attr.to_owned()))
    });
    Ok(TfConfig {
        resources,
        region: plan.region(doc),
        skipped: Vec::new(),
    })
}

/// Whether an object of the configuration is an expression (`constant_value`,
/// `references`) rather than the expressions of a nested block.
fn is_expression(e: &Value) -> bool {
    match e {
        Value::Object(m) => m.keys().all(|k| k == "constant_value" || k == "references"),
        _ => false,
    }
}

/// The block expressions for item `j` of a nested block list.
fn block_for(e: Option<&Value>, j: usize) -> Option<&Value> {
    match e? {
        Value::Array(blocks) => blocks.get(j).or_else(|| blocks.first()),
        obj @ Value::Object(_) if !is_expression(obj) => Some(obj),
        _ => None,
    }
}

fn is_block(e: Option<&Value>) -> bool {
    match e {
        Some(Value::Array(items)) => items.iter().all(Value::is_object),
        Some(obj @ Value::Object(_)) => !is_expression(obj),
        _ => false,
    }
}

fn has_unknown(u: Option<&Value>) -> bool {
    match u {
        Some(Value::Bool(true)) => true,
        Some(Value::Array(items)) => items.iter().any(|x| has_unknown(Some(x))),
        Some(Value::Object(m)) => m.values().any(|x| has_unknown(Some(x))),
        _ => false,
    }
}

/// The references an expression names, without the prefixes Terraform repeats
/// (`aws_vpc.main.id` and `aws_vpc.main` → `aws_vpc.main.id`).
fn leaves(e: Option<&Value>) -> Vec<String> {
    let refs: Vec<&str> = e
        .and_then(|e| e.get("references"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    refs.iter()
        .filter(|r| {
            !refs.iter().any(|o| {
                o.len() > r.len()
                    && o.starts_with(**r)
                    && matches!(o.as_bytes().get(r.len()), Some(b'.' | b'['))
            })
        })
        .map(|r| (*r).to_owned())
        .collect()
}

fn prefix(scope: &[(String, Option<String>)]) -> String {
    let mut s = String::new();
    for (name, key) in scope {
        s.push_str("module.");
        s.push_str(name);
        if let Some(k) = key {
            s.push_str(&key_text(k));
        }
        s.push('.');
    }
    s
}

impl<'d> Plan<'d> {
    /// The configuration of module `scope` (instance keys ignored).
    fn module(&self, scope: &[(String, Option<String>)]) -> Option<&'d Value> {
        let mut m = self.config?;
        for (name, _) in scope {
            m = m.get("module_calls")?.get(name)?.get("module")?;
        }
        Some(m)
    }

    fn resource_config(&self, a: &Address) -> Option<&'d Value> {
        let local = format!("{}.{}", a.kind, a.name);
        self.module(&a.modules)?
            .get("resources")?
            .as_array()?
            .iter()
            .find(|r| {
                r.get("mode").and_then(Value::as_str) != Some("data")
                    && r.get("address")
                        .and_then(Value::as_str)
                        .is_some_and(|x| x == local || x.ends_with(&format!(".{local}")))
            })
    }

    /// The arguments of a block (the resource, or a nested block): what the configuration
    /// states (`filter`), known values as they are, unknown ones as references or unknowns.
    fn object(
        &self,
        v: Option<&Map<String, Value>>,
        u: Option<&Value>,
        e: Option<&Value>,
        filter: bool,
        ctx: &Ctx<'_>,
        path: &str,
    ) -> BTreeMap<String, TfValue> {
        let mut keys: Vec<&String> = v.map(|m| m.keys().collect()).unwrap_or_default();
        if let Some(Value::Object(um)) = u {
            for k in um.keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        let mut out = BTreeMap::new();
        for k in keys {
            let vk = v.and_then(|m| m.get(k));
            let uk = u.and_then(|u| u.get(k));
            let ek = e.and_then(|e| e.get(k));
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if filter && ek.is_none() {
                // Not in the configuration: filled in by the provider — unless it is a
                // known block, which `dynamic` blocks (absent from the configuration
                // representation) produce.
                let dynamic = matches!(vk, Some(Value::Array(items))
                    if !items.is_empty() && items.iter().all(Value::is_object))
                    && !has_unknown(uk);
                if dynamic {
                    if let Some(x) = vk {
                        out.insert(k.clone(), value(x));
                    }
                }
                continue;
            }
            if let Some(x) = self.convert(vk, uk, ek, ctx, &here) {
                out.insert(k.clone(), x);
            }
        }
        out
    }

    fn convert(
        &self,
        v: Option<&Value>,
        u: Option<&Value>,
        e: Option<&Value>,
        ctx: &Ctx<'_>,
        path: &str,
    ) -> Option<TfValue> {
        if u == Some(&Value::Bool(true)) {
            return Some(self.unknown_whole(e, ctx, path));
        }
        let u_items = u.and_then(Value::as_array);
        match v {
            Some(Value::Array(_)) | None | Some(Value::Null)
                if u_items.is_some() || matches!(v, Some(Value::Array(_))) =>
            {
                let items = v.and_then(Value::as_array);
                let n = items.map_or(0, Vec::len).max(u_items.map_or(0, Vec::len));
                let mut out = Vec::with_capacity(n);
                let mut pending = Vec::new();
                for j in 0..n {
                    let vj = items.and_then(|a| a.get(j));
                    let uj = u_items.and_then(|a| a.get(j));
                    if uj == Some(&Value::Bool(true)) {
                        pending.push(j);
                        out.push(TfValue::Null);
                        continue;
                    }
                    let here = format!("{path}[{j}]");
                    let x = match vj {
                        Some(Value::Object(m)) if is_block(e) => TfValue::Map(self.object(
                            Some(m),
                            uj,
                            block_for(e, j),
                            true,
                            ctx,
                            &here,
                        )),
                        Some(Value::Object(m)) => {
                            TfValue::Map(self.object(Some(m), uj, None, false, ctx, &here))
                        }
                        other => self
                            .convert(other, uj, e.filter(|e| is_expression(e)), ctx, &here)
                            .unwrap_or(TfValue::Null),
                    };
                    out.push(x);
                }
                if !pending.is_empty() {
                    let refs = self.refs_for(e, ctx);
                    let fill = |k: usize| -> TfValue {
                        if refs.len() == pending.len() {
                            if let Some(r) = refs.get(k) {
                                return r.clone();
                            }
                        }
                        self.unknown_value(e, ctx, path)
                    };
                    for (k, &j) in pending.iter().enumerate() {
                        if let Some(slot) = out.get_mut(j) {
                            *slot = fill(k);
                        }
                    }
                }
                Some(TfValue::List(out))
            }
            Some(Value::Object(m)) if is_block(e) => {
                Some(TfValue::Map(self.object(Some(m), u, e, true, ctx, path)))
            }
            Some(Value::Object(m)) => {
                // A map argument (`tags`, `dimensions`, `variables`).
                let mut out = BTreeMap::new();
                let mut pending = Vec::new();
                let mut keys: Vec<&String> = m.keys().collect();
                if let Some(Value::Object(um)) = u {
                    keys.extend(um.keys().filter(|k| !m.contains_key(*k)));
                }
                for k in keys {
                    let uk = u.and_then(|u| u.get(k));
                    if uk == Some(&Value::Bool(true)) {
                        pending.push(k.clone());
                        continue;
                    }
                    if let Some(x) = self.convert(m.get(k), uk, None, ctx, path) {
                        out.insert(k.clone(), x);
                    }
                }
                if !pending.is_empty() {
                    let refs = self.refs_for(e, ctx);
                    for k in pending {
                        let x = by_key(&k, &refs)
                            .unwrap_or_else(|| self.unknown_value(e, ctx, &format!("{path}.{k}")));
                        out.insert(k, x);
                    }
                }
                Some(TfValue::Map(out))
            }
            Some(Value::Null) | None => None,
            Some(scalar) => Some(value(scalar)),
        }
    }

    /// A whole value known only after apply: the references it is, when its expression
    /// names nothing else.
    fn unknown_whole(&self, e: Option<&Value>, ctx: &Ctx<'_>, path: &str) -> TfValue {
        let refs = self.refs_for(e, ctx);
        let attr = path.rsplit('.').next().unwrap_or(path);
        if LIST_ATTRS.contains(&attr) && !refs.is_empty() {
            return TfValue::List(refs);
        }
        match refs.as_slice() {
            [one] => one.clone(),
            _ => self.unknown_value(e, ctx, path),
        }
    }

    fn unknown_value(&self, e: Option<&Value>, ctx: &Ctx<'_>, path: &str) -> TfValue {
        let named = leaves(e);
        let what = if named.is_empty() {
            format!("{}.{path}", ctx.address)
        } else {
            named.join(", ")
        };
        TfValue::Unknown {
            expression: format!("{what} (known after apply)"),
            reason: "known only after apply".to_owned(),
        }
    }

    /// The references an expression is, when each of its references is an identity of a
    /// resource (splats expanded to every instance); empty when any part is something else.
    fn refs_for(&self, e: Option<&Value>, ctx: &Ctx<'_>) -> Vec<TfValue> {
        let all = e
            .and_then(|e| e.get("references"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>())
            .unwrap_or_default();
        let indexed = all
            .iter()
            .any(|r| r.starts_with("count.") || r.starts_with("each."));
        let mut out = Vec::new();
        for leaf in leaves(e) {
            if leaf.starts_with("count.") || leaf.starts_with("each.") {
                continue;
            }
            let Some(found) = self.resolve(&leaf, &ctx.scope, ctx.key.as_deref(), indexed, 0)
            else {
                return Vec::new();
            };
            for (address, mut attribute) in found {
                // A whole resource in a value is a splat (`aws_subnet.private[*].id`):
                // its id, which is the ARN for load balancers and target groups.
                if attribute.is_empty() {
                    attribute = "id".to_owned();
                }
                if !REF_ATTRS.contains(&attribute.as_str()) {
                    return Vec::new();
                }
                out.push(TfValue::Ref { address, attribute });
            }
        }
        out
    }

    /// A reference of module `scope` as full addresses and attributes; `None` when it is
    /// not a resource's (a local, a root variable).
    fn resolve(
        &self,
        leaf: &str,
        scope: &[(String, Option<String>)],
        key: Option<&str>,
        indexed: bool,
        depth: usize,
    ) -> Option<Vec<(String, String)>> {
        if depth > 16 {
            return None;
        }
        let parts = steps(leaf);
        let first = *parts.first()?;
        let attr = |k: usize| parts.get(k).map(|s| split_key(s).0).unwrap_or_default();
        match first {
            "var" => {
                let (name, _) = split_key(parts.get(1)?);
                let (call, call_key) = scope.last()?;
                let parent = scope.get(..scope.len().saturating_sub(1))?;
                let input = self
                    .module(parent)?
                    .get("module_calls")?
                    .get(call)?
                    .get("expressions")?
                    .get(&name);
                self.resolve_all(input, parent, call_key.as_deref(), depth)
            }
            "module" => {
                let (call, call_key) = split_key(parts.get(1)?);
                let output = parts.get(2)?;
                let mut child: Scope = scope.to_vec();
                child.push((call, call_key));
                let expr = self
                    .module(&child)?
                    .get("outputs")?
                    .get(*output)?
                    .get("expression");
                self.resolve_all(expr, &child, None, depth)
            }
            "data" => {
                let kind = parts.get(1)?;
                let (name, k) = split_key(parts.get(2)?);
                let mut address = format!("{}data.{kind}.{name}", prefix(scope));
                if let Some(k) = k {
                    address.push_str(&key_text(&k));
                }
                Some(vec![(address, attr(3))])
            }
            "local" | "count" | "each" | "path" | "terraform" | "self" => None,
            kind => {
                let (name, k) = split_key(parts.get(1)?);
                let base = format!("{}{kind}.{name}", prefix(scope));
                let attribute = attr(2);
                if let Some(k) = k {
                    return Some(vec![(format!("{base}{}", key_text(&k)), attribute)]);
                }
                let all = self.by_base.get(&base).cloned().unwrap_or_default();
                let chosen: Vec<String> = match (all.as_slice(), indexed, key) {
                    ([], _, _) => vec![base],
                    ([one], _, _) => vec![one.clone()],
                    (_, true, Some(k)) => {
                        let mine = format!("{base}{}", key_text(k));
                        all.iter().filter(|a| **a == mine).cloned().collect()
                    }
                    _ => all,
                };
                Some(chosen.into_iter().map(|a| (a, attribute.clone())).collect())
            }
        }
    }

    fn resolve_all(
        &self,
        e: Option<&Value>,
        scope: &[(String, Option<String>)],
        key: Option<&str>,
        depth: usize,
    ) -> Option<Vec<(String, String)>> {
        let all = e
            .and_then(|e| e.get("references"))
            .and_then(Value::as_array)?;
        let indexed = all
            .iter()
            .filter_map(Value::as_str)
            .any(|r| r.starts_with("count.") || r.starts_with("each."));
        let mut out = Vec::new();
        for leaf in leaves(e) {
            if leaf.starts_with("count.") || leaf.starts_with("each.") {
                continue;
            }
            out.extend(self.resolve(&leaf, scope, key, indexed, depth + 1)?);
        }
        (!out.is_empty()).then_some(out)
    }

    /// The default aws provider's `region`: a constant, or a root variable's value.
    fn region(&self, doc: &Value) -> Option<TfValue> {
        let providers = doc
            .get("configuration")?
            .get("provider_config")?
            .as_object()?;
        let aws = providers.iter().map(|(_, p)| p).find(|p| {
            p.get("name").and_then(Value::as_str) == Some("aws")
                && p.get("alias").is_none()
                && p.get("module_address").is_none()
        })?;
        let e = aws.get("expressions")?.get("region")?;
        if let Some(c) = e.get("constant_value") {
            return Some(value(c));
        }
        let named = leaves(Some(e));
        if let [only] = named.as_slice() {
            if let Some(var) = only.strip_prefix("var.") {
                if let Some(v) = self
                    .variables
                    .and_then(|vars| vars.get(var))
                    .and_then(|v| v.get("value"))
                {
                    return Some(value(v));
                }
            }
        }
        Some(TfValue::Unknown {
            expression: if named.is_empty() {
                "provider \"aws\" region".to_owned()
            } else {
                named.join(", ")
            },
            reason: "the provider's region is not known from the plan".to_owned(),
        })
    }
}

/// The reference meant for map key `key` (`TargetGroup` → a target group's, `LoadBalancer`
/// → a load balancer's), when exactly one fits.
fn by_key(key: &str, refs: &[TfValue]) -> Option<TfValue> {
    let norm: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let fits = |r: &&TfValue| {
        let TfValue::Ref { address, .. } = r else {
            return false;
        };
        let kind = Address::parse(address).map(|a| a.kind).unwrap_or_default();
        match norm.as_str() {
            "targetgroup" => kind.contains("target_group"),
            "loadbalancer" => matches!(kind.as_str(), "aws_lb" | "aws_alb"),
            "apiid" | "apiname" => kind.contains("api"),
            _ => false,
        }
    };
    let matching: Vec<&TfValue> = refs.iter().filter(fits).collect();
    match (matching.as_slice(), refs) {
        ([one], _) => Some((*one).clone()),
        ([], [only]) => Some(only.clone()),
        _ => None,
    }
}

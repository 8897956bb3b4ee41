//! State (`values.root_module`), and what plans share with it: references recovered from
//! equal ids, and inline rule lists that repeat separate rule resources dropped.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{instances, resource, value};
use crate::import::terraform::ir::{TfConfig, TfResource, TfValue};
use crate::import::terraform::translate::names::Address;
use crate::import::ImportError;

pub(super) fn read(values: &Value) -> Result<TfConfig, ImportError> {
    let mut list = Vec::new();
    if let Some(root) = values.get("root_module") {
        instances(root, "/values/root_module", &mut list, 0)?;
    }
    let mut resources: Vec<TfResource> = list
        .iter()
        .map(|i| {
            resource(
                i.address.clone(),
                i.kind.clone(),
                i.values
                    .iter()
                    .map(|(k, v)| (k.clone(), value(v)))
                    .collect(),
            )
        })
        .collect();
    link_by_value(&mut resources);
    drop_inline_duplicates(&mut resources, &|_, _| true);
    let region = region_from_arns(&resources);
    Ok(TfConfig {
        resources,
        region,
        skipped: Vec::new(),
    })
}

/// Attributes that identify a resource, by which others refer to it.
const IDENTITY: [&str; 4] = ["id", "arn", "arn_suffix", "root_resource_id"];

/// Arguments never read as references: the resource's own identity and its tags.
fn own(key: &str) -> bool {
    IDENTITY.contains(&key) || matches!(key, "tags" | "tags_all" | "owner_id" | "execution_arn")
}

/// Turns every string equal to another resource's id, ARN, ARN suffix or root resource id
/// into a reference to it. A value two resources share is left as it is.
pub(super) fn link_by_value(resources: &mut [TfResource]) {
    let mut index: HashMap<String, Option<(usize, &'static str)>> = HashMap::new();
    for (i, r) in resources.iter().enumerate() {
        for attr in IDENTITY {
            let Some(TfValue::String(s)) = r.values.get(attr) else {
                continue;
            };
            if s.len() < 3 {
                continue;
            }
            match index.get_mut(s) {
                None => {
                    index.insert(s.clone(), Some((i, attr)));
                }
                Some(Some((j, a))) if *j == i => {
                    // `aws_lb.id` is its ARN: call it `arn`.
                    if attr == "arn" {
                        *a = attr;
                    }
                }
                Some(slot) => *slot = None,
            }
        }
    }
    if index.is_empty() {
        return;
    }
    let addresses: Vec<String> = resources.iter().map(|r| r.address.clone()).collect();
    for (i, r) in resources.iter_mut().enumerate() {
        let route = r.kind == "aws_apigatewayv2_route";
        for (key, v) in r.values.iter_mut() {
            if own(key) {
                continue;
            }
            relink(v, i, &index, &addresses, route && key == "target", 0);
        }
    }
}

fn relink(
    v: &mut TfValue,
    own: usize,
    index: &HashMap<String, Option<(usize, &'static str)>>,
    addresses: &[String],
    route_target: bool,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    match v {
        TfValue::String(s) => {
            // A route's target is `integrations/<integration id>`.
            let key = match s.strip_prefix("integrations/") {
                Some(id) if route_target => id,
                _ => s.as_str(),
            };
            if let Some(Some((j, attr))) = index.get(key) {
                if *j != own {
                    if let Some(address) = addresses.get(*j) {
                        *v = TfValue::Ref {
                            address: address.clone(),
                            attribute: (*attr).to_owned(),
                        };
                    }
                }
            }
        }
        TfValue::List(items) => items
            .iter_mut()
            .for_each(|x| relink(x, own, index, addresses, false, depth + 1)),
        TfValue::Map(entries) => entries
            .values_mut()
            .for_each(|x| relink(x, own, index, addresses, false, depth + 1)),
        _ => {}
    }
}

/// Drops a group's or ACL's inline `ingress`/`egress` (and an ACL's `subnet_ids`) where
/// separate rule or association resources exist for it: state lists their rules on the
/// parent too. `eligible(resource, attribute)` says which lists may go.
pub(super) fn drop_inline_duplicates(
    resources: &mut [TfResource],
    eligible: &dyn Fn(usize, &str) -> bool,
) {
    let mut separate: HashSet<(String, &'static str)> = HashSet::new();
    for r in resources.iter() {
        let text = |k: &str| r.values.get(k).and_then(TfValue::as_str);
        let parent = |k: &str| match r.values.get(k) {
            Some(TfValue::Ref { address, .. }) => Some(address.clone()),
            _ => None,
        };
        let found = match r.kind.as_str() {
            "aws_security_group_rule" => match text("type") {
                Some("ingress") => parent("security_group_id").map(|p| (p, "ingress")),
                Some("egress") => parent("security_group_id").map(|p| (p, "egress")),
                _ => None,
            },
            "aws_vpc_security_group_ingress_rule" => {
                parent("security_group_id").map(|p| (p, "ingress"))
            }
            "aws_vpc_security_group_egress_rule" => {
                parent("security_group_id").map(|p| (p, "egress"))
            }
            "aws_network_acl_rule" => {
                let egress = matches!(r.values.get("egress"), Some(TfValue::Bool(true)));
                parent("network_acl_id").map(|p| (p, if egress { "egress" } else { "ingress" }))
            }
            "aws_network_acl_association" => parent("network_acl_id").map(|p| (p, "subnet_ids")),
            _ => None,
        };
        separate.extend(found);
    }
    if separate.is_empty() {
        return;
    }
    for (i, r) in resources.iter_mut().enumerate() {
        if !matches!(r.kind.as_str(), "aws_security_group" | "aws_network_acl") {
            continue;
        }
        let base = Address::parse(&r.address).map(|a| a.without_key());
        for attr in ["ingress", "egress", "subnet_ids"] {
            let named = separate.contains(&(r.address.clone(), attr))
                || base
                    .as_ref()
                    .is_some_and(|b| separate.contains(&(b.clone(), attr)));
            if named && eligible(i, attr) {
                r.values.remove(attr);
            }
        }
    }
}

/// The Region of the first ARN in the state (state has no provider configuration).
fn region_from_arns(resources: &[TfResource]) -> Option<TfValue> {
    fn find(v: &TfValue, depth: usize) -> Option<String> {
        if depth > 16 {
            return None;
        }
        match v {
            TfValue::String(s) if s.starts_with("arn:") => {
                let region = s.split(':').nth(3)?;
                (!region.is_empty()).then(|| region.to_owned())
            }
            TfValue::List(items) => items.iter().find_map(|x| find(x, depth + 1)),
            TfValue::Map(m) => m.values().find_map(|x| find(x, depth + 1)),
            _ => None,
        }
    }
    resources
        .iter()
        .flat_map(|r| r.values.values())
        .find_map(|v| find(v, 0))
        .map(TfValue::String)
}

//! CloudFormation and SAM templates (JSON or YAML) into a topology.
//!
//! # Reading
//!
//! The text is parsed with saphyr-parser into a small tree that keeps every node's line,
//! column and short-form tag (`yaml.rs`); JSON goes through the same parser. Intrinsic
//! functions are evaluated as far as the template allows (`template.rs`): parameter
//! defaults, `AWS::Region` (the Region of a literal subnet zone or link target ARN, else
//! `us-east-1`, recorded as unknown at `/region`), `Sub`, `Join`, `Select`, `Split`,
//! `FindInMap`, `If` with a decidable condition, `Cidr`, `Base64`. `Ref`/`GetAtt` of a modelled resource stays
//! symbolic and becomes a topology reference.
//!
//! Ids are `Metadata.vpclink.id` when present (what the vpclink exporter writes), else the
//! logical id in kebab case, unique per collection. Every imported resource (and listener,
//! route, stage, rule and ACL entry that comes from its own template resource) gets
//! `origin.sources[pointer] = {logical id, line, column}`; resources outside the model are
//! listed in `origin.skipped` with a reason and never cause an error.
//!
//! # Unknowns
//!
//! What the template cannot tell offline — a parameter without default, an SSM parameter,
//! a dynamic reference, `ImportValue`, an undecidable `If` or resource `Condition`,
//! `GetAZs`, an attribute of an unmodelled resource, a nested stack output, an OpenAPI body
//! pulled in with `AWS::Include` — becomes an [`UnknownValue`](crate::model::UnknownValue)
//! in `origin.unknowns`, at the topology path where the value would be, with the expression
//! as written. The topology still needs a value there, and each is chosen so that it cannot
//! produce a finding by itself:
//!
//! - **A reference to something outside the template** (`VpcId: !Ref VpcParam`, a literal
//!   `sg-…`, an import): VPCs, subnets, security groups, target groups and VPC links get a
//!   *placeholder* resource, shared per source expression, whose whole path is unknown.
//!   Placeholders join the VPC of what refers to them (else the one VPC every `VpcId` of the
//!   template names), so no "other VPC" rule fires on them. Placeholder security groups
//!   allow everything from an unknown prefix list (which the evaluators count as possibly
//!   matching) and keep the default egress. Placeholder subnets use the default (allow-all)
//!   network ACL, a free block inside their VPC and a zone of their own: `!Select [i, …]`
//!   of a list gets letter `i`, a whole list parameter stands for its first two items (the
//!   same placeholders), anything else the first letter no subnet uses. Placeholder VPCs
//!   cover their known subnets.
//! - **A V1 link's load balancer outside the template** (an ARN parameter or literal): a
//!   placeholder network load balancer (with the literal ARN, so the Region and account
//!   rules still apply) without listeners; every integration through it is unknown.
//! - **List items that point outside** (target group targets, alarm dimensions): the item
//!   is left out and the unknown recorded on the list.
//! - **Values**: unknown CIDRs and zones get the placeholders above; an instance's address
//!   (`!GetAtt Instance.PrivateIp`) a free address in its subnet, written on the instance;
//!   an unknown security-group peer becomes the unknown prefix list; an unknown rule or
//!   rule list allows everything; an unknown network-ACL allow widens to any address and
//!   protocol, an unknown deny is left out (both recorded); unknown URI parts stay as
//!   `${…}`; names are shown as written and not recorded.
//! - **What only exists outside the model**: targets registered at run time (an ECS
//!   service's or Auto Scaling group's `TargetGroupArn`, a custom resource) make the target
//!   group's `targets` unknown; an HTTP API integration with a Cloud Map service makes the
//!   integration unknown.
//!
//! `validate` then drops every finding that rests on an unknown
//! (`report::suppress_unknowns`, plus two checks only `validate` can make): its
//! path or a related path lies under an unknown path (or is a rule list or route that
//! holds one); it is a flow finding whose blocked check involves a resource with an unknown
//! (an unknown subnet block changes which addresses a rule must allow); or it is a zone
//! finding on a load balancer or target group whose subnets' zones are unknown (a zone
//! from `!Select [i, !GetAZs …]` has no name offline, but which subnets share it is known,
//! so it does not count). An unknown can therefore hide a real finding, never cause one.
//!
//! Conventions shared with the exporter (`render::cloudformation`): `Metadata.vpclink.id`
//! names the resource, `route` a method's route; the egress rule to `255.255.255.255/32` is
//! read as "no outbound rule"; a name equal to the id, a connection type the connection id
//! implies, `AuthorizationType: NONE` and an alarm namespace the model implies are left
//! out, as in a topology written by hand. What the exporter carries in `Metadata.vpclink`
//! because no property holds it comes back: an instance's `serves`, an HTTP API stage's
//! `logging`, a `name` equal to the id, the account and (where nothing else pins it) the
//! Region of the template's own `Metadata.vpclink`, fields it filled in with its defaults
//! (`defaults: [...]`, left out again) and values the model implies that the topology
//! states anyway (`carried.rs`). An SSM parameter defaulting to the latest Amazon Linux
//! 2023 image (the exporter's `LatestAmiId`) means an instance without `image_id`, not an
//! unknown.

mod alarm;
mod apigw;
mod build;
mod carried;
mod elb;
mod network;
mod openapi;
mod template;
mod value;
pub(crate) mod yaml;

use std::collections::BTreeMap;

use build::{is_mapped, Coll, Importer};
use template::{Resource, Template};
use value::{Part, Val};

use crate::import::ImportError;
use crate::model::{Id, Topology};
use crate::pointer::JsonPointer;

/// Imports a CloudFormation or SAM template. `file` is recorded in `origin.file`.
///
/// Errors: text that is not YAML or JSON, and templates of the wrong shape (no
/// `Resources` map, a resource without `Type`, a literal that cannot be what its property
/// needs), each with line and column.
pub fn import_cloudformation(text: &str, file: Option<&str>) -> Result<Topology, ImportError> {
    let root = yaml::parse(text)?;
    import_tree(&root, file)
}

/// Imports a template given as a node tree rather than text: the Terraform translation
/// (`import::terraform`) builds the equivalent template and reads it here, so both formats
/// share one mapping. Errors point at the nodes' positions.
pub(crate) fn import_tree(root: &yaml::Node, file: Option<&str>) -> Result<Topology, ImportError> {
    let t = Template::read(root, is_mapped)?;
    let mut imp = Importer::new(&t, file)?;
    run(&mut imp)?;
    let named = carried_names(&imp);
    let mut topo = imp.topo;
    carried::apply(imp.t, &imp.ids, &mut topo);
    drop_default_names(&mut topo, &named);
    topo.origin = Some(imp.origin);
    Ok(topo)
}

/// Whether `text` reads as a CloudFormation template: it names a template format version
/// or a transform, or its `Resources` hold types such as `AWS::EC2::VPC`.
pub fn looks_like_cloudformation(text: &str) -> bool {
    let Ok(root) = yaml::parse(text) else {
        return false;
    };
    if root.get("AWSTemplateFormatVersion").is_some() || root.get("Transform").is_some() {
        return true;
    }
    root.get("Resources").is_some_and(|r| {
        r.entries().iter().any(|e| {
            e.value
                .get("Type")
                .and_then(|t| t.as_str())
                .is_some_and(|t| t.starts_with("AWS::") || t.starts_with("Custom::"))
        })
    })
}

/// The order matters: networks before what lives in them, placeholder CIDRs before
/// placeholder addresses, target groups before listeners, APIs before alarms.
fn run(imp: &mut Importer<'_>) -> Result<(), ImportError> {
    let t = imp.t;
    for (logical, kind) in &t.repeated {
        let reason = if kind == "Fn::ForEach" {
            "a loop of AWS::LanguageExtensions: the resources it generates are not expanded offline"
        } else {
            "the logical id is declared again later in the template; CloudFormation keeps the last declaration"
        };
        imp.origin.skipped.push(crate::model::SkippedResource {
            name: logical.clone(),
            kind: kind.clone(),
            reason: reason.to_owned(),
        });
    }
    imp.infer_context_vpc()?;
    let mut active: Vec<&Resource<'_>> = Vec::new();
    let mut conditional: Vec<&Resource<'_>> = Vec::new();
    for r in &t.resources {
        match &r.condition {
            None => active.push(r),
            Some(c) => match t.condition(c, 0)? {
                Some(true) => active.push(r),
                Some(false) => {
                    imp.skip(
                        r,
                        format!("condition `{c}` is false with the parameter defaults"),
                    );
                    imp.ids.remove(&r.logical);
                }
                None => {
                    active.push(r);
                    conditional.push(r);
                }
            },
        }
    }
    let of = |kind: &str| -> Vec<&Resource<'_>> {
        active.iter().copied().filter(|r| r.kind == kind).collect()
    };

    for r in of("AWS::EC2::VPC") {
        imp.map_vpc(r)?;
    }
    let mut cidr_blocks = Vec::new();
    for r in of("AWS::EC2::VPCCidrBlock") {
        if imp.map_vpc_cidr_block(r)? {
            cidr_blocks.push(r.logical.clone());
        }
    }
    for r in of("AWS::EC2::Subnet") {
        imp.map_subnet(r)?;
    }
    for r in of("AWS::EC2::NetworkAcl") {
        imp.map_network_acl(r)?;
    }
    for r in of("AWS::EC2::NetworkAclEntry") {
        imp.map_nacl_entry(r)?;
    }
    for r in of("AWS::EC2::SubnetNetworkAclAssociation") {
        imp.map_nacl_association(r)?;
    }
    for r in of("AWS::EC2::SecurityGroup") {
        imp.map_security_group(r)?;
    }
    for r in of("AWS::EC2::SecurityGroupIngress") {
        imp.map_sg_rule_resource(r, true)?;
    }
    for r in of("AWS::EC2::SecurityGroupEgress") {
        imp.map_sg_rule_resource(r, false)?;
    }
    for r in of("AWS::EC2::Instance") {
        imp.map_instance(r)?;
    }
    for r in of("AWS::ElasticLoadBalancingV2::LoadBalancer") {
        imp.map_load_balancer(r)?;
    }
    for r in active.iter().filter(|r| {
        matches!(
            r.kind.as_str(),
            "AWS::ApiGateway::VpcLink" | "AWS::ApiGatewayV2::VpcLink"
        )
    }) {
        imp.map_vpc_link(r)?;
    }
    imp.finish_network();

    for r in of("AWS::ElasticLoadBalancingV2::TargetGroup") {
        imp.map_target_group(r)?;
    }
    for r in of("AWS::ElasticLoadBalancingV2::Listener") {
        imp.map_listener(r)?;
    }

    for r in active.iter().filter(|r| {
        matches!(
            r.kind.as_str(),
            "AWS::ApiGateway::RestApi" | "AWS::Serverless::Api"
        )
    }) {
        imp.map_rest_api(r)?;
    }
    for r in of("AWS::ApiGateway::Method") {
        if let Some(route) = imp.map_method(r)? {
            imp.add_route(route)?;
        }
    }
    for r in of("AWS::ApiGateway::Deployment") {
        imp.map_deployment(r)?;
    }
    for r in of("AWS::ApiGateway::Stage") {
        imp.map_stage(r, apigw::Api::Rest)?;
    }
    for r in active.iter().filter(|r| {
        matches!(
            r.kind.as_str(),
            "AWS::ApiGatewayV2::Api" | "AWS::Serverless::HttpApi"
        )
    }) {
        imp.map_http_api(r)?;
    }
    let mut integrations = BTreeMap::new();
    for r in of("AWS::ApiGatewayV2::Integration") {
        if let Some(i) = imp.read_v2_integration(r)? {
            integrations.insert(r.logical.clone(), i);
        }
    }
    let mut used = Vec::new();
    for r in of("AWS::ApiGatewayV2::Route") {
        if let Some(route) = imp.map_v2_route(r, &integrations)? {
            if let Some(l) = route_target_logical(imp, r) {
                used.push(l);
            }
            imp.add_route(route)?;
        }
    }
    for r in of("AWS::ApiGatewayV2::Integration") {
        if integrations.contains_key(&r.logical) && !used.contains(&r.logical) {
            imp.skip(r, "no route of the template uses this integration");
        }
    }
    for r in of("AWS::ApiGatewayV2::Stage") {
        imp.map_stage(r, apigw::Api::Http)?;
    }
    for r in of("AWS::CloudWatch::Alarm") {
        imp.map_alarm(r)?;
    }
    imp.finish_network();
    imp.finish_routes();

    for r in &active {
        if is_mapped(&r.kind) || cidr_blocks.contains(&r.logical) {
            continue;
        }
        imp.skip(r, skip_reason(&r.kind));
        targets_registered_by(imp, r);
    }
    for r in conditional {
        if let Some(path) = path_of(imp, &r.logical) {
            imp.unknown_at(
                path,
                &format!("Condition: {}", r.condition.as_deref().unwrap_or_default()),
                "the resource exists only when its condition holds, which cannot be decided offline",
            );
        }
    }
    Ok(())
}

/// Resources whose `Metadata.vpclink.name` says the topology names them with their own id
/// (the exporter carries it there, as the template cannot tell it from no name).
fn carried_names(imp: &Importer<'_>) -> Vec<(Coll, Id)> {
    imp.t
        .resources
        .iter()
        .filter(|r| r.meta.and_then(|m| m.get("name")).is_some())
        .filter_map(|r| imp.id_of(&r.logical).map(|(c, id)| (c, id.clone())))
        .collect()
}

/// A name equal to the resource's id says nothing more (the vpclink exporter writes the id
/// where CloudFormation wants a name), so it is left out, unless `named` keeps it.
fn drop_default_names(t: &mut Topology, named: &[(Coll, Id)]) {
    fn clear<T>(
        coll: Coll,
        named: &[(Coll, Id)],
        map: &mut crate::model::IdMap<T>,
        name: impl Fn(&mut T) -> &mut Option<String>,
    ) {
        for (id, r) in map.0.iter_mut() {
            let n = name(r);
            if n.as_deref() == Some(id.as_str())
                && !named.iter().any(|(c, i)| *c == coll && i == id)
            {
                *n = None;
            }
        }
    }
    let n = named;
    clear(Coll::Vpcs, n, &mut t.vpcs, |r| &mut r.name);
    clear(Coll::Subnets, n, &mut t.subnets, |r| &mut r.name);
    clear(Coll::SecurityGroups, n, &mut t.security_groups, |r| {
        &mut r.name
    });
    clear(Coll::NetworkAcls, n, &mut t.network_acls, |r| &mut r.name);
    clear(Coll::Instances, n, &mut t.instances, |r| &mut r.name);
    clear(Coll::LoadBalancers, n, &mut t.load_balancers, |r| {
        &mut r.name
    });
    clear(Coll::TargetGroups, n, &mut t.target_groups, |r| &mut r.name);
    clear(Coll::VpcLinks, n, &mut t.vpc_links, |r| &mut r.name);
    clear(Coll::RestApis, n, &mut t.rest_apis, |r| &mut r.name);
    clear(Coll::HttpApis, n, &mut t.http_apis, |r| &mut r.name);
    clear(Coll::Alarms, n, &mut t.alarms, |r| &mut r.name);
}

fn route_target_logical(imp: &Importer<'_>, r: &Resource<'_>) -> Option<String> {
    let v = imp.prop(r, "Target").ok()??;
    Importer::logical_of(&v)
}

/// Where a top-level resource went, or its first recorded source.
fn path_of(imp: &Importer<'_>, logical: &str) -> Option<JsonPointer> {
    if let Some((coll, id)) = imp.id_of(logical) {
        return Some(JsonPointer::resource(coll.as_str(), id));
    }
    imp.origin
        .sources
        .iter()
        .find(|(_, s)| s.name == logical)
        .and_then(|(p, _)| pointer_from(p))
}

fn pointer_from(text: &str) -> Option<JsonPointer> {
    let mut p = JsonPointer::root();
    for token in text.strip_prefix('/')?.split('/') {
        p = p.key(token.replace("~1", "/").replace("~0", "~"));
    }
    Some(p)
}

fn skip_reason(kind: &str) -> String {
    let why = if kind.starts_with("AWS::Serverless::") {
        "SAM resource outside the private path model"
    } else if kind.starts_with("Custom::") || kind == "AWS::CloudFormation::CustomResource" {
        "custom resource: what it does is known only to its code"
    } else if kind == "AWS::CloudFormation::Stack" {
        "nested stack: its resources are in another template"
    } else if kind.starts_with("AWS::ECS::") {
        "ECS is not modelled; its tasks are not targets of this topology"
    } else if kind.starts_with("AWS::Lambda::") {
        "Lambda functions are not part of the private path model"
    } else {
        "resource type outside the private path model"
    };
    why.to_owned()
}

/// A skipped resource that names a target group of the template (an ECS service's load
/// balancer block, an Auto Scaling group, a custom resource) registers targets in it at
/// run time: the target group's targets are unknown.
fn targets_registered_by(imp: &mut Importer<'_>, r: &Resource<'_>) {
    let Ok(props) = imp.props_val(r) else { return };
    let mut found: Vec<Id> = Vec::new();
    collect_refs(imp, &props, &mut found, 0);
    for tg in found {
        imp.unknown_at(
            JsonPointer::resource("target_groups", &tg).key("targets"),
            &format!("{} ({})", r.logical, r.kind),
            "targets are registered at run time by a resource outside the model",
        );
    }
}

fn collect_refs(imp: &Importer<'_>, v: &Val, out: &mut Vec<Id>, depth: usize) {
    if depth > 32 {
        return;
    }
    match v {
        Val::Text(parts) => {
            for p in parts {
                if let Part::Res { logical, .. } = p {
                    if let Some((Coll::TargetGroups, id)) = imp.id_of(logical) {
                        if !out.contains(id) {
                            out.push(id.clone());
                        }
                    }
                }
            }
        }
        Val::List(items) => items
            .iter()
            .for_each(|i| collect_refs(imp, i, out, depth + 1)),
        Val::Map(entries) => entries
            .iter()
            .for_each(|(_, i)| collect_refs(imp, i, out, depth + 1)),
        Val::Null | Val::Unk(_) => {}
    }
}

#[cfg(test)]
mod tests;

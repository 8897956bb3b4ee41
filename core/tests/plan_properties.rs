//! Properties of plans on topologies nobody wrote by hand: synthetic topologies of several
//! sizes, deployed copies of them changed in many ways at once, and arbitrary well-typed
//! topologies. Every plan must be well formed (ids unique, dependencies first, every output
//! reference resolvable, waves and critical path consistent), creates must follow what
//! they use and deletes must follow what holds the deleted resource, and a teardown must
//! delete every resource.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{json, Value};
use vpclink_core::plan::{destroy, plan, Action, Plan, PlanErrorCode};
use vpclink_core::{synth, topology_from_value, Topology};

mod strategies;
use strategies::topology_json;

/// The topology as if deployed: every resource carries a made-up AWS id or ARN.
fn deployed(t: &Topology) -> Topology {
    let mut v = serde_json::to_value(t).unwrap();
    let arn = |kind: &str, id: &str| {
        format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:{kind}/{id}/0123456789abcdef")
    };
    for (coll, prefix) in [
        ("vpcs", "vpc"),
        ("subnets", "subnet"),
        ("security_groups", "sg"),
        ("network_acls", "acl"),
        ("instances", "i"),
        ("vpc_links", "vl"),
        ("rest_apis", "api"),
        ("http_apis", "hapi"),
    ] {
        if let Some(m) = v.get_mut(coll).and_then(Value::as_object_mut) {
            for (id, r) in m.iter_mut() {
                r["aws_id"] = json!(format!("{prefix}-{id}"));
            }
        }
    }
    if let Some(m) = v.get_mut("load_balancers").and_then(Value::as_object_mut) {
        for (id, r) in m.iter_mut() {
            r["arn"] = json!(arn("loadbalancer/net", id));
            for l in r["listeners"].as_array_mut().into_iter().flatten() {
                let port = l["port"].clone();
                l["aws_id"] = json!(format!("{}/{port}", arn("listener/net", id)));
            }
        }
    }
    if let Some(m) = v.get_mut("target_groups").and_then(Value::as_object_mut) {
        for (id, r) in m.iter_mut() {
            r["arn"] = json!(arn("targetgroup", id));
        }
    }
    topology_from_value(v).unwrap()
}

/// Transitive dependencies of every step.
fn closure(p: &Plan) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for s in &p.steps {
        let mut all = BTreeSet::new();
        for d in &s.depends_on {
            all.insert(d.as_str());
            if let Some(c) = out.get(d.as_str()) {
                all.extend(c.iter().copied());
            }
        }
        out.insert(s.id.as_str(), all);
    }
    out
}

fn well_formed(p: &Plan) -> Result<(), TestCaseError> {
    let problems = p.problems();
    prop_assert!(problems.is_empty(), "{:#?}", problems);
    Ok(())
}

type Pair = ((&'static str, String), (&'static str, String));

/// What a resource of the topology must be deleted before, as (kind, id) pairs: the
/// blockers of facts §9.4. Creation follows the same pairs except those a sub-step
/// carries (`creation` says which).
fn uses(t: &Topology, creation: bool) -> Vec<Pair> {
    let mut out = Vec::new();
    let mut add = |a: (&'static str, &str), b: (&'static str, &str)| {
        out.push(((a.0, a.1.to_owned()), (b.0, b.1.to_owned())));
    };
    for (id, s) in &t.subnets {
        add(("subnets", id.as_str()), ("vpcs", s.vpc.as_str()));
    }
    for (id, s) in &t.security_groups {
        add(("security_groups", id.as_str()), ("vpcs", s.vpc.as_str()));
    }
    for (id, s) in &t.network_acls {
        add(("network_acls", id.as_str()), ("vpcs", s.vpc.as_str()));
    }
    for (id, i) in &t.instances {
        add(("instances", id.as_str()), ("subnets", i.subnet.as_str()));
        for g in &i.security_groups {
            add(("instances", id.as_str()), ("security_groups", g.as_str()));
        }
    }
    for (id, lb) in &t.load_balancers {
        for s in &lb.subnets {
            add(("load_balancers", id.as_str()), ("subnets", s.as_str()));
        }
        for g in &lb.security_groups {
            add(
                ("load_balancers", id.as_str()),
                ("security_groups", g.as_str()),
            );
        }
        // Listeners (deleted with their NLB) hold target groups; created on their own.
        for l in lb.listeners.iter().filter(|_| !creation) {
            add(
                ("load_balancers", id.as_str()),
                ("target_groups", l.forward.as_str()),
            );
        }
    }
    for (id, tg) in &t.target_groups {
        add(("target_groups", id.as_str()), ("vpcs", tg.vpc.as_str()));
        // Targets register in a step of their own after the instances run.
        for target in tg.targets.iter().filter(|_| !creation) {
            add(
                ("target_groups", id.as_str()),
                ("instances", target.id.as_str()),
            );
        }
    }
    for (id, l) in &t.vpc_links {
        for lb in &l.targets {
            add(("vpc_links", id.as_str()), ("load_balancers", lb.as_str()));
        }
    }
    // Integrations name the link; the API itself is created on its own.
    for (id, api) in t.rest_apis.iter().filter(|_| !creation) {
        for (_, r) in api.routes.iter() {
            if let Some(link) = &r.integration.vpc_link {
                add(("rest_apis", id.as_str()), ("vpc_links", link.as_str()));
            }
        }
    }
    for (id, a) in &t.alarms {
        if let Some(tg) = &a.target_group {
            add(("alarms", id.as_str()), ("target_groups", tg.as_str()));
        }
        if let Some(lb) = &a.load_balancer {
            add(("alarms", id.as_str()), ("load_balancers", lb.as_str()));
        }
    }
    out
}

/// The step of `action` acting on a top-level resource.
fn step_of<'p>(p: &'p Plan, action: Action, kind: &str, id: &str) -> Option<&'p str> {
    p.steps
        .iter()
        .find(|s| s.action == action && s.resource.kind == kind && s.resource.id == id)
        .map(|s| s.id.as_str())
}

/// Every resource of `t` is created, each after what it uses.
fn creates_in_order(p: &Plan, t: &Topology) -> Result<(), TestCaseError> {
    let deps = closure(p);
    let doc = serde_json::to_value(t).unwrap();
    for (coll, m) in doc.as_object().unwrap() {
        let Some(m) = m.as_object() else { continue };
        if ["observed", "origin"].contains(&coll.as_str()) {
            continue;
        }
        for id in m.keys() {
            prop_assert!(
                step_of(p, Action::Create, coll, id).is_some(),
                "{coll}/{id} is not created"
            );
        }
    }
    for (user, used) in uses(t, true) {
        let (Some(a), Some(b)) = (
            step_of(p, Action::Create, user.0, &user.1),
            step_of(p, Action::Create, used.0, &used.1),
        ) else {
            continue;
        };
        prop_assert!(deps[a].contains(b), "{a} does not wait for {b}");
    }
    // The sub-steps: listeners after their target group, registration after the
    // instances and the listener, integrations and deployments after the VPC link.
    let wait = |a: &str, b: &str| -> Result<(), TestCaseError> {
        prop_assert!(
            deps.get(a).is_some_and(|d| d.contains(b)),
            "{} does not wait for {}",
            a,
            b
        );
        Ok(())
    };
    for (lb_id, lb) in &t.load_balancers {
        for l in &lb.listeners {
            let listener = format!("create.listener.{lb_id}.{}", l.port);
            wait(&listener, &format!("create.target_group.{}", l.forward))?;
            wait(&format!("register.targets.{}", l.forward), &listener)?;
        }
    }
    for (tg_id, tg) in &t.target_groups {
        for target in &tg.targets {
            wait(
                &format!("register.targets.{tg_id}"),
                &format!("create.instance.{}", target.id),
            )?;
        }
    }
    for (api_id, api) in &t.rest_apis {
        for (key, r) in api.routes.iter() {
            if let Some(link) = &r.integration.vpc_link {
                let link = format!("create.vpc_link.{link}");
                wait(&format!("create.integration.{api_id}.{key}"), &link)?;
                for (stage, _) in api.stages.iter() {
                    wait(&format!("create.deployment.{api_id}.{stage}"), &link)?;
                }
            }
        }
    }
    Ok(())
}

/// Every resource of `t` is deleted, each after what uses it (a group after the rules
/// naming it are revoked, rather than after the groups holding them).
fn deletes_in_order(p: &Plan, t: &Topology) -> Result<(), TestCaseError> {
    let deps = closure(p);
    let doc = serde_json::to_value(t).unwrap();
    for (coll, m) in doc.as_object().unwrap() {
        let Some(m) = m.as_object() else { continue };
        if ["observed", "origin"].contains(&coll.as_str()) {
            continue;
        }
        for (id, r) in m {
            if coll == "network_acls" && r["default"] == json!(true) {
                continue;
            }
            prop_assert!(
                step_of(p, Action::Delete, coll, id).is_some(),
                "{coll}/{id} is not deleted"
            );
        }
    }
    for (user, used) in uses(t, false) {
        let (Some(a), Some(b)) = (
            step_of(p, Action::Delete, user.0, &user.1),
            step_of(p, Action::Delete, used.0, &used.1),
        ) else {
            continue;
        };
        prop_assert!(deps[b].contains(a), "{b} does not wait for {a}");
    }
    for s in p.steps.iter().filter(|s| s.action == Action::Create) {
        prop_assert!(false, "a teardown creates {}", s.id);
    }
    Ok(())
}

/// Changes to a deployed synthetic topology, each keeping it valid.
#[derive(Debug, Clone)]
enum Change {
    HealthCheckInterval(usize, u32),
    FlipScheme(usize),
    RemoveAlarm(usize),
    RemoveCell(usize),
    AddInstance(usize),
    RemoveInstance(usize),
    ExtraIngressRule(usize),
    RenameTargetGroup(usize),
    RenameLoadBalancer(usize),
    NewGroupDescription(usize),
    WidenAclEntry(usize),
    CrossZone(usize),
    StageLogging(usize),
    RenameLink(usize),
    IntegrationTimeout(usize),
    AddHttpApi(usize),
}

fn change() -> impl Strategy<Value = Change> {
    let cell = 0usize..3;
    prop_oneof![
        (cell.clone(), prop::sample::select(&[10u32, 60, 120][..]))
            .prop_map(|(c, v)| Change::HealthCheckInterval(c, v)),
        cell.clone().prop_map(Change::FlipScheme),
        cell.clone().prop_map(Change::RemoveAlarm),
        cell.clone().prop_map(Change::RemoveCell),
        cell.clone().prop_map(Change::AddInstance),
        cell.clone().prop_map(Change::RemoveInstance),
        cell.clone().prop_map(Change::ExtraIngressRule),
        cell.clone().prop_map(Change::RenameTargetGroup),
        cell.clone().prop_map(Change::RenameLoadBalancer),
        cell.clone().prop_map(Change::NewGroupDescription),
        cell.clone().prop_map(Change::WidenAclEntry),
        cell.clone().prop_map(Change::CrossZone),
        cell.clone().prop_map(Change::StageLogging),
        cell.clone().prop_map(Change::RenameLink),
        cell.clone().prop_map(Change::IntegrationTimeout),
        cell.prop_map(Change::AddHttpApi),
    ]
}

/// Applies a change to the JSON of a synthetic topology; changes to cells it does not
/// have, or to what an earlier change removed, do nothing.
fn apply(v: &mut Value, change: &Change) {
    let c = |n: &usize| format!("c{n:05}");
    let has = |v: &Value, coll: &str, id: &str| v[coll].get(id).is_some();
    match change {
        Change::HealthCheckInterval(n, secs) => {
            let tg = format!("{}-backend", c(n));
            if has(v, "target_groups", &tg) {
                let hc = &mut v["target_groups"][&tg]["health_check"];
                hc["interval_seconds"] = json!(secs);
                hc["timeout_seconds"] = json!(5);
            }
        }
        Change::FlipScheme(n) => {
            let lb = format!("{}-nlb", c(n));
            if has(v, "load_balancers", &lb) {
                v["load_balancers"][&lb]["scheme"] = json!("internet-facing");
            }
        }
        Change::RemoveAlarm(n) => {
            if let Some(m) = v.get_mut("alarms").and_then(Value::as_object_mut) {
                m.remove(&format!("{}-unhealthy", c(n)));
            }
        }
        Change::RemoveCell(n) => {
            let prefix = format!("{}-", c(n));
            for coll in [
                "subnets",
                "security_groups",
                "network_acls",
                "instances",
                "load_balancers",
                "target_groups",
                "vpc_links",
                "rest_apis",
                "http_apis",
                "alarms",
            ] {
                if let Some(m) = v.get_mut(coll).and_then(Value::as_object_mut) {
                    m.retain(|k, _| !k.starts_with(&prefix));
                }
            }
        }
        Change::AddInstance(n) => {
            let tg = format!("{}-backend", c(n));
            let model = format!("{}-web-1", c(n));
            if has(v, "target_groups", &tg) && has(v, "instances", &model) {
                let id = format!("{}-web-extra", c(n));
                v["instances"][&id] = v["instances"][&model].clone();
                v["target_groups"][&tg]["targets"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({ "id": id }));
            }
        }
        Change::RemoveInstance(n) => {
            // The last instance of the first zone; its zone keeps the other one.
            let tg = format!("{}-backend", c(n));
            let gone = format!("{}-web-3", c(n));
            if has(v, "target_groups", &tg) && has(v, "instances", &gone) {
                v["instances"].as_object_mut().unwrap().remove(&gone);
                v["target_groups"][&tg]["targets"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|t| t["id"] != json!(gone));
            }
        }
        Change::ExtraIngressRule(n) => {
            let sg = format!("{}-nlb", c(n));
            if has(v, "security_groups", &sg) {
                let cidr = v["security_groups"][&sg]["ingress"][0]["source"].clone();
                v["security_groups"][&sg]["ingress"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({ "protocol": "tcp", "ports": "443", "source": cidr }));
            }
        }
        Change::RenameTargetGroup(n) => {
            let tg = format!("{}-backend", c(n));
            if has(v, "target_groups", &tg) {
                v["target_groups"][&tg]["name"] = json!(format!("{}-backend-2", c(n)));
            }
        }
        Change::RenameLoadBalancer(n) => {
            let lb = format!("{}-nlb", c(n));
            if has(v, "load_balancers", &lb) {
                v["load_balancers"][&lb]["name"] = json!(format!("{}-nlb-2", c(n)));
            }
        }
        Change::NewGroupDescription(n) => {
            let sg = format!("{}-app", c(n));
            if has(v, "security_groups", &sg) {
                v["security_groups"][&sg]["description"] = json!("Application instances, v2");
            }
        }
        Change::WidenAclEntry(n) => {
            let acl = format!("{}-private", c(n));
            if has(v, "network_acls", &acl) {
                v["network_acls"][&acl]["ingress"][0]["protocol"] = json!("all");
                v["network_acls"][&acl]["ingress"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("ports");
            }
        }
        Change::CrossZone(n) => {
            let lb = format!("{}-nlb", c(n));
            if has(v, "load_balancers", &lb) {
                v["load_balancers"][&lb]["cross_zone"] = json!(true);
            }
        }
        Change::StageLogging(n) => {
            let api = format!("{}-api", c(n));
            if has(v, "rest_apis", &api) {
                v["rest_apis"][&api]["stages"]["prod"]["logging"] = json!("ERROR");
            }
        }
        Change::RenameLink(n) => {
            let link = format!("{}-link", c(n));
            if has(v, "vpc_links", &link) {
                v["vpc_links"][&link]["name"] = json!(format!("{}-link-2", c(n)));
            }
        }
        Change::AddHttpApi(n) => {
            // An HTTP API over a V2 link whose ENIs sit in the NLB subnets, as the
            // planner's unit tests build it for the three-tier example.
            let (lb, tg) = (format!("{}-nlb", c(n)), format!("{}-backend", c(n)));
            let (nlb_acl, private_acl) = (format!("{}-nlb", c(n)), format!("{}-private", c(n)));
            let api = format!("{}-orders", c(n));
            if !has(v, "load_balancers", &lb)
                || !has(v, "network_acls", &nlb_acl)
                || v.get("http_apis").is_some_and(|m| m.get(&api).is_some())
            {
                return;
            }
            let vpc = v["load_balancers"][&lb]["subnets"][0]
                .as_str()
                .map(|s| v["subnets"][s]["vpc"].clone())
                .unwrap_or_default();
            let nlb_block = v["network_acls"][&private_acl]["ingress"][0]["cidr"].clone();
            let sg = format!("{}-linksg", c(n));
            v["security_groups"][&sg] = json!({
                "vpc": vpc, "description": "VPC link ENIs",
                "egress": [{ "protocol": "tcp", "ports": "80",
                             "destination": { "security_group": lb } }]
            });
            v["security_groups"][&lb]["ingress"]
                .as_array_mut()
                .unwrap()
                .push(
                    json!({ "protocol": "tcp", "ports": "80", "source": { "security_group": sg } }),
                );
            let link = format!("{}-link2", c(n));
            v["vpc_links"][&link] = json!({
                "subnets": v["load_balancers"][&lb]["subnets"].clone(),
                "security_groups": [sg],
            });
            v["target_groups"][&tg]["preserve_client_ip"] = json!(false);
            let acl = &mut v["network_acls"][&nlb_acl];
            acl["egress"].as_array_mut().unwrap().push(json!({
                "rule": 120, "protocol": "tcp", "ports": "80", "cidr": nlb_block.clone(), "action": "allow"
            }));
            acl["ingress"].as_array_mut().unwrap().push(json!({
                "rule": 120, "protocol": "tcp", "ports": "1024-65535", "cidr": nlb_block, "action": "allow"
            }));
            v["http_apis"][api] = json!({
                "routes": { "GET /orders": { "integration": {
                    "type": "HTTP_PROXY", "vpc_link": link, "method": "GET",
                    "target": { "load_balancer": lb, "port": 80 } } } },
                "stages": { "$default": { "metrics": true } }
            });
        }
        Change::IntegrationTimeout(n) => {
            let api = format!("{}-api", c(n));
            if has(v, "rest_apis", &api) {
                v["rest_apis"][&api]["routes"]["GET /products"]["integration"]["timeout_ms"] =
                    json!(10_000);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn greenfield_plans_create_everything_in_order(size in 1usize..90) {
        let t = synth::topology(size).unwrap();
        let p = plan(&t, None).unwrap();
        well_formed(&p)?;
        creates_in_order(&p, &t)?;
        prop_assert_eq!(p.summary.delete, 0);
    }

    #[test]
    fn teardowns_delete_everything_after_what_holds_it(size in 1usize..90) {
        let current = deployed(&synth::topology(size).unwrap());
        let p = destroy(&current).unwrap();
        well_formed(&p)?;
        deletes_in_order(&p, &current)?;
    }

    #[test]
    fn changes_to_a_deployment_plan_cleanly(
        size in 1usize..90,
        before in prop::collection::vec(change(), 0..3),
        changes in prop::collection::vec(change(), 1..5),
    ) {
        // The deployment is itself a changed synthetic topology, so that the desired one
        // also adds what the deployment lacks (a removed cell comes back whole).
        let t = synth::topology(size).unwrap();
        let mut v = serde_json::to_value(&t).unwrap();
        for c in &before {
            apply(&mut v, c);
        }
        let current = deployed(&topology_from_value(v).unwrap());
        let mut v = serde_json::to_value(&t).unwrap();
        for c in &changes {
            apply(&mut v, c);
        }
        let desired = topology_from_value(v).unwrap();
        let p = plan(&desired, Some(&current))
            .map_err(|e| TestCaseError::fail(format!("{before:?} then {changes:?}: {e:?}")))?;
        well_formed(&p)?;
        // Every replacement deletes the old resource and creates the new one.
        for s in p.steps.iter().filter(|s| s.action == Action::Replace) {
            let created = p.steps.iter().any(|c| {
                c.action == Action::Create && c.resource.kind == s.resource.kind
                    && c.resource.id == s.resource.id
            });
            prop_assert!(created, "{} has no matching create", s.id);
        }
        // Nothing existing is created anew unless it is replaced.
        let replaced: BTreeSet<(&str, &str)> = p.steps.iter()
            .filter(|s| s.action == Action::Replace)
            .map(|s| (s.resource.kind.as_str(), s.resource.id.as_str()))
            .collect();
        for s in p.steps.iter().filter(|s| s.action == Action::Create && s.id.starts_with("create.")) {
            let kind = s.resource.kind.as_str();
            let id = s.resource.id.as_str();
            let existed = current.vpcs.contains(id) && kind == "vpcs"
                || current.load_balancers.contains(id) && kind == "load_balancers"
                || current.target_groups.contains(id) && kind == "target_groups"
                || current.instances.contains(id) && kind == "instances"
                || current.security_groups.contains(id) && kind == "security_groups"
                || current.vpc_links.contains(id) && kind == "vpc_links";
            prop_assert!(!existed || replaced.contains(&(kind, id)), "{} recreates a kept resource", s.id);
        }
        // And the changed deployment tears down cleanly too.
        let down = destroy(&deployed(&desired)).unwrap();
        well_formed(&down)?;
        deletes_in_order(&down, &deployed(&desired))?;
    }

    #[test]
    fn any_topology_plans_or_is_refused_for_a_reason(doc in topology_json()) {
        let t = topology_from_value(doc).unwrap();
        match plan(&t, None) {
            Ok(p) => well_formed(&p)?,
            Err(e) => prop_assert!(
                matches!(e.code, PlanErrorCode::InvalidTopology | PlanErrorCode::LinkNotAvailable),
                "{:?}", e
            ),
        }
        // Whatever is deployed can be torn down, however odd.
        match destroy(&deployed(&t)) {
            Ok(p) => well_formed(&p)?,
            Err(e) => prop_assert!(e.code != PlanErrorCode::Internal, "{:?}", e),
        }
    }
}

#[test]
fn a_larger_synthetic_topology_plans_both_ways() {
    let t = synth::topology(2_000).unwrap();
    let p = plan(&t, None).unwrap();
    assert!(p.problems().is_empty());
    let down = destroy(&deployed(&t)).unwrap();
    assert!(down.problems().is_empty());
    // The VPC link of each cell waits for its NLB; waves stay few however many cells.
    assert!(p.waves.len() < 15, "{}", p.waves.len());
}

#[test]
fn every_example_plans_tears_down_and_diffs_to_nothing() {
    for text in [
        include_str!("../../examples/three-tier.json"),
        include_str!("../../examples/http-api.json"),
    ] {
        let t = vpclink_core::topology_from_str(text).unwrap();
        let p = plan(&t, None).unwrap();
        assert!(p.problems().is_empty(), "{:#?}", p.problems());
        creates_in_order(&p, &t).unwrap();
        let current = deployed(&t);
        let down = destroy(&current).unwrap();
        assert!(down.problems().is_empty(), "{:#?}", down.problems());
        deletes_in_order(&down, &current).unwrap();
        let same = plan(&t, Some(&current)).unwrap();
        assert!(
            same.steps.is_empty(),
            "{:?}",
            same.steps.iter().map(|s| &s.id).collect::<Vec<_>>()
        );
    }
}

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::*;
use crate::examples::THREE_TIER;
use crate::{topology_from_json, topology_from_value};

fn three_tier() -> Topology {
    topology_from_json(THREE_TIER).unwrap()
}

/// The topology as if deployed: every resource carries a made-up AWS id or ARN.
pub(crate) fn deployed(t: &Topology) -> Topology {
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
            if let Some(ls) = r.get_mut("listeners").and_then(Value::as_array_mut) {
                for l in ls {
                    let port = l["port"].clone();
                    l["aws_id"] = json!(format!("{}/{port}", arn("listener/net", id)));
                }
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

/// The three-tier example with an edit applied to its JSON.
fn edited(edit: impl FnOnce(&mut Value)) -> Topology {
    let mut v = serde_json::to_value(three_tier()).unwrap();
    edit(&mut v);
    topology_from_value(v).unwrap()
}

fn ok(p: &Plan) {
    let problems = p.problems();
    assert!(problems.is_empty(), "{problems:#?}");
}

fn out(step: &str, name: &str) -> Value {
    json!({ "$output": { "step": step, "name": name } })
}

/// Whether `later` depends on `earlier`, directly or not.
fn after(p: &Plan, later: &str, earlier: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![later.to_owned()];
    while let Some(id) = todo.pop() {
        for d in &p
            .step(&id)
            .unwrap_or_else(|| panic!("no step {id}"))
            .depends_on
        {
            if d == earlier {
                return true;
            }
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    false
}

#[test]
fn three_tier_greenfield_makes_exactly_the_expected_calls() {
    let p = plan(&three_tier(), None).unwrap();
    ok(&p);
    let mut calls: BTreeMap<String, usize> = BTreeMap::new();
    for s in &p.steps {
        *calls
            .entry(format!("{}.{}", s.call.service, s.call.operation))
            .or_default() += 1;
    }
    let expected: BTreeMap<String, usize> = [
        ("ec2.create_vpc", 1),
        ("ec2.create_subnet", 4),
        ("ec2.create_security_group", 2),
        // app from the NLB group, nlb from the VPC CIDR.
        ("ec2.authorize_security_group_ingress", 2),
        // The NLB group lists its egress: AWS's allow-all goes, the listed rule comes.
        ("ec2.revoke_security_group_egress", 1),
        ("ec2.authorize_security_group_egress", 1),
        ("ec2.create_network_acl", 2),
        ("ec2.create_network_acl_entry", 6),
        ("ec2.describe_network_acls", 4),
        ("ec2.replace_network_acl_association", 4),
        ("ssm.get_parameter", 1),
        ("ec2.run_instances", 3),
        ("elbv2.create_target_group", 1),
        ("elbv2.create_load_balancer", 1),
        ("elbv2.set_security_groups", 1),
        ("elbv2.create_listener", 1),
        ("elbv2.register_targets", 1),
        ("apigateway.create_vpc_link", 1),
        ("apigateway.create_rest_api", 1),
        ("apigateway.create_resource", 1),
        ("apigateway.put_method", 1),
        ("apigateway.put_integration", 1),
        ("apigateway.create_deployment", 1),
        ("apigateway.update_stage", 1),
        ("cloudwatch.put_metric_alarm", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(calls, expected);
    assert_eq!(p.steps.len(), 44);
    assert_eq!(p.mode, PlanMode::Deploy);
    assert_eq!(p.summary.create, 20, "{:?}", p.summary);
    assert_eq!(
        (p.summary.update, p.summary.delete, p.summary.unchanged),
        (0, 0, 0)
    );
}

#[test]
fn three_tier_wiring() {
    let p = plan(&three_tier(), None).unwrap();
    let lb = p.step("create.load_balancer.nlb").unwrap();
    assert_eq!(lb.call.params["Type"], "network");
    assert_eq!(lb.call.params["Scheme"], "internal");
    assert_eq!(lb.call.params["Name"], "shop-nlb");
    assert_eq!(
        lb.call.params["Subnets"],
        json!([
            out("create.subnet.nlb-a", "SubnetId"),
            out("create.subnet.nlb-b", "SubnetId")
        ])
    );
    assert_eq!(
        lb.call.params["SecurityGroups"],
        json!([out("create.security_group.nlb", "GroupId")])
    );
    let w = lb.wait.as_ref().unwrap();
    assert_eq!(
        (w.status_query.as_str(), &w.success, &w.failure),
        (
            "LoadBalancers[0].State.Code",
            &vec!["active".to_owned()],
            &vec!["failed".to_owned()]
        )
    );
    assert_eq!(lb.expected_seconds, 180);
    assert!(lb.lookup.is_some() && lb.undo.as_ref().unwrap().wait.is_some());

    let l = p.step("create.listener.nlb.80").unwrap();
    assert_eq!(
        l.call.params["LoadBalancerArn"],
        out("create.load_balancer.nlb", "LoadBalancerArn")
    );
    assert_eq!(
        l.call.params["DefaultActions"],
        json!([{ "Type": "forward",
                 "TargetGroupArn": out("create.target_group.backend", "TargetGroupArn") }])
    );

    let sg = p.step("set.security_groups.nlb").unwrap();
    assert_eq!(
        sg.call.params["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"],
        "off"
    );

    let link = p.step("create.vpc_link.link").unwrap();
    assert_eq!(link.call.service, "apigateway");
    assert_eq!(
        link.call.params["targetArns"],
        json!([out("create.load_balancer.nlb", "LoadBalancerArn")])
    );
    let w = link.wait.as_ref().unwrap();
    assert_eq!(w.call.operation, "get_vpc_link");
    assert_eq!(w.status_query, "status");
    assert_eq!(w.success, ["AVAILABLE"]);
    assert_eq!(w.failure, ["FAILED"]);
    assert_eq!(w.message_query.as_deref(), Some("statusMessage"));
    assert_eq!((w.interval_seconds, w.timeout_seconds), (15, 900));
    assert_eq!(link.expected_seconds, 240);
    assert!(after(&p, "create.vpc_link.link", "create.listener.nlb.80"));
    let undo = link.undo.as_ref().unwrap();
    assert_eq!(undo.call.operation, "delete_vpc_link");
    assert_eq!(
        undo.wait.as_ref().unwrap().success_errors,
        ["NotFoundException"]
    );

    let i = p.step("create.integration.shop.GET /products").unwrap();
    assert_eq!(i.call.params["connectionType"], "VPC_LINK");
    assert_eq!(
        i.call.params["connectionId"],
        out("create.vpc_link.link", "VpcLinkId")
    );
    assert_eq!(i.call.params["type"], "HTTP_PROXY");
    assert_eq!(i.call.params["integrationHttpMethod"], "GET");
    assert_eq!(i.call.params["uri"], "http://nlb.internal:80/products");
    assert_eq!(i.call.params["timeoutInMillis"], 29000);
    assert_eq!(
        i.call.params["resourceId"],
        out("create.resource.shop./products", "ResourceId")
    );
    let r = p.step("create.resource.shop./products").unwrap();
    assert_eq!(
        r.call.params["parentId"],
        out("create.rest_api.shop", "RootResourceId")
    );
    assert_eq!(r.call.params["pathPart"], "products");

    let d = p.step("create.deployment.shop.prod").unwrap();
    assert_eq!(d.call.params["stageName"], "prod");
    assert!(d.depends_on.contains(&"create.vpc_link.link".to_owned()));
    assert!(d
        .depends_on
        .contains(&"create.integration.shop.GET /products".to_owned()));
    let st = p.step("update.stage.shop.prod").unwrap();
    assert_eq!(
        st.call.params["patchOperations"],
        json!([
            { "op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO" },
            { "op": "replace", "path": "/*/*/metrics/enabled", "value": "true" },
        ])
    );

    let reg = p.step("register.targets.backend").unwrap();
    assert_eq!(reg.action, Action::Register);
    assert_eq!(
        reg.call.params["Targets"],
        json!([
            { "Id": out("create.instance.web-1", "InstanceId") },
            { "Id": out("create.instance.web-2", "InstanceId") },
            { "Id": out("create.instance.web-3", "InstanceId") },
        ])
    );
    // Healthy after 3 checks 30 s apart, plus registration.
    assert_eq!(reg.expected_seconds, 120);
    let w = reg.wait.as_ref().unwrap();
    assert_eq!(
        w.status_query,
        "TargetHealthDescriptions[].TargetHealth.State"
    );
    assert_eq!(w.success, ["healthy"]);
    assert!(w.failure.is_empty());
    for dep in [
        "create.listener.nlb.80",
        "authorize.ingress.app",
        "authorize.egress.nlb",
        "associate.network_acl.private-a",
        "create.network_acl_entry.private.ingress.100",
    ] {
        assert!(after(&p, "register.targets.backend", dep), "{dep}");
    }

    let a = p.step("create.alarm.unhealthy").unwrap();
    assert_eq!(
        a.call.params["Dimensions"],
        json!([
            { "Name": "TargetGroup", "Value": { "$join": [
                "targetgroup/", out("create.target_group.backend", "TargetGroupNameAndId") ] } },
            { "Name": "LoadBalancer", "Value": out("create.load_balancer.nlb", "LoadBalancerFullName") },
        ])
    );
    assert_eq!(a.call.params["Statistic"], "Maximum");

    let inst = p.step("create.instance.web-1").unwrap();
    assert_eq!(
        inst.call.params["ImageId"],
        out("lookup.image.al2023", "ImageId")
    );
    assert_eq!(inst.call.params["InstanceType"], "t3.small");
    assert_eq!(
        inst.wait.as_ref().unwrap().status_query,
        "Reservations[0].Instances[0].State.Name"
    );

    let assoc = p.step("associate.network_acl.private-a").unwrap();
    assert_eq!(
        assoc.call.params["AssociationId"],
        out("lookup.network_acl_association.private-a", "AssociationId")
    );
    let lookup = p.step("lookup.network_acl_association.private-a").unwrap();
    assert_eq!(lookup.action, Action::Lookup);
    assert_eq!(
        lookup.call.params["Filters"],
        json!([{ "Name": "association.subnet-id",
                 "Values": [out("create.subnet.private-a", "SubnetId")] }])
    );
    assert!(!lookup.outputs[0].query_join.is_empty());

    let egress = p.step("authorize.egress.nlb").unwrap();
    assert!(after(
        &p,
        "authorize.egress.nlb",
        "revoke.default_egress.nlb"
    ));
    assert_eq!(
        egress.call.params["IpPermissions"],
        json!([{ "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
                 "UserIdGroupPairs": [{ "GroupId": out("create.security_group.app", "GroupId"),
                                        "Description": "traffic and health checks to the targets" }] }])
    );

    // The critical path runs through the NLB and the VPC link, the two long waits.
    let cp = &p.critical_path.steps;
    assert!(
        cp.contains(&"create.load_balancer.nlb".to_owned()),
        "{cp:?}"
    );
    assert!(cp.contains(&"create.vpc_link.link".to_owned()), "{cp:?}");
    assert_eq!(
        cp.last().map(String::as_str),
        Some("update.stage.shop.prod")
    );
    assert_eq!(
        p.critical_path.expected_seconds,
        5 + 5 + 180 + 2 + 240 + 2 + 5 + 2
    );
}

#[test]
fn every_create_is_tagged_found_again_and_undone() {
    let p = plan(&three_tier(), None).unwrap();
    let ec2_creates = [
        "create_vpc",
        "create_subnet",
        "create_security_group",
        "create_network_acl",
        "run_instances",
    ];
    for s in &p.steps {
        if s.action == Action::Create && s.id.starts_with("create.") {
            assert!(s.undo.is_some(), "{} has no undo", s.id);
            if !s.id.starts_with("create.integration.") {
                assert!(s.lookup.is_some(), "{} has no lookup", s.id);
            }
        }
        if ec2_creates.contains(&s.call.operation.as_str()) {
            let tags = &s.call.params["TagSpecifications"][0]["Tags"];
            assert!(
                tags.as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t["Key"] == "vpclink:id" && t["Value"] == s.resource.id.as_str()),
                "{}",
                s.id
            );
            let filters = s.lookup.as_ref().unwrap().call.params.get("Filters");
            assert!(
                filters.is_some_and(|f| f.to_string().contains("tag:vpclink:id")
                    || f.to_string().contains("group-name")),
                "{}",
                s.id
            );
        }
    }
}

#[test]
fn unchanged_topology_plans_nothing() {
    let current = deployed(&three_tier());
    let p = plan(&three_tier(), Some(&current)).unwrap();
    ok(&p);
    assert!(
        p.steps.is_empty(),
        "{:#?}",
        p.steps.iter().map(|s| &s.id).collect::<Vec<_>>()
    );
    assert_eq!(p.summary.unchanged, 20);
    assert_eq!(p.unchanged.len(), 20);
    assert_eq!(p.unchanged[0].path.as_str(), "/vpcs/app");
}

#[test]
fn a_changed_health_check_is_one_update() {
    let current = deployed(&three_tier());
    let desired =
        edited(|v| v["target_groups"]["backend"]["health_check"]["interval_seconds"] = json!(10));
    let p = plan(&desired, Some(&current)).unwrap();
    ok(&p);
    assert_eq!(p.steps.len(), 1, "{:#?}", p.steps);
    let s = &p.steps[0];
    assert_eq!(s.id, "modify.target_group.backend");
    assert_eq!(s.action, Action::Update);
    assert_eq!(s.call.operation, "modify_target_group");
    assert_eq!(
        s.call.params["TargetGroupArn"],
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend/0123456789abcdef"
    );
    assert_eq!(s.call.params["HealthCheckIntervalSeconds"], 10);
    assert_eq!(s.changes.len(), 1);
    assert_eq!(s.changes[0].property, "/health_check/interval_seconds");
    assert!(!s.changes[0].immutable);
    assert_eq!(
        s.undo.as_ref().unwrap().call.params["HealthCheckIntervalSeconds"],
        30
    );
    assert_eq!((p.summary.update, p.summary.unchanged), (1, 19));
}

#[test]
fn a_changed_scheme_replaces_the_load_balancer_and_what_holds_it() {
    let current = deployed(&three_tier());
    let desired = edited(|v| v["load_balancers"]["nlb"]["scheme"] = json!("internet-facing"));
    let p = plan(&desired, Some(&current)).unwrap();
    ok(&p);
    let old = p.step("replace.load_balancer.nlb").unwrap();
    assert_eq!(old.action, Action::Replace);
    assert_eq!(old.call.operation, "delete_load_balancer");
    assert!(old
        .changes
        .iter()
        .any(|c| c.property == "/scheme" && c.immutable));
    let new = p.step("create.load_balancer.nlb").unwrap();
    assert_eq!(new.call.params["Scheme"], "internet-facing");
    // Same name: the old one goes first (names are unique per Region, facts §4.1) ...
    assert!(after(
        &p,
        "create.load_balancer.nlb",
        "replace.load_balancer.nlb"
    ));
    // ... after the link that holds it, which goes after the stage that uses the link.
    assert!(after(
        &p,
        "replace.load_balancer.nlb",
        "replace.vpc_link.link"
    ));
    assert!(after(
        &p,
        "replace.vpc_link.link",
        "replace.stage.shop.prod"
    ));
    assert!(after(
        &p,
        "create.vpc_link.link",
        "create.load_balancer.nlb"
    ));
    assert!(after(
        &p,
        "create.listener.nlb.80",
        "create.load_balancer.nlb"
    ));
    // The integration moves to the new link; the stage is deployed again after it.
    let i = p.step("update.integration.shop.GET /products").unwrap();
    assert_eq!(
        i.call.params["connectionId"],
        out("create.vpc_link.link", "VpcLinkId")
    );
    assert!(after(
        &p,
        "create.deployment.shop.prod",
        "update.integration.shop.GET /products"
    ));
    assert!(p.step("update.alarm.unhealthy").is_some());
    // The new listener means the targets register again? No: the target group stays.
    assert!(p.step("register.targets.backend").is_none());
    assert_eq!(p.summary.replace, 3, "{:?}", p.summary);
}

#[test]
fn a_removed_alarm_is_deleted() {
    let current = deployed(&three_tier());
    let desired = edited(|v| {
        v.as_object_mut().unwrap().remove("alarms");
    });
    let p = plan(&desired, Some(&current)).unwrap();
    ok(&p);
    assert_eq!(p.steps.len(), 1);
    let s = &p.steps[0];
    assert_eq!(
        (s.id.as_str(), s.action),
        ("delete.alarm.unhealthy", Action::Delete)
    );
    assert_eq!(s.call.service, "cloudwatch");
    assert_eq!(
        s.call.params["AlarmNames"],
        json!(["shop-unhealthy-targets"])
    );
    assert_eq!(s.resource.path.as_str(), "/alarms/unhealthy");
    assert_eq!(p.summary.delete, 1);
}

#[test]
fn teardown_respects_every_blocker() {
    let current = deployed(&three_tier());
    let p = destroy(&current).unwrap();
    ok(&p);
    assert_eq!(p.mode, PlanMode::Destroy);
    let pairs = [
        // facts §9.4, in its order: alarms first ...
        ("delete.alarm.unhealthy", "delete.target_group.backend"),
        ("delete.alarm.unhealthy", "delete.load_balancer.nlb"),
        // ... the API (stages, integrations) before the VPC link ...
        ("delete.rest_api.shop", "delete.vpc_link.link"),
        // ... the link (waited until gone) before its NLB ...
        ("delete.vpc_link.link", "delete.load_balancer.nlb"),
        // ... the NLB with its listeners before the target group ...
        ("delete.load_balancer.nlb", "delete.target_group.backend"),
        // ... instances, the NLB and cross-group rules before the groups ...
        ("delete.instance.web-1", "delete.security_group.app"),
        ("delete.instance.web-3", "delete.security_group.app"),
        ("delete.load_balancer.nlb", "delete.security_group.nlb"),
        ("revoke.ingress_references.app", "delete.security_group.nlb"),
        ("revoke.egress_references.nlb", "delete.security_group.app"),
        ("revoke.ingress_references.app", "delete.security_group.app"),
        // ... subnets off (here: gone with) their ACLs, then the VPC last.
        ("delete.subnet.private-a", "delete.network_acl.private"),
        ("delete.subnet.nlb-b", "delete.network_acl.nlb"),
        ("delete.instance.web-2", "delete.subnet.private-b"),
        ("delete.load_balancer.nlb", "delete.subnet.nlb-a"),
        ("delete.subnet.private-a", "delete.vpc.app"),
        ("delete.security_group.app", "delete.vpc.app"),
        ("delete.network_acl.nlb", "delete.vpc.app"),
    ];
    for (first, then) in pairs {
        assert!(after(&p, then, first), "{then} must wait for {first}");
    }
    let lb = p.step("delete.load_balancer.nlb").unwrap();
    assert_eq!(
        lb.wait.as_ref().unwrap().success_errors,
        ["LoadBalancerNotFound"]
    );
    let i = p.step("delete.instance.web-1").unwrap();
    assert_eq!(i.wait.as_ref().unwrap().success, ["terminated"]);
    // Every resource is deleted, nothing is created.
    let deleted: BTreeSet<String> = p
        .steps
        .iter()
        .filter(|s| s.action == Action::Delete)
        .map(|s| format!("{}/{}", s.resource.kind, s.resource.id))
        .collect();
    for r in [
        "vpcs/app",
        "subnets/nlb-a",
        "subnets/private-b",
        "security_groups/nlb",
        "network_acls/private",
        "instances/web-2",
        "target_groups/backend",
        "load_balancers/nlb",
        "vpc_links/link",
        "rest_apis/shop",
        "alarms/unhealthy",
    ] {
        assert!(deleted.contains(r), "{r} not deleted: {deleted:?}");
    }
    assert!(p.steps.iter().all(|s| s.action != Action::Create));
    assert_eq!(p.summary.delete, 20);
}

#[test]
fn a_teardown_needs_aws_ids() {
    let e = destroy(&three_tier()).unwrap_err();
    assert_eq!(e.code, PlanErrorCode::MissingAwsId);
    assert!(e.path.is_some(), "{e:?}");
    assert!(
        e.message.contains("aws_id") || e.message.contains("arn"),
        "{}",
        e.message
    );
}

#[test]
fn regions_must_match() {
    let current = edited(|v| v["region"] = json!("eu-west-1"));
    let e = plan(&three_tier(), Some(&current)).unwrap_err();
    assert_eq!(e.code, PlanErrorCode::RegionMismatch);
    assert!(e.message.contains("eu-west-1"), "{}", e.message);
}

#[test]
fn an_invalid_topology_is_refused_with_its_first_errors() {
    let desired = edited(|v| v["subnets"]["private-a"]["vpc"] = json!("nowhere"));
    let e = plan(&desired, None).unwrap_err();
    assert_eq!(e.code, PlanErrorCode::InvalidTopology);
    assert!(e.message.contains("VL0"), "{}", e.message);
    assert_eq!(
        e.path.as_ref().map(|p| p.as_str()),
        Some("/subnets/private-a/vpc")
    );
}

#[test]
fn deploying_through_a_pending_link_is_refused() {
    // The link exists and is PENDING; a route changes, so the stage is deployed again.
    let mut current = deployed(&three_tier());
    current.observed = Some(crate::model::Observed {
        vpc_links: [(
            "link".parse().unwrap(),
            crate::model::ObservedVpcLink {
                status: crate::model::VpcLinkStatus::Pending,
                status_message: None,
            },
        )]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let desired = edited(|v| {
        v["rest_apis"]["shop"]["routes"]["GET /products"]["integration"]["timeout_ms"] =
            json!(10000)
    });
    let e = plan(&desired, Some(&current)).unwrap_err();
    assert_eq!(e.code, PlanErrorCode::LinkNotAvailable);
    assert!(
        e.message.contains("`link`") && e.message.contains("PENDING"),
        "{}",
        e.message
    );
    assert_eq!(
        e.path.as_ref().map(|p| p.as_str()),
        Some("/observed/vpc_links/link/status")
    );
    // Without a deployment there is nothing to refuse.
    let quiet =
        edited(|v| v["target_groups"]["backend"]["health_check"]["interval_seconds"] = json!(10));
    assert!(plan(&quiet, Some(&current)).is_ok());
    // An AVAILABLE link is fine.
    if let Some(o) = current.observed.as_mut() {
        o.vpc_links
            .0
            .values_mut()
            .for_each(|l| l.status = crate::model::VpcLinkStatus::Available);
    }
    let p = plan(&desired, Some(&current)).unwrap();
    ok(&p);
    assert!(p.step("update.integration.shop.GET /products").is_some());
    assert!(after(
        &p,
        "redeploy.stage.shop.prod",
        "update.integration.shop.GET /products"
    ));
}

#[test]
fn existing_resources_are_referenced_not_created() {
    // The VPC and its subnets exist already; everything else is new.
    let desired = edited(|v| {
        v["vpcs"]["app"]["aws_id"] = json!("vpc-0abc");
        for s in ["private-a", "private-b", "nlb-a", "nlb-b"] {
            v["subnets"][s]["aws_id"] = json!(format!("subnet-{s}"));
        }
    });
    let p = plan(&desired, None).unwrap();
    ok(&p);
    assert!(p.step("create.vpc.app").is_none());
    assert!(p.step("create.subnet.private-a").is_none());
    let sg = p.step("create.security_group.app").unwrap();
    assert_eq!(sg.call.params["VpcId"], "vpc-0abc");
    let lb = p.step("create.load_balancer.nlb").unwrap();
    assert_eq!(
        lb.call.params["Subnets"],
        json!(["subnet-nlb-a", "subnet-nlb-b"])
    );
    // The subnet id is known, so the query names it outright.
    let look = p.step("lookup.network_acl_association.private-a").unwrap();
    assert_eq!(
        look.outputs[0].query,
        "NetworkAcls[0].Associations[?SubnetId=='subnet-private-a'].NetworkAclAssociationId | [0]"
    );
    assert!(look.outputs[0].query_join.is_empty());
    assert_eq!(p.unchanged.len(), 5);
}

#[test]
fn security_group_rule_changes_revoke_and_authorize() {
    let current = deployed(&three_tier());
    let desired = edited(|v| {
        v["security_groups"]["nlb"]["ingress"][0]["ports"] = json!("443");
    });
    let p = plan(&desired, Some(&current)).unwrap();
    ok(&p);
    let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["revoke.ingress.nlb", "authorize.ingress.nlb"],
        "{ids:?}"
    );
    let r = p.step("revoke.ingress.nlb").unwrap();
    assert_eq!(r.call.params["GroupId"], "sg-nlb");
    assert_eq!(r.call.params["IpPermissions"][0]["FromPort"], 80);
    let a = p.step("authorize.ingress.nlb").unwrap();
    assert_eq!(a.call.params["IpPermissions"][0]["FromPort"], 443);
}

#[test]
fn nacl_entries_are_created_replaced_and_deleted() {
    let extra = json!({ "rule": 200, "protocol": "tcp", "ports": "443", "cidr": "0.0.0.0/0", "action": "allow" });
    let current = deployed(&edited(|v| {
        v["network_acls"]["nlb"]["ingress"]
            .as_array_mut()
            .unwrap()
            .push(extra);
    }));
    let desired = edited(|v| {
        v["network_acls"]["private"]["ingress"][0]["cidr"] = json!("10.0.96.0/19");
        v["network_acls"]["nlb"]["egress"].as_array_mut().unwrap().push(
            json!({ "rule": 120, "protocol": "tcp", "ports": "443", "cidr": "10.0.0.0/20", "action": "allow" }),
        );
    });
    let p = plan(&desired, Some(&current)).unwrap();
    ok(&p);
    let ops: BTreeSet<(&str, &str)> = p
        .steps
        .iter()
        .map(|s| (s.id.as_str(), s.call.operation.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            (
                "update.network_acl_entry.private.ingress.100",
                "replace_network_acl_entry"
            ),
            (
                "delete.network_acl_entry.nlb.ingress.200",
                "delete_network_acl_entry"
            ),
            (
                "create.network_acl_entry.nlb.egress.120",
                "create_network_acl_entry"
            ),
        ]
        .into_iter()
        .collect()
    );
}

#[test]
fn targets_added_and_removed_register_and_deregister() {
    let current = deployed(&three_tier());
    let desired = edited(|v| {
        let ts = v["target_groups"]["backend"]["targets"]
            .as_array_mut()
            .unwrap();
        ts.remove(2);
        v["instances"]["web-4"] = v["instances"]["web-2"].clone();
        v["target_groups"]["backend"]["targets"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "id": "web-4" }));
        v["instances"].as_object_mut().unwrap().remove("web-3");
    });
    let p = plan(&desired, Some(&current)).unwrap();
    ok(&p);
    let reg = p.step("register.targets.backend").unwrap();
    assert_eq!(
        reg.call.params["Targets"],
        json!([{ "Id": out("create.instance.web-4", "InstanceId") }])
    );
    let dereg = p.step("deregister.targets.backend").unwrap();
    assert_eq!(dereg.action, Action::Deregister);
    assert_eq!(dereg.call.params["Targets"], json!([{ "Id": "i-web-3" }]));
    // Deregistered before it is terminated.
    assert!(after(
        &p,
        "delete.instance.web-3",
        "deregister.targets.backend"
    ));
}

#[test]
fn the_plan_serialises_to_the_documented_shape() {
    let p = plan(&three_tier(), None).unwrap();
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["mode"], "deploy");
    let back: Plan = serde_json::from_value(v).unwrap();
    assert_eq!(back, p);
}

/// The three-tier example served by an HTTP API over a V2 link as well.
fn with_http_api() -> Topology {
    edited(|v| {
        v["security_groups"]["link"] = json!({
            "vpc": "app", "description": "VPC link ENIs",
            "egress": [{ "protocol": "tcp", "ports": "80", "destination": { "security_group": "nlb" } }]
        });
        v["security_groups"]["nlb"]["ingress"]
            .as_array_mut()
            .unwrap()
            .push(
                json!({ "protocol": "tcp", "ports": "80", "source": { "security_group": "link" } }),
            );
        // The link's ENIs sit in the NLB subnets; targets see the NLB's addresses.
        v["vpc_links"]["link2"] = json!({ "name": "shop-link-v2", "subnets": ["nlb-a", "nlb-b"],
                                          "security_groups": ["link"] });
        v["target_groups"]["backend"]["preserve_client_ip"] = json!(false);
        let acl = &mut v["network_acls"]["nlb"];
        acl["egress"].as_array_mut().unwrap().push(
            json!({ "rule": 120, "protocol": "tcp", "ports": "80", "cidr": "10.0.100.0/22", "action": "allow" }),
        );
        acl["ingress"].as_array_mut().unwrap().push(
            json!({ "rule": 120, "protocol": "tcp", "ports": "1024-65535", "cidr": "10.0.100.0/22", "action": "allow" }),
        );
        v["http_apis"] = json!({ "orders": {
            "name": "orders",
            "routes": { "GET /orders": { "integration": {
                "type": "HTTP_PROXY", "vpc_link": "link2", "method": "GET",
                "target": { "load_balancer": "nlb", "port": 80 }, "timeout_ms": 10000 } } },
            "stages": { "$default": { "metrics": true } }
        }});
    })
}

#[test]
fn http_api_over_a_v2_link() {
    let t = with_http_api();
    let errors: Vec<_> = crate::validate(&t)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .map(|d| format!("{} {} {}", d.code, d.path, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let p = plan(&t, None).unwrap();
    ok(&p);
    let link = p.step("create.vpc_link.link2").unwrap();
    assert_eq!(link.call.service, "apigatewayv2");
    assert_eq!(
        link.call.params["SubnetIds"],
        json!([
            out("create.subnet.nlb-a", "SubnetId"),
            out("create.subnet.nlb-b", "SubnetId")
        ])
    );
    assert_eq!(
        link.call.params["SecurityGroupIds"],
        json!([out("create.security_group.link", "GroupId")])
    );
    let w = link.wait.as_ref().unwrap();
    assert_eq!(
        (w.status_query.as_str(), w.message_query.as_deref()),
        ("VpcLinkStatus", Some("VpcLinkStatusMessage"))
    );
    assert_eq!(link.expected_seconds, 120);
    let i = p.step("create.integration.orders.GET /orders").unwrap();
    assert_eq!(i.call.service, "apigatewayv2");
    assert_eq!(
        i.call.params["IntegrationUri"],
        out("create.listener.nlb.80", "ListenerArn")
    );
    assert_eq!(
        i.call.params["ConnectionId"],
        out("create.vpc_link.link2", "VpcLinkId")
    );
    assert_eq!(i.call.params["ConnectionType"], "VPC_LINK");
    assert_eq!(i.call.params["PayloadFormatVersion"], "1.0");
    let r = p.step("create.route.orders.GET /orders").unwrap();
    assert_eq!(
        r.call.params["Target"],
        json!({ "$join": ["integrations/", out("create.integration.orders.GET /orders", "IntegrationId")] })
    );
    let s = p.step("create.stage.orders.$default").unwrap();
    assert_eq!(s.call.params["AutoDeploy"], true);
    assert!(after(
        &p,
        "create.stage.orders.$default",
        "create.route.orders.GET /orders"
    ));
    assert!(after(
        &p,
        "create.stage.orders.$default",
        "create.vpc_link.link2"
    ));
    // Tearing it down deletes the HTTP API before the V2 link, the link before its
    // subnets and group.
    let down = destroy(&deployed(&t)).unwrap();
    ok(&down);
    assert!(after(
        &down,
        "delete.vpc_link.link2",
        "delete.http_api.orders"
    ));
    assert!(after(&down, "delete.subnet.nlb-a", "delete.vpc_link.link2"));
    assert!(after(
        &down,
        "delete.security_group.link",
        "delete.vpc_link.link2"
    ));
}

#[test]
fn the_invariant_check_finds_broken_plans() {
    let good = plan(&three_tier(), None).unwrap();
    ok(&good);
    // A step that no longer waits for the step whose output it reads.
    let mut p = good.clone();
    let l = p
        .steps
        .iter_mut()
        .find(|s| s.id == "create.listener.nlb.80")
        .unwrap();
    l.depends_on.retain(|d| d != "create.target_group.backend");
    assert!(p
        .problems()
        .iter()
        .any(|m| m.contains("does not depend on `create.target_group.backend`")));
    // A reference to an output the step does not declare.
    let mut p = good.clone();
    let tg = p
        .steps
        .iter_mut()
        .find(|s| s.id == "create.target_group.backend")
        .unwrap();
    tg.outputs.retain(|o| o.name != "TargetGroupArn");
    assert!(p.problems().iter().any(|m| m.contains("does not declare")));
    // A wave that runs a step with its dependency.
    let mut p = good.clone();
    let last = p.waves.pop().unwrap();
    p.waves.last_mut().unwrap().steps.extend(last.steps);
    assert!(p
        .problems()
        .iter()
        .any(|m| m.contains("same or a later wave")));
    // A critical path that does not add up.
    let mut p = good;
    p.critical_path.expected_seconds += 1;
    assert!(p.problems().iter().any(|m| m.contains("critical path")));
}

#[test]
fn revokes_and_entry_deletes_are_safe_to_send_again() {
    // Changed rules are revoked as detaches and dropped entries deleted as deletes: sent
    // again after a crash, their `NotFound` answer means done to the executor.
    let current = deployed(&three_tier());
    let desired = edited(|v| {
        v["security_groups"]["nlb"]["ingress"][0]["ports"] = json!("443");
        v["network_acls"]["nlb"]["egress"] = json!([
            { "rule": 100, "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow" }
        ]);
    });
    let p = plan(&desired, Some(&current)).unwrap();
    assert_eq!(
        p.step("revoke.ingress.nlb").unwrap().action,
        Action::Deregister
    );
    assert_eq!(
        p.step("delete.network_acl_entry.nlb.egress.110")
            .unwrap()
            .action,
        Action::Delete
    );
    // The default egress revoke of a new group is found done by an empty rule list.
    let g = plan(&three_tier(), None).unwrap();
    let r = g.step("revoke.default_egress.nlb").unwrap();
    assert_eq!(
        r.lookup.as_ref().unwrap().outputs[0].query,
        "SecurityGroups[?IpPermissionsEgress==`[]`].GroupId | [0]"
    );
}

#[test]
fn a_link_named_by_a_stage_variable_is_resolved_in_the_deployment() {
    let t = edited(|v| {
        let api = &mut v["rest_apis"]["shop"];
        api["routes"]["GET /products"]["integration"]["vpc_link"] = json!("${stageVariables.link}");
        api["stages"]["prod"]["variables"] = json!({ "link": "link", "colour": "blue" });
    });
    let p = plan(&t, None).unwrap();
    ok(&p);
    let i = p.step("create.integration.shop.GET /products").unwrap();
    assert_eq!(i.call.params["connectionId"], "${stageVariables.link}");
    let d = p.step("create.deployment.shop.prod").unwrap();
    assert_eq!(
        d.call.params["variables"],
        json!({ "colour": "blue", "link": out("create.vpc_link.link", "VpcLinkId") })
    );
    assert!(d.depends_on.contains(&"create.vpc_link.link".to_owned()));
}

#[test]
fn a_replaced_v2_link_is_made_first_and_the_route_moves_to_it() {
    let current = deployed(&with_http_api());
    let desired = {
        let mut v = serde_json::to_value(with_http_api()).unwrap();
        v["vpc_links"]["link2"]["security_groups"] = json!(["link", "nlb"]);
        topology_from_value(v).unwrap()
    };
    let p = plan(&desired, Some(&current)).unwrap();
    ok(&p);
    let old = p.step("replace.vpc_link.link2").unwrap();
    assert!(old
        .changes
        .iter()
        .any(|c| c.property == "/security_groups" && c.immutable));
    // A V2 link can be made before the old one goes; the route moves over in between.
    let moved = p.step("update.integration.orders.GET /orders").unwrap();
    assert_eq!(moved.call.operation, "update_integration");
    assert_eq!(
        moved.call.params["ConnectionId"],
        out("create.vpc_link.link2", "VpcLinkId")
    );
    assert_eq!(
        moved.call.params["IntegrationId"],
        out("lookup.route.orders.GET /orders", "IntegrationId")
    );
    assert!(after(
        &p,
        "update.integration.orders.GET /orders",
        "create.vpc_link.link2"
    ));
    assert!(after(
        &p,
        "replace.vpc_link.link2",
        "update.integration.orders.GET /orders"
    ));
    assert!(p.step("delete.http_api.orders").is_none());
}

#[test]
fn the_vpc_default_security_group_is_left_to_its_vpc() {
    let bundle = include_str!("../../../tests/fixtures/live/three-tier.bundle.json");
    let current = crate::import::aws::import_aws_str(bundle).unwrap();
    let defaults: Vec<&str> = current
        .security_groups
        .iter()
        .filter(|(_, g)| g.default)
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(defaults.len(), 1, "the live VPC has one default group");
    let p = crate::plan::destroy(&current).unwrap();
    ok(&p);
    let sg_deletes: Vec<&str> = p
        .steps
        .iter()
        .filter(|s| s.call.operation == "delete_security_group")
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        sg_deletes.len(),
        current.security_groups.len() - 1,
        "{sg_deletes:?}"
    );
    assert!(
        sg_deletes.iter().all(|id| !id.ends_with(defaults[0])),
        "{sg_deletes:?}"
    );
    assert!(p.steps.iter().any(|s| s.call.operation == "delete_vpc"));
}

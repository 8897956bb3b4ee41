//! The live-state importer on a bundle recorded from moto (tests/fixtures/live), on the
//! example in docs/live-state.md, on broken bundles, and on arbitrary input.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use proptest::prelude::*;
use serde_json::{json, Value};

use vpclink_core::diagnose::{diagnose, Symptom, SymptomKind};
use vpclink_core::import::aws::{bundle_schema, import_aws, import_aws_str, looks_like_aws_bundle};
use vpclink_core::model::{Origin, TargetHealthState};
use vpclink_core::{topology_from_json, validate, Severity, Topology};

const BUNDLE: &str = include_str!("../../tests/fixtures/live/three-tier.bundle.json");
const EXAMPLE: &str = include_str!("../../examples/three-tier.json");
const DOC: &str = include_str!("../../docs/live-state.md");

fn bundle() -> Value {
    serde_json::from_str(BUNDLE).unwrap()
}

fn origin(t: &Topology) -> &Origin {
    t.origin.as_ref().expect("imports carry their origin")
}

fn codes(t: &Topology, severity: Severity) -> Vec<String> {
    let mut out: Vec<String> = validate(t)
        .diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| format!("{} {}", d.code, d.path))
        .collect();
    out.sort();
    out
}

// ------------------------------------------------------------------ the recorded bundle

#[test]
fn recorded_bundle_imports_and_checks_like_the_example() {
    let t = import_aws_str(BUNDLE).unwrap();
    let example = topology_from_json(EXAMPLE).unwrap();
    assert_eq!(codes(&t, Severity::Error), Vec::<String>::new());
    assert_eq!(codes(&t, Severity::Warning), Vec::<String>::new());
    // The example's one remark (two targets in us-east-1a, one in us-east-1b, cross-zone
    // off) holds for the recording too, at the imported target group's id.
    assert_eq!(
        codes(&example, Severity::Info),
        ["VL225 /target_groups/backend/targets"]
    );
    assert_eq!(
        codes(&t, Severity::Info),
        ["VL225 /target_groups/shop-backend/targets"]
    );
    let o = origin(&t);
    assert_eq!(o.unknowns, vec![], "everything referenced is in the bundle");
    assert_eq!(o.skipped, vec![]);
}

/// Strips what only one side can have (identity, what the account assigns, AWS's default
/// security group and ACL), so that the rest must be equal.
fn comparable(t: &Topology) -> Value {
    let mut v = serde_json::to_value(t).unwrap();
    let obj = v.as_object_mut().unwrap();
    for k in ["origin", "observed", "account"] {
        obj.remove(k);
    }
    for (_, kind) in obj.iter_mut() {
        let Some(resources) = kind.as_object_mut() else {
            continue;
        };
        // AWS creates a default security group and network ACL with every VPC.
        resources.retain(|_, r| r["default"] != json!(true) && r["name"] != json!("default"));
        for (_, r) in resources.iter_mut() {
            let Some(r) = r.as_object_mut() else { continue };
            // Identity, and what only one side knows: the account assigns ids, addresses
            // and images; what an instance serves cannot be read from the API.
            for k in ["aws_id", "arn", "name", "private_ip", "image_id", "serves"] {
                r.remove(k);
            }
            for l in r
                .get_mut("listeners")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                l.as_object_mut().unwrap().remove("aws_id");
            }
        }
    }
    v
}

fn rename(map: &mut Value, from: &str, to: &str) {
    let m = map.as_object_mut().unwrap();
    let v = m.remove(from).unwrap();
    m.insert(to.to_owned(), v);
}

#[test]
fn recorded_topology_has_the_structure_of_the_example() {
    let imported = import_aws_str(BUNDLE).unwrap();
    let example = topology_from_json(EXAMPLE).unwrap();
    let mut got = comparable(&imported);
    // AWS reports what the example leaves to defaults; each is the default it stands for.
    let g = got.as_object_mut().unwrap();
    let app_egress = g["security_groups"]["app"]
        .as_object_mut()
        .unwrap()
        .remove("egress")
        .unwrap();
    assert_eq!(
        app_egress,
        json!([{ "protocol": "all", "destination": { "cidr": "0.0.0.0/0" } }]),
        "a new group's allow-all egress, which the example leaves out"
    );
    let tg = g["target_groups"]["shop-backend"].as_object_mut().unwrap();
    assert_eq!(
        tg.remove("cross_zone").unwrap(),
        json!("use_load_balancer_configuration")
    );
    let hc = tg["health_check"].as_object_mut().unwrap();
    assert_eq!(hc.remove("enabled").unwrap(), json!(true));
    assert_eq!(
        hc.remove("matcher").unwrap(),
        json!("200"),
        "moto's default matcher"
    );
    let alarm = g["alarms"]["shop-unhealthy-targets"]
        .as_object_mut()
        .unwrap();
    assert_eq!(alarm.remove("namespace").unwrap(), json!("AWS/NetworkELB"));
    let integration = g["rest_apis"]["shop"]["routes"]["GET /products"]["integration"]
        .as_object_mut()
        .unwrap();
    assert_eq!(
        integration.remove("connection_type").unwrap(),
        json!("VPC_LINK")
    );

    // The importer names resources after their AWS names: the example's `nlb`, `backend`,
    // `link` and `unhealthy` are `shop-nlb`, `shop-backend`, `shop-link` and
    // `shop-unhealthy-targets` in the account (the other resources carry Name tags equal to
    // the example's ids, and the VPC is tagged `app`).
    let mut want = comparable(&example);
    let w = &mut want;
    rename(&mut w["load_balancers"], "nlb", "shop-nlb");
    rename(&mut w["target_groups"], "backend", "shop-backend");
    rename(&mut w["vpc_links"], "link", "shop-link");
    rename(&mut w["alarms"], "unhealthy", "shop-unhealthy-targets");
    w["load_balancers"]["shop-nlb"]["listeners"][0]["forward"] = json!("shop-backend");
    w["vpc_links"]["shop-link"]["targets"] = json!(["shop-nlb"]);
    w["rest_apis"]["shop"]["routes"]["GET /products"]["integration"]["vpc_link"] =
        json!("shop-link");
    let alarm = &mut w["alarms"]["shop-unhealthy-targets"];
    alarm["target_group"] = json!("shop-backend");
    alarm["load_balancer"] = json!("shop-nlb");
    assert_eq!(got, want);

    // The same resources, plus the default security group and network ACL.
    assert_eq!(imported.resource_count(), example.resource_count() + 2);
}

#[test]
fn every_resource_remembers_its_aws_id_and_place_in_the_bundle() {
    let t = import_aws_str(BUNDLE).unwrap();
    let o = origin(&t);
    assert_eq!(o.format, vpclink_core::model::SourceFormat::Aws);
    let lines: Vec<&str> = BUNDLE.lines().collect();
    for (key, src) in &o.sources {
        let (line, column) = (src.line.unwrap(), src.column.unwrap());
        // The location is the start of the AWS object, which names the resource.
        let at = &lines[line as usize - 1][column as usize - 1..];
        assert!(at.starts_with('{'), "{key}: {at}");
    }
    let src = |k: &str| o.sources.get(k).unwrap().name.as_str();
    assert_eq!(
        src("/instances/web-1"),
        t.instances.get("web-1").unwrap().aws_id.as_deref().unwrap()
    );
    assert!(
        src("/load_balancers/shop-nlb").ends_with(":loadbalancer/net/shop-nlb/2c3007f99cd7d4be")
    );
    assert!(src("/load_balancers/shop-nlb/listeners/0").contains(":listener/net/shop-nlb/"));
    assert!(src("/rest_apis/shop/routes/GET ~1products").ends_with("/methods/GET"));
    assert!(src("/rest_apis/shop/stages/prod").ends_with("/stages/prod"));
    // Every top-level resource is listed.
    let count = t.vpcs.len()
        + t.subnets.len()
        + t.security_groups.len()
        + t.network_acls.len()
        + t.instances.len()
        + t.load_balancers.len()
        + t.target_groups.len()
        + t.vpc_links.len()
        + t.rest_apis.len()
        + t.alarms.len();
    assert_eq!(
        o.sources.len(),
        count + 3,
        "plus the listener, the route and the stage"
    );
    // The parsed-value entry point gives the same topology, without text positions.
    let from_value = import_aws(&bundle()).unwrap();
    assert!(origin(&from_value)
        .sources
        .values()
        .all(|s| s.line.is_none()));
    assert_eq!(from_value.subnets, t.subnets);
}

#[test]
fn observed_state_comes_from_the_account() {
    let t = import_aws_str(BUNDLE).unwrap();
    let o = t.observed.as_ref().unwrap();
    assert_eq!(
        o.target_health("shop-backend".parse().as_ref().unwrap())
            .len(),
        3
    );
    assert!(o
        .target_health
        .get("shop-backend")
        .unwrap()
        .iter()
        .all(|h| h.state == TargetHealthState::Healthy));
    assert_eq!(o.instances.len(), 3);
    assert!(o.vpc_links.get("shop-link").is_some());
    assert!(o.load_balancers.get("shop-nlb").is_some());
}

/// The bundle with the target registered as `web-2` failing its health checks.
fn with_unhealthy_web2() -> Value {
    let mut b = bundle();
    let web2 = b["responses"]["ec2"]["describe_instances"][0]["response"]["Reservations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["Instances"].as_array().unwrap())
        .find(|i| i["Tags"][0]["Value"] == "web-2")
        .unwrap()["InstanceId"]
        .clone();
    let descriptions = b["responses"]["elbv2"]["describe_target_health"][0]["response"]
        ["TargetHealthDescriptions"]
        .as_array_mut()
        .unwrap();
    let d = descriptions
        .iter_mut()
        .find(|d| d["Target"]["Id"] == web2)
        .unwrap();
    d["TargetHealth"] = json!({
        "State": "unhealthy",
        "Reason": "Target.FailedHealthChecks",
        "Description": "Health checks failed"
    });
    b
}

#[test]
fn an_unhealthy_target_is_the_first_cause_of_503() {
    let t = import_aws(&with_unhealthy_web2()).unwrap();
    let health = t
        .observed
        .as_ref()
        .unwrap()
        .target_health
        .get("shop-backend")
        .unwrap();
    let web2 = health.iter().find(|h| h.target == "web-2").unwrap();
    assert_eq!(web2.state, TargetHealthState::Unhealthy);
    assert_eq!(web2.reason.as_deref(), Some("Target.FailedHealthChecks"));
    assert_eq!(web2.description.as_deref(), Some("Health checks failed"));

    let d = diagnose(&t, &Symptom::new(SymptomKind::Http503));
    let first = d.causes.first().expect("a cause");
    assert_eq!(first.rank, 1);
    assert_eq!(first.id, "targets-reported-unhealthy", "{:#?}", d.causes);
    let evidence = first
        .evidence
        .iter()
        .find(|e| e.code.as_deref() == Some("VL224"))
        .expect("the observed health is the evidence");
    assert_eq!(evidence.resource.id, "shop-backend");
    let index = health.iter().position(|h| h.target == "web-2").unwrap();
    assert_eq!(
        evidence.path.as_str(),
        format!("/observed/target_health/shop-backend/{index}/state")
    );
    assert!(evidence.message.contains("`web-2`"), "{}", evidence.message);
    assert!(!d.configuration_looks_right);

    // The healthy recording has nothing observed to blame.
    let healthy = import_aws_str(BUNDLE).unwrap();
    let d = diagnose(&healthy, &Symptom::new(SymptomKind::Http503));
    assert!(d
        .causes
        .iter()
        .all(|c| c.id != "targets-reported-unhealthy"));
}

/// tests/fixtures/live/README.md: what moto 5.2.5 returns before the recorder's three
/// corrections makes the checks report exactly what that data implies.
#[test]
fn moto_gaps_the_recorder_corrects_show_up_as_findings() {
    let errors_after = |edit: &dyn Fn(&mut String)| {
        let mut text = BUNDLE.to_owned();
        edit(&mut text);
        let t = import_aws_str(&text).unwrap();
        let mut c: Vec<String> = validate(&t)
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.code.to_owned())
            .collect();
        c.dedup();
        c
    };
    // moto's ARNs call the NLB an application load balancer.
    let app_arns = errors_after(&|t| *t = t.replace("/net/shop-nlb/", "/app/shop-nlb/"));
    assert!(app_arns.contains(&"VL102".to_owned()), "{app_arns:?}");
    // moto drops EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: AWS's default, on.
    let enforced = errors_after(&|t| {
        *t = t.replace(
            "\"EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic\": \"off\",",
            "",
        )
    });
    assert_eq!(enforced, ["VL304"]);
    // moto drops the integration's connectionId.
    let no_connection = errors_after(&|t| {
        let mut b: Value = serde_json::from_str(t).unwrap();
        let api = &mut b["responses"]["apigateway"];
        api["get_integration"][0]["response"]
            .as_object_mut()
            .unwrap()
            .remove("connectionId");
        api["get_resources"][0]["response"]["items"][1]["resourceMethods"]["GET"]
            ["methodIntegration"]
            .as_object_mut()
            .unwrap()
            .remove("connectionId");
        *t = b.to_string();
    });
    assert_eq!(
        no_connection,
        ["VL401"],
        "a VPC_LINK integration without its link id"
    );
}

// ------------------------------------------------------------------ the documented example

fn doc_example() -> &'static str {
    let marker = "<!-- live-state-example";
    let after = &DOC[DOC
        .find(marker)
        .expect("docs/live-state.md marks its example")..];
    let start = after.find("```json\n").unwrap() + "```json\n".len();
    let end = after[start..].find("```").unwrap();
    &after[start..start + end]
}

#[test]
fn the_documented_example_imports_as_documented() {
    let text = doc_example();
    let t = import_aws_str(text).unwrap();
    assert_eq!(t.account.as_ref().unwrap().as_str(), "123456789012");
    let subnet = t.subnets.get("private-a").unwrap();
    assert_eq!(subnet.network_acl.as_ref().unwrap().as_str(), "acl-01");
    assert!(t.network_acls.get("acl-01").unwrap().default);
    assert_eq!(
        t.network_acls.get("acl-01").unwrap().ingress.len(),
        1,
        "the * entry is implicit"
    );
    let lb = t.load_balancers.get("shop-nlb").unwrap();
    assert_eq!(lb.cross_zone, Some(true));
    assert_eq!(lb.listeners[0].forward.as_str(), "shop-backend");
    let route = t
        .rest_apis
        .get("shop")
        .unwrap()
        .routes
        .get("GET /products")
        .unwrap();
    assert_eq!(route.integration.vpc_link.as_deref(), Some("shop-link"));
    let alarm = t.alarms.get("shop-unhealthy").unwrap();
    assert_eq!(
        alarm.target_group.as_ref().unwrap().as_str(),
        "shop-backend"
    );
    assert_eq!(alarm.load_balancer.as_ref().unwrap().as_str(), "shop-nlb");
    assert!(alarm.dimensions.is_empty());
    let vpc_src = origin(&t).sources.get("/vpcs/app").unwrap();
    assert_eq!(
        (vpc_src.line, vpc_src.column),
        (Some(11), Some(11)),
        "as the doc shows"
    );
    assert_eq!(codes(&t, Severity::Error), Vec::<String>::new());
    let d = diagnose(&t, &Symptom::new(SymptomKind::Http503));
    assert_eq!(d.causes[0].id, "targets-reported-unhealthy");
}

// ------------------------------------------------------------------ detection and schema

#[test]
fn bundles_are_told_apart_from_topologies_and_templates() {
    assert!(looks_like_aws_bundle(&bundle()));
    assert!(looks_like_aws_bundle(
        &json!({ "responses": { "ec2": {} } })
    ));
    assert!(!looks_like_aws_bundle(
        &serde_json::from_str(EXAMPLE).unwrap()
    ));
    assert!(!looks_like_aws_bundle(
        &json!({ "AWSTemplateFormatVersion": "2010-09-09", "Resources": {} })
    ));
    assert!(!looks_like_aws_bundle(&json!([1, 2])));
}

#[test]
fn the_schema_describes_the_bundle() {
    let s = bundle_schema();
    assert_eq!(s["title"], "vpclink live-state bundle");
    assert_eq!(s["properties"]["format"]["const"], "vpclink-aws-bundle");
    let required: Vec<&str> = s["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for field in ["format", "version", "region", "responses"] {
        assert!(required.contains(&field), "{field} is required");
    }
    let text = s.to_string();
    // Per-resource pages must name their resource.
    assert!(
        text.contains("TargetGroupArn") && text.contains("restApiId"),
        "{text}"
    );
    assert!(text.contains("get_routes"));
}

// ------------------------------------------------------------------ bad bundles

fn error_of(b: &Value) -> (String, String) {
    let e = import_aws(b).unwrap_err();
    (e.path.unwrap_or_default(), e.message)
}

#[test]
fn bad_bundles_name_the_place() {
    let e = import_aws(&json!({ "version": 1 })).unwrap_err();
    assert_eq!(e.path, None, "the whole document");
    let message = e.message;
    assert!(message.contains("format"), "{message}");

    let mut b = bundle();
    b["format"] = json!("cloudformation");
    assert_eq!(error_of(&b).0, "/format");

    let mut b = bundle();
    b["version"] = json!(2);
    let (path, message) = error_of(&b);
    assert_eq!(path, "/version");
    assert!(message.contains("version 2"), "{message}");

    let mut b = bundle();
    b["responses"]["ec2"]["describe_subnets"][0]["response"]["Subnets"][1]["CidrBlock"] =
        json!("10.0.2.7/24");
    let (path, message) = error_of(&b);
    assert_eq!(
        path,
        "/responses/ec2/describe_subnets/0/response/Subnets/1/CidrBlock"
    );
    assert!(message.contains("10.0.2.0/24"), "{message}");

    let mut b = bundle();
    b["responses"]["elbv2"]["describe_target_health"][0]
        .as_object_mut()
        .unwrap()
        .remove("request");
    let (path, message) = error_of(&b);
    assert_eq!(path, "/responses/elbv2/describe_target_health/0");
    assert!(message.contains("request"), "{message}");

    let mut b = bundle();
    b["responses"]["elbv2"]["describe_target_health"][0]["request"] = json!({});
    let (path, message) = error_of(&b);
    assert_eq!(path, "/responses/elbv2/describe_target_health/0/request");
    assert!(message.contains("TargetGroupArn"), "{message}");

    let mut b = bundle();
    b["responses"]["ec2"]["describe_vpcs"] = b["responses"]["ec2"]["describe_vpcs"][0].clone();
    assert_eq!(error_of(&b).0, "/responses/ec2/describe_vpcs");

    let mut b = bundle();
    let entry = &mut b["responses"]["ec2"]["describe_network_acls"][0]["response"]["NetworkAcls"]
        [1]["Entries"][0];
    entry["PortRange"] = json!({ "From": 9000, "To": 80 });
    let (path, message) = error_of(&b);
    assert_eq!(
        path,
        "/responses/ec2/describe_network_acls/0/response/NetworkAcls/1/Entries/0/PortRange"
    );
    assert!(message.contains("9000-80"), "{message}");

    let mut b = bundle();
    b["responses"]["elbv2"]["describe_listeners"][0]["response"]["Listeners"][0]["Port"] =
        json!(70000);
    assert_eq!(
        error_of(&b).0,
        "/responses/elbv2/describe_listeners/0/response/Listeners/0/Port"
    );
}

#[test]
fn text_errors_carry_line_and_column() {
    let e = import_aws_str(
        "{\n  \"format\": \"vpclink-aws-bundle\",\n  \"version\": 1,\n  \"region\": \n}",
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (Some(5), Some(1)));
    assert_eq!(e.path, None);

    // A problem with the whole document points at its opening brace.
    let e = import_aws_str("\n  {\"format\": \"vpclink-aws-bundle\", \"version\": 1}").unwrap_err();
    assert_eq!(
        (e.line, e.column, e.path.as_deref()),
        (Some(2), Some(3), None)
    );
    assert!(e.message.contains("missing field"), "{e}");

    let text = BUNDLE.replacen("\"10.0.2.0/24\"", "\"10.0.2.7/24\"", 1);
    let e = import_aws_str(&text).unwrap_err();
    let line = text
        .lines()
        .position(|l| l.contains("10.0.2.7/24"))
        .unwrap()
        + 1;
    assert_eq!(e.line, Some(line as u32));
    let column = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("\"10.0.2.7")
        .unwrap()
        + 1;
    assert_eq!(e.column, Some(column as u32));
    assert!(
        e.to_string().starts_with(&format!(
            "line {line}, column {column}: at /responses/ec2/describe_subnets/"
        )),
        "{e}"
    );
}

// ------------------------------------------------------------------ partial bundles

#[test]
fn missing_resources_become_unknowns_never_inventions() {
    let mut b = bundle();
    // Without the application's security group: the NLB's egress rule and the instances'
    // group memberships refer to a group the bundle does not hold.
    let groups = b["responses"]["ec2"]["describe_security_groups"][0]["response"]["SecurityGroups"]
        .as_array_mut()
        .unwrap();
    groups.retain(|g| g["GroupName"] != "app");
    // And without the load balancers: the listener, the link's target and the alarm's
    // dimension have nothing to point at.
    b["responses"]["elbv2"]
        .as_object_mut()
        .unwrap()
        .remove("describe_load_balancers");
    let t = import_aws(&b).unwrap();
    assert!(t.security_groups.get("app").is_none());
    assert!(t
        .security_groups
        .get("nlb")
        .unwrap()
        .egress
        .as_ref()
        .unwrap()
        .is_empty());
    assert!(t.instances.get("web-1").unwrap().security_groups.is_empty());
    assert!(t.load_balancers.is_empty());
    assert!(t.vpc_links.get("shop-link").unwrap().targets.is_empty());
    let alarm = t.alarms.get("shop-unhealthy-targets").unwrap();
    assert_eq!(alarm.load_balancer, None);
    assert_eq!(alarm.dimensions[0].name, "LoadBalancer", "kept literally");
    let o = origin(&t);
    let unknown_at = |p: &str| o.unknowns.iter().filter(|u| u.path.as_str() == p).count();
    assert_eq!(unknown_at("/security_groups/nlb/egress"), 1);
    assert_eq!(unknown_at("/instances/web-1/security_groups"), 1);
    assert_eq!(unknown_at("/vpc_links/shop-link/targets"), 1);
    assert!(o
        .unknowns
        .iter()
        .all(|u| !u.reason.is_empty() && !u.expression.is_empty()));
    assert!(o
        .skipped
        .iter()
        .any(|s| s.kind == "AWS::ElasticLoadBalancingV2::Listener"));
    // What is left still forms a topology the engine can check.
    assert!(vpclink_core::graph::build(&t).is_ok());
}

#[test]
fn missing_operations_are_fine_and_unread_ones_are_listed() {
    let t = import_aws(&json!({
        "format": "vpclink-aws-bundle", "version": 1, "region": "eu-west-1",
        "responses": { "sts": { "get_caller_identity": [] }, "ec2": { "describe_route_tables": [] } }
    }))
    .unwrap();
    assert_eq!(t.region.as_str(), "eu-west-1");
    assert_eq!(t.resource_count(), 0);
    let skipped: Vec<&str> = origin(&t).skipped.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        skipped,
        ["sts get_caller_identity", "ec2 describe_route_tables"]
    );
}

#[test]
fn http_apis_need_get_routes_and_take_listener_targets() {
    let mut b = bundle();
    let listener = b["responses"]["elbv2"]["describe_listeners"][0]["response"]["Listeners"][0]
        ["ListenerArn"]
        .clone();
    let subnet =
        b["responses"]["ec2"]["describe_subnets"][0]["response"]["Subnets"][0]["SubnetId"].clone();
    b["responses"]["apigatewayv2"] = json!({
        "get_vpc_links": [ { "request": {}, "response": { "Items": [
            { "VpcLinkId": "v2abc", "Name": "http-link", "SubnetIds": [subnet, "subnet-elsewhere"],
              "SecurityGroupIds": [], "VpcLinkStatus": "PENDING" } ] } } ],
        "get_apis": [ { "request": {}, "response": { "Items": [
            { "ApiId": "h1", "Name": "orders", "ProtocolType": "HTTP" },
            { "ApiId": "w1", "Name": "chat", "ProtocolType": "WEBSOCKET" } ] } } ],
        "get_integrations": [ { "request": { "ApiId": "h1" }, "response": { "Items": [
            { "IntegrationId": "int1", "IntegrationType": "HTTP_PROXY", "ConnectionType": "VPC_LINK",
              "ConnectionId": "v2abc", "IntegrationUri": listener, "IntegrationMethod": "ANY",
              "PayloadFormatVersion": "1.0" } ] } } ]
    });
    let t = import_aws(&b).unwrap();
    let api = t.http_apis.get("orders").unwrap();
    assert!(api.routes.is_empty(), "routes are not in the bundle");
    let o = origin(&t);
    let routes_unknown = o
        .unknowns
        .iter()
        .find(|u| u.path.as_str() == "/http_apis/orders/routes")
        .unwrap();
    assert!(routes_unknown.reason.contains("get_routes"));
    assert!(o.skipped.iter().any(|s| s.name == "w1"));
    let link = t.vpc_links.get("http-link").unwrap();
    assert_eq!(link.subnets.len(), 1);
    assert!(o
        .unknowns
        .iter()
        .any(|u| u.expression == "subnet-elsewhere"));

    b["responses"]["apigatewayv2"]["get_routes"] = json!([ { "request": { "ApiId": "h1" }, "response": { "Items": [
        { "RouteKey": "ANY /orders/{proxy+}", "Target": "integrations/int1", "AuthorizationType": "NONE" } ] } } ]);
    let t = import_aws(&b).unwrap();
    let route = t
        .http_apis
        .get("orders")
        .unwrap()
        .routes
        .get("ANY /orders/{proxy+}")
        .unwrap();
    let target = route.integration.target.as_ref().unwrap();
    assert_eq!(target.load_balancer.as_str(), "shop-nlb");
    assert_eq!(target.port, Some(80));
    assert_eq!(route.integration.vpc_link.as_deref(), Some("http-link"));
    assert_eq!(route.integration.uri, None);
}

#[test]
fn stage_variable_connections_map_their_values_to_link_ids() {
    let mut b = bundle();
    let link_id =
        b["responses"]["apigateway"]["get_vpc_links"][0]["response"]["items"][0]["id"].clone();
    // get_integration wins over the integration embedded by get_resources.
    b["responses"]["apigateway"]["get_integration"][0]["response"]["connectionId"] =
        json!("${stageVariables.link}");
    b["responses"]["apigateway"]["get_stages"][0]["response"]["item"][0]["variables"] =
        json!({ "link": link_id, "colour": "blue" });
    let t = import_aws(&b).unwrap();
    let api = t.rest_apis.get("shop").unwrap();
    let route = api.routes.get("GET /products").unwrap();
    assert_eq!(
        route.integration.vpc_link.as_deref(),
        Some("${stageVariables.link}")
    );
    let vars = &api.stages.get("prod").unwrap().variables;
    assert_eq!(vars.get("link").map(String::as_str), Some("shop-link"));
    assert_eq!(vars.get("colour").map(String::as_str), Some("blue"));
    assert_eq!(codes(&t, Severity::Error), Vec::<String>::new());
}

#[test]
fn less_common_shapes_map_as_documented() {
    let lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/1111";
    let tg_ip = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ips/2222";
    let tg_blue = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/3333";
    let tg_fn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fn/4444";
    let page = |body: Value| json!([{ "request": {}, "response": body }]);
    let b = json!({
        "format": "vpclink-aws-bundle", "version": 1, "region": "us-east-1",
        "responses": {
            "ec2": {
                "describe_vpcs": page(json!({ "Vpcs": [
                    { "VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16",
                      "CidrBlockAssociationSet": [
                          { "CidrBlock": "10.1.0.0/16", "CidrBlockState": { "State": "associated" } },
                          { "CidrBlock": "100.64.0.0/16", "CidrBlockState": { "State": "associated" } },
                          { "CidrBlock": "172.16.0.0/16", "CidrBlockState": { "State": "disassociated" } } ],
                      "Tags": [ { "Key": "Name", "Value": "Edge VPC (prod)" } ] } ] })),
                "describe_subnets": page(json!({ "Subnets": [
                    { "SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "us-east-1a" },
                    { "SubnetId": "subnet-9", "VpcId": "vpc-gone", "CidrBlock": "10.9.1.0/24", "AvailabilityZone": "us-east-1a" } ] })),
                "describe_network_acls": page(json!({ "NetworkAcls": [
                    { "NetworkAclId": "acl-1", "VpcId": "vpc-1", "Associations": [ { "SubnetId": "subnet-1" } ],
                      "Entries": [
                          { "RuleNumber": 90, "Protocol": "17", "RuleAction": "deny", "Egress": false, "CidrBlock": "10.0.0.0/8",
                            "PortRange": { "From": 53, "To": 53 } },
                          { "RuleNumber": 100, "Protocol": "1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0",
                            "IcmpTypeCode": { "Type": -1, "Code": -1 } },
                          { "RuleNumber": 101, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "Ipv6CidrBlock": "::/0" },
                          { "RuleNumber": 32768, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "Ipv6CidrBlock": "::/0" },
                          { "RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": true, "CidrBlock": "0.0.0.0/0" } ] } ] })),
                "describe_security_groups": page(json!({ "SecurityGroups": [
                    { "GroupId": "sg-1", "GroupName": "edge", "VpcId": "vpc-1",
                      "IpPermissions": [
                          { "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                            "Ipv6Ranges": [ { "CidrIpv6": "2001:db8::/32" } ],
                            "PrefixListIds": [ { "PrefixListId": "pl-0abc", "Description": "corp" } ],
                            "UserIdGroupPairs": [ { "GroupId": "sg-peer", "UserId": "999999999999" } ] },
                          { "IpProtocol": "icmp", "FromPort": 8, "ToPort": -1, "IpRanges": [ { "CidrIp": "10.0.0.0/8" } ] } ],
                      "IpPermissionsEgress": [] } ] }))
            },
            "elbv2": {
                "describe_load_balancers": page(json!({ "LoadBalancers": [
                    { "LoadBalancerArn": lb, "LoadBalancerName": "edge", "Type": "network", "Scheme": "internet-facing",
                      "State": { "Code": "failed", "Reason": "no capacity" },
                      "AvailabilityZones": [ { "ZoneName": "us-east-1a", "SubnetId": "subnet-1" } ] } ] })),
                "describe_listeners": page(json!({ "Listeners": [
                    { "ListenerArn": format!("{lb}/l1").replace("loadbalancer/", "listener/"), "LoadBalancerArn": lb,
                      "Port": 443, "Protocol": "TLS",
                      "Certificates": [ { "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc" } ],
                      "DefaultActions": [ { "Type": "forward", "Order": 1, "ForwardConfig": { "TargetGroups": [
                          { "TargetGroupArn": tg_blue, "Weight": 10 }, { "TargetGroupArn": tg_ip, "Weight": 90 } ] } } ] },
                    { "ListenerArn": format!("{lb}/l2").replace("loadbalancer/", "listener/"), "LoadBalancerArn": lb,
                      "Port": 80, "Protocol": "TCP", "DefaultActions": [ { "Type": "fixed-response" } ] } ] })),
                "describe_target_groups": page(json!({ "TargetGroups": [
                    { "TargetGroupArn": tg_ip, "TargetGroupName": "ips", "Protocol": "TCP", "Port": 8443, "VpcId": "vpc-1",
                      "TargetType": "ip", "HealthCheckPort": "9000", "HealthCheckProtocol": "TCP" },
                    { "TargetGroupArn": tg_blue, "TargetGroupName": "blue", "Protocol": "TCP", "Port": 80, "VpcId": "vpc-1" },
                    { "TargetGroupArn": tg_fn, "TargetGroupName": "fn", "TargetType": "lambda" } ] })),
                "describe_target_group_attributes": [
                    { "request": { "TargetGroupArn": tg_ip }, "response": { "Attributes": [
                        { "Key": "preserve_client_ip.enabled", "Value": "true" },
                        { "Key": "load_balancing.cross_zone.enabled", "Value": "false" } ] } } ],
                "describe_target_health": [
                    { "request": { "TargetGroupArn": tg_ip }, "response": { "TargetHealthDescriptions": [
                        { "Target": { "Id": "10.1.1.20", "Port": 8443 }, "TargetHealth": { "State": "healthy" } },
                        { "Target": { "Id": "10.1.1.21", "Port": 9443 },
                          "TargetHealth": { "State": "unused", "Reason": "Target.NotInUse" } },
                        { "Target": { "Id": "10.1.1.99", "Port": 8443 },
                          "TargetHealth": { "State": "unused", "Reason": "Target.NotRegistered" } } ] } } ]
            },
            "apigateway": {
                "get_vpc_links": page(json!({ "items": [
                    { "id": "l1", "name": "edge", "targetArns": [lb], "status": "FAILED",
                      "statusMessage": "NLB ARN is malformed" } ] }))
            },
            "cloudwatch": {
                "describe_alarms": page(json!({
                    "MetricAlarms": [
                        { "AlarmName": "math", "Metrics": [ { "Id": "m1" } ], "Threshold": 1.0 },
                        { "AlarmName": "5xx", "Namespace": "AWS/ApiGateway", "MetricName": "5XXError",
                          "Dimensions": [ { "Name": "ApiName", "Value": "nope" }, { "Name": "Stage", "Value": "prod" } ],
                          "ExtendedStatistic": "p99", "Threshold": 5.0 } ],
                    "CompositeAlarms": [ { "AlarmName": "all" } ] }))
            }
        }
    });
    let t = import_aws(&b).unwrap();
    let vpc = t.vpcs.get("edge-vpc-prod").expect("sanitised Name tag");
    assert_eq!(vpc.secondary_cidrs, ["100.64.0.0/16".parse().unwrap()]);
    let acl = t.network_acls.get("acl-1").unwrap();
    let rules: Vec<String> = acl
        .ingress
        .iter()
        .map(|e| {
            format!(
                "{} {} {:?} {} {:?}",
                e.rule,
                e.protocol,
                e.ports.map(|p| p.to_string()),
                e.cidr,
                e.action
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            "90 udp Some(\"53\") 10.0.0.0/8 Deny",
            "100 icmp None 0.0.0.0/0 Allow",
            "101 all None ::/0 Allow",
        ]
    );
    assert!(acl.egress.is_empty(), "only the implicit deny");
    let sg = t.security_groups.get("edge").unwrap();
    let peers: Vec<String> = sg
        .ingress
        .iter()
        .map(|r| {
            format!(
                "{} {:?} {}",
                r.protocol,
                r.ports.map(|p| p.to_string()),
                serde_json::to_string(&r.source).unwrap()
            )
        })
        .collect();
    assert_eq!(
        peers,
        [
            "tcp Some(\"443\") {\"cidr\":\"2001:db8::/32\"}",
            "tcp Some(\"443\") {\"prefix_list\":\"pl-0abc\"}",
            "icmp None {\"cidr\":\"10.0.0.0/8\"}",
        ]
    );
    assert_eq!(
        sg.egress.as_deref(),
        Some(&[][..]),
        "no outbound rules at all"
    );
    let o = origin(&t);
    let peer = o
        .unknowns
        .iter()
        .find(|u| u.path.as_str() == "/security_groups/edge/ingress")
        .unwrap();
    assert_eq!(peer.expression, "sg-peer in account 999999999999");

    let lb = t.load_balancers.get("edge").unwrap();
    assert_eq!(
        lb.listeners.len(),
        1,
        "the fixed-response listener is skipped"
    );
    let l = &lb.listeners[0];
    assert_eq!(
        l.forward.as_str(),
        "ips",
        "the heaviest of a weighted forward"
    );
    assert_eq!(
        l.certificate.as_deref(),
        Some("arn:aws:acm:us-east-1:123456789012:certificate/abc")
    );
    assert!(o.unknowns.iter().any(|u| u.expression == tg_blue));
    let tg = t.target_groups.get("ips").unwrap();
    assert_eq!(tg.preserve_client_ip, Some(true));
    assert_eq!(
        tg.cross_zone,
        Some(vpclink_core::model::CrossZoneSetting::Off)
    );
    assert_eq!(
        tg.health_check.port,
        vpclink_core::model::HealthCheckPort::Port(9000)
    );
    let targets: Vec<(String, Option<u16>)> =
        tg.targets.iter().map(|t| (t.id.clone(), t.port)).collect();
    assert_eq!(
        targets,
        [("10.1.1.20".into(), None), ("10.1.1.21".into(), Some(9443))]
    );
    let observed = t.observed.as_ref().unwrap();
    assert_eq!(
        observed.target_health.get("ips").unwrap()[1]
            .reason
            .as_deref(),
        Some("Target.NotInUse")
    );
    assert_eq!(
        observed
            .load_balancers
            .get("edge")
            .unwrap()
            .reason
            .as_deref(),
        Some("no capacity")
    );
    let link = observed.vpc_links.get("edge").unwrap();
    assert_eq!(link.status, vpclink_core::model::VpcLinkStatus::Failed);
    assert_eq!(link.status_message.as_deref(), Some("NLB ARN is malformed"));

    let alarm = t.alarms.get("5xx").unwrap();
    assert_eq!(alarm.statistic.as_deref(), Some("p99"));
    assert_eq!(alarm.stage.as_deref(), Some("prod"));
    assert_eq!(alarm.api, None, "no REST API named `nope` in the bundle");
    assert_eq!(alarm.dimensions.len(), 1);
    let skipped: Vec<(&str, &str)> = o
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.kind.as_str()))
        .collect();
    for want in [
        ("subnet-9", "AWS::EC2::Subnet"),
        (tg_fn, "AWS::ElasticLoadBalancingV2::TargetGroup"),
        ("math", "AWS::CloudWatch::Alarm"),
        ("all", "AWS::CloudWatch::Alarm"),
    ] {
        assert!(skipped.contains(&want), "{want:?} in {skipped:?}");
    }
    assert!(vpclink_core::graph::build(&t).is_ok());
}

// ------------------------------------------------------------------ never panics

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        "[a-zA-Z0-9 /:._*${}-]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "vpclink-aws-bundle",
            "us-east-1",
            "10.0.0.0/16",
            "tcp",
            "-1",
            "6",
            "allow",
            "deny",
            "network",
            "internal",
            "forward",
            "HTTP_PROXY",
            "VPC_LINK",
            "unhealthy",
        ])
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "format",
                    "version",
                    "region",
                    "responses",
                    "ec2",
                    "elbv2",
                    "apigateway",
                    "describe_vpcs",
                    "describe_subnets",
                    "request",
                    "response",
                    "Vpcs",
                    "Subnets",
                    "VpcId",
                    "CidrBlock",
                    "items",
                    "id",
                    "Entries",
                    "PortRange",
                ])
                .prop_map(String::from),
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every pointer to a value in `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(
                    c,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                pointers(c, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        let _ = import_aws(&v);
        let _ = looks_like_aws_bundle(&v);
        let _ = import_aws_str(&v.to_string());
    }

    #[test]
    fn arbitrary_values_inside_a_real_bundle_never_panic(pick in any::<prop::sample::Index>(), v in arb_json()) {
        let mut b = bundle();
        let mut all = Vec::new();
        pointers(&b, String::new(), &mut all);
        let at = pick.get(&all).clone();
        if let Some(slot) = b.pointer_mut(&at) {
            *slot = v;
        }
        if let Ok(t) = import_aws(&b) {
            // Whatever imports can be checked and diagnosed without panicking too.
            let _ = validate(&t);
            let _ = diagnose(&t, &Symptom::new(SymptomKind::Http503));
        }
        let _ = import_aws_str(&serde_json::to_string_pretty(&b).unwrap());
    }

    #[test]
    fn truncated_bundle_text_never_panics(cut in 0..BUNDLE.len()) {
        let mut end = cut;
        while !BUNDLE.is_char_boundary(end) {
            end -= 1;
        }
        match import_aws_str(&BUNDLE[..end]) {
            Err(e) => prop_assert!(e.line.is_some(), "{e}"),
            // Only the trailing newline can go without breaking the JSON.
            Ok(_) => prop_assert_eq!(BUNDLE[..end].trim_end(), BUNDLE.trim_end()),
        }
    }
}

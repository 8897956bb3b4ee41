//! Unit tests of the CloudFormation export. Each test renders YAML and reads it back, so
//! they check the text people deploy, not only the value before serialisation.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use serde_json::{json, Value};

use super::*;

fn three_tier_value() -> Value {
    serde_json::from_str(include_str!("../../../../examples/three-tier.json")).unwrap()
}

fn topology(v: Value) -> Topology {
    crate::topology_from_value(v).unwrap()
}

/// The template as YAML text, and that text read back.
fn render(t: &Topology) -> (String, Value) {
    let text = cloudformation(t).unwrap();
    let back: Value = serde_yaml_ng::from_str(&text).unwrap();
    (text, back)
}

fn resources(template: &Value) -> &serde_json::Map<String, Value> {
    template["Resources"].as_object().unwrap()
}

fn of_type<'a>(template: &'a Value, ty: &str) -> Vec<(&'a String, &'a Value)> {
    resources(template)
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .collect()
}

fn refs(logical: &str) -> Value {
    json!({ "Ref": logical })
}

fn att(logical: &str, a: &str) -> Value {
    json!({ "Fn::GetAtt": [logical, a] })
}

/// Logical ids a value refers to with `Ref` or `Fn::GetAtt`.
fn referenced(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(l)) = m.get("Ref") {
                out.push(l.clone());
            }
            if let Some(Value::String(l)) = m.get("Fn::GetAtt").and_then(|a| a.get(0)) {
                out.push(l.clone());
            }
            m.values().for_each(|x| referenced(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| referenced(x, out)),
        _ => {}
    }
}

#[test]
fn three_tier_declares_every_resource_with_its_type() {
    let (_, t) = render(&topology(three_tier_value()));
    assert_eq!(t["AWSTemplateFormatVersion"], "2010-09-09");
    assert!(t["Description"].as_str().unwrap().contains("us-east-1"));
    let r = resources(&t);
    let expect = [
        ("VpcApp", "AWS::EC2::VPC"),
        ("SubnetPrivateA", "AWS::EC2::Subnet"),
        ("SubnetNlbB", "AWS::EC2::Subnet"),
        ("NetworkAclPrivate", "AWS::EC2::NetworkAcl"),
        ("NetworkAclNlbIngress110", "AWS::EC2::NetworkAclEntry"),
        ("NetworkAclNlbEgress100", "AWS::EC2::NetworkAclEntry"),
        (
            "SubnetPrivateANetworkAclAssociation",
            "AWS::EC2::SubnetNetworkAclAssociation",
        ),
        ("SecurityGroupApp", "AWS::EC2::SecurityGroup"),
        ("SecurityGroupAppIngress0", "AWS::EC2::SecurityGroupIngress"),
        ("SecurityGroupNlbEgress0", "AWS::EC2::SecurityGroupEgress"),
        ("InstanceWeb1", "AWS::EC2::Instance"),
        (
            "TargetGroupBackend",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        ),
        (
            "LoadBalancerNlb",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
        ),
        (
            "LoadBalancerNlbListener80",
            "AWS::ElasticLoadBalancingV2::Listener",
        ),
        ("VpcLinkLink", "AWS::ApiGateway::VpcLink"),
        ("RestApiShop", "AWS::ApiGateway::RestApi"),
        ("RestApiShopResourceProducts", "AWS::ApiGateway::Resource"),
        ("RestApiShopMethodGetProducts", "AWS::ApiGateway::Method"),
        ("RestApiShopStageProd", "AWS::ApiGateway::Stage"),
        ("AlarmUnhealthy", "AWS::CloudWatch::Alarm"),
    ];
    for (logical, ty) in expect {
        assert_eq!(r[logical]["Type"], ty, "{logical}");
    }
    // 1 VPC, 4 subnets, 2 ACLs + 6 entries + 4 associations, 2 groups + 2 rules,
    // 3 instances, TG, NLB, listener, link, API + resource + method + deployment + stage,
    // alarm.
    assert_eq!(r.len(), 1 + 4 + 12 + 4 + 3 + 3 + 1 + 5 + 1);
    assert_eq!(of_type(&t, "AWS::ApiGateway::Deployment").len(), 1);
}

#[test]
fn references_wire_the_path_together() {
    let (_, t) = render(&topology(three_tier_value()));
    let r = resources(&t);
    let p = |l: &str| &r[l]["Properties"];
    assert_eq!(p("SubnetNlbA")["VpcId"], refs("VpcApp"));
    assert_eq!(p("SubnetNlbA")["AvailabilityZone"], "us-east-1a");
    assert_eq!(
        p("SubnetPrivateBNetworkAclAssociation")["NetworkAclId"],
        refs("NetworkAclPrivate")
    );
    assert_eq!(p("InstanceWeb2")["SubnetId"], refs("SubnetPrivateB"));
    assert_eq!(
        p("InstanceWeb2")["SecurityGroupIds"],
        json!([att("SecurityGroupApp", "GroupId")])
    );
    // No image in the topology: the SSM public parameter, through a typed parameter.
    assert_eq!(p("InstanceWeb1")["ImageId"], refs("LatestAmiId"));
    assert_eq!(
        t["Parameters"]["LatestAmiId"]["Type"],
        "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
    );
    assert_eq!(
        t["Parameters"]["LatestAmiId"]["Default"],
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    );
    let tg = p("TargetGroupBackend");
    assert_eq!(
        tg["Targets"],
        json!([{ "Id": refs("InstanceWeb1") }, { "Id": refs("InstanceWeb2") }, { "Id": refs("InstanceWeb3") }])
    );
    assert_eq!(tg["HealthCheckProtocol"], "HTTP");
    assert_eq!(tg["HealthCheckPath"], "/health");
    assert_eq!(tg["HealthCheckPort"], "traffic-port");
    assert_eq!(tg["VpcId"], refs("VpcApp"));
    let lb = p("LoadBalancerNlb");
    assert_eq!(lb["Type"], "network");
    assert_eq!(lb["Scheme"], "internal");
    assert_eq!(
        lb["Subnets"],
        json!([refs("SubnetNlbA"), refs("SubnetNlbB")])
    );
    assert_eq!(
        lb["SecurityGroups"],
        json!([att("SecurityGroupNlb", "GroupId")])
    );
    assert_eq!(
        lb["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"],
        "off"
    );
    assert_eq!(
        lb["LoadBalancerAttributes"],
        json!([{ "Key": "load_balancing.cross_zone.enabled", "Value": "false" }])
    );
    let listener = p("LoadBalancerNlbListener80");
    assert_eq!(listener["LoadBalancerArn"], refs("LoadBalancerNlb"));
    assert_eq!(
        listener["DefaultActions"],
        json!([{ "Type": "forward", "TargetGroupArn": refs("TargetGroupBackend") }])
    );
    assert_eq!(
        p("VpcLinkLink")["TargetArns"],
        json!([refs("LoadBalancerNlb")])
    );
    assert_eq!(
        p("RestApiShopResourceProducts")["ParentId"],
        att("RestApiShop", "RootResourceId")
    );
    let method = p("RestApiShopMethodGetProducts");
    assert_eq!(method["ResourceId"], refs("RestApiShopResourceProducts"));
    assert_eq!(method["HttpMethod"], "GET");
    let integration = &method["Integration"];
    assert_eq!(integration["Type"], "HTTP_PROXY");
    assert_eq!(integration["IntegrationHttpMethod"], "GET");
    assert_eq!(integration["Uri"], "http://nlb.internal:80/products");
    assert_eq!(integration["ConnectionType"], "VPC_LINK");
    assert_eq!(integration["ConnectionId"], refs("VpcLinkLink"));
    assert_eq!(integration["TimeoutInMillis"], 29000);
    let alarm = p("AlarmUnhealthy");
    assert_eq!(
        alarm["Dimensions"],
        json!([
            { "Name": "TargetGroup", "Value": att("TargetGroupBackend", "TargetGroupFullName") },
            { "Name": "LoadBalancer", "Value": att("LoadBalancerNlb", "LoadBalancerFullName") }
        ])
    );
    assert_eq!(alarm["Namespace"], "AWS/NetworkELB");
    assert_eq!(alarm["Statistic"], "Maximum");
}

#[test]
fn the_deployment_depends_on_every_method_and_the_stage_on_the_deployment() {
    let mut v = three_tier_value();
    let route = v["rest_apis"]["shop"]["routes"]["GET /products"].clone();
    v["rest_apis"]["shop"]["routes"]["GET /products/{id}"] = route.clone();
    v["rest_apis"]["shop"]["routes"]["ANY /"] = route;
    let (_, t) = render(&topology(v));
    let methods: Vec<String> = of_type(&t, "AWS::ApiGateway::Method")
        .iter()
        .map(|(k, _)| (*k).clone())
        .collect();
    assert_eq!(methods.len(), 3);
    let deployments = of_type(&t, "AWS::ApiGateway::Deployment");
    let [(deployment, d)] = deployments.as_slice() else {
        panic!("one deployment: {deployments:?}")
    };
    let depends: Vec<String> = serde_json::from_value(d["DependsOn"].clone()).unwrap();
    assert_eq!(depends, methods);
    let stage = &resources(&t)["RestApiShopStageProd"]["Properties"];
    assert_eq!(stage["DeploymentId"], refs(deployment));
    assert_eq!(
        stage["MethodSettings"],
        json!([{ "HttpMethod": "*", "ResourcePath": "/*", "LoggingLevel": "INFO", "MetricsEnabled": true }])
    );
    // The root method sits on the root resource; `{id}` gets a resource under /products.
    let r = resources(&t);
    assert_eq!(
        r["RestApiShopMethodAnyRoot"]["Properties"]["ResourceId"],
        att("RestApiShop", "RootResourceId")
    );
    let id_resource = &r["RestApiShopResourceProductsId"]["Properties"];
    assert_eq!(id_resource["PathPart"], "{id}");
    assert_eq!(id_resource["ParentId"], refs("RestApiShopResourceProducts"));
}

#[test]
fn a_changed_route_gets_a_new_deployment() {
    let before = template(&topology(three_tier_value())).unwrap();
    let mut v = three_tier_value();
    v["rest_apis"]["shop"]["routes"]["GET /products"]["integration"]["timeout_ms"] = json!(10000);
    let after = template(&topology(v)).unwrap();
    let name = |t: &Value| of_type(t, "AWS::ApiGateway::Deployment")[0].0.clone();
    assert_ne!(name(&before), name(&after));
    assert!(name(&before).starts_with("RestApiShopDeployment"));
    // Same input, same template.
    assert_eq!(before, template(&topology(three_tier_value())).unwrap());
}

#[test]
fn rest_integrations_never_carry_tls_config() {
    let mut v = three_tier_value();
    v["rest_apis"]["shop"]["routes"]["GET /products"]["integration"]["tls"] =
        json!({ "insecure_skip_verification": true });
    let (text, t) = render(&topology(v));
    assert!(!text.contains("TlsConfig"), "{text}");
    let notes = t["Metadata"]["vpclink"]["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("insecure_skip_verification")),
        "{notes:?}"
    );
}

/// `Metadata.vpclink` keys that carry topology values rather than name a part.
const CARRIED: [&str; 10] = [
    "id",
    "kind",
    "serves",
    "name",
    "logging",
    "namespace",
    "connection_type",
    "authorization",
    "method",
    "defaults",
];

#[test]
fn metadata_gives_back_every_topology_id() {
    let topo = topology(three_tier_value());
    let (_, t) = render(&topo);
    let mut top_level = std::collections::BTreeSet::new();
    for (logical, r) in resources(&t) {
        let m = r["Metadata"]["vpclink"].as_object().unwrap();
        let kind = m["kind"].as_str().unwrap();
        let id = m["id"].as_str().unwrap();
        // Parts name exactly one part key; top-level resources none. Carried values
        // (what no property holds) are not part keys.
        let parts: Vec<&String> = m
            .keys()
            .filter(|k| !CARRIED.contains(&k.as_str()))
            .collect();
        assert!(parts.len() <= 1, "{logical}: {m:?}");
        if parts.is_empty() {
            top_level.insert((kind.to_owned(), id.to_owned()));
        }
    }
    let mut expected = std::collections::BTreeSet::new();
    let v = serde_json::to_value(&topo).unwrap();
    for kind in [
        "vpcs",
        "subnets",
        "security_groups",
        "network_acls",
        "instances",
        "load_balancers",
        "target_groups",
        "vpc_links",
        "rest_apis",
        "alarms",
    ] {
        for id in v[kind].as_object().unwrap().keys() {
            expected.insert((kind.to_owned(), id.clone()));
        }
    }
    assert_eq!(top_level, expected);
    let method = &resources(&t)["RestApiShopMethodGetProducts"]["Metadata"];
    assert_eq!(
        method,
        &json!({ "vpclink": { "id": "shop", "kind": "rest_apis", "route": "GET /products" } })
    );
    assert_eq!(
        resources(&t)["LoadBalancerNlbListener80"]["Metadata"]["vpclink"]["listener"],
        80
    );
}

#[test]
fn metadata_carries_what_no_property_holds() {
    let mut v = three_tier_value();
    v["http_apis"] = json!({ "orders": {
        "routes": { "GET /x": { "integration": { "type": "HTTP_PROXY", "uri": "http://h/" } } },
        "stages": { "$default": { "logging": "ERROR" } }
    }});
    v["load_balancers"]["nlb"]["name"] = json!("nlb");
    let topo = topology(v);
    let (_, t) = render(&topo);
    let r = resources(&t);
    assert_eq!(
        r["InstanceWeb1"]["Metadata"]["vpclink"]["serves"],
        json!([{ "port": 8080, "protocol": "HTTP", "health_path": "/health" }])
    );
    // A name equal to the id is carried (the template would read it as no name); another
    // name is the property alone.
    assert_eq!(r["LoadBalancerNlb"]["Metadata"]["vpclink"]["name"], "nlb");
    assert_eq!(r["RestApiShop"]["Metadata"]["vpclink"]["name"], "shop");
    assert!(r["TargetGroupBackend"]["Metadata"]["vpclink"]
        .get("name")
        .is_none());
    assert!(r["SubnetPrivateA"]["Metadata"]["vpclink"]
        .get("name")
        .is_none());
    assert_eq!(
        r["HttpApiOrdersStageDefault"]["Metadata"]["vpclink"]["logging"],
        "ERROR"
    );
    // Nothing filled in, nothing implied stated: no `defaults`, no carried explicit values.
    let alarm = r["AlarmUnhealthy"]["Metadata"]["vpclink"]
        .as_object()
        .unwrap();
    assert_eq!(alarm.keys().collect::<Vec<_>>(), ["id", "kind"]);
}

#[test]
fn metadata_lists_the_defaults_the_export_filled_in() {
    let mut v = three_tier_value();
    for field in ["statistic", "period_seconds", "load_balancer", "name"] {
        v["alarms"]["unhealthy"]
            .as_object_mut()
            .unwrap()
            .remove(field);
    }
    v["alarms"]["unhealthy"]["namespace"] = json!("AWS/NetworkELB");
    v["instances"]["web-1"]
        .as_object_mut()
        .unwrap()
        .remove("instance_type");
    v["security_groups"]["app"]
        .as_object_mut()
        .unwrap()
        .remove("description");
    let route = &mut v["rest_apis"]["shop"]["routes"]["GET /products"];
    route["integration"]
        .as_object_mut()
        .unwrap()
        .remove("method");
    route["integration"]["connection_type"] = json!("VPC_LINK");
    route["authorization"] = json!("NONE");
    let (_, t) = render(&topology(v));
    let r = resources(&t);
    let alarm = &r["AlarmUnhealthy"];
    // The values CloudWatch needs are still written, and marked as the export's.
    assert_eq!(alarm["Properties"]["Statistic"], "Maximum");
    assert_eq!(alarm["Properties"]["Period"], 60);
    assert_eq!(
        alarm["Metadata"]["vpclink"]["defaults"],
        json!({ "load_balancer": "nlb", "statistic": "Maximum", "period_seconds": 60 })
    );
    assert_eq!(alarm["Metadata"]["vpclink"]["namespace"], "AWS/NetworkELB");
    assert_eq!(
        r["InstanceWeb1"]["Metadata"]["vpclink"]["defaults"],
        json!({ "instance_type": "t3.micro" })
    );
    assert!(r["InstanceWeb2"]["Metadata"]["vpclink"]
        .get("defaults")
        .is_none());
    assert_eq!(
        r["SecurityGroupApp"]["Metadata"]["vpclink"]["defaults"],
        json!({ "description": "vpclink security group app" })
    );
    let method = &r["RestApiShopMethodGetProducts"]["Metadata"]["vpclink"];
    assert_eq!(method["defaults"], json!({ "method": "GET" }));
    assert_eq!(method["connection_type"], "VPC_LINK");
    assert_eq!(method["authorization"], "NONE");
}

#[test]
fn security_group_references_are_separate_rules_so_groups_never_form_a_cycle() {
    let (_, t) = render(&topology(three_tier_value()));
    let groups: Vec<&String> = of_type(&t, "AWS::EC2::SecurityGroup")
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    for (logical, sg) in of_type(&t, "AWS::EC2::SecurityGroup") {
        let mut targets = Vec::new();
        referenced(&sg["Properties"], &mut targets);
        assert!(
            targets.iter().all(|l| !groups.contains(&l)),
            "{logical} names a group inline: {targets:?}"
        );
        assert_eq!(targets, ["VpcApp"], "{logical}");
    }
    let r = resources(&t);
    let ingress = &r["SecurityGroupAppIngress0"]["Properties"];
    assert_eq!(ingress["GroupId"], att("SecurityGroupApp", "GroupId"));
    assert_eq!(
        ingress["SourceSecurityGroupId"],
        att("SecurityGroupNlb", "GroupId")
    );
    assert_eq!(ingress["IpProtocol"], "tcp");
    assert_eq!(
        (&ingress["FromPort"], &ingress["ToPort"]),
        (&json!(8080), &json!(8080))
    );
    let egress = &r["SecurityGroupNlbEgress0"]["Properties"];
    assert_eq!(
        egress["DestinationSecurityGroupId"],
        att("SecurityGroupApp", "GroupId")
    );
    // The NLB group lists its egress (only a group reference): the inline placeholder
    // keeps AWS from adding allow-all. The app group lists none: AWS's default stays.
    let nlb = &r["SecurityGroupNlb"]["Properties"];
    assert_eq!(
        nlb["SecurityGroupEgress"][0]["CidrIp"],
        "255.255.255.255/32"
    );
    assert_eq!(nlb["SecurityGroupIngress"][0]["CidrIp"], "10.0.0.0/16");
    assert!(r["SecurityGroupApp"]["Properties"]
        .get("SecurityGroupEgress")
        .is_none());
}

#[test]
fn nacl_entries_take_protocol_numbers_port_ranges_and_directions() {
    let mut v = three_tier_value();
    v["network_acls"]["private"]["ingress"] = json!([
        { "rule": 100, "protocol": "tcp", "ports": "8080", "cidr": "10.0.100.0/22", "action": "allow" },
        { "rule": 110, "protocol": "udp", "ports": "53", "cidr": "10.0.0.0/16", "action": "allow" },
        { "rule": 120, "protocol": "all", "cidr": "0.0.0.0/0", "action": "deny" },
        { "rule": 130, "protocol": "icmp", "cidr": "10.0.0.0/16", "action": "allow" }
    ]);
    let (_, t) = render(&topology(v));
    let r = resources(&t);
    let e = |l: &str| r[l]["Properties"].clone();
    assert_eq!(e("NetworkAclPrivateIngress100")["Protocol"], 6);
    assert_eq!(
        e("NetworkAclPrivateIngress100")["PortRange"],
        json!({ "From": 8080, "To": 8080 })
    );
    assert_eq!(e("NetworkAclPrivateIngress100")["Egress"], false);
    assert_eq!(e("NetworkAclPrivateIngress110")["Protocol"], 17);
    let all = e("NetworkAclPrivateIngress120");
    assert_eq!(all["Protocol"], -1);
    assert_eq!(all["RuleAction"], "deny");
    assert!(all.get("PortRange").is_none());
    assert_eq!(
        e("NetworkAclPrivateIngress130")["Icmp"],
        json!({ "Code": -1, "Type": -1 })
    );
    assert_eq!(e("NetworkAclPrivateEgress100")["Egress"], true);
    assert_eq!(
        e("NetworkAclPrivateEgress100")["PortRange"],
        json!({ "From": 1024, "To": 65535 })
    );
}

#[test]
fn existing_resources_are_referenced_by_their_literal_ids() {
    let mut v = three_tier_value();
    v["vpcs"]["app"]["aws_id"] = json!("vpc-0123456789abcdef0");
    v["load_balancers"]["nlb"]["arn"] = json!(
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/shop-nlb/50dc6c495c0c9188"
    );
    v["instances"]["web-3"]["aws_id"] = json!("i-0abc");
    let (_, t) = render(&topology(v));
    let r = resources(&t);
    assert!(!r.contains_key("VpcApp"));
    assert!(!r.contains_key("LoadBalancerNlb"));
    assert!(!r.contains_key("InstanceWeb3"));
    assert_eq!(
        r["SubnetNlbA"]["Properties"]["VpcId"],
        "vpc-0123456789abcdef0"
    );
    let arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/shop-nlb/50dc6c495c0c9188";
    assert_eq!(r["VpcLinkLink"]["Properties"]["TargetArns"], json!([arn]));
    // A listener that is not marked existing is still declared, on the existing NLB.
    assert_eq!(
        r["LoadBalancerNlbListener80"]["Properties"]["LoadBalancerArn"],
        arn
    );
    assert_eq!(
        r["TargetGroupBackend"]["Properties"]["Targets"][2],
        json!({ "Id": "i-0abc" })
    );
    assert_eq!(
        r["AlarmUnhealthy"]["Properties"]["Dimensions"][1],
        json!({ "Name": "LoadBalancer", "Value": "net/shop-nlb/50dc6c495c0c9188" })
    );
}

#[test]
fn hostile_names_stay_data() {
    let hostile = "a\"b${x}";
    let html = "<img src=x onerror=alert(1)>";
    let v = json!({
        "version": 1, "region": "us-east-1",
        "vpcs": { hostile: { "cidr": "10.0.0.0/16", "name": html } },
        "subnets": { html: { "vpc": hostile, "az": "us-east-1a", "cidr": "10.0.1.0/24", "name": "on" } },
        "security_groups": { "yes": { "vpc": hostile, "description": "it's \"quoted\"\nand multi-line" } }
    });
    let (text, t) = render(&topology(v));
    let r = resources(&t);
    for logical in r.keys() {
        assert!(
            logical.chars().all(|c| c.is_ascii_alphanumeric()),
            "{logical}"
        );
    }
    let vpc = &r["VpcABX"];
    assert_eq!(vpc["Metadata"]["vpclink"]["id"], hostile);
    assert_eq!(vpc["Properties"]["Tags"][0]["Value"], html);
    let subnet = &r["SubnetImgSrcXOnerrorAlert1"];
    assert_eq!(subnet["Metadata"]["vpclink"]["id"], html);
    assert_eq!(subnet["Properties"]["VpcId"], refs("VpcABX"));
    // YAML 1.1 would read a plain `on` or `yes` as a boolean.
    assert_eq!(subnet["Properties"]["Tags"][0]["Value"], "on");
    assert!(text.contains("Value: 'on'"), "{text}");
    assert_eq!(r["SecurityGroupYes"]["Metadata"]["vpclink"]["id"], "yes");
    assert_eq!(
        r["SecurityGroupYes"]["Properties"]["GroupDescription"],
        "it's \"quoted\"\nand multi-line"
    );
}

#[test]
fn colliding_ids_get_distinct_deterministic_logical_ids() {
    let v = json!({
        "version": 1, "region": "us-east-1",
        "vpcs": {
            "web-1": { "cidr": "10.0.0.0/16" },
            "web_1": { "cidr": "10.1.0.0/16" },
            "web.1": { "cidr": "10.2.0.0/16" }
        }
    });
    let t = topology(v);
    let (_, a) = render(&t);
    let (_, b) = render(&t);
    assert_eq!(a, b);
    let names: Vec<&String> = resources(&a).keys().collect();
    assert_eq!(names.len(), 3);
    // Id order: `web-1` < `web.1` < `web_1`; the first keeps the plain name.
    assert_eq!(names[0], "VpcWeb1");
    assert_eq!(
        *names[1],
        format!("VpcWeb1{}", short_hash("vpcs\u{0}web.1"))
    );
    assert_eq!(
        *names[2],
        format!("VpcWeb1{}", short_hash("vpcs\u{0}web_1"))
    );
    for (logical, r) in resources(&a) {
        let id = r["Metadata"]["vpclink"]["id"].as_str().unwrap();
        assert_eq!(r["Properties"]["Tags"][0]["Value"], id, "{logical}");
    }
}

#[test]
fn http_apis_use_v2_links_listener_arns_and_tls_names() {
    let v = json!({
        "version": 1, "region": "eu-west-1",
        "vpcs": { "app": { "cidr": "10.0.0.0/16" } },
        "subnets": {
            "a": { "vpc": "app", "az": "eu-west-1a", "cidr": "10.0.1.0/24" },
            "b": { "vpc": "app", "az": "eu-west-1b", "cidr": "10.0.2.0/24" }
        },
        "security_groups": { "link": { "vpc": "app", "egress": [
            { "protocol": "tcp", "ports": 443, "destination": { "cidr": "10.0.0.0/16" } } ] } },
        "load_balancers": { "alb": { "type": "application", "scheme": "internal", "subnets": ["a", "b"],
            "security_groups": ["link"],
            "listeners": [ { "port": 443, "protocol": "HTTPS", "forward": "tg",
                             "certificate": "arn:aws:acm:eu-west-1:123456789012:certificate/abc" } ] } },
        "target_groups": { "tg": { "vpc": "app", "protocol": "HTTPS", "port": 8443, "target_type": "ip",
            "targets": [ { "id": "10.0.1.10" } ] } },
        "vpc_links": { "v2": { "subnets": ["a", "b"], "security_groups": ["link"] } },
        "http_apis": { "orders": {
            "routes": {
                "GET /orders": { "integration": { "type": "HTTP_PROXY", "vpc_link": "v2",
                    "target": { "load_balancer": "alb", "port": 443 },
                    "tls": { "server_name_to_verify": "orders.internal" }, "timeout_ms": 10000 } },
                "$default": { "integration": { "type": "HTTP_PROXY", "vpc_link": "v2",
                    "target": { "load_balancer": "alb" } } }
            },
            "stages": { "$default": { "metrics": true } } } },
        "alarms": { "errors": { "metric": "5xx", "api": "orders", "threshold": 1, "statistic": "p99" } }
    });
    let (_, t) = render(&topology(v));
    assert_references_resolve(&t);
    let r = resources(&t);
    let link = &r["VpcLinkV2"];
    assert_eq!(link["Type"], "AWS::ApiGatewayV2::VpcLink");
    assert_eq!(
        link["Properties"]["SubnetIds"],
        json!([refs("SubnetA"), refs("SubnetB")])
    );
    assert_eq!(
        link["Properties"]["SecurityGroupIds"],
        json!([att("SecurityGroupLink", "GroupId")])
    );
    assert_eq!(r["HttpApiOrders"]["Properties"]["ProtocolType"], "HTTP");
    let i = &r["HttpApiOrdersIntegrationGetOrders"]["Properties"];
    assert_eq!(i["ApiId"], refs("HttpApiOrders"));
    assert_eq!(i["IntegrationUri"], refs("LoadBalancerAlbListener443"));
    assert_eq!(i["ConnectionType"], "VPC_LINK");
    assert_eq!(i["ConnectionId"], refs("VpcLinkV2"));
    assert_eq!(i["PayloadFormatVersion"], "1.0");
    assert_eq!(
        i["TlsConfig"],
        json!({ "ServerNameToVerify": "orders.internal" })
    );
    assert_eq!(i["IntegrationMethod"], "GET");
    let route = &r["HttpApiOrdersRouteGetOrders"];
    assert_eq!(route["Properties"]["RouteKey"], "GET /orders");
    assert_eq!(
        route["Properties"]["Target"],
        json!({ "Fn::Join": ["", ["integrations/", refs("HttpApiOrdersIntegrationGetOrders")]] })
    );
    assert_eq!(route["Metadata"]["vpclink"]["route"], "GET /orders");
    let default = &r["HttpApiOrdersIntegrationAnyDefault"]["Properties"];
    assert_eq!(
        default["IntegrationUri"],
        refs("LoadBalancerAlbListener443")
    );
    let stage = &r["HttpApiOrdersStageDefault"]["Properties"];
    assert_eq!(stage["StageName"], "$default");
    assert_eq!(stage["AutoDeploy"], true);
    assert_eq!(
        stage["DefaultRouteSettings"],
        json!({ "DetailedMetricsEnabled": true })
    );
    let alarm = &r["AlarmErrors"]["Properties"];
    assert_eq!(alarm["Namespace"], "AWS/ApiGateway");
    assert_eq!(
        alarm["Dimensions"],
        json!([{ "Name": "ApiId", "Value": refs("HttpApiOrders") }])
    );
    assert_eq!(alarm["ExtendedStatistic"], "p99");
    assert!(alarm.get("Statistic").is_none());
    assert_eq!(
        r["LoadBalancerAlbListener443"]["Properties"]["Certificates"],
        json!([{ "CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }])
    );
}

#[test]
fn stage_variables_naming_links_become_link_references() {
    let mut v = three_tier_value();
    v["rest_apis"]["shop"]["routes"]["GET /products"]["integration"]["vpc_link"] =
        json!("${stageVariables.link}");
    v["rest_apis"]["shop"]["stages"]["prod"]["variables"] =
        json!({ "link": "link", "flag": "off" });
    let (text, t) = render(&topology(v));
    let r = resources(&t);
    let method = &r["RestApiShopMethodGetProducts"]["Properties"]["Integration"];
    assert_eq!(method["ConnectionId"], "${stageVariables.link}");
    let vars = &r["RestApiShopStageProd"]["Properties"]["Variables"];
    assert_eq!(vars["link"], refs("VpcLinkLink"));
    assert_eq!(vars["flag"], "off");
    assert!(text.contains("flag: 'off'"), "{text}");
}

#[test]
fn unresolved_references_and_empty_topologies_are_errors() {
    let mut v = three_tier_value();
    v["subnets"]["nlb-a"]["vpc"] = json!("nope");
    let err = cloudformation(&topology(v)).unwrap_err();
    assert_eq!(err.path.unwrap().as_str(), "/subnets/nlb-a/vpc");
    assert!(err.message.contains("nope"), "{}", err.message);

    let empty = Topology::empty("us-east-1".parse().unwrap());
    let err = cloudformation(&empty).unwrap_err();
    assert!(
        err.message.contains("at least one resource"),
        "{}",
        err.message
    );
}

/// Every `Ref` and `Fn::GetAtt` names a resource, a parameter or a pseudo parameter.
fn assert_references_resolve(t: &Value) {
    let mut targets = Vec::new();
    referenced(&t["Resources"], &mut targets);
    referenced(&t["Outputs"], &mut targets);
    let params = t.get("Parameters").and_then(Value::as_object);
    for l in targets {
        let known = resources(t).contains_key(&l)
            || params.is_some_and(|p| p.contains_key(&l))
            || l.starts_with("AWS::");
        assert!(known, "`{l}` is referenced but not declared");
    }
    for (logical, r) in resources(t) {
        for d in r
            .get("DependsOn")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            assert!(
                resources(t).contains_key(d.as_str().unwrap()),
                "{logical}: {d}"
            );
        }
    }
}

#[test]
fn references_resolve_in_every_rendered_template() {
    assert_references_resolve(&render(&topology(three_tier_value())).1);
    let mut v = three_tier_value();
    v["vpcs"]["app"]["aws_id"] = json!("vpc-0123");
    assert_references_resolve(&render(&topology(v)).1);
}

#[test]
fn generated_topologies_render_one_resource_set_per_cell() {
    let t = crate::synth::topology(200).unwrap();
    let (_, template) = render(&t);
    assert_references_resolve(&template);
    assert_eq!(
        of_type(&template, "AWS::ApiGateway::VpcLink").len(),
        t.vpc_links.len()
    );
    assert_eq!(
        of_type(&template, "AWS::EC2::Instance").len(),
        t.instances.len()
    );
    assert_eq!(
        of_type(&template, "AWS::ApiGateway::Deployment").len(),
        t.rest_apis.len()
    );
}

#[test]
fn subnets_in_secondary_blocks_wait_for_the_block() {
    let mut v = three_tier_value();
    v["vpcs"]["app"]["secondary_cidrs"] = json!(["100.64.0.0/16"]);
    v["subnets"]["extra"] = json!({ "vpc": "app", "az": "us-east-1a", "cidr": "100.64.1.0/24" });
    let (_, t) = render(&topology(v));
    assert_references_resolve(&t);
    let r = resources(&t);
    let block = &r["VpcAppCidr100640016"];
    assert_eq!(block["Type"], "AWS::EC2::VPCCidrBlock");
    assert_eq!(block["Properties"]["CidrBlock"], "100.64.0.0/16");
    assert_eq!(
        block["Metadata"]["vpclink"]["secondary_cidr"],
        "100.64.0.0/16"
    );
    assert_eq!(
        r["SubnetExtra"]["DependsOn"],
        json!(["VpcAppCidr100640016"])
    );
    assert!(r["SubnetPrivateA"].get("DependsOn").is_none());
}

//! Unit tests of the translation: the two examples exported as Terraform import back (as far
//! as the export can carry them), and one test per mapping from configurations built by
//! hand.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::import::terraform::ir::{TfConfig, TfLocation, TfResource, TfValue};
use crate::import::terraform::{import_terraform_config, import_terraform_hcl};
use crate::model::SourceFormat;
use crate::Topology;

// ---------------------------------------------------------------------------------------
// Building configurations.

fn s(v: &str) -> TfValue {
    TfValue::String(v.to_owned())
}
fn n(v: i64) -> TfValue {
    TfValue::Number(v.into())
}
fn b(v: bool) -> TfValue {
    TfValue::Bool(v)
}
fn r(address: &str, attribute: &str) -> TfValue {
    TfValue::Ref {
        address: address.to_owned(),
        attribute: attribute.to_owned(),
    }
}
fn unk(expression: &str, reason: &str) -> TfValue {
    TfValue::Unknown {
        expression: expression.to_owned(),
        reason: reason.to_owned(),
    }
}
fn list(items: Vec<TfValue>) -> TfValue {
    TfValue::List(items)
}
fn map(entries: Vec<(&str, TfValue)>) -> TfValue {
    TfValue::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// A resource at `line` of `main.tf`; its type is the address's type.
fn res(address: &str, line: u32, values: Vec<(&str, TfValue)>) -> TfResource {
    let a = super::names::Address::parse(address).unwrap();
    TfResource {
        address: address.to_owned(),
        kind: a.kind,
        values: values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        location: TfLocation {
            file: Some("main.tf".to_owned()),
            line: Some(line),
            column: Some(1),
        },
    }
}

fn config(resources: Vec<TfResource>) -> TfConfig {
    TfConfig {
        resources,
        region: Some(s("us-east-1")),
        skipped: Vec::new(),
    }
}

fn import(resources: Vec<TfResource>) -> Topology {
    import_terraform_config(&config(resources), None).unwrap_or_else(|e| panic!("{e}"))
}

fn json_of(t: &Topology) -> Value {
    serde_json::to_value(t).unwrap()
}

fn unknowns(t: &Topology) -> Vec<(String, String)> {
    t.origin
        .as_ref()
        .unwrap()
        .unknowns
        .iter()
        .map(|u| (u.path.as_str().to_owned(), u.expression.clone()))
        .collect()
}

fn skipped(t: &Topology) -> Vec<(String, String)> {
    t.origin
        .as_ref()
        .unwrap()
        .skipped
        .iter()
        .map(|s| (s.name.clone(), s.kind.clone()))
        .collect()
}

fn vpc() -> TfResource {
    res("aws_vpc.main", 1, vec![("cidr_block", s("10.0.0.0/16"))])
}

fn subnet(name: &str, az: &str, cidr: &str) -> TfResource {
    res(
        &format!("aws_subnet.{name}"),
        5,
        vec![
            ("vpc_id", r("aws_vpc.main", "id")),
            ("availability_zone", s(az)),
            ("cidr_block", s(cidr)),
        ],
    )
}

fn group(name: &str, values: Vec<(&str, TfValue)>) -> TfResource {
    let mut v = vec![("vpc_id", r("aws_vpc.main", "id"))];
    v.extend(values);
    res(&format!("aws_security_group.{name}"), 10, v)
}

// ---------------------------------------------------------------------------------------
// The examples, exported as Terraform and read back through the HCL reader.

fn example(name: &str) -> Topology {
    let text = match name {
        "three-tier" => include_str!("../../../../../examples/three-tier.json"),
        _ => include_str!("../../../../../examples/http-api.json"),
    };
    crate::topology_from_str(text).unwrap()
}

/// The example exported as Terraform, with `edit` applied to the HCL, imported back:
/// (the example, the import without origin, the origin).
fn round_trip(name: &str, edit: impl Fn(String) -> String) -> (Value, Value, Value) {
    let t = example(name);
    let tf = edit(crate::render::terraform(&t).unwrap());
    let files = BTreeMap::from([("main.tf".to_owned(), tf)]);
    let back = import_terraform_hcl(&files).unwrap_or_else(|e| panic!("{e}"));
    let mut got = json_of(&back);
    let origin = got.as_object_mut().unwrap().remove("origin").unwrap();
    (json_of(&t), got, origin)
}

#[test]
fn the_three_tier_export_imports_back_as_the_example() {
    let (want, got, origin) = round_trip("three-tier", |t| t);
    assert_eq!(got, want, "{}", serde_json::to_string_pretty(&got).unwrap());
    assert_eq!(origin["format"], "terraform");
    // One file names itself; nothing is unknown or skipped.
    assert_eq!(origin["file"], "main.tf");
    assert_eq!(origin.get("unknowns"), None, "{origin}");
    assert_eq!(origin.get("skipped"), None, "{origin}");
    // Sources are Terraform addresses with their line; parts point at their own block.
    let src = &origin["sources"];
    assert_eq!(src["/load_balancers/nlb"]["name"], "aws_lb.nlb");
    assert_eq!(src["/load_balancers/nlb"]["file"], "main.tf");
    assert!(src["/load_balancers/nlb"]["line"].as_u64().unwrap() > 1);
    assert_eq!(
        src["/load_balancers/nlb/listeners/0"]["name"],
        "aws_lb_listener.nlb_80"
    );
    assert_eq!(
        src["/security_groups/app/ingress/0"]["name"],
        "aws_vpc_security_group_ingress_rule.app_0"
    );
    assert_eq!(
        src["/network_acls/nlb/ingress/1"]["name"],
        "aws_network_acl_rule.nlb_ingress_110"
    );
    assert_eq!(
        src["/rest_apis/shop/routes/GET ~1products"]["name"],
        "aws_api_gateway_method.shop_get_products"
    );
    assert_eq!(
        src["/rest_apis/shop/routes/GET ~1products/integration"]["name"],
        "aws_api_gateway_integration.shop_get_products"
    );
    assert_eq!(
        src["/target_groups/backend/targets/2"]["name"],
        "aws_lb_target_group_attachment.backend_web_3"
    );
    assert_eq!(
        src["/subnets/private-a/network_acl"]["name"],
        "aws_network_acl_association.private_a"
    );
}

#[test]
fn the_http_api_export_imports_back_as_the_example() {
    let (want, got, origin) = round_trip("http-api", |t| t);
    assert_eq!(got, want, "{}", serde_json::to_string_pretty(&got).unwrap());
    assert_eq!(origin.get("unknowns"), None, "{origin}");
    assert_eq!(
        origin["sources"]["/http_apis/orders/routes/GET ~1orders"]["name"],
        "aws_apigatewayv2_route.orders_get_orders"
    );
}

/// The export without its `vpclink:serves`, `vpclink:name` and `vpclink:logging` tags.
fn without_carried_tags(text: String) -> String {
    text.lines()
        .filter(|l| {
            let l = l.trim_start();
            ![
                "\"vpclink:serves\"",
                "\"vpclink:name\"",
                "\"vpclink:logging\"",
            ]
            .iter()
            .any(|k| l.starts_with(k))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn vpclink_tags_carry_what_no_argument_holds() {
    // Without the tags, the import lacks exactly what they carry: the ports instances
    // serve, a name equal to the id (the export writes the id where Terraform requires a
    // name) and an HTTP API stage's logging level (HTTP APIs have no execution logging).
    let (want, got, _) = round_trip("three-tier", without_carried_tags);
    let mut lacking = want.clone();
    for (_, i) in lacking["instances"].as_object_mut().unwrap() {
        assert!(i.as_object_mut().unwrap().remove("serves").is_some());
    }
    lacking["rest_apis"]["shop"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    assert_ne!(got, want);
    assert_eq!(
        got,
        lacking,
        "{}",
        serde_json::to_string_pretty(&got).unwrap()
    );

    let (want, got, _) = round_trip("http-api", without_carried_tags);
    let mut lacking = want.clone();
    for (_, i) in lacking["instances"].as_object_mut().unwrap() {
        i.as_object_mut().unwrap().remove("serves");
    }
    let orders = lacking["http_apis"]["orders"].as_object_mut().unwrap();
    orders.remove("name");
    assert!(orders["stages"]["$default"]
        .as_object_mut()
        .unwrap()
        .remove("logging")
        .is_some());
    assert_eq!(
        got,
        lacking,
        "{}",
        serde_json::to_string_pretty(&got).unwrap()
    );
}

#[test]
fn the_clean_exports_raise_no_warning() {
    for name in ["three-tier", "http-api"] {
        let tf = crate::render::terraform(&example(name)).unwrap();
        let files = BTreeMap::from([("main.tf".to_owned(), tf)]);
        let report = crate::validate(&import_terraform_hcl(&files).unwrap());
        let loud: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity >= crate::Severity::Warning)
            .map(|d| format!("{} {}", d.code, d.path))
            .collect();
        assert!(loud.is_empty(), "{name}: {loud:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Ids.

#[test]
fn ids_are_names_with_their_keys_and_modules_where_they_collide() {
    let t = import(vec![
        vpc(),
        subnet("private[0]", "us-east-1a", "10.0.1.0/24"),
        subnet("private[\"b\"]", "us-east-1b", "10.0.2.0/24"),
        res(
            "module.net.aws_subnet.this",
            3,
            vec![
                ("vpc_id", r("aws_vpc.main", "id")),
                ("availability_zone", s("us-east-1a")),
                ("cidr_block", s("10.0.3.0/24")),
            ],
        ),
        res(
            "module.app.aws_subnet.this",
            3,
            vec![
                ("vpc_id", r("aws_vpc.main", "id")),
                ("availability_zone", s("us-east-1a")),
                ("cidr_block", s("10.0.4.0/24")),
            ],
        ),
        res(
            "aws_subnet.tagged",
            3,
            vec![
                ("vpc_id", r("aws_vpc.main", "id")),
                ("availability_zone", s("us-east-1a")),
                ("cidr_block", s("10.0.5.0/24")),
                ("tags", map(vec![("vpclink:id", s("edge"))])),
            ],
        ),
        res("aws_api_gateway_vpc_link.link", 9, vec![]),
        res("aws_apigatewayv2_vpc_link.link", 9, vec![]),
    ]);
    let subnets: Vec<&str> = t.subnets.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        subnets,
        ["app-this", "edge", "net-this", "private-0", "private-b"]
    );
    let links: Vec<&str> = t.vpc_links.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(links, ["link", "link-2"]);
    assert_eq!(
        t.origin.as_ref().unwrap().sources["/subnets/net-this"].name,
        "module.net.aws_subnet.this"
    );
}

// ---------------------------------------------------------------------------------------
// What lies outside the configuration.

#[test]
fn references_outside_become_placeholders_named_by_their_expression() {
    let t = import(vec![
        res(
            "aws_subnet.a",
            1,
            vec![
                ("vpc_id", r("data.aws_vpc.shared", "id")),
                ("availability_zone", s("us-east-1a")),
                ("cidr_block", s("10.9.1.0/24")),
            ],
        ),
        res(
            "aws_lb.nlb",
            7,
            vec![
                ("load_balancer_type", s("network")),
                ("internal", b(true)),
                (
                    "subnets",
                    unk("var.subnet_ids", "variable `subnet_ids` has no default"),
                ),
            ],
        ),
    ]);
    // The data source's VPC is a placeholder named after the expression.
    assert_eq!(
        t.subnets.get("a").unwrap().vpc.as_str(),
        "data-aws-vpc-shared-id"
    );
    let u = unknowns(&t);
    assert!(
        u.contains(&(
            "/vpcs/data-aws-vpc-shared-id".into(),
            "data.aws_vpc.shared.id".into()
        )),
        "{u:?}"
    );
    // An unknown list of subnets stands for two placeholder subnets.
    let lb = t.load_balancers.get("nlb").unwrap();
    assert_eq!(lb.subnets.len(), 2);
    assert!(
        u.contains(&(
            "/load_balancers/nlb/subnets".into(),
            "var.subnet_ids".into()
        )),
        "{u:?}"
    );
    assert!(
        u.contains(&(
            "/subnets/var-subnet-ids-0".into(),
            "var.subnet_ids[0]".into()
        )),
        "{u:?}"
    );
    let reasons: Vec<&str> = t
        .origin
        .as_ref()
        .unwrap()
        .unknowns
        .iter()
        .map(|u| u.reason.as_str())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("variable `subnet_ids` has no default")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .all(|r| !r.contains("template") && !r.contains("parameter `")),
        "{reasons:?}"
    );
    // No finding rests on what is unknown.
    let report = crate::validate(&t);
    assert!(
        !report.has_at_least(crate::Severity::Error),
        "{:?}",
        report.diagnostics
    );
}

#[test]
fn a_provider_without_a_region_is_an_unknown_region() {
    let mut cfg = config(vec![vpc()]);
    cfg.region = Some(unk("var.region", "variable `region` has no default"));
    let t = import_terraform_config(&cfg, None).unwrap();
    assert_eq!(t.region.as_str(), "us-east-1");
    assert_eq!(
        unknowns(&t),
        [("/region".to_owned(), "var.region".to_owned())]
    );
    let mut cfg = config(vec![vpc(), subnet("a", "eu-west-2a", "10.0.1.0/24")]);
    cfg.region = None;
    let t = import_terraform_config(&cfg, None).unwrap();
    // A subnet's zone pins it.
    assert_eq!(t.region.as_str(), "eu-west-2");
    assert!(unknowns(&t).is_empty());
}

// ---------------------------------------------------------------------------------------
// Security groups: Terraform's egress, inline blocks and the three rule resources.

#[test]
fn a_group_without_egress_rules_has_no_egress() {
    let t = import(vec![
        vpc(),
        group("bare", vec![]),
        group("exported", vec![]),
        res(
            "aws_vpc_security_group_egress_rule.exported_all_ipv4",
            20,
            vec![
                ("security_group_id", r("aws_security_group.exported", "id")),
                ("ip_protocol", s("-1")),
                ("cidr_ipv4", s("0.0.0.0/0")),
                ("tags", map(vec![("vpclink:egress", s("default"))])),
            ],
        ),
        group("separate", vec![]),
        res(
            "aws_security_group_rule.separate_out",
            30,
            vec![
                ("type", s("egress")),
                ("security_group_id", r("aws_security_group.separate", "id")),
                ("protocol", s("tcp")),
                ("from_port", n(443)),
                ("to_port", n(443)),
                (
                    "cidr_blocks",
                    list(vec![s("10.1.0.0/16"), s("10.2.0.0/16")]),
                ),
            ],
        ),
    ]);
    let g = |id: &str| json_of(&t)["security_groups"][id].clone();
    // Terraform removes AWS's default rule: nothing goes out.
    assert_eq!(g("bare")["egress"], json!([]));
    // The exporter's declaration of AWS's default is the default.
    assert_eq!(g("exported").get("egress"), None);
    // One rule resource with two CIDRs is two rules.
    assert_eq!(
        g("separate")["egress"],
        json!([
            {"protocol": "tcp", "ports": "443", "destination": {"cidr": "10.1.0.0/16"}},
            {"protocol": "tcp", "ports": "443", "destination": {"cidr": "10.2.0.0/16"}}
        ])
    );
    assert_eq!(
        t.origin.as_ref().unwrap().sources["/security_groups/separate/egress/1"].name,
        "aws_security_group_rule.separate_out"
    );
}

#[test]
fn inline_blocks_expand_per_peer_and_self() {
    let t = import(vec![
        vpc(),
        group("lb", vec![]),
        group(
            "app",
            vec![
                (
                    "ingress",
                    list(vec![map(vec![
                        ("protocol", s("tcp")),
                        ("from_port", n(8080)),
                        ("to_port", n(8080)),
                        (
                            "security_groups",
                            list(vec![r("aws_security_group.lb", "id")]),
                        ),
                        ("self", b(true)),
                        ("description", s("from the NLB and peers")),
                    ])]),
                ),
                (
                    "egress",
                    list(vec![map(vec![
                        ("protocol", s("-1")),
                        ("from_port", n(0)),
                        ("to_port", n(0)),
                        ("cidr_blocks", list(vec![s("0.0.0.0/0")])),
                    ])]),
                ),
            ],
        ),
    ]);
    let app = &json_of(&t)["security_groups"]["app"];
    assert_eq!(
        app["ingress"],
        json!([
            {"protocol": "tcp", "ports": "8080", "source": {"security_group": "lb"}, "description": "from the NLB and peers"},
            {"protocol": "tcp", "ports": "8080", "source": {"security_group": "app"}, "description": "from the NLB and peers"}
        ])
    );
    assert_eq!(
        app["egress"],
        json!([{"protocol": "all", "destination": {"cidr": "0.0.0.0/0"}}])
    );
}

// ---------------------------------------------------------------------------------------
// Network ACLs.

#[test]
fn acl_inline_rules_sort_by_number_and_subnet_ids_associate() {
    let t = import(vec![
        vpc(),
        subnet("a", "us-east-1a", "10.0.1.0/24"),
        res(
            "aws_network_acl.private",
            12,
            vec![
                ("vpc_id", r("aws_vpc.main", "id")),
                ("subnet_ids", list(vec![r("aws_subnet.a", "id")])),
                (
                    "ingress",
                    list(vec![
                        map(vec![
                            ("rule_no", n(200)),
                            ("protocol", s("tcp")),
                            ("action", s("allow")),
                            ("cidr_block", s("10.0.0.0/16")),
                            ("from_port", n(1024)),
                            ("to_port", n(65535)),
                        ]),
                        map(vec![
                            ("rule_no", n(100)),
                            ("protocol", s("-1")),
                            ("action", s("deny")),
                            ("cidr_block", s("192.0.2.0/24")),
                            ("from_port", n(0)),
                            ("to_port", n(0)),
                        ]),
                    ]),
                ),
            ],
        ),
        res(
            "aws_network_acl_rule.out",
            30,
            vec![
                ("network_acl_id", r("aws_network_acl.private", "id")),
                ("rule_number", n(100)),
                ("egress", b(true)),
                ("protocol", s("6")),
                ("rule_action", s("allow")),
                ("cidr_block", s("0.0.0.0/0")),
                ("from_port", n(443)),
                ("to_port", n(443)),
            ],
        ),
    ]);
    let v = json_of(&t);
    let acl = &v["network_acls"]["private"];
    assert_eq!(acl["ingress"][0]["rule"], 100);
    assert_eq!(acl["ingress"][0]["action"], "deny");
    assert_eq!(acl["ingress"][1]["ports"], "1024-65535");
    assert_eq!(
        acl["egress"],
        json!([{"rule": 100, "protocol": "tcp", "ports": "443", "cidr": "0.0.0.0/0", "action": "allow"}])
    );
    assert_eq!(v["subnets"]["a"]["network_acl"], "private");
    let src = &t.origin.as_ref().unwrap().sources;
    assert_eq!(
        src["/network_acls/private/ingress/0"].name,
        "aws_network_acl.private"
    );
    assert_eq!(
        src["/network_acls/private/egress/0"].name,
        "aws_network_acl_rule.out"
    );
}

// ---------------------------------------------------------------------------------------
// Load balancers and target groups.

#[test]
fn attachments_are_targets_and_run_time_registrations_unknown() {
    let tg = |name: &str| {
        res(
            &format!("aws_lb_target_group.{name}"),
            40,
            vec![
                ("vpc_id", r("aws_vpc.main", "id")),
                ("protocol", s("TCP")),
                ("port", n(80)),
            ],
        )
    };
    let t = import(vec![
        vpc(),
        subnet("a", "us-east-1a", "10.0.1.0/24"),
        res(
            "aws_instance.web",
            30,
            vec![
                ("subnet_id", r("aws_subnet.a", "id")),
                ("private_ip", s("10.0.1.10")),
            ],
        ),
        tg("static"),
        tg("ecs"),
        res(
            "aws_lb_target_group_attachment.web",
            50,
            vec![
                ("target_group_arn", r("aws_lb_target_group.static", "arn")),
                ("target_id", r("aws_instance.web", "id")),
                ("port", n(8080)),
            ],
        ),
        res(
            "aws_ecs_service.api",
            60,
            vec![(
                "load_balancer",
                list(vec![map(vec![(
                    "target_group_arn",
                    r("aws_lb_target_group.ecs", "arn"),
                )])]),
            )],
        ),
        res("aws_elb.classic", 70, vec![]),
    ]);
    let targets = &json_of(&t)["target_groups"]["static"]["targets"];
    assert_eq!(targets, &json!([{"id": "web", "port": 8080}]));
    assert!(
        unknowns(&t).contains(&(
            "/target_groups/ecs/targets".into(),
            "aws_ecs_service.api".into()
        )),
        "{:?}",
        unknowns(&t)
    );
    assert_eq!(
        skipped(&t),
        [
            (
                "aws_ecs_service.api".to_owned(),
                "aws_ecs_service".to_owned()
            ),
            ("aws_elb.classic".to_owned(), "aws_elb".to_owned())
        ]
    );
}

#[test]
fn an_interpolated_uri_reads_the_load_balancer_dns_name() {
    let t = import(vec![
        vpc(),
        subnet("a", "us-east-1a", "10.0.1.0/24"),
        res(
            "aws_lb.nlb",
            3,
            vec![
                ("load_balancer_type", s("network")),
                ("internal", b(true)),
                ("subnets", list(vec![r("aws_subnet.a", "id")])),
            ],
        ),
        res("aws_api_gateway_rest_api.api", 5, vec![("name", s("api"))]),
        res(
            "aws_api_gateway_method.root",
            6,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                (
                    "resource_id",
                    r("aws_api_gateway_rest_api.api", "root_resource_id"),
                ),
                ("http_method", s("GET")),
                ("authorization", s("NONE")),
            ],
        ),
        res(
            "aws_api_gateway_integration.root",
            7,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                (
                    "resource_id",
                    r("aws_api_gateway_rest_api.api", "root_resource_id"),
                ),
                (
                    "http_method",
                    r("aws_api_gateway_method.root", "http_method"),
                ),
                ("type", s("HTTP_PROXY")),
                ("integration_http_method", s("GET")),
                (
                    "uri",
                    unk(
                        "\"http://${aws_lb.nlb.dns_name}:8080/${var.path}\"",
                        "`var.path` is unknown",
                    ),
                ),
            ],
        ),
        res(
            "aws_api_gateway_integration.other",
            8,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                (
                    "resource_id",
                    r("aws_api_gateway_rest_api.api", "root_resource_id"),
                ),
                ("http_method", s("GET")),
                ("type", s("HTTP_PROXY")),
                (
                    "uri",
                    unk(
                        "\"http://${aws_lb.nlb.dns_name}:80/\"",
                        "an attribute known after apply",
                    ),
                ),
            ],
        ),
    ]);
    // A variable in the template keeps the whole URI unknown; plain attributes are read.
    let route = &json_of(&t)["rest_apis"]["api"]["routes"]["GET /"];
    assert_eq!(
        route["integration"]["uri"],
        "http://${aws_lb.nlb.dns_name}:8080/${var.path}"
    );
    assert!(unknowns(&t).contains(&(
        "/rest_apis/api/routes/GET ~1/integration/uri".to_owned(),
        "\"http://${aws_lb.nlb.dns_name}:8080/${var.path}\"".to_owned()
    )));
    // The second integration names the same method: it is skipped.
    assert!(skipped(&t).contains(&(
        "aws_api_gateway_integration.other".to_owned(),
        "aws_api_gateway_integration".to_owned()
    )));

    let t = import(vec![
        vpc(),
        subnet("a", "us-east-1a", "10.0.1.0/24"),
        res(
            "aws_lb.nlb",
            3,
            vec![
                ("load_balancer_type", s("network")),
                ("internal", b(true)),
                ("subnets", list(vec![r("aws_subnet.a", "id")])),
            ],
        ),
        res("aws_api_gateway_rest_api.api", 5, vec![("name", s("api"))]),
        res(
            "aws_api_gateway_method.root",
            6,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                (
                    "resource_id",
                    r("aws_api_gateway_rest_api.api", "root_resource_id"),
                ),
                ("http_method", s("GET")),
            ],
        ),
        res(
            "aws_api_gateway_integration.root",
            8,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                (
                    "resource_id",
                    r("aws_api_gateway_rest_api.api", "root_resource_id"),
                ),
                ("http_method", s("GET")),
                ("type", s("HTTP_PROXY")),
                (
                    "uri",
                    unk("\"http://${aws_lb.nlb.dns_name}:80/\"", "known after apply"),
                ),
            ],
        ),
    ]);
    let route = &json_of(&t)["rest_apis"]["api"]["routes"]["GET /"];
    assert_eq!(
        route["integration"]["uri"],
        "http://internal-nlb.elb.us-east-1.amazonaws.com:80/"
    );
}

// ---------------------------------------------------------------------------------------
// API Gateway.

#[test]
fn method_settings_join_their_stage_and_integrations_their_method() {
    let t = import(vec![
        res(
            "aws_api_gateway_rest_api.api",
            1,
            vec![("name", s("orders"))],
        ),
        res(
            "aws_api_gateway_resource.items",
            2,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                (
                    "parent_id",
                    r("aws_api_gateway_rest_api.api", "root_resource_id"),
                ),
                ("path_part", s("items")),
            ],
        ),
        res(
            "aws_api_gateway_method.post",
            3,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                ("resource_id", r("aws_api_gateway_resource.items", "id")),
                ("http_method", s("POST")),
                ("authorization", s("AWS_IAM")),
            ],
        ),
        res(
            "aws_api_gateway_integration.post",
            4,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                ("resource_id", r("aws_api_gateway_resource.items", "id")),
                ("http_method", s("POST")),
                ("type", s("HTTP")),
                ("integration_http_method", s("POST")),
                ("uri", s("https://backend.example.com/items")),
                ("timeout_milliseconds", n(10000)),
            ],
        ),
        res(
            "aws_api_gateway_stage.live",
            5,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                ("stage_name", s("live")),
                ("variables", map(vec![("backend", s("blue"))])),
            ],
        ),
        res(
            "aws_api_gateway_method_settings.all",
            6,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                ("stage_name", r("aws_api_gateway_stage.live", "stage_name")),
                ("method_path", s("*/*")),
                (
                    "settings",
                    list(vec![map(vec![
                        ("logging_level", s("ERROR")),
                        ("metrics_enabled", b(true)),
                    ])]),
                ),
            ],
        ),
    ]);
    let api = &json_of(&t)["rest_apis"]["api"];
    assert_eq!(
        api["routes"]["POST /items"],
        json!({"integration": {"type": "HTTP", "uri": "https://backend.example.com/items",
                               "method": "POST", "timeout_ms": 10000},
               "authorization": "AWS_IAM"})
    );
    assert_eq!(
        api["stages"]["live"],
        json!({"logging": "ERROR", "metrics": true, "variables": {"backend": "blue"}})
    );
}

#[test]
fn an_http_route_finds_its_integration_through_the_target_template() {
    let api = |name: &str| r(&format!("aws_apigatewayv2_api.{name}"), "id");
    let t = import(vec![
        res(
            "aws_apigatewayv2_api.http",
            1,
            vec![("name", s("http")), ("protocol_type", s("HTTP"))],
        ),
        res(
            "aws_apigatewayv2_integration.a",
            2,
            vec![
                ("api_id", api("http")),
                ("integration_type", s("HTTP_PROXY")),
                ("integration_method", s("ANY")),
                ("integration_uri", s("https://a.example.com")),
            ],
        ),
        res(
            "aws_apigatewayv2_route.a",
            3,
            vec![
                ("api_id", api("http")),
                ("route_key", s("ANY /a")),
                (
                    "target",
                    unk(
                        "\"integrations/${aws_apigatewayv2_integration.a.id}\"",
                        "known after apply",
                    ),
                ),
            ],
        ),
        res(
            "aws_apigatewayv2_integration.b",
            4,
            vec![
                ("api_id", api("http")),
                ("integration_type", s("HTTP_PROXY")),
                ("integration_method", s("GET")),
                ("integration_uri", s("https://b.example.com")),
            ],
        ),
        res(
            "aws_apigatewayv2_route.b",
            5,
            vec![
                ("api_id", api("http")),
                ("route_key", s("GET /b")),
                ("target", r("aws_apigatewayv2_integration.b", "id")),
            ],
        ),
    ]);
    let routes = &json_of(&t)["http_apis"]["http"]["routes"];
    assert_eq!(
        routes["ANY /a"]["integration"]["uri"],
        "https://a.example.com"
    );
    assert_eq!(
        routes["GET /b"]["integration"]["uri"],
        "https://b.example.com"
    );
}

// ---------------------------------------------------------------------------------------
// Errors.

#[test]
fn errors_name_the_address_argument_file_and_line() {
    let mut tg = res(
        "module.net.aws_lb_target_group.this[0]",
        17,
        vec![("protocol", s("TCP")), ("port", s("eighty"))],
    );
    tg.location.file = Some("modules/net/main.tf".to_owned());
    tg.location.column = Some(3);
    let e = import_terraform_config(&config(vec![vpc(), tg]), None).unwrap_err();
    assert_eq!(e.format, SourceFormat::Terraform);
    assert_eq!((e.line, e.column), (Some(17), Some(3)));
    assert_eq!(e.path, None);
    assert!(e.message.starts_with("modules/net/main.tf: "), "{e}");
    assert!(
        e.message
            .contains("`port` of `module.net.aws_lb_target_group.this[0]` must be a number"),
        "{e}"
    );
    assert!(!e.message.contains("Resources"), "{e}");
}

#[test]
fn method_settings_of_a_deployment_stage_join_it() {
    // The deprecated `stage_name` of a deployment creates the stage itself.
    let t = import(vec![
        res(
            "aws_api_gateway_rest_api.api",
            1,
            vec![("name", s("orders"))],
        ),
        res(
            "aws_api_gateway_method.get",
            3,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                (
                    "resource_id",
                    r("aws_api_gateway_rest_api.api", "root_resource_id"),
                ),
                ("http_method", s("GET")),
            ],
        ),
        res(
            "aws_api_gateway_integration.get",
            4,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                (
                    "resource_id",
                    r("aws_api_gateway_rest_api.api", "root_resource_id"),
                ),
                ("http_method", s("GET")),
                ("type", s("MOCK")),
            ],
        ),
        res(
            "aws_api_gateway_deployment.api",
            5,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                ("stage_name", s("v1")),
            ],
        ),
        res(
            "aws_api_gateway_method_settings.all",
            6,
            vec![
                ("rest_api_id", r("aws_api_gateway_rest_api.api", "id")),
                ("stage_name", s("v1")),
                ("method_path", s("*/*")),
                (
                    "settings",
                    list(vec![map(vec![("logging_level", s("INFO"))])]),
                ),
            ],
        ),
    ]);
    let api = &json_of(&t)["rest_apis"]["api"];
    assert_eq!(api["stages"]["v1"], json!({"logging": "INFO"}));
    assert_eq!(api["routes"]["GET /"]["integration"]["type"], "MOCK");
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn count_vars() -> TfConfig {
        let files = BTreeMap::from([
            (
                "main.tf".to_owned(),
                include_str!("../testdata/count-vars/main.tf").to_owned(),
            ),
            (
                "variables.tf".to_owned(),
                include_str!("../testdata/count-vars/variables.tf").to_owned(),
            ),
        ]);
        crate::import::terraform::hcl::read(&files).unwrap()
    }

    fn any_value() -> impl Strategy<Value = TfValue> {
        let leaf = prop_oneof![
            Just(TfValue::Null),
            any::<bool>().prop_map(TfValue::Bool),
            any::<i32>().prop_map(|n| TfValue::Number(n.into())),
            "[a-zA-Z0-9./:${}\"-]{0,16}".prop_map(TfValue::String),
            (
                prop_oneof![
                    Just("aws_vpc.main"),
                    Just("aws_subnet.private[1]"),
                    Just("aws_lb.nlb"),
                    Just("aws_instance.app"),
                    Just("data.aws_vpc.x"),
                    Just("aws_nothing.here"),
                ],
                prop_oneof![
                    Just("id"),
                    Just("arn"),
                    Just("arn_suffix"),
                    Just("name"),
                    Just("")
                ],
            )
                .prop_map(|(a, b)| r(a, b)),
            "[ -~]{0,24}".prop_map(|e| unk(&e, "random")),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(TfValue::List),
                prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4).prop_map(TfValue::Map),
            ]
        })
    }

    const KEYS: [&str; 12] = [
        "vpc_id",
        "subnets",
        "subnet_id",
        "ingress",
        "egress",
        "health_check",
        "dimensions",
        "port",
        "protocol",
        "target_arns",
        "uri",
        "default_action",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Whatever a reader puts in a resource, the translation imports it or explains
        /// the problem in Terraform terms; it never panics.
        #[test]
        fn any_values_translate_or_fail_cleanly(
            edits in prop::collection::vec((0usize..64, 0usize..KEYS.len(), any_value()), 1..6)
        ) {
            let mut cfg = count_vars();
            let n = cfg.resources.len();
            for (at, key, v) in edits {
                cfg.resources[at % n].values.insert(KEYS[key].to_owned(), v);
            }
            if let Err(e) = import_terraform_config(&cfg, None) {
                prop_assert_eq!(e.format, SourceFormat::Terraform);
                prop_assert!(!e.message.contains("/Resources/"), "{}", e.message);
                prop_assert_eq!(e.path, None);
            }
        }
    }
}

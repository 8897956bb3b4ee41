//! The Terraform export parses with an independent HCL parser (hcl-rs; terraform itself is
//! not available here), declares the blocks the topology needs, and gives back every
//! topology id through its `vpclink:id` tags — hostile ids included, byte for byte.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test harness: it reads the example and fails loudly on a bad export"
)]

use std::collections::{BTreeMap, BTreeSet};

use hcl::{Block, Body, Expression, ObjectKey};
use vpclink_conformance::workspace_root;
use vpclink_core::Topology;

fn three_tier() -> Topology {
    let path = workspace_root().join("examples/three-tier.json");
    let text = std::fs::read_to_string(&path).unwrap();
    vpclink_core::topology_from_json(&text).unwrap()
}

fn parse(topology: &Topology) -> Body {
    let text = vpclink_core::render::terraform(topology).unwrap();
    hcl::parse(&text).unwrap_or_else(|e| panic!("the export is not HCL: {e}\n{text}"))
}

/// `resource "<type>" "<name>"` blocks, by (type, name).
fn resources(body: &Body) -> BTreeMap<(String, String), &Block> {
    let mut out = BTreeMap::new();
    for b in body.blocks().filter(|b| b.identifier() == "resource") {
        let labels: Vec<&str> = b.labels().iter().map(|l| l.as_str()).collect();
        let [ty, name] = labels.as_slice() else {
            panic!("a resource block needs a type and a name: {labels:?}")
        };
        let previous = out.insert(((*ty).to_owned(), (*name).to_owned()), b);
        assert!(previous.is_none(), "{ty}.{name} is declared twice");
    }
    out
}

fn attr<'a>(block: &'a Block, key: &str) -> Option<&'a Expression> {
    block
        .body()
        .attributes()
        .find(|a| a.key() == key)
        .map(|a| a.expr())
}

fn string(e: &Expression) -> &str {
    match e {
        Expression::String(s) => s,
        other => panic!("expected a plain string, got {other:?}"),
    }
}

/// An expression as text without whitespace (hcl-rs lays lists out over lines).
fn compact(e: &Expression) -> String {
    e.to_string().split_whitespace().collect()
}

/// The `tags` object as plain strings.
fn tags(block: &Block) -> BTreeMap<String, String> {
    let Some(Expression::Object(obj)) = attr(block, "tags") else {
        return BTreeMap::new();
    };
    obj.iter()
        .map(|(k, v)| {
            let key = match k {
                ObjectKey::Identifier(i) => i.as_str().to_owned(),
                ObjectKey::Expression(e) => string(e).to_owned(),
                other => panic!("unexpected key {other:?}"),
            };
            (key, string(v).to_owned())
        })
        .collect()
}

/// `vpclink:` tag keys that carry topology values rather than name a part.
const CARRIED: [&str; 5] = [
    "vpclink:id",
    "vpclink:kind",
    "vpclink:serves",
    "vpclink:name",
    "vpclink:logging",
];

/// (kind, id) of every resource the tags name as a whole topology resource (no part key).
fn tagged_ids(body: &Body) -> BTreeSet<(String, String)> {
    resources(body)
        .values()
        .map(|b| tags(b))
        .filter(|t| t.contains_key("vpclink:id"))
        .filter(|t| {
            !t.keys()
                .any(|k| k.starts_with("vpclink:") && !CARRIED.contains(&k.as_str()))
        })
        .map(|t| (t["vpclink:kind"].clone(), t["vpclink:id"].clone()))
        .collect()
}

#[test]
fn three_tier_export_parses_and_declares_the_private_path() {
    let body = parse(&three_tier());

    let terraform = body
        .blocks()
        .find(|b| b.identifier() == "terraform")
        .unwrap();
    let providers = terraform
        .body()
        .blocks()
        .find(|b| b.identifier() == "required_providers")
        .unwrap();
    let Some(Expression::Object(aws)) = attr(providers, "aws") else {
        panic!("required_providers.aws is an object")
    };
    let field = |name: &str| {
        aws.iter()
            .find(|(k, _)| matches!(k, ObjectKey::Identifier(i) if i.as_str() == name))
            .map(|(_, v)| string(v).to_owned())
    };
    assert_eq!(field("source").as_deref(), Some("hashicorp/aws"));
    assert_eq!(field("version").as_deref(), Some(">= 5.0"));
    let provider = body
        .blocks()
        .find(|b| b.identifier() == "provider")
        .unwrap();
    assert_eq!(provider.labels()[0].as_str(), "aws");
    assert_eq!(string(attr(provider, "region").unwrap()), "us-east-1");
    let data = body.blocks().find(|b| b.identifier() == "data").unwrap();
    assert_eq!(
        string(attr(data, "name").unwrap()),
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    );

    let r = resources(&body);
    let types: BTreeMap<&str, usize> = r.keys().fold(BTreeMap::new(), |mut m, (ty, _)| {
        *m.entry(ty.as_str()).or_default() += 1;
        m
    });
    let expected: BTreeMap<&str, usize> = [
        ("aws_vpc", 1),
        ("aws_subnet", 4),
        ("aws_network_acl", 2),
        ("aws_network_acl_rule", 6),
        ("aws_network_acl_association", 4),
        ("aws_security_group", 2),
        ("aws_vpc_security_group_ingress_rule", 2),
        ("aws_vpc_security_group_egress_rule", 2),
        ("aws_instance", 3),
        ("aws_lb_target_group", 1),
        ("aws_lb_target_group_attachment", 3),
        ("aws_lb", 1),
        ("aws_lb_listener", 1),
        ("aws_api_gateway_vpc_link", 1),
        ("aws_api_gateway_rest_api", 1),
        ("aws_api_gateway_resource", 1),
        ("aws_api_gateway_method", 1),
        ("aws_api_gateway_integration", 1),
        ("aws_api_gateway_deployment", 1),
        ("aws_api_gateway_stage", 1),
        ("aws_api_gateway_method_settings", 1),
        ("aws_cloudwatch_metric_alarm", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(types, expected);

    // The wiring, as parsed expressions.
    let key = |ty: &str, name: &str| (ty.to_owned(), name.to_owned());
    let integration = r[&key("aws_api_gateway_integration", "shop_get_products")];
    assert_eq!(
        string(attr(integration, "connection_type").unwrap()),
        "VPC_LINK"
    );
    assert_eq!(
        compact(attr(integration, "connection_id").unwrap()),
        "aws_api_gateway_vpc_link.link.id"
    );
    assert_eq!(
        compact(attr(r[&key("aws_api_gateway_vpc_link", "link")], "target_arns").unwrap()),
        "[aws_lb.nlb.arn]"
    );
    let deployment = r[&key("aws_api_gateway_deployment", "shop")];
    let lifecycle = deployment
        .body()
        .blocks()
        .find(|b| b.identifier() == "lifecycle")
        .unwrap();
    assert_eq!(
        attr(lifecycle, "create_before_destroy"),
        Some(&Expression::Bool(true))
    );
    let triggers = compact(attr(deployment, "triggers").unwrap());
    assert!(triggers.contains("sha1(jsonencode(["), "{triggers}");
    assert!(
        triggers.contains("aws_api_gateway_integration.shop_get_products.id"),
        "{triggers}"
    );

    // Every topology resource comes back from the tags.
    assert_eq!(tagged_ids(&body), topology_ids(&three_tier()));
}

/// (kind, id) of every top-level resource of a topology.
fn topology_ids(topology: &Topology) -> BTreeSet<(String, String)> {
    let v = serde_json::to_value(topology).unwrap();
    let mut ids = BTreeSet::new();
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
        "http_apis",
        "alarms",
    ] {
        for id in v
            .get(kind)
            .and_then(|m| m.as_object())
            .into_iter()
            .flat_map(|m| m.keys())
        {
            ids.insert((kind.to_owned(), id.clone()));
        }
    }
    ids
}

#[test]
fn every_example_export_parses_and_tags_every_resource() {
    let dir = workspace_root().join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // `<name>.json`, not the `<name>.check.json`-style goldens beside them.
        if !name.ends_with(".json") || name.matches('.').count() != 1 {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let topology = vpclink_core::topology_from_json(&text).unwrap();
        let body = parse(&topology);
        assert_eq!(tagged_ids(&body), topology_ids(&topology), "{name}");
        seen += 1;
    }
    assert!(
        seen >= 2,
        "expected the top-level examples in {}",
        dir.display()
    );
}

#[test]
fn hostile_ids_and_names_come_back_unchanged() {
    let hostile = [
        "a\"b${x}",
        "<img src=x onerror=alert(1)>",
        "100%{ if true }x%{ endif }",
        "back\\slash",
        "$${already}",
        "spaces and 日本",
    ];
    let mut t = serde_json::json!({
        "version": 1, "region": "us-east-1",
        "vpcs": {}, "subnets": {}
    });
    for (i, id) in hostile.iter().enumerate() {
        t["vpcs"][id] = serde_json::json!({
            "cidr": format!("10.{i}.0.0/16"),
            "name": format!("name of {id}\n\tsecond line")
        });
        t["subnets"][format!("s-{id}")] = serde_json::json!({
            "vpc": id, "az": "us-east-1a", "cidr": format!("10.{i}.1.0/24")
        });
    }
    let topology = vpclink_core::topology_from_value(t).unwrap();
    let body = parse(&topology);
    let r = resources(&body);
    let mut vpcs = BTreeMap::new();
    for ((ty, name), block) in &r {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{name}"
        );
        let tags = tags(block);
        if ty == "aws_vpc" {
            let id = tags["vpclink:id"].clone();
            assert_eq!(tags["Name"], format!("name of {id}\n\tsecond line"));
            vpcs.insert(name.clone(), id);
        }
    }
    let got: BTreeSet<&str> = vpcs.values().map(String::as_str).collect();
    let want: BTreeSet<&str> = hostile.iter().copied().collect();
    assert_eq!(got, want);
    // Each subnet points at its own VPC's resource.
    for ((ty, _), block) in &r {
        if ty != "aws_subnet" {
            continue;
        }
        let id = tags(block)["vpclink:id"].clone();
        let vpc_ref = compact(attr(block, "vpc_id").unwrap());
        let vpc_name = vpc_ref
            .strip_prefix("aws_vpc.")
            .and_then(|s| s.strip_suffix(".id"))
            .unwrap();
        assert_eq!(format!("s-{}", vpcs[vpc_name]), id);
    }
}

#[test]
fn generated_topologies_parse_and_declare_one_block_per_resource() {
    for size in [10, 1_000] {
        let topology = vpclink_core::synth::topology(size).unwrap();
        let body = parse(&topology);
        let r = resources(&body);
        let count = |ty: &str| r.keys().filter(|(t, _)| t == ty).count();
        assert_eq!(count("aws_vpc"), topology.vpcs.len(), "size {size}");
        assert_eq!(count("aws_subnet"), topology.subnets.len(), "size {size}");
        assert_eq!(
            count("aws_instance"),
            topology.instances.len(),
            "size {size}"
        );
        assert_eq!(
            count("aws_lb"),
            topology.load_balancers.len(),
            "size {size}"
        );
        assert_eq!(
            count("aws_lb_listener"),
            topology
                .load_balancers
                .iter()
                .map(|(_, lb)| lb.listeners.len())
                .sum::<usize>()
        );
        assert_eq!(count("aws_api_gateway_vpc_link"), topology.vpc_links.len());
        assert_eq!(
            count("aws_api_gateway_deployment"),
            topology.rest_apis.len()
        );
        assert_eq!(
            count("aws_cloudwatch_metric_alarm"),
            topology.alarms.len(),
            "size {size}"
        );
        let instances: BTreeSet<String> = topology
            .instances
            .iter()
            .map(|(id, _)| id.to_string())
            .collect();
        let tagged: BTreeSet<String> = tagged_ids(&body)
            .into_iter()
            .filter(|(kind, _)| kind == "instances")
            .map(|(_, id)| id)
            .collect();
        assert_eq!(tagged, instances, "size {size}");
    }
}

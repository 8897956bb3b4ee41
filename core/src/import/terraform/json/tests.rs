//! Tests of the plan and state JSON reader: the count-vars configuration as HCL, as a saved
//! plan and as state gives the same topology (the state with real ids), references through
//! module inputs and outputs, and errors with line, column or JSON Pointer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::import::terraform::ir::TfValue;
use crate::import::terraform::{import_terraform_hcl, import_terraform_json};
use crate::model::SourceFormat;
use crate::Topology;

const PLAN: &str = include_str!("../testdata/count-vars/plan.json");
const STATE: &str = include_str!("../testdata/count-vars/state.json");

fn hcl() -> Topology {
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
    import_terraform_hcl(&files).unwrap_or_else(|e| panic!("{e}"))
}

fn json_import(text: &str, file: &str) -> Topology {
    import_terraform_json(text, Some(file)).unwrap_or_else(|e| panic!("{e}"))
}

/// The topology without its origin, and the origin.
fn split(t: &Topology) -> (Value, Value) {
    let mut v = serde_json::to_value(t).unwrap();
    let origin = v.as_object_mut().unwrap().remove("origin").unwrap();
    (v, origin)
}

#[test]
fn the_plan_gives_the_topology_the_hcl_gives() {
    let (from_hcl, hcl_origin) = split(&hcl());
    let (from_plan, plan_origin) = split(&json_import(PLAN, "plan.json"));
    assert_eq!(
        from_plan,
        from_hcl,
        "{}",
        serde_json::to_string_pretty(&from_plan).unwrap()
    );
    // Both name every resource by its address; the plan by its place in the JSON.
    let names = |o: &Value| -> BTreeMap<String, String> {
        o["sources"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v["name"].as_str().unwrap().to_owned()))
            .collect()
    };
    assert_eq!(names(&plan_origin), names(&hcl_origin));
    let subnet = &plan_origin["sources"]["/subnets/private-1"];
    assert_eq!(subnet["name"], "aws_subnet.private[1]");
    assert_eq!(subnet["file"], "plan.json");
    assert!(subnet["line"].as_u64().unwrap() > 1);
    assert_eq!(plan_origin["file"], "plan.json");
    assert_eq!(plan_origin.get("unknowns"), None, "{plan_origin}");
    assert_eq!(hcl_origin.get("unknowns"), None, "{hcl_origin}");
    // What was counted from variables.
    assert_eq!(from_plan["region"], "eu-west-1");
    assert_eq!(
        from_plan["load_balancers"]["nlb"]["subnets"],
        json!(["private-0", "private-1"])
    );
    assert_eq!(
        from_plan["target_groups"]["app"]["targets"],
        json!([{"id": "app-0"}, {"id": "app-1"}])
    );
    assert_eq!(from_plan["instances"]["app-1"]["subnet"], "private-1");
}

#[test]
fn the_state_gives_the_same_path_with_real_ids() {
    let t = json_import(STATE, "state.json");
    let (state, origin) = split(&t);
    let (from_hcl, _) = split(&hcl());
    // References come back from equal ids.
    for pointer in [
        "/subnets/private-0/vpc",
        "/security_groups/app/vpc",
        "/instances/app-0/subnet",
        "/instances/app-1/security_groups",
        "/load_balancers/nlb/subnets",
        "/load_balancers/nlb/listeners/0/forward",
        "/target_groups/app/targets",
        "/vpc_links/link/targets",
        "/rest_apis/api/routes/GET ~1orders/integration/vpc_link",
        "/alarms/unhealthy/target_group",
        "/alarms/unhealthy/load_balancer",
    ] {
        assert_eq!(
            state.pointer(pointer),
            from_hcl.pointer(pointer),
            "{pointer}: {}",
            serde_json::to_string_pretty(&state).unwrap()
        );
    }
    assert_eq!(state["vpcs"]["main"]["aws_id"], "vpc-0a1b2c3d4e5f60718");
    assert_eq!(state["instances"]["app-0"]["private_ip"], "10.20.1.27");
    assert_eq!(
        state["load_balancers"]["nlb"]["arn"],
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/orders-nlb/50dc6c495c0c9188"
    );
    assert!(state["load_balancers"]["nlb"]["listeners"][0]["aws_id"]
        .as_str()
        .unwrap()
        .contains(":listener/net/orders-nlb/"));
    assert_eq!(state["rest_apis"]["api"]["aws_id"], "a1b2c3d4e5");
    // The Region and account are read from the ARNs; nothing is unknown.
    assert_eq!(state["region"], "eu-west-1");
    assert_eq!(state["account"], "123456789012");
    assert_eq!(origin.get("unknowns"), None, "{origin}");
    assert_eq!(
        origin["sources"]["/target_groups/app/targets/1"]["name"],
        "aws_lb_target_group_attachment.app[1]"
    );
    assert_eq!(origin["sources"]["/vpcs/main"]["file"], "state.json");
}

/// A plan of a root module and a child module `net` (two subnets by `count`, a group with
/// a dynamic block), with one data source.
fn module_plan() -> Value {
    let rule = json!({"cidr_blocks": ["10.0.0.0/8"], "description": "", "from_port": 443,
        "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": "tcp", "security_groups": [],
        "self": false, "to_port": 443});
    let subnet = |i: u64, az: &str| {
        json!({"address": format!("module.net.aws_subnet.this[{i}]"), "mode": "managed",
               "type": "aws_subnet", "name": "this", "index": i,
               "values": {"availability_zone": az, "cidr_block": format!("10.0.{}.0/24", i + 1),
                          "map_public_ip_on_launch": false}})
    };
    let change = |address: &str, unknown: Value| {
        json!({"address": address, "mode": "managed", "change": {"actions": ["create"],
               "after_unknown": unknown}})
    };
    json!({
      "format_version": "1.2",
      "terraform_version": "1.9.5",
      "planned_values": {"root_module": {
        "resources": [
          {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
           "values": {"cidr_block": "10.0.0.0/16", "enable_dns_support": true}},
          {"address": "aws_lb.nlb", "mode": "managed", "type": "aws_lb", "name": "nlb",
           "values": {"internal": true, "load_balancer_type": "network",
                      "enable_cross_zone_load_balancing": false}},
          {"address": "data.aws_vpc.shared", "mode": "data", "type": "aws_vpc", "name": "shared",
           "values": {"id": "vpc-0shared"}}
        ],
        "child_modules": [{"address": "module.net", "resources": [
          subnet(0, "us-east-1a"),
          subnet(1, "us-east-1b"),
          {"address": "module.net.aws_security_group.edge", "mode": "managed",
           "type": "aws_security_group", "name": "edge",
           "values": {"name": "edge", "ingress": [rule], "egress": [], "revoke_rules_on_delete": false}}
        ]}]
      }},
      "resource_changes": [
        change("aws_vpc.main", json!({"id": true, "arn": true})),
        change("aws_lb.nlb", json!({"id": true, "arn": true, "subnets": true, "security_groups": true})),
        change("module.net.aws_subnet.this[0]", json!({"id": true, "vpc_id": true})),
        change("module.net.aws_subnet.this[1]", json!({"id": true, "vpc_id": true})),
        change("module.net.aws_security_group.edge", json!({"id": true, "vpc_id": true, "egress": true}))
      ],
      "configuration": {
        "provider_config": {"aws": {"name": "aws",
                                    "expressions": {"region": {"constant_value": "us-east-1"}}}},
        "root_module": {
          "resources": [
            {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
             "expressions": {"cidr_block": {"constant_value": "10.0.0.0/16"}}},
            {"address": "aws_lb.nlb", "mode": "managed", "type": "aws_lb", "name": "nlb",
             "expressions": {"internal": {"constant_value": true},
                             "load_balancer_type": {"constant_value": "network"},
                             "subnets": {"references": ["module.net.subnet_ids", "module.net"]}}},
            {"address": "data.aws_vpc.shared", "mode": "data", "type": "aws_vpc", "name": "shared",
             "expressions": {"tags": {"constant_value": {"Name": "shared"}}}}
          ],
          "module_calls": {"net": {
            "source": "./modules/net",
            "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}},
            "module": {
              "outputs": {"subnet_ids": {"expression": {"references": ["aws_subnet.this"]}}},
              "resources": [
                {"address": "aws_subnet.this", "mode": "managed", "type": "aws_subnet", "name": "this",
                 "expressions": {"availability_zone": {"references": ["var.azs", "count.index"]},
                                 "cidr_block": {"references": ["count.index"]},
                                 "vpc_id": {"references": ["var.vpc_id"]}},
                 "count_expression": {"constant_value": 2}},
                {"address": "aws_security_group.edge", "mode": "managed",
                 "type": "aws_security_group", "name": "edge",
                 "expressions": {"name": {"constant_value": "edge"},
                                 "vpc_id": {"references": ["local.vpc"]}}}
              ]
            }
          }}
        }
      }
    })
}

#[test]
fn references_follow_module_inputs_and_outputs() {
    let t = json_import(&module_plan().to_string(), "plan.json");
    let (v, origin) = split(&t);
    // `var.vpc_id` in the module is the root's `aws_vpc.main.id`.
    assert_eq!(v["subnets"]["this-0"]["vpc"], "main");
    // `module.net.subnet_ids` is the module's `aws_subnet.this[*].id`.
    assert_eq!(
        v["load_balancers"]["nlb"]["subnets"],
        json!(["this-0", "this-1"])
    );
    // Not in the configuration: the provider's defaults are left out.
    assert_eq!(v["load_balancers"]["nlb"].get("cross_zone"), None);
    assert_eq!(
        origin["sources"]["/subnets/this-1"]["name"],
        "module.net.aws_subnet.this[1]"
    );
    // A dynamic block (absent from the configuration representation) is kept; the
    // unconfigured, unknown egress is Terraform's: none.
    let edge = &v["security_groups"]["edge"];
    assert_eq!(edge["ingress"][0]["ports"], "443");
    assert_eq!(edge["egress"], json!([]));
    // A local is not followed: the group's VPC is unknown, named by the expression.
    let unknowns: Vec<(&str, &str)> = origin["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["path"].as_str().unwrap(),
                u["expression"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(edge["vpc"], "local-vpc");
    assert!(
        unknowns.contains(&("/vpcs/local-vpc", "local.vpc (known after apply)")),
        "{unknowns:?}"
    );
}

#[test]
fn the_reader_keeps_what_it_cannot_resolve_as_unknowns() {
    let plan = module_plan();
    let config = super::read(&plan.to_string(), Some("p.json")).unwrap();
    let vpc = config
        .resources
        .iter()
        .find(|r| r.address == "aws_vpc.main")
        .unwrap();
    // Not configured: gone; configured and known: kept.
    assert_eq!(vpc.values.get("enable_dns_support"), None);
    assert_eq!(
        vpc.values.get("cidr_block"),
        Some(&TfValue::String("10.0.0.0/16".into()))
    );
    assert_eq!(vpc.location.file.as_deref(), Some("p.json"));
    assert_eq!(config.region, Some(TfValue::String("us-east-1".into())));
    // Data sources are not resources of the configuration.
    assert!(config
        .resources
        .iter()
        .all(|r| !r.address.starts_with("data.")));
}

#[test]
fn state_drops_inline_rules_that_separate_rules_add() {
    let state = json!({
      "format_version": "1.0",
      "values": {"root_module": {"resources": [
        {"address": "aws_security_group.a", "mode": "managed", "type": "aws_security_group", "name": "a",
         "values": {"id": "sg-0aaa", "vpc_id": "vpc-0ext", "name": "a",
                    "egress": [{"cidr_blocks": ["0.0.0.0/0"], "from_port": 0, "to_port": 0, "protocol": "-1",
                                "description": "", "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                                "security_groups": [], "self": false}],
                    "ingress": [{"cidr_blocks": [], "from_port": 80, "to_port": 80, "protocol": "tcp",
                                 "description": "", "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                                 "security_groups": ["sg-0bbb"], "self": false}]}},
        {"address": "aws_security_group.b", "mode": "managed", "type": "aws_security_group", "name": "b",
         "values": {"id": "sg-0bbb", "vpc_id": "vpc-0ext", "name": "b", "egress": [], "ingress": []}},
        {"address": "aws_security_group_rule.a_http", "mode": "managed", "type": "aws_security_group_rule",
         "name": "a_http",
         "values": {"id": "sgrule-1", "type": "ingress", "security_group_id": "sg-0aaa", "protocol": "tcp",
                    "from_port": 80, "to_port": 80, "source_security_group_id": "sg-0bbb",
                    "cidr_blocks": null, "self": false}}
      ]}}
    });
    let t = json_import(&state.to_string(), "terraform.tfstate.json");
    let v = serde_json::to_value(&t).unwrap();
    // The state lists the separate rule on the group too: it counts once.
    assert_eq!(
        v["security_groups"]["a"]["ingress"],
        json!([{"protocol": "tcp", "ports": "80", "source": {"security_group": "b"}}])
    );
    // Inline egress without separate egress rules stays.
    assert_eq!(
        v["security_groups"]["a"]["egress"],
        json!([{"protocol": "all", "destination": {"cidr": "0.0.0.0/0"}}])
    );
    // Both groups sit in the one VPC outside the state, a placeholder with its real id.
    assert_eq!(
        v["security_groups"]["a"]["vpc"],
        v["security_groups"]["b"]["vpc"]
    );
    let vpc = v["security_groups"]["a"]["vpc"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(v["vpcs"][&vpc]["aws_id"], "vpc-0ext");
}

#[test]
fn bad_json_names_line_and_column() {
    let e = import_terraform_json(
        "{\n  \"format_version\": \"1.0\",\n  \"values\": [1,,]\n}",
        None,
    )
    .unwrap_err();
    assert_eq!(e.format, SourceFormat::Terraform);
    assert_eq!(e.line, Some(3));
    assert!(e.column.is_some());
    assert!(
        e.message
            .starts_with("the Terraform JSON is not valid JSON"),
        "{e}"
    );
    assert!(!e.message.contains(" at line "), "{e}");
}

#[test]
fn the_wrong_shape_names_the_json_pointer() {
    let e = import_terraform_json(
        r#"{"format_version": "1.0", "values": {"root_module": {"resources": [{"mode": "managed"}]}}}"#,
        None,
    )
    .unwrap_err();
    assert_eq!(e.path.as_deref(), Some("/values/root_module/resources/0"));
    let e = import_terraform_json(
        r#"{"format_version": "1.0", "values": {"root_module": {"child_modules": {}}}}"#,
        None,
    )
    .unwrap_err();
    assert_eq!(e.path.as_deref(), Some("/values/root_module/child_modules"));
    let e = import_terraform_json(r#"{"format_version": "2.0", "values": {}}"#, None).unwrap_err();
    assert!(e.message.contains("not supported"), "{e}");
    // An empty state is an empty configuration.
    let t = import_terraform_json(r#"{"format_version": "1.0"}"#, None).unwrap();
    assert!(t.vpcs.is_empty());
}

mod properties {
    use proptest::prelude::*;

    use super::{PLAN, STATE};
    use crate::import::terraform::import_terraform_json;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// A plan or state cut anywhere is an error with its line and column, never a
        /// panic.
        #[test]
        fn truncated_json_is_an_error_with_a_position(cut in 0usize..100_000, state: bool) {
            let text = if state { STATE } else { PLAN };
            let cut = cut % text.len();
            let e = import_terraform_json(&text[..cut], None).unwrap_err();
            prop_assert!(e.line.is_some() && e.column.is_some(), "{e:?}");
        }

        /// Any JSON value where a resource's values belong imports or fails cleanly.
        #[test]
        fn odd_values_never_panic(v in any_json(), at in 0usize..32) {
            let mut doc: serde_json::Value = serde_json::from_str(PLAN).unwrap();
            let resources = doc["planned_values"]["root_module"]["resources"].as_array_mut().unwrap();
            let n = resources.len();
            let r = &mut resources[at % n];
            let key = ["vpc_id", "subnets", "ingress", "health_check", "dimensions", "port", "tags"][at % 7];
            r["values"][key] = v.clone();
            let changes = doc["resource_changes"].as_array_mut().unwrap();
            changes[at % n]["change"]["after_unknown"][key] = v;
            let _ = import_terraform_json(&doc.to_string(), Some("plan.json"));
        }
    }

    fn any_json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::{json, Value};
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(|n| json!(n)),
            "[a-z0-9./:-]{0,12}".prop_map(Value::String),
            Just(json!("vpc-0a1b2c3d4e5f60718")),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}

//! Unit tests of the Terraform export (the text; `tests/terraform_parse.rs` parses it with
//! an HCL parser).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;

fn three_tier_value() -> Value {
    serde_json::from_str(include_str!("../../../../examples/three-tier.json")).unwrap()
}

fn topology(v: Value) -> Topology {
    crate::topology_from_value(v).unwrap()
}

/// The text of `resource "<ty>" "<name>" { ... }` (up to its closing brace at column 0).
fn block<'a>(text: &'a str, ty: &str, name: &str) -> &'a str {
    let head = format!("resource \"{ty}\" \"{name}\" {{\n");
    let start = text
        .find(&head)
        .unwrap_or_else(|| panic!("no {ty}.{name} in:\n{text}"));
    let rest = &text[start..];
    let end = rest.find("\n}\n").unwrap();
    &rest[..end + 3]
}

/// `type.name` of every resource block.
fn declared(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("resource \""))
        .map(|l| {
            let mut parts = l.split('"');
            let ty = parts.next().unwrap();
            let name = parts.nth(1).unwrap();
            format!("{ty}.{name}")
        })
        .collect()
}

/// Every `aws_…` reference outside string literals names a declared resource.
fn assert_references_resolve(text: &str) {
    let declared = declared(text);
    for line in text.lines() {
        let Some((_, value)) = line.split_once(" = ") else {
            continue;
        };
        // Skip quoted strings (tags, names) so their text is not taken for references.
        let mut in_string = false;
        let mut code = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                c if !in_string => code.push(c),
                _ => {}
            }
        }
        for word in code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')) {
            if word.starts_with("aws_") {
                let mut parts = word.split('.');
                let r = format!("{}.{}", parts.next().unwrap(), parts.next().unwrap_or(""));
                assert!(
                    declared.contains(&r),
                    "`{r}` is not declared (line `{line}`)"
                );
            }
        }
    }
}

#[test]
fn three_tier_has_the_provider_and_every_resource() {
    let text = terraform(&topology(three_tier_value())).unwrap();
    assert!(text.contains(
        "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \">= 5.0\"\n    }\n  }\n}\n"
    ), "{text}");
    assert!(text.contains("provider \"aws\" {\n  region = \"us-east-1\"\n}\n"));
    let d = declared(&text);
    for r in [
        "aws_vpc.app",
        "aws_subnet.private_a",
        "aws_subnet.nlb_b",
        "aws_network_acl.private",
        "aws_network_acl_rule.nlb_ingress_110",
        "aws_network_acl_rule.private_egress_100",
        "aws_network_acl_association.private_a",
        "aws_security_group.app",
        "aws_vpc_security_group_ingress_rule.app_0",
        "aws_vpc_security_group_egress_rule.nlb_0",
        "aws_vpc_security_group_egress_rule.app_all_ipv4",
        "aws_instance.web_1",
        "aws_lb_target_group.backend",
        "aws_lb_target_group_attachment.backend_web_3",
        "aws_lb.nlb",
        "aws_lb_listener.nlb_80",
        "aws_api_gateway_vpc_link.link",
        "aws_api_gateway_rest_api.shop",
        "aws_api_gateway_resource.shop_products",
        "aws_api_gateway_method.shop_get_products",
        "aws_api_gateway_integration.shop_get_products",
        "aws_api_gateway_deployment.shop",
        "aws_api_gateway_stage.shop_prod",
        "aws_api_gateway_method_settings.shop_prod",
        "aws_cloudwatch_metric_alarm.unhealthy",
    ] {
        assert!(d.contains(r), "{r} missing from {d:?}");
    }
    // 1 + 4 subnets + 2 ACLs + 6 rules + 4 associations + 2 groups + 4 rules (two
    // ingress, one egress, app's default egress) + 3 instances + TG + 3 attachments + NLB
    // + listener + link + API + resource + method + integration + deployment + stage
    // + settings + alarm.
    assert_eq!(
        d.len(),
        1 + 4 + 2 + 6 + 4 + 2 + 4 + 3 + 1 + 3 + 1 + 1 + 1 + 7 + 1
    );
    assert_references_resolve(&text);
}

#[test]
fn references_wire_the_path_together() {
    let text = terraform(&topology(three_tier_value())).unwrap();
    let subnet = block(&text, "aws_subnet", "nlb_a");
    assert!(
        subnet.contains("  vpc_id            = aws_vpc.app.id\n"),
        "{subnet}"
    );
    assert!(subnet.contains("\"vpclink:id\"   = \"nlb-a\""), "{subnet}");
    let instance = block(&text, "aws_instance", "web_1");
    assert!(
        instance.contains("ami                    = data.aws_ssm_parameter.al2023_ami.value"),
        "{instance}"
    );
    assert!(
        instance.contains("vpc_security_group_ids = [aws_security_group.app.id]"),
        "{instance}"
    );
    assert!(text.contains("data \"aws_ssm_parameter\" \"al2023_ami\" {"));
    assert!(text.contains(
        "name = \"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64\""
    ));
    let rule = block(&text, "aws_vpc_security_group_ingress_rule", "app_0");
    assert!(
        rule.contains("referenced_security_group_id = aws_security_group.nlb.id"),
        "{rule}"
    );
    let lb = block(&text, "aws_lb", "nlb");
    assert!(
        lb.contains("internal                                                     = true"),
        "{lb}"
    );
    assert!(
        lb.contains("= [aws_subnet.nlb_a.id, aws_subnet.nlb_b.id]"),
        "{lb}"
    );
    assert!(
        lb.contains("enforce_security_group_inbound_rules_on_private_link_traffic = \"off\""),
        "{lb}"
    );
    let listener = block(&text, "aws_lb_listener", "nlb_80");
    assert!(
        listener.contains("load_balancer_arn = aws_lb.nlb.arn"),
        "{listener}"
    );
    assert!(
        listener.contains("target_group_arn = aws_lb_target_group.backend.arn"),
        "{listener}"
    );
    let attachment = block(&text, "aws_lb_target_group_attachment", "backend_web_2");
    assert!(
        attachment.contains("target_id        = aws_instance.web_2.id"),
        "{attachment}"
    );
    let link = block(&text, "aws_api_gateway_vpc_link", "link");
    assert!(link.contains("target_arns = [aws_lb.nlb.arn]"), "{link}");
    let integration = block(&text, "aws_api_gateway_integration", "shop_get_products");
    for line in [
        "http_method             = aws_api_gateway_method.shop_get_products.http_method",
        "type                    = \"HTTP_PROXY\"",
        "connection_type         = \"VPC_LINK\"",
        "connection_id           = aws_api_gateway_vpc_link.link.id",
        "timeout_milliseconds    = 29000",
    ] {
        assert!(integration.contains(line), "{line}\n{integration}");
    }
    let deployment = block(&text, "aws_api_gateway_deployment", "shop");
    assert!(
        deployment.contains("redeployment = sha1(jsonencode(["),
        "{deployment}"
    );
    assert!(
        deployment.contains("aws_api_gateway_integration.shop_get_products.id,"),
        "{deployment}"
    );
    assert!(
        deployment.contains("lifecycle {\n    create_before_destroy = true\n  }"),
        "{deployment}"
    );
    let stage = block(&text, "aws_api_gateway_stage", "shop_prod");
    assert!(
        stage.contains("deployment_id = aws_api_gateway_deployment.shop.id"),
        "{stage}"
    );
    let settings = block(&text, "aws_api_gateway_method_settings", "shop_prod");
    assert!(
        settings.contains("stage_name  = aws_api_gateway_stage.shop_prod.stage_name"),
        "{settings}"
    );
    assert!(
        settings.contains("logging_level   = \"INFO\""),
        "{settings}"
    );
    let alarm = block(&text, "aws_cloudwatch_metric_alarm", "unhealthy");
    assert!(
        alarm.contains("TargetGroup  = aws_lb_target_group.backend.arn_suffix"),
        "{alarm}"
    );
    assert!(
        alarm.contains("LoadBalancer = aws_lb.nlb.arn_suffix"),
        "{alarm}"
    );
}

#[test]
fn security_groups_without_listed_egress_keep_aws_default_egress() {
    let text = terraform(&topology(three_tier_value())).unwrap();
    // `app` lists no egress: AWS would allow all, and Terraform removes that rule.
    let all = block(&text, "aws_vpc_security_group_egress_rule", "app_all_ipv4");
    assert!(all.contains("ip_protocol       = \"-1\""), "{all}");
    assert!(all.contains("cidr_ipv4         = \"0.0.0.0/0\""), "{all}");
    // `nlb` lists its egress: only that rule.
    assert!(!text.contains("\"nlb_all_ipv4\""));
    // An empty list means no egress at all.
    let mut v = three_tier_value();
    v["security_groups"]["app"]["egress"] = json!([]);
    let text = terraform(&topology(v)).unwrap();
    assert!(!text.contains("app_all_ipv4"));
}

#[test]
fn a_changed_route_changes_the_redeployment_trigger() {
    let before = terraform(&topology(three_tier_value())).unwrap();
    let mut v = three_tier_value();
    v["rest_apis"]["shop"]["routes"]["GET /products"]["integration"]["timeout_ms"] = json!(10000);
    let after = terraform(&topology(v)).unwrap();
    let trigger = |t: &str| block(t, "aws_api_gateway_deployment", "shop").to_owned();
    assert_ne!(trigger(&before), trigger(&after));
    assert_eq!(before, terraform(&topology(three_tier_value())).unwrap());
}

#[test]
fn hostile_names_are_escaped_and_names_stay_identifiers() {
    let hostile = "a\"b${x}";
    let html = "<img src=x onerror=alert(1)>";
    let v = json!({
        "version": 1, "region": "us-east-1",
        "vpcs": { hostile: { "cidr": "10.0.0.0/16", "name": "100%{ if true }" } },
        "subnets": { html: { "vpc": hostile, "az": "us-east-1a", "cidr": "10.0.1.0/24", "name": "back\\slash\nline" } }
    });
    let text = terraform(&topology(v)).unwrap();
    let vpc = block(&text, "aws_vpc", "a_b_x");
    assert!(vpc.contains(r#""vpclink:id"   = "a\"b$${x}""#), "{vpc}");
    assert!(
        vpc.contains(r#"Name           = "100%%{ if true }""#),
        "{vpc}"
    );
    let subnet = block(&text, "aws_subnet", "img_src_x_onerror_alert_1");
    assert!(
        subnet.contains("vpc_id            = aws_vpc.a_b_x.id"),
        "{subnet}"
    );
    assert!(
        subnet.contains(r#"Name           = "back\\slash\nline""#),
        "{subnet}"
    );
    assert!(
        subnet.contains(r#""vpclink:id"   = "<img src=x onerror=alert(1)>""#),
        "{subnet}"
    );
    // No interpolation other than the export's own.
    assert!(!text.contains("\"${"), "{text}");
    assert_references_resolve(&text);
}

#[test]
fn colliding_and_numeric_ids_get_distinct_identifiers() {
    let v = json!({
        "version": 1, "region": "us-east-1",
        "vpcs": {
            "web-1": { "cidr": "10.0.0.0/16" },
            "web_1": { "cidr": "10.1.0.0/16" },
            "1st": { "cidr": "10.2.0.0/16" },
            "日本": { "cidr": "10.3.0.0/16" }
        }
    });
    let text = terraform(&topology(v)).unwrap();
    let d = declared(&text);
    let h = short_hash("vpcs\u{0}web_1").to_ascii_lowercase();
    let expected: BTreeSet<String> = [
        "aws_vpc.web_1".to_owned(),
        format!("aws_vpc.web_1_{h}"),
        "aws_vpc.id_1st".to_owned(),
        format!("aws_vpc.id_{}", short_hash("日本").to_ascii_lowercase()),
    ]
    .into_iter()
    .collect();
    assert_eq!(d, expected);
}

#[test]
fn existing_resources_are_literal() {
    let mut v = three_tier_value();
    v["vpcs"]["app"]["aws_id"] = json!("vpc-0123456789abcdef0");
    v["target_groups"]["backend"]["arn"] = json!(
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-backend/73e2d6bc24d8a067"
    );
    let text = terraform(&topology(v)).unwrap();
    assert!(!text.contains("resource \"aws_vpc\""));
    assert!(!text.contains("resource \"aws_lb_target_group\" "));
    assert!(block(&text, "aws_subnet", "nlb_a")
        .contains("vpc_id            = \"vpc-0123456789abcdef0\""));
    // Targets are still registered with the existing group.
    let attachment = block(&text, "aws_lb_target_group_attachment", "backend_web_1");
    assert!(attachment.contains("target_group_arn = \"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-backend/73e2d6bc24d8a067\""), "{attachment}");
    let alarm = block(&text, "aws_cloudwatch_metric_alarm", "unhealthy");
    assert!(
        alarm.contains("TargetGroup  = \"targetgroup/shop-backend/73e2d6bc24d8a067\""),
        "{alarm}"
    );
    assert_references_resolve(&text);
}

#[test]
fn http_apis_target_listeners_and_interpolate_integration_ids() {
    let v = json!({
        "version": 1, "region": "eu-west-1",
        "vpcs": { "app": { "cidr": "10.0.0.0/16" } },
        "subnets": {
            "a": { "vpc": "app", "az": "eu-west-1a", "cidr": "10.0.1.0/24" },
            "b": { "vpc": "app", "az": "eu-west-1b", "cidr": "10.0.2.0/24" }
        },
        "security_groups": { "link": { "vpc": "app" } },
        "load_balancers": { "nlb": { "type": "network", "scheme": "internal", "subnets": ["a", "b"],
            "listeners": [ { "port": 80, "protocol": "TCP", "forward": "tg" } ] } },
        "target_groups": { "tg": { "vpc": "app", "protocol": "TCP", "port": 8080, "target_type": "ip",
            "targets": [ { "id": "10.0.1.10" } ] } },
        "vpc_links": { "v2": { "subnets": ["a", "b"], "security_groups": ["link"] } },
        "http_apis": { "orders": {
            "routes": { "$default": { "integration": { "type": "HTTP_PROXY", "vpc_link": "v2",
                "target": { "load_balancer": "nlb" }, "tls": { "server_name_to_verify": "orders.internal" } } } },
            "stages": { "$default": { "variables": { "mode": "${literal}" } } } } }
    });
    let text = terraform(&topology(v)).unwrap();
    let link = block(&text, "aws_apigatewayv2_vpc_link", "v2");
    assert!(
        link.contains("subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]"),
        "{link}"
    );
    let integration = block(&text, "aws_apigatewayv2_integration", "orders_any_default");
    for line in [
        "integration_uri        = aws_lb_listener.nlb_80.arn",
        "connection_id          = aws_apigatewayv2_vpc_link.v2.id",
        "payload_format_version = \"1.0\"",
        "server_name_to_verify = \"orders.internal\"",
    ] {
        assert!(integration.contains(line), "{line}\n{integration}");
    }
    let route = block(&text, "aws_apigatewayv2_route", "orders_any_default");
    assert!(route.contains("route_key = \"$default\""), "{route}");
    assert!(
        route.contains(
            "target    = \"integrations/${aws_apigatewayv2_integration.orders_any_default.id}\""
        ),
        "{route}"
    );
    let stage = block(&text, "aws_apigatewayv2_stage", "orders_default");
    assert!(stage.contains("mode = \"$${literal}\""), "{stage}");
    assert!(stage.contains("auto_deploy = true"), "{stage}");
    assert_references_resolve(&text);
}

#[test]
fn generated_topologies_render_and_resolve() {
    let t = crate::synth::topology(500).unwrap();
    let text = terraform(&t).unwrap();
    let d = declared(&text);
    let count = |ty: &str| {
        d.iter()
            .filter(|r| r.starts_with(&format!("{ty}.")))
            .count()
    };
    assert_eq!(count("aws_instance"), t.instances.len());
    assert_eq!(count("aws_api_gateway_vpc_link"), t.vpc_links.len());
    assert_eq!(count("aws_lb_target_group_attachment"), t.instances.len());
    assert_references_resolve(&text);
}

#[test]
fn unresolved_references_are_errors_with_a_path() {
    let mut v = three_tier_value();
    v["load_balancers"]["nlb"]["listeners"][0]["forward"] = json!("missing");
    let err = terraform(&topology(v)).unwrap_err();
    assert_eq!(
        err.path.unwrap().as_str(),
        "/load_balancers/nlb/listeners/0/forward"
    );
}

#[test]
fn what_terraform_cannot_declare_is_noted_at_the_top() {
    let mut v = three_tier_value();
    v["rest_apis"]["shop"]["endpoint_type"] = json!("PRIVATE");
    v["vpcs"]["app"]["secondary_cidrs"] = json!(["100.64.0.0/16", "fd00::/56"]);
    let text = terraform(&topology(v)).unwrap();
    let head: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    assert!(
        head.iter()
            .any(|l| l.starts_with("# Note: REST API `shop` is PRIVATE")),
        "{head:?}"
    );
    assert!(
        head.iter()
            .any(|l| l.contains("IPv6 block fd00::/56 is not declared")),
        "{head:?}"
    );
    let assoc = block(
        &text,
        "aws_vpc_ipv4_cidr_block_association",
        "app_100_64_0_0_16",
    );
    assert!(assoc.contains("cidr_block = \"100.64.0.0/16\""), "{assoc}");
    assert_references_resolve(&text);
}

#[test]
fn tags_carry_serves_names_equal_to_ids_and_http_stage_logging() {
    let mut v = three_tier_value();
    v["http_apis"] = json!({ "orders": {
        "routes": { "GET /x": { "integration": { "type": "HTTP_PROXY", "uri": "http://h/" } } },
        "stages": { "$default": { "logging": "ERROR" } }
    }});
    v["load_balancers"]["nlb"]["name"] = json!("nlb");
    let text = terraform(&topology(v)).unwrap();
    assert!(
        block(&text, "aws_instance", "web_1").contains(
            r#""vpclink:serves" = "[{\"port\":8080,\"protocol\":\"HTTP\",\"health_path\":\"/health\"}]""#
        ),
        "{text}"
    );
    // A name equal to the id is carried; another name is the argument alone.
    assert!(block(&text, "aws_lb", "nlb").contains(r#""vpclink:name" = "nlb""#));
    assert!(block(&text, "aws_api_gateway_rest_api", "shop").contains(r#""vpclink:name" = "shop""#));
    assert!(!block(&text, "aws_lb_target_group", "backend").contains("vpclink:name"));
    assert!(!block(&text, "aws_vpc", "app").contains("vpclink:name"));
    let stage = block(&text, "aws_apigatewayv2_stage", "orders_default");
    assert!(stage.contains(r#""vpclink:logging" = "ERROR""#), "{stage}");
    // REST stages hold their level in aws_api_gateway_method_settings, not a tag.
    assert!(!text.contains("\"vpclink:logging\" = \"INFO\""));
}

#[test]
fn a_carried_value_over_the_tag_limit_becomes_a_comment() {
    let mut v = three_tier_value();
    let ports: Vec<Value> = (8000..8020)
        .map(|p| json!({ "port": p, "protocol": "HTTP", "health_path": "/health" }))
        .collect();
    v["instances"]["web-1"]["serves"] = Value::Array(ports);
    let text = terraform(&topology(v)).unwrap();
    let web1 = block(&text, "aws_instance", "web_1");
    assert!(!web1.contains("\"vpclink:serves\" ="), "{web1}");
    assert!(
        web1.contains("# The tag \"vpclink:serves\" is left out: its value is"),
        "{web1}"
    );
    assert!(
        web1.contains("  # over AWS's 256-character tag value limit; an import will lack it.\n"),
        "{web1}"
    );
    // The others still carry theirs.
    assert!(block(&text, "aws_instance", "web_2").contains("\"vpclink:serves\""));
}

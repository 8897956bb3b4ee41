#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use serde_json::json;

use super::aws_cli;
use crate::plan::Plan;

/// A small hand-built deploy plan: VPC, target group, NLB (with a wait and an `after`
/// output), VPC link (no CLI waiter), and an alarm whose name joins text and an output.
pub(crate) fn sample_plan() -> Plan {
    serde_json::from_value(json!({
        "version": 1,
        "region": "us-east-1",
        "mode": "deploy",
        "steps": [
            {
                "id": "create.vpc.app", "action": "create",
                "resource": {"kind": "vpcs", "id": "app", "path": "/vpcs/app"},
                "description": "Create VPC `app` (10.0.0.0/16).",
                "call": {"service": "ec2", "operation": "create_vpc", "params": {"CidrBlock": "10.0.0.0/16"}},
                "outputs": [{"name": "VpcId", "query": "Vpc.VpcId"}],
                "expected_seconds": 2
            },
            {
                "id": "create.target_group.backend", "action": "create",
                "resource": {"kind": "target_groups", "id": "backend", "path": "/target_groups/backend"},
                "description": "Create target group `it's $(rm -rf /)`.",
                "depends_on": ["create.vpc.app"],
                "call": {"service": "elbv2", "operation": "create_target_group", "params": {
                    "Name": "it's $(rm -rf /)", "Protocol": "TCP", "Port": 8080,
                    "VpcId": {"$output": {"step": "create.vpc.app", "name": "VpcId"}},
                    "HealthCheckEnabled": true
                }},
                "outputs": [
                    {"name": "TargetGroupArn", "query": "TargetGroups[0].TargetGroupArn"},
                    {"name": "FullName", "query": "TargetGroups[0].TargetGroupArn", "after": ":targetgroup/"}
                ],
                "expected_seconds": 2
            },
            {
                "id": "create.load_balancer.nlb", "action": "create",
                "resource": {"kind": "load_balancers", "id": "nlb", "path": "/load_balancers/nlb"},
                "description": "Create the internal NLB\n`nlb`.",
                "call": {"service": "elbv2", "operation": "create_load_balancer", "params": {
                    "Name": "shop-nlb", "Type": "network", "Scheme": "internal", "Subnets": ["subnet-1", "subnet-2"]
                }},
                "outputs": [{"name": "LoadBalancerArn", "query": "LoadBalancers[0].LoadBalancerArn"}],
                "wait": {
                    "call": {"service": "elbv2", "operation": "describe_load_balancers", "params": {
                        "LoadBalancerArns": [{"$output": {"step": "create.load_balancer.nlb", "name": "LoadBalancerArn"}}]
                    }},
                    "status_query": "LoadBalancers[0].State.Code",
                    "success": ["active"], "failure": ["failed"],
                    "interval_seconds": 15, "timeout_seconds": 600
                },
                "expected_seconds": 180
            },
            {
                "id": "create.vpc_link.link", "action": "create",
                "resource": {"kind": "vpc_links", "id": "link", "path": "/vpc_links/link"},
                "description": "Create VPC link `link`.",
                "depends_on": ["create.load_balancer.nlb"],
                "call": {"service": "apigateway", "operation": "create_vpc_link", "params": {
                    "name": "shop-link",
                    "targetArns": [{"$output": {"step": "create.load_balancer.nlb", "name": "LoadBalancerArn"}}]
                }},
                "outputs": [{"name": "id", "query": "id"}],
                "wait": {
                    "call": {"service": "apigateway", "operation": "get_vpc_link", "params": {
                        "vpcLinkId": {"$output": {"step": "create.vpc_link.link", "name": "id"}}
                    }},
                    "status_query": "status", "success": ["AVAILABLE"], "failure": ["FAILED"],
                    "message_query": "statusMessage", "interval_seconds": 15, "timeout_seconds": 900
                },
                "expected_seconds": 240
            },
            {
                "id": "create.alarm.unhealthy", "action": "create",
                "resource": {"kind": "alarms", "id": "unhealthy", "path": "/alarms/unhealthy"},
                "description": "Create alarm `unhealthy`.",
                "depends_on": ["create.target_group.backend"],
                "call": {"service": "cloudwatch", "operation": "put_metric_alarm", "params": {
                    "AlarmName": "unhealthy",
                    "Dimensions": [{"Name": "TargetGroup", "Value": {"$join": ["targetgroup/", {"$output": {"step": "create.target_group.backend", "name": "FullName"}}]}}],
                    "Threshold": 0.0
                }},
                "expected_seconds": 1
            }
        ],
        "waves": [
            {"steps": ["create.vpc.app", "create.load_balancer.nlb"], "expected_seconds": 180},
            {"steps": ["create.target_group.backend", "create.vpc_link.link"], "expected_seconds": 240},
            {"steps": ["create.alarm.unhealthy"], "expected_seconds": 1}
        ],
        "critical_path": {"steps": ["create.load_balancer.nlb", "create.vpc_link.link"], "expected_seconds": 420},
        "summary": {"create": 5, "update": 0, "replace": 0, "delete": 0, "unchanged": 0, "steps": 5}
    }))
    .unwrap()
}

#[test]
fn script_is_strict_bash_with_a_header() {
    let s = aws_cli(&sample_plan());
    assert!(s.starts_with("#!/usr/bin/env bash\n# Deploys a private API path in us-east-1"));
    assert!(s.contains(&format!("# Generated by vpclink {}", crate::VERSION)));
    assert!(s.contains("\nset -euo pipefail\n"));
    assert!(s.contains("#   create     load_balancers: nlb\n"));
    assert!(s.contains("about 7 min on the critical path"));
    assert!(s.contains("\nVL_PLAN_REGION='us-east-1'\n"));
    assert!(s.ends_with("printf '==> done: %s steps\\n' '5'\n"));
}

#[test]
fn every_step_appears_in_plan_order_with_its_wave() {
    let plan = sample_plan();
    let s = aws_cli(&plan);
    let mut last = 0;
    for (step, wave) in [
        ("create.vpc.app", 1),
        ("create.target_group.backend", 2),
        ("create.load_balancer.nlb", 1),
        ("create.vpc_link.link", 2),
        ("create.alarm.unhealthy", 3),
    ] {
        let comment = format!("# [wave {wave}] {step} — ");
        let at = s
            .find(&comment)
            .unwrap_or_else(|| panic!("{comment} missing"));
        assert!(at > last, "{step} out of order");
        last = at;
        assert!(s.contains(&format!("vl_step '{step}'\n")));
    }
    // The description's newline does not leak out of its comment.
    assert!(s.contains("create.load_balancer.nlb — Create the internal NLB `nlb`.\n"));
}

#[test]
fn calls_are_kebab_case_with_the_whole_request_as_json() {
    let s = aws_cli(&sample_plan());
    assert!(s.contains(
        "vl_r=\"$(vl_call 'create.vpc.app' ec2 create-vpc --query 'Vpc.VpcId' --cli-input-json '{\"CidrBlock\": \"10.0.0.0/16\"}')\" || exit 1\n"
    ));
    assert!(s.contains("elbv2 create-target-group --query '[TargetGroups[0].TargetGroupArn, TargetGroups[0].TargetGroupArn]'"));
    assert!(s.contains(
        "vl_call 'create.alarm.unhealthy' cloudwatch put-metric-alarm --cli-input-json "
    ));
    assert!(s.contains("\"Threshold\": 0.0"));
    assert!(s.contains("\"HealthCheckEnabled\": true"));
}

#[test]
fn references_are_variables_captured_earlier() {
    let s = aws_cli(&sample_plan());
    let defined = s.find("  'VpcId' vl_create_vpc_app__VpcId ''").unwrap();
    let used = s
        .find("\"$(vl_json_escape \"$vl_create_vpc_app__VpcId\")\"")
        .unwrap();
    assert!(defined < used);
    // `after` is passed to vl_outputs, which cuts with ${value#*"$after"}.
    assert!(s.contains("  'FullName' vl_create_target_group_backend__FullName ':targetgroup/'"));
    // The join keeps its text and splices the variable inside one JSON string.
    assert!(s.contains(
        "\"Value\": \"targetgroup/'\"$(vl_json_escape \"$vl_create_target_group_backend__FullName\")\"'\"\n"
    ));
}

#[test]
fn user_text_is_quoted_safely() {
    let s = aws_cli(&sample_plan());
    assert!(s.contains(r#""Name": "it'\''s $(rm -rf /)""#));
    // Every `$(rm` in the script sits inside single quotes or a comment.
    for line in s.lines().filter(|l| l.contains("$(rm")) {
        assert!(
            line.starts_with('#') || line.contains(r#"'\''s $(rm -rf /)"#),
            "unquoted: {line}"
        );
    }
}

#[test]
fn waits_use_the_polling_function() {
    let s = aws_cli(&sample_plan());
    assert!(s.contains(concat!(
        "vl_wait 'create.load_balancer.nlb' 'LoadBalancers[0].State.Code' 15 600 --ok 'active' --fail 'failed' -- \\\n",
        "  elbv2 describe-load-balancers --cli-input-json '{\"LoadBalancerArns\": [\"'\"$(vl_json_escape \"$vl_create_load_balancer_nlb__LoadBalancerArn\")\"'\"]}'\n"
    )));
    assert!(s.contains(
        "vl_wait 'create.vpc_link.link' 'status' 15 900 --ok 'AVAILABLE' --fail 'FAILED' --message 'statusMessage' -- \\\n  apigateway get-vpc-link"
    ));
}

#[test]
fn an_unresolvable_reference_stops_before_the_first_call() {
    let mut plan = sample_plan();
    plan.steps.swap(0, 1);
    let s = aws_cli(&plan);
    let stop = s.find("vl_fail '(plan)' 'this plan cannot run: step `create.target_group.backend`: parameter `/VpcId` refers to output `VpcId` of step `create.vpc.app`, which no earlier step captures'\n").unwrap();
    let first_call = s.find("\nvl_step '").unwrap();
    assert!(stop < first_call);
}

#[test]
fn odd_service_names_are_refused() {
    let mut plan = sample_plan();
    plan.steps[0].call.service = "ec2; rm -rf /".to_owned();
    let s = aws_cli(&plan);
    assert!(s.contains("# ERROR: step `create.vpc.app` names service `ec2; rm -rf /`"));
    assert!(!s.contains("vl_call 'create.vpc.app' ec2; rm"));
}

#[test]
fn a_query_made_at_run_time_splices_earlier_outputs() {
    let mut plan = sample_plan();
    let join: Vec<crate::plan::JoinPart> = serde_json::from_value(json!([
        "TargetGroups[?VpcId=='",
        {"$output": {"step": "create.vpc.app", "name": "VpcId"}},
        "'].TargetGroupArn | [0]"
    ]))
    .unwrap();
    plan.steps[1].outputs[0].query = "TargetGroups[?VpcId=='<vpc id>'].TargetGroupArn | [0]".into();
    plan.steps[1].outputs[0].query_join = join.clone();
    let s = aws_cli(&plan);
    assert!(s.contains(concat!(
        r#"elbv2 create-target-group --query '[TargetGroups[?VpcId=='\'''"$vl_create_vpc_app__VpcId"''\''].TargetGroupArn | [0], "#,
        r#"TargetGroups[0].TargetGroupArn]' --cli-input-json"#
    )));
    // Only earlier outputs: the step's own are not known before its call.
    plan.steps[0].outputs[0].query_join = serde_json::from_value(json!([
        {"$output": {"step": "create.vpc.app", "name": "VpcId"}}
    ]))
    .unwrap();
    let s = aws_cli(&plan);
    assert!(s.contains("# ERROR: step `create.vpc.app`: the query of output `VpcId` refers to output `VpcId` of step `create.vpc.app`, which no earlier step captures\n"));
}

//! Plans written by hand in the shape the planner emits (facts §9.2, §10): the v1 path
//! target group → NLB → listener → targets → VPC link → REST API → integration →
//! deployment, and an alarm.

use serde_json::{json, Value};
use vpclink_core::plan::Plan;

fn out(step: &str, name: &str) -> Value {
    json!({"$output": {"step": step, "name": name}})
}

fn call(service: &str, op: &str, params: Value) -> Value {
    json!({"service": service, "operation": op, "params": params})
}

fn step(id: &str, action: &str, deps: &[&str], call: Value, expected: u32) -> Value {
    let (kind, rid) = id.split_once('.').unwrap_or(("thing", id));
    json!({
        "id": id, "action": action,
        "resource": {"kind": kind, "id": rid, "path": format!("/{kind}/{rid}")},
        "description": format!("{action} {id}."),
        "depends_on": deps, "call": call, "expected_seconds": expected
    })
}

fn set(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

fn output(name: &str, query: &str) -> Value {
    json!({"name": name, "query": query})
}

pub fn plan(steps: Vec<Value>) -> Plan {
    let n = steps.len();
    serde_json::from_value(json!({
        "version": 1, "region": "us-east-1", "mode": "deploy", "steps": steps, "waves": [],
        "critical_path": {"steps": [], "expected_seconds": 0},
        "summary": {"create": n, "update": 0, "replace": 0, "delete": 0, "unchanged": 0, "steps": n}
    }))
    .unwrap()
}

/// The v1 private integration path, 9 steps in 6 waves.
pub fn private_api() -> Plan {
    let tg = step(
        "target_groups.web",
        "create",
        &[],
        call(
            "elbv2",
            "create_target_group",
            json!({"Name": "web", "Protocol": "TCP", "Port": 8080, "VpcId": "vpc-1", "TargetType": "instance"}),
        ),
        2,
    );
    let tg = set(
        tg,
        "outputs",
        json!([output("TargetGroupArn", "TargetGroups[0].TargetGroupArn"),
        {"name": "TargetGroupFullName", "query": "TargetGroups[0].TargetGroupArn", "after": "targetgroup/"}]),
    );
    let tg = set(
        tg,
        "lookup",
        json!({"call": call("elbv2", "describe_target_groups", json!({"Names": ["web"]})),
        "outputs": [output("TargetGroupArn", "TargetGroups[0].TargetGroupArn"),
                    {"name": "TargetGroupFullName", "query": "TargetGroups[0].TargetGroupArn", "after": "targetgroup/"}]}),
    );
    let tg = set(
        tg,
        "undo",
        json!({"call": call("elbv2", "delete_target_group", json!({"TargetGroupArn": out("target_groups.web", "TargetGroupArn")}))}),
    );

    let nlb_id = "load_balancers.nlb";
    let nlb = step(
        nlb_id,
        "create",
        &[],
        call(
            "elbv2",
            "create_load_balancer",
            json!({"Name": "nlb", "Type": "network", "Scheme": "internal", "Subnets": ["subnet-a", "subnet-b"]}),
        ),
        180,
    );
    let nlb_outputs = json!([output("LoadBalancerArn", "LoadBalancers[0].LoadBalancerArn"),
        output("DNSName", "LoadBalancers[0].DNSName"),
        {"name": "FullName", "query": "LoadBalancers[0].LoadBalancerArn", "after": "loadbalancer/"}]);
    let nlb = set(nlb, "outputs", nlb_outputs.clone());
    let nlb = set(
        nlb,
        "wait",
        json!({"call": call("elbv2", "describe_load_balancers", json!({"LoadBalancerArns": [out(nlb_id, "LoadBalancerArn")]})),
        "status_query": "LoadBalancers[0].State.Code", "success": ["active"], "failure": ["failed"],
        "message_query": "LoadBalancers[0].State.Reason", "interval_seconds": 15, "timeout_seconds": 600}),
    );
    let nlb = set(
        nlb,
        "lookup",
        json!({"call": call("elbv2", "describe_load_balancers", json!({"Names": ["nlb"]})), "outputs": nlb_outputs}),
    );
    let nlb = set(
        nlb,
        "undo",
        json!({"call": call("elbv2", "delete_load_balancer", json!({"LoadBalancerArn": out(nlb_id, "LoadBalancerArn")})),
        "wait": {"call": call("elbv2", "describe_load_balancers", json!({"LoadBalancerArns": [out(nlb_id, "LoadBalancerArn")]})),
                 "status_query": "LoadBalancers[0].State.Code", "success": [], "success_errors": ["LoadBalancerNotFound"],
                 "interval_seconds": 15, "timeout_seconds": 600}}),
    );

    let listener = step(
        "listener.nlb/80",
        "create",
        &[nlb_id, "target_groups.web"],
        call(
            "elbv2",
            "create_listener",
            json!({"LoadBalancerArn": out(nlb_id, "LoadBalancerArn"), "Protocol": "TCP", "Port": 80,
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": out("target_groups.web", "TargetGroupArn")}]}),
        ),
        2,
    );
    let listener = set(
        listener,
        "outputs",
        json!([output("ListenerArn", "Listeners[0].ListenerArn")]),
    );
    let listener = set(
        listener,
        "lookup",
        json!({"call": call("elbv2", "describe_listeners", json!({"LoadBalancerArn": out(nlb_id, "LoadBalancerArn")})),
        "outputs": [output("ListenerArn", "Listeners[?Port==`80`].ListenerArn | [0]")]}),
    );
    let listener = set(
        listener,
        "undo",
        json!({"call": call("elbv2", "delete_listener", json!({"ListenerArn": out("listener.nlb/80", "ListenerArn")}))}),
    );

    let targets = step(
        "target.web",
        "register",
        &["target_groups.web", "listener.nlb/80"],
        call(
            "elbv2",
            "register_targets",
            json!({"TargetGroupArn": out("target_groups.web", "TargetGroupArn"), "Targets": [{"Id": "i-1", "Port": 8080}, {"Id": "i-2", "Port": 8080}]}),
        ),
        90,
    );
    let targets = set(
        targets,
        "wait",
        json!({"call": call("elbv2", "describe_target_health", json!({"TargetGroupArn": out("target_groups.web", "TargetGroupArn")})),
        "status_query": "TargetHealthDescriptions[].TargetHealth.State", "success": ["healthy"],
        "message_query": "TargetHealthDescriptions[0].TargetHealth.Description", "interval_seconds": 15, "timeout_seconds": 600}),
    );
    let targets = set(
        targets,
        "undo",
        json!({"call": call("elbv2", "deregister_targets", json!({"TargetGroupArn": out("target_groups.web", "TargetGroupArn"), "Targets": [{"Id": "i-1", "Port": 8080}, {"Id": "i-2", "Port": 8080}]})),
        "wait": {"call": call("elbv2", "describe_target_health", json!({"TargetGroupArn": out("target_groups.web", "TargetGroupArn")})),
                 "status_query": "TargetHealthDescriptions[].TargetHealth.State", "success": ["unused"], "success_errors": ["InvalidTarget"],
                 "interval_seconds": 15, "timeout_seconds": 600}}),
    );

    let link_id = "vpc_links.link";
    let link = step(
        link_id,
        "create",
        &[nlb_id, "listener.nlb/80"],
        call(
            "apigateway",
            "create_vpc_link",
            json!({"name": "shop", "targetArns": [out(nlb_id, "LoadBalancerArn")]}),
        ),
        240,
    );
    let link = set(link, "outputs", json!([output("VpcLinkId", "id")]));
    let link = set(
        link,
        "wait",
        json!({"call": call("apigateway", "get_vpc_link", json!({"vpcLinkId": out(link_id, "VpcLinkId")})),
        "status_query": "status", "success": ["AVAILABLE"], "failure": ["FAILED"], "message_query": "statusMessage",
        "interval_seconds": 15, "timeout_seconds": 900}),
    );
    let link = set(
        link,
        "lookup",
        json!({"call": call("apigateway", "get_vpc_links", json!({"limit": 500})),
        "outputs": [output("VpcLinkId", "items[?name=='shop'].id | [0]")]}),
    );
    let link = set(
        link,
        "undo",
        json!({"call": call("apigateway", "delete_vpc_link", json!({"vpcLinkId": out(link_id, "VpcLinkId")})),
        "wait": {"call": call("apigateway", "get_vpc_link", json!({"vpcLinkId": out(link_id, "VpcLinkId")})),
                 "status_query": "status", "success": [], "success_errors": ["NotFoundException"],
                 "interval_seconds": 10, "timeout_seconds": 600}}),
    );

    let api_id = "rest_apis.shop";
    let api = step(
        api_id,
        "create",
        &[],
        call(
            "apigateway",
            "create_rest_api",
            json!({"name": "shop", "endpointConfiguration": {"types": ["REGIONAL"]}}),
        ),
        2,
    );
    let api_outputs = json!([
        output("RestApiId", "id"),
        output("RootResourceId", "rootResourceId")
    ]);
    let api = set(api, "outputs", api_outputs);
    let api = set(
        api,
        "lookup",
        json!({"call": call("apigateway", "get_rest_apis", json!({"limit": 500})),
        "outputs": [output("RestApiId", "items[?name=='shop'].id | [0]"), output("RootResourceId", "items[?name=='shop'].rootResourceId | [0]")]}),
    );
    let api = set(
        api,
        "undo",
        json!({"call": call("apigateway", "delete_rest_api", json!({"restApiId": out(api_id, "RestApiId")}))}),
    );

    let integ_id = "integration.shop/ANY /";
    let integ = step(
        integ_id,
        "create",
        &[api_id, link_id],
        call(
            "apigateway",
            "put_integration",
            json!({"restApiId": out(api_id, "RestApiId"), "resourceId": out(api_id, "RootResourceId"),
            "httpMethod": "ANY", "type": "HTTP_PROXY", "integrationHttpMethod": "ANY",
            "uri": {"$join": ["http://", out(nlb_id, "DNSName"), ":80/"]},
            "connectionType": "VPC_LINK", "connectionId": out(link_id, "VpcLinkId")}),
        ),
        1,
    );
    let integ = set(integ, "depends_on", json!([api_id, link_id, nlb_id]));
    let integ = set(
        integ,
        "undo",
        json!({"call": call("apigateway", "delete_integration", json!({"restApiId": out(api_id, "RestApiId"), "resourceId": out(api_id, "RootResourceId"), "httpMethod": "ANY"}))}),
    );

    let deploy_id = "stage.shop/prod";
    let deploy = step(
        deploy_id,
        "create",
        &[integ_id],
        call(
            "apigateway",
            "create_deployment",
            json!({"restApiId": out(api_id, "RestApiId"), "stageName": "prod"}),
        ),
        5,
    );
    let deploy = set(deploy, "outputs", json!([output("DeploymentId", "id")]));
    let deploy = set(
        deploy,
        "undo",
        json!({"call": call("apigateway", "delete_stage", json!({"restApiId": out(api_id, "RestApiId"), "stageName": "prod"}))}),
    );

    let alarm = step(
        "alarms.unhealthy",
        "create",
        &[nlb_id, "target_groups.web"],
        call(
            "cloudwatch",
            "put_metric_alarm",
            json!({"AlarmName": "unhealthy", "Namespace": "AWS/NetworkELB", "MetricName": "UnHealthyHostCount",
            "Dimensions": [{"Name": "LoadBalancer", "Value": out(nlb_id, "FullName")},
                           {"Name": "TargetGroup", "Value": {"$join": ["targetgroup/", out("target_groups.web", "TargetGroupFullName")]}}],
            "Statistic": "Maximum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 0, "ComparisonOperator": "GreaterThanThreshold"}),
        ),
        1,
    );
    let alarm = set(
        alarm,
        "undo",
        json!({"call": call("cloudwatch", "delete_alarms", json!({"AlarmNames": ["unhealthy"]}))}),
    );

    plan(vec![
        tg, nlb, listener, targets, link, api, integ, deploy, alarm,
    ])
}

/// The ids of the steps of a plan that have a wait, and those whose wait has a failure
/// state.
pub fn waits(plan: &Plan) -> (Vec<String>, Vec<String>) {
    let with_wait: Vec<String> = plan
        .steps
        .iter()
        .filter(|s| s.wait.is_some())
        .map(|s| s.id.clone())
        .collect();
    let with_failure = plan
        .steps
        .iter()
        .filter(|s| s.wait.as_ref().is_some_and(|w| !w.failure.is_empty()))
        .map(|s| s.id.clone())
        .collect();
    (with_wait, with_failure)
}

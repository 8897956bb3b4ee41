//! Concrete next checks as AWS CLI commands, with the real ids and ARNs of the topology
//! where it knows them and a name lookup (or a marked placeholder) where it does not.

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::ResourceRef;
use crate::graph::Graph;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Command {
    /// What running it tells you.
    pub purpose: String,
    pub command: String,
}

fn cmd(purpose: impl Into<String>, command: impl Into<String>) -> Command {
    Command {
        purpose: purpose.into(),
        command: command.into(),
    }
}

/// `--target-group-arn` value for a target group of the topology.
fn target_group_arn(g: &Graph<'_>, id: &str) -> String {
    match g.target_group(id) {
        Some(tg) => match (&tg.arn, &tg.name) {
            (Some(arn), _) => arn.to_string(),
            (None, Some(name)) => format!(
                "\"$(aws elbv2 describe-target-groups --names {name} --query 'TargetGroups[0].TargetGroupArn' --output text)\""
            ),
            (None, None) => format!("<ARN of target group {id}>"),
        },
        None => format!("<ARN of target group {id}>"),
    }
}

fn load_balancer_arn(g: &Graph<'_>, id: &str) -> String {
    match g.load_balancer(id) {
        Some(lb) => match (&lb.arn, &lb.name) {
            (Some(arn), _) => arn.to_string(),
            (None, Some(name)) => format!(
                "\"$(aws elbv2 describe-load-balancers --names {name} --query 'LoadBalancers[0].LoadBalancerArn' --output text)\""
            ),
            (None, None) => format!("<ARN of load balancer {id}>"),
        },
        None => format!("<ARN of load balancer {id}>"),
    }
}

fn vpc_link_id(g: &Graph<'_>, id: &str) -> String {
    match g.vpc_link(id) {
        Some(link) => match (&link.aws_id, &link.name) {
            (Some(aws), _) => aws.clone(),
            (None, Some(name)) => format!(
                "\"$(aws apigateway get-vpc-links --query \"items[?name=='{name}'].id | [0]\" --output text)\""
            ),
            (None, None) => format!("<id of VPC link {id}>"),
        },
        None => format!("<id of VPC link {id}>"),
    }
}

fn aws_id_or(aws: Option<&String>, what: &str, id: &str) -> String {
    aws.cloned()
        .unwrap_or_else(|| format!("<{what} id of {id}>"))
}

/// The commands that show the live state of one resource.
pub fn for_resource(g: &Graph<'_>, r: &ResourceRef) -> Vec<Command> {
    let id = r.id.as_str();
    match r.kind.as_str() {
        "vpc_links" => vec![cmd(
            format!("status and status message of VPC link `{id}`"),
            format!(
                "aws apigateway get-vpc-link --vpc-link-id {}",
                vpc_link_id(g, id)
            ),
        )],
        "load_balancers" => {
            let arn = load_balancer_arn(g, id);
            vec![
                cmd(
                    format!("state, zones and security groups of load balancer `{id}`"),
                    format!("aws elbv2 describe-load-balancers --load-balancer-arns {arn}"),
                ),
                cmd(
                    format!("listener ports of load balancer `{id}`"),
                    format!("aws elbv2 describe-listeners --load-balancer-arn {arn} --query 'Listeners[].[Port,Protocol]'"),
                ),
            ]
        }
        "target_groups" => {
            let arn = target_group_arn(g, id);
            vec![
                cmd(
                    format!("health and reason code of each target of `{id}`"),
                    format!("aws elbv2 describe-target-health --target-group-arn {arn}"),
                ),
                cmd(
                    format!("health check settings of `{id}`"),
                    format!("aws elbv2 describe-target-groups --target-group-arns {arn}"),
                ),
            ]
        }
        "security_groups" => {
            let sg = g.security_group(id).and_then(|s| s.aws_id.as_ref());
            vec![cmd(
                format!("rules of security group `{id}`"),
                format!(
                    "aws ec2 describe-security-groups --group-ids {}",
                    aws_id_or(sg, "security group", id)
                ),
            )]
        }
        "network_acls" => {
            let acl = g.network_acl(id).and_then(|a| a.aws_id.as_ref());
            vec![cmd(
                format!("entries of network ACL `{id}`"),
                format!(
                    "aws ec2 describe-network-acls --network-acl-ids {}",
                    aws_id_or(acl, "network ACL", id)
                ),
            )]
        }
        "instances" => {
            let i = g.instance(id).and_then(|i| i.aws_id.as_ref());
            vec![cmd(
                format!("state and zone of instance `{id}`"),
                format!(
                    "aws ec2 describe-instances --instance-ids {} --query 'Reservations[].Instances[].[State.Name,Placement.AvailabilityZone]'",
                    aws_id_or(i, "instance", id)
                ),
            )]
        }
        "rest_apis" => execution_logs(g, id),
        "subnets" => {
            let s = g.subnet(id).and_then(|s| s.aws_id.as_ref());
            vec![cmd(
                format!("zone, CIDR and free addresses of subnet `{id}`"),
                format!(
                    "aws ec2 describe-subnets --subnet-ids {}",
                    aws_id_or(s, "subnet", id)
                ),
            )]
        }
        _ => Vec::new(),
    }
}

/// Execution logs of every stage of a REST API (facts §3.6).
pub fn execution_logs(g: &Graph<'_>, api: &str) -> Vec<Command> {
    let Some(rest) = g.topology.rest_apis.get(api) else {
        return Vec::new();
    };
    let api_id = match (&rest.aws_id, &rest.name) {
        (Some(id), _) => id.clone(),
        (None, Some(name)) => format!(
            "$(aws apigateway get-rest-apis --query \"items[?name=='{name}'].id | [0]\" --output text)"
        ),
        (None, None) => format!("<id of REST API {api}>"),
    };
    rest.stages
        .iter()
        .map(|(stage, _)| {
            cmd(
                format!("execution log lines of `{api}` stage `{stage}` (needs logging at INFO or ERROR)"),
                format!("aws logs tail \"API-Gateway-Execution-Logs_{api_id}/{stage}\" --since 1h"),
            )
        })
        .collect()
}

/// Backend latency against the timeout: the 504 question (facts §3.6).
pub fn integration_latency(g: &Graph<'_>, api: &str) -> Vec<Command> {
    let Some(rest) = g.topology.rest_apis.get(api) else {
        return Vec::new();
    };
    let name = rest.name.clone().unwrap_or_else(|| api.to_owned());
    rest.stages
        .iter()
        .map(|(stage, _)| {
            cmd(
                format!("backend latency of `{api}` stage `{stage}`, to compare with the integration timeout"),
                format!(
                    "aws cloudwatch get-metric-statistics --namespace AWS/ApiGateway --metric-name IntegrationLatency --dimensions Name=ApiName,Value={name} Name=Stage,Value={stage} --statistics Maximum Average --period 60 --start-time \"$(date -u -d '-1 hour' +%FT%TZ)\" --end-time \"$(date -u +%FT%TZ)\""
                ),
            )
        })
        .collect()
}

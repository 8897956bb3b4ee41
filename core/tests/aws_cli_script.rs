//! Runs the AWS CLI export with bash against a fake `aws` on PATH: the script's quoting,
//! references, waits and failures, checked on the arguments the CLI actually receives.
//! (The run against moto's server is tests/external/test_aws_cli_script.py.)
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "this test writes a script and a fake `aws`, and runs bash"
)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};
use vpclink_core::plan::Plan;
use vpclink_core::render::aws_cli;

/// Answers like the AWS CLI with `--output text`, from the operation and a state file.
/// Each invocation is logged as its arguments separated by 0x1f, ended by 0x1e.
const FAKE_AWS: &str = r#"#!/usr/bin/env bash
set -u
log="$FAKE_DIR/calls"
( IFS=$'\x1f'; printf '%s\x1e' "$*" ) >>"$log"
while [[ $# -gt 0 && "$1" == --* ]]; do shift 2; done
op="$2"
query=""
for ((i = 1; i <= $#; i++)); do
  if [[ "${!i}" == --query ]]; then j=$((i + 1)); query="${!j}"; fi
done
count() { local n; n=$(cat "$FAKE_DIR/$1" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" >"$FAKE_DIR/$1"; echo "$n"; }
fail() { printf '\nAn error occurred (%s) when calling the %s operation: %s\n' "$1" "$2" "$3" >&2; exit 254; }
case "$op" in
  create-vpc) echo vpc-0abc ;;
  create-target-group) printf '%s\t%s\n' arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/9f arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/9f ;;
  create-load-balancer) a=arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/shop-nlb/5e; printf "%s\t%s\n" "$a" "$a" ;;
  describe-load-balancers)
    n=$(count lb)
    if [[ $n == 1 ]]; then fail LoadBalancerNotFound DescribeLoadBalancers "not yet"; fi
    if [[ $n == 2 ]]; then echo provisioning; else echo active; fi ;;
  create-vpc-link)
    if [[ -n "${FAKE_LINK_ERROR:-}" ]]; then fail BadRequestException CreateVpcLink "$FAKE_LINK_ERROR"; fi
    echo lnk-1 ;;
  get-vpc-link)
    if [[ "$query" == statusMessage ]]; then echo "NLB is gone"; exit 0; fi
    n=$(count link)
    if [[ -n "${FAKE_LINK_GONE:-}" ]]; then fail NotFoundException GetVpcLink "Invalid Vpc Link identifier specified"; fi
    if [[ $n -lt 2 || "${FAKE_LINK_FINAL:-AVAILABLE}" == PENDING ]]; then echo PENDING; else echo "${FAKE_LINK_FINAL:-AVAILABLE}"; fi ;;
  describe-target-health) printf 'healthy\thealthy\n' ;;
  delete-vpc-link|put-metric-alarm) ;;
  *) fail InvalidAction "$op" "the fake does not know $op" ;;
esac
"#;

fn plan_json() -> Value {
    json!({
        "version": 1, "region": "us-east-1", "mode": "deploy",
        "steps": [
            {
                "id": "create.vpc.app", "action": "create",
                "resource": {"kind": "vpcs", "id": "app", "path": "/vpcs/app"},
                "description": "Create VPC `app`.",
                "call": {"service": "ec2", "operation": "create_vpc", "params": {"CidrBlock": "10.0.0.0/16"}},
                "outputs": [{"name": "VpcId", "query": "Vpc.VpcId"}],
                "expected_seconds": 2
            },
            {
                "id": "create.target_group.backend", "action": "create",
                "resource": {"kind": "target_groups", "id": "backend", "path": "/target_groups/backend"},
                "description": "Create target group `it's $(touch PWNED)`.",
                "call": {"service": "elbv2", "operation": "create_target_group", "params": {
                    "Name": "it's $(touch PWNED) `touch PWNED` \"q\" \\ $HOME",
                    "Protocol": "TCP", "Port": 8080, "HealthCheckEnabled": true,
                    "VpcId": {"$output": {"step": "create.vpc.app", "name": "VpcId"}}
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
                "description": "Create NLB `nlb`.",
                "call": {"service": "elbv2", "operation": "create_load_balancer", "params": {
                    "Name": "shop-nlb", "Type": "network", "Scheme": "internal", "Subnets": ["subnet-1", "subnet-2"]
                }},
                "outputs": [
                    {"name": "LoadBalancerArn", "query": "LoadBalancers[0].LoadBalancerArn"},
                    {"name": "FullName", "query": "LoadBalancers[0].LoadBalancerArn", "after": ":loadbalancer/"}
                ],
                "wait": {
                    "call": {"service": "elbv2", "operation": "describe_load_balancers", "params": {
                        "LoadBalancerArns": [{"$output": {"step": "create.load_balancer.nlb", "name": "LoadBalancerArn"}}]
                    }},
                    "status_query": "LoadBalancers[0].State.Code", "success": ["active"], "failure": ["failed"],
                    "interval_seconds": 15, "timeout_seconds": 600
                },
                "expected_seconds": 180
            },
            {
                "id": "create.vpc_link.link", "action": "create",
                "resource": {"kind": "vpc_links", "id": "link", "path": "/vpc_links/link"},
                "description": "Create VPC link `link`.",
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
                "id": "register.target.backend", "action": "register",
                "resource": {"kind": "target", "id": "backend", "path": "/target_groups/backend/targets"},
                "description": "Wait for the targets.",
                "call": {"service": "elbv2", "operation": "describe_target_health", "params": {
                    "TargetGroupArn": {"$output": {"step": "create.target_group.backend", "name": "TargetGroupArn"}}
                }},
                "wait": {
                    "call": {"service": "elbv2", "operation": "describe_target_health", "params": {
                        "TargetGroupArn": {"$output": {"step": "create.target_group.backend", "name": "TargetGroupArn"}}
                    }},
                    "status_query": "TargetHealthDescriptions[].TargetHealth.State", "success": ["healthy"],
                    "failure": ["unhealthy"], "interval_seconds": 10, "timeout_seconds": 300
                },
                "expected_seconds": 60
            },
            {
                "id": "create.alarm.unhealthy", "action": "create",
                "resource": {"kind": "alarms", "id": "unhealthy", "path": "/alarms/unhealthy"},
                "description": "Create alarm `unhealthy`.",
                "call": {"service": "cloudwatch", "operation": "put_metric_alarm", "params": {
                    "AlarmName": "unhealthy", "Threshold": 0.0,
                    "Dimensions": [
                        {"Name": "TargetGroup", "Value": {"$join": ["targetgroup/", {"$output": {"step": "create.target_group.backend", "name": "FullName"}}]}},
                        {"Name": "LoadBalancer", "Value": {"$output": {"step": "create.load_balancer.nlb", "name": "FullName"}}}
                    ]
                }},
                "expected_seconds": 1
            }
        ],
        "waves": [
            {"steps": ["create.vpc.app", "create.load_balancer.nlb"], "expected_seconds": 180},
            {"steps": ["create.target_group.backend", "create.vpc_link.link"], "expected_seconds": 240},
            {"steps": ["register.target.backend", "create.alarm.unhealthy"], "expected_seconds": 60}
        ],
        "critical_path": {"steps": ["create.load_balancer.nlb", "create.vpc_link.link"], "expected_seconds": 420},
        "summary": {"create": 5, "update": 0, "replace": 0, "delete": 0, "unchanged": 0, "steps": 6}
    })
}

struct Run {
    out: Output,
    dir: PathBuf,
}

impl Run {
    /// Every `aws` invocation: its arguments after the global options.
    fn calls(&self) -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(self.dir.join("calls")).unwrap_or_default();
        text.split_terminator('\x1e')
            .map(|l| l.split('\x1f').map(str::to_owned).collect())
            .collect()
    }
    fn ops(&self) -> Vec<String> {
        self.calls()
            .iter()
            .map(|c| {
                // Skip the `--flag value` pairs before the service.
                let mut i = 0;
                while c[i].starts_with("--") {
                    i += 2;
                }
                format!("{} {}", c[i], c[i + 1])
            })
            .collect()
    }
    /// The `--cli-input-json` of the n-th call of `op`, parsed.
    fn request(&self, op: &str, n: usize) -> Value {
        let call = self
            .calls()
            .into_iter()
            .filter(|c| c.iter().any(|a| a == op))
            .nth(n)
            .unwrap_or_else(|| panic!("no call {n} of {op}"));
        let at = call.iter().position(|a| a == "--cli-input-json").unwrap();
        serde_json::from_str(&call[at + 1]).unwrap()
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn code(&self) -> Option<i32> {
        self.out.status.code()
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vpclink-aws-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(name: &str, plan: &Plan, env: &[(&str, &str)]) -> Run {
    let dir = temp_dir(name);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let aws = bin.join("aws");
    std::fs::write(&aws, FAKE_AWS).unwrap();
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o755)).unwrap();
    let script = dir.join("deploy.sh");
    std::fs::write(&script, aws_cli(plan)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg(&script)
        .current_dir(&dir)
        .env("PATH", path)
        .env("FAKE_DIR", &dir)
        .env("VPCLINK_WAIT_INTERVAL", "0")
        .env_remove("AWS_REGION")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("VPCLINK_ENDPOINT_URL")
        .env_remove("VPCLINK_IGNORE_REGION");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run { out, dir }
}

fn plan() -> Plan {
    serde_json::from_value(plan_json()).unwrap()
}

fn bash_syntax_ok(script: &str, dir: &Path) {
    let file = dir.join("syntax.sh");
    std::fs::write(&file, script).unwrap();
    let out = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_script_is_valid_bash() {
    let dir = temp_dir("syntax");
    bash_syntax_ok(&aws_cli(&plan()), &dir);
    // A plan whose references do not resolve still gives a valid script (that stops).
    let mut broken = plan();
    broken.steps.swap(0, 1);
    bash_syntax_ok(&aws_cli(&broken), &dir);
}

#[test]
fn the_three_tier_plan_gives_a_valid_script() {
    let t =
        vpclink_core::topology_from_str(include_str!("../../examples/three-tier.json")).unwrap();
    let plan = vpclink_core::plan::plan(&t, None).unwrap();
    let script = aws_cli(&plan);
    bash_syntax_ok(&script, &temp_dir("three-tier"));
    for step in &plan.steps {
        assert!(script.contains(&format!("\nvl_step '{}'\n", step.id.replace('\'', r"'\''"))));
    }
}

#[test]
fn runs_every_call_in_order_with_references_resolved() {
    let r = run(
        "happy",
        &plan(),
        &[("VPCLINK_ENDPOINT_URL", "http://127.0.0.1:4566")],
    );
    assert_eq!(r.code(), Some(0), "{}\n{}", r.stdout(), r.stderr());
    assert_eq!(
        r.ops(),
        [
            "ec2 create-vpc",
            "elbv2 create-target-group",
            "elbv2 create-load-balancer",
            // Not found just after the create is polled through, then provisioning, active.
            "elbv2 describe-load-balancers",
            "elbv2 describe-load-balancers",
            "elbv2 describe-load-balancers",
            "apigateway create-vpc-link",
            "apigateway get-vpc-link",
            "apigateway get-vpc-link",
            "elbv2 describe-target-health",
            "elbv2 describe-target-health",
            "cloudwatch put-metric-alarm",
        ]
    );
    for call in r.calls() {
        assert_eq!(
            &call[..6],
            [
                "--region",
                "us-east-1",
                "--output",
                "text",
                "--endpoint-url",
                "http://127.0.0.1:4566"
            ]
        );
    }
    assert_eq!(
        r.request("create-target-group", 0),
        json!({
            "Name": "it's $(touch PWNED) `touch PWNED` \"q\" \\ $HOME",
            "Protocol": "TCP", "Port": 8080, "HealthCheckEnabled": true, "VpcId": "vpc-0abc"
        })
    );
    assert!(!r.dir.join("PWNED").exists());
    assert_eq!(
        r.request("create-vpc-link", 0),
        json!({"name": "shop-link", "targetArns": ["arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/shop-nlb/5e"]})
    );
    assert_eq!(r.request("get-vpc-link", 0), json!({"vpcLinkId": "lnk-1"}));
    assert_eq!(
        r.request("put-metric-alarm", 0)["Dimensions"],
        json!([
            {"Name": "TargetGroup", "Value": "targetgroup/tg/9f"},
            {"Name": "LoadBalancer", "Value": "net/shop-nlb/5e"}
        ])
    );
    let out = r.stdout();
    assert!(out.contains("==> create.load_balancer.nlb\n    LoadBalancerArn = arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/shop-nlb/5e\n    FullName = net/shop-nlb/5e\n"));
    assert!(out.contains("    PENDING\n    AVAILABLE\n"));
    assert!(out.ends_with("==> done: 6 steps\n"), "{out}");
}

#[test]
fn the_region_comes_from_aws_region_and_a_mismatch_stops_first() {
    let r = run("region-same", &plan(), &[("AWS_REGION", "us-east-1")]);
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    // Without an endpoint override no --endpoint-url is passed.
    assert!(r
        .calls()
        .iter()
        .all(|c| !c.contains(&"--endpoint-url".to_owned())));

    let r = run("region-other", &plan(), &[("AWS_REGION", "eu-west-1")]);
    assert_eq!(r.code(), Some(2));
    assert!(r
        .stderr()
        .contains("AWS_REGION is eu-west-1 but this plan was made for us-east-1"));
    assert!(r.calls().is_empty());

    let r = run(
        "region-forced",
        &plan(),
        &[
            ("AWS_REGION", "eu-west-1"),
            ("VPCLINK_IGNORE_REGION", "1"),
            ("AWS_ENDPOINT_URL", "http://localhost:5000"),
        ],
    );
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(
        &r.calls()[0][..6],
        [
            "--region",
            "eu-west-1",
            "--output",
            "text",
            "--endpoint-url",
            "http://localhost:5000"
        ]
    );
}

#[test]
fn a_failure_state_stops_with_the_step_and_the_message() {
    let r = run("link-failed", &plan(), &[("FAKE_LINK_FINAL", "FAILED")]);
    assert_eq!(r.code(), Some(1));
    assert!(
        r.stderr()
            .contains("vpclink: step create.vpc_link.link failed: status is FAILED: NLB is gone\n"),
        "{}",
        r.stderr()
    );
    assert!(!r.ops().contains(&"cloudwatch put-metric-alarm".to_owned()));
}

#[test]
fn a_wait_times_out() {
    let mut p = plan_json();
    p["steps"][3]["wait"]["timeout_seconds"] = json!(1);
    let p: Plan = serde_json::from_value(p).unwrap();
    let r = run(
        "link-pending",
        &p,
        &[
            ("FAKE_LINK_FINAL", "PENDING"),
            ("VPCLINK_WAIT_INTERVAL", "1"),
        ],
    );
    assert_eq!(r.code(), Some(1));
    assert!(
        r.stderr().contains(
            "vpclink: step create.vpc_link.link failed: timed out after 1s waiting for status to be AVAILABLE (last: PENDING)"
        ),
        "{}",
        r.stderr()
    );
}

#[test]
fn a_failed_call_stops_with_the_aws_error() {
    let r = run(
        "link-error",
        &plan(),
        &[("FAKE_LINK_ERROR", "NLB not found")],
    );
    assert_eq!(r.code(), Some(1));
    assert!(r.stderr().contains(
        "vpclink: step create.vpc_link.link failed: aws apigateway create-vpc-link: An error occurred (BadRequestException) when calling the CreateVpcLink operation: NLB not found"
    ), "{}", r.stderr());
    assert_eq!(r.ops().last().unwrap(), "apigateway create-vpc-link");
}

#[test]
fn a_listed_error_ends_a_wait_successfully_and_others_stop_it() {
    let teardown = |success_errors: Value| -> Plan {
        serde_json::from_value(json!({
            "version": 1, "region": "us-east-1", "mode": "destroy",
            "steps": [{
                "id": "delete.vpc_link.link", "action": "delete",
                "resource": {"kind": "vpc_links", "id": "link", "path": "/vpc_links/link"},
                "description": "Delete VPC link `link`.",
                "call": {"service": "apigateway", "operation": "delete_vpc_link", "params": {"vpcLinkId": "lnk-1"}},
                "wait": {
                    "call": {"service": "apigateway", "operation": "get_vpc_link", "params": {"vpcLinkId": "lnk-1"}},
                    "status_query": "status", "success": [], "success_errors": success_errors,
                    "interval_seconds": 15, "timeout_seconds": 300
                },
                "expected_seconds": 60
            }],
            "waves": [{"steps": ["delete.vpc_link.link"], "expected_seconds": 60}],
            "critical_path": {"steps": ["delete.vpc_link.link"], "expected_seconds": 60},
            "summary": {"create": 0, "update": 0, "replace": 0, "delete": 1, "unchanged": 0, "steps": 1}
        }))
        .unwrap()
    };
    let r = run(
        "gone",
        &teardown(json!(["NotFoundException"])),
        &[("FAKE_LINK_GONE", "1")],
    );
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert!(r.stdout().contains(concat!(
        "    waiting for get-vpc-link to answer NotFoundException (every 0s, at most 300s)\n",
        "    NotFoundException\n==> done: 1 steps\n"
    )));
    assert!(aws_cli(&teardown(json!([]))).starts_with("#!/usr/bin/env bash\n# Tears down"));

    // Without the code listed, the not-found error is polled through until the timeout...
    let mut quick = teardown(json!([]));
    if let Some(w) = quick.steps[0].wait.as_mut() {
        w.timeout_seconds = 1;
    }
    let r = run(
        "gone-unlisted",
        &quick,
        &[("FAKE_LINK_GONE", "1"), ("VPCLINK_WAIT_INTERVAL", "1")],
    );
    assert_eq!(r.code(), Some(1));
    assert!(
        r.stderr().contains("(last: NotFoundException)"),
        "{}",
        r.stderr()
    );
}

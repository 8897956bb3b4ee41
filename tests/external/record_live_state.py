"""Record a live-state bundle of the three-tier example from moto's server.

Builds examples/three-tier.json in moto with boto3 (VPC, four subnets, two network ACLs with
entries and associations, two security groups, three instances, a target group with its
health check, an internal NLB in two subnets with a security group, a listener, the targets,
a REST VPC link, a REST API with GET /products over the link, stage `prod` with INFO logging
and metrics, and an UnHealthyHostCount alarm), then records every describe/get call of the
bundle format (docs/live-state.md) and writes the bundle as sorted JSON.

As a script:  target/py/bin/python tests/external/record_live_state.py [--out FILE]
              (default: tests/fixtures/live/three-tier.bundle.json)
Under pytest: records into a temporary file and checks it equals the committed fixture, so
              a change in the recorder or in moto shows up as a diff to review.

Only 127.0.0.1 is contacted; the credentials are dummies.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import boto3

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "live" / "three-tier.bundle.json"
REGION = "us-east-1"
# moto's default account.
ACCOUNT = "123456789012"
# Seeds moto's id generator, so every run yields the same resource ids.
SEED = 20240601


# --------------------------------------------------------------------------- moto server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MotoServer:
    """moto's server in a child process on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "MotoServer":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=1):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.2)
        req = urllib.request.Request(f"{self.url}/moto-api/seed?a={SEED}", method="POST")
        with urllib.request.urlopen(req, timeout=5):
            pass
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            aws_session_token="testing",
        )


# --------------------------------------------------------------------------- build


def tags(name: str, kind: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


class Built:
    """What the recording needs to know about the build."""

    def __init__(self) -> None:
        self.vpc_id = ""
        # (restApiId, resourceId, httpMethod) → the connectionId given to put_integration.
        self.connection_ids: dict[tuple[str, str, str], str] = {}
        # Load balancer ARN → the EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic set.
        self.enforce_privatelink: dict[str, str] = {}


def build(moto: MotoServer) -> Built:
    """Creates examples/three-tier.json in moto. Name tags carry the example's ids."""
    built = Built()
    ec2 = moto.client("ec2")
    elbv2 = moto.client("elbv2")
    apigw = moto.client("apigateway")
    cw = moto.client("cloudwatch")

    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tags("app", "vpc"))["Vpc"]
    vpc_id = vpc["VpcId"]
    built.vpc_id = vpc_id

    subnets = {}
    for name, az, cidr in [
        ("private-a", "us-east-1a", "10.0.1.0/24"),
        ("private-b", "us-east-1b", "10.0.2.0/24"),
        ("nlb-a", "us-east-1a", "10.0.101.0/24"),
        ("nlb-b", "us-east-1b", "10.0.102.0/24"),
    ]:
        subnets[name] = ec2.create_subnet(
            VpcId=vpc_id,
            CidrBlock=cidr,
            AvailabilityZone=az,
            TagSpecifications=tags(name, "subnet"),
        )["Subnet"]["SubnetId"]

    # Network ACLs: entries as in the example, then move the subnets off the default ACL.
    acl_entries = {
        "private": [
            (False, 100, "6", (8080, 8080), "10.0.100.0/22"),
            (True, 100, "6", (1024, 65535), "10.0.100.0/22"),
        ],
        "nlb": [
            (False, 100, "6", (80, 80), "0.0.0.0/0"),
            (False, 110, "6", (1024, 65535), "10.0.0.0/20"),
            (True, 100, "6", (8080, 8080), "10.0.0.0/20"),
            (True, 110, "6", (1024, 65535), "0.0.0.0/0"),
        ],
    }
    acls = {}
    for name, entries in acl_entries.items():
        acl_id = ec2.create_network_acl(VpcId=vpc_id, TagSpecifications=tags(name, "network-acl"))[
            "NetworkAcl"
        ]["NetworkAclId"]
        acls[name] = acl_id
        for egress, rule, proto, (lo, hi), cidr in entries:
            ec2.create_network_acl_entry(
                NetworkAclId=acl_id,
                RuleNumber=rule,
                Protocol=proto,
                RuleAction="allow",
                Egress=egress,
                CidrBlock=cidr,
                PortRange={"From": lo, "To": hi},
            )
    default_acl = ec2.describe_network_acls(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "default", "Values": ["true"]},
        ]
    )["NetworkAcls"][0]
    association_of = {a["SubnetId"]: a["NetworkAclAssociationId"] for a in default_acl["Associations"]}
    for subnet, acl in [
        ("private-a", "private"),
        ("private-b", "private"),
        ("nlb-a", "nlb"),
        ("nlb-b", "nlb"),
    ]:
        ec2.replace_network_acl_association(
            AssociationId=association_of[subnets[subnet]], NetworkAclId=acls[acl]
        )

    # Security groups: the NLB's allows the listener from the VPC and sends only to the app.
    nlb_sg = ec2.create_security_group(
        GroupName="nlb",
        Description="Internal NLB behind the VPC link",
        VpcId=vpc_id,
        TagSpecifications=tags("nlb", "security-group"),
    )["GroupId"]
    app_sg = ec2.create_security_group(
        GroupName="app",
        Description="Application instances",
        VpcId=vpc_id,
        TagSpecifications=tags("app", "security-group"),
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=nlb_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "10.0.0.0/16", "Description": "listener, from inside the VPC"}],
            }
        ],
    )
    ec2.revoke_security_group_egress(
        GroupId=nlb_sg,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    ec2.authorize_security_group_egress(
        GroupId=nlb_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [
                    {"GroupId": app_sg, "Description": "traffic and health checks to the targets"}
                ],
            }
        ],
    )
    ec2.authorize_security_group_ingress(
        GroupId=app_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [
                    {"GroupId": nlb_sg, "Description": "traffic and health checks from the NLB"}
                ],
            }
        ],
    )

    image_id = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instances = {}
    for name, subnet in [("web-1", "private-a"), ("web-2", "private-b"), ("web-3", "private-a")]:
        instances[name] = ec2.run_instances(
            ImageId=image_id,
            InstanceType="t3.small",
            MinCount=1,
            MaxCount=1,
            SubnetId=subnets[subnet],
            SecurityGroupIds=[app_sg],
            TagSpecifications=tags(name, "instance"),
        )["Instances"][0]["InstanceId"]

    tg_arn = elbv2.create_target_group(
        Name="shop-backend",
        Protocol="TCP",
        Port=8080,
        VpcId=vpc_id,
        TargetType="instance",
        HealthCheckProtocol="HTTP",
        HealthCheckPort="traffic-port",
        HealthCheckPath="/health",
        HealthCheckIntervalSeconds=30,
        HealthCheckTimeoutSeconds=6,
        HealthyThresholdCount=3,
        UnhealthyThresholdCount=3,
    )["TargetGroups"][0]["TargetGroupArn"]

    lb = elbv2.create_load_balancer(
        Name="shop-nlb",
        Subnets=[subnets["nlb-a"], subnets["nlb-b"]],
        SecurityGroups=[nlb_sg],
        Scheme="internal",
        Type="network",
    )["LoadBalancers"][0]
    lb_arn = lb["LoadBalancerArn"]
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=lb_arn,
        Attributes=[{"Key": "load_balancing.cross_zone.enabled", "Value": "false"}],
    )
    # The example turns PrivateLink inbound-rule enforcement off (facts §4.3).
    elbv2.set_security_groups(
        LoadBalancerArn=lb_arn,
        SecurityGroups=[nlb_sg],
        EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic="off",
    )
    built.enforce_privatelink[lb_arn] = "off"
    elbv2.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="TCP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}],
    )
    elbv2.register_targets(
        TargetGroupArn=tg_arn, Targets=[{"Id": instances[n]} for n in ("web-1", "web-2", "web-3")]
    )

    link_id = apigw.create_vpc_link(name="shop-link", targetArns=[lb_arn])["id"]
    api = apigw.create_rest_api(name="shop", endpointConfiguration={"types": ["REGIONAL"]})
    api_id = api["id"]
    root_id = next(
        r["id"] for r in apigw.get_resources(restApiId=api_id)["items"] if r["path"] == "/"
    )
    products = apigw.create_resource(restApiId=api_id, parentId=root_id, pathPart="products")["id"]
    apigw.put_method(
        restApiId=api_id, resourceId=products, httpMethod="GET", authorizationType="NONE"
    )
    apigw.put_integration(
        restApiId=api_id,
        resourceId=products,
        httpMethod="GET",
        type="HTTP_PROXY",
        integrationHttpMethod="GET",
        uri="http://nlb.internal:80/products",
        connectionType="VPC_LINK",
        connectionId=link_id,
        timeoutInMillis=29000,
    )
    built.connection_ids[(api_id, products, "GET")] = link_id
    apigw.create_deployment(restApiId=api_id, stageName="prod")
    apigw.update_stage(
        restApiId=api_id,
        stageName="prod",
        patchOperations=[
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"},
            {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"},
        ],
    )

    def dimension(arn: str) -> str:
        resource = arn.split(":", 5)[5]
        return resource.removeprefix("loadbalancer/")

    cw.put_metric_alarm(
        AlarmName="shop-unhealthy-targets",
        Namespace="AWS/NetworkELB",
        MetricName="UnHealthyHostCount",
        Dimensions=[
            {"Name": "TargetGroup", "Value": dimension(tg_arn)},
            {"Name": "LoadBalancer", "Value": dimension(lb_arn)},
        ],
        Statistic="Maximum",
        Period=60,
        EvaluationPeriods=2,
        Threshold=0.0,
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="notBreaching",
    )
    return built


# --------------------------------------------------------------------------- record


class Recorder:
    """Calls operations and keeps each page as {"request": params, "response": page}."""

    def __init__(self, moto: MotoServer) -> None:
        self.moto = moto
        self.clients: dict[str, Any] = {}
        self.responses: dict[str, dict[str, list[dict[str, Any]]]] = {}

    def client(self, service: str) -> Any:
        if service not in self.clients:
            self.clients[service] = self.moto.client(service)
        return self.clients[service]

    def call(self, service: str, operation: str, **params: Any) -> list[dict[str, Any]]:
        """Every page of one call (through the paginator when boto3 has one)."""
        client = self.client(service)
        if client.can_paginate(operation):
            pages = list(client.get_paginator(operation).paginate(**params))
        else:
            pages = [getattr(client, operation)(**params)]
        kept = []
        for page in pages:
            page = dict(page)
            # Request ids and HTTP headers change on every call and say nothing about state.
            page.pop("ResponseMetadata", None)
            # boto3 makes up an idempotency token per run_instances call; EC2 echoes it.
            drop_key(page, "ClientToken")
            kept.append({"request": params, "response": page})
        self.responses.setdefault(service, {}).setdefault(operation, []).extend(kept)
        return [p["response"] for p in kept]


def record(moto: MotoServer, built: Built) -> dict[str, Any]:
    """The bundle: the documented operations, per-resource calls for every resource found.

    EC2 calls are scoped to the example's VPC, as a collector for one application would be:
    moto, like AWS, also has a default VPC with its own subnets, group and ACL."""
    r = Recorder(moto)
    in_vpc = [{"Name": "vpc-id", "Values": [built.vpc_id]}]
    r.call("ec2", "describe_vpcs", VpcIds=[built.vpc_id])
    r.call("ec2", "describe_subnets", Filters=in_vpc)
    r.call("ec2", "describe_security_groups", Filters=in_vpc)
    r.call("ec2", "describe_network_acls", Filters=in_vpc)
    r.call("ec2", "describe_instances", Filters=in_vpc)

    lbs = [lb for p in r.call("elbv2", "describe_load_balancers") for lb in p["LoadBalancers"]]
    for lb in lbs:
        r.call("elbv2", "describe_load_balancer_attributes", LoadBalancerArn=lb["LoadBalancerArn"])
        r.call("elbv2", "describe_listeners", LoadBalancerArn=lb["LoadBalancerArn"])
    tgs = [tg for p in r.call("elbv2", "describe_target_groups") for tg in p["TargetGroups"]]
    for tg in tgs:
        r.call("elbv2", "describe_target_group_attributes", TargetGroupArn=tg["TargetGroupArn"])
        r.call("elbv2", "describe_target_health", TargetGroupArn=tg["TargetGroupArn"])

    r.call("apigateway", "get_vpc_links")
    apis = [a for p in r.call("apigateway", "get_rest_apis") for a in p["items"]]
    for api in apis:
        resources = r.call("apigateway", "get_resources", restApiId=api["id"], embed=["methods"])
        # The embedded methodIntegration is enough on AWS; moto leaves its connectionId out,
        # so each integration is read on its own as well (the importer prefers these).
        for res in [i for p in resources for i in p["items"]]:
            for verb, method in sorted(res.get("resourceMethods", {}).items()):
                if "methodIntegration" in method:
                    r.call(
                        "apigateway",
                        "get_integration",
                        restApiId=api["id"],
                        resourceId=res["id"],
                        httpMethod=verb,
                    )
        r.call("apigateway", "get_stages", restApiId=api["id"])

    r.call("apigatewayv2", "get_vpc_links")
    for api in [a for p in r.call("apigatewayv2", "get_apis") for a in p["Items"]]:
        r.call("apigatewayv2", "get_integrations", ApiId=api["ApiId"])
        r.call("apigatewayv2", "get_routes", ApiId=api["ApiId"])

    r.call("cloudwatch", "describe_alarms")
    restore_connection_ids(r.responses, built)
    restore_privatelink_enforcement(r.responses, built)
    responses = network_arns(without_datetimes(r.responses))

    return {
        "format": "vpclink-aws-bundle",
        "version": 1,
        "region": REGION,
        "account": ACCOUNT,
        "responses": responses,
    }


def restore_connection_ids(responses: dict[str, Any], built: Built) -> None:
    """moto 5.2.5 stores no connectionId for put_integration, so neither get_integration nor
    get_resources returns it; AWS returns the id that was put. Write that id back where the
    response lacks it (the fixture README lists this)."""
    apigw = responses.get("apigateway", {})
    for page in apigw.get("get_integration", []):
        req, resp = page["request"], page["response"]
        key = (req["restApiId"], req["resourceId"], req["httpMethod"])
        if key in built.connection_ids and "connectionId" not in resp:
            resp["connectionId"] = built.connection_ids[key]
    for page in apigw.get("get_resources", []):
        for res in page["response"].get("items", []):
            for verb, method in res.get("resourceMethods", {}).items():
                integration = method.get("methodIntegration")
                key = (page["request"]["restApiId"], res["id"], verb)
                if integration is not None and key in built.connection_ids:
                    integration.setdefault("connectionId", built.connection_ids[key])


def restore_privatelink_enforcement(responses: dict[str, Any], built: Built) -> None:
    """moto 5.2.5 accepts EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic in
    set_security_groups but neither keeps nor returns it; AWS returns it in
    describe_load_balancers for a load balancer with security groups. Write the value set."""
    for page in responses.get("elbv2", {}).get("describe_load_balancers", []):
        for lb in page["response"].get("LoadBalancers", []):
            value = built.enforce_privatelink.get(lb["LoadBalancerArn"])
            if value is not None:
                lb.setdefault("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", value)


def network_arns(responses: dict[str, Any]) -> dict[str, Any]:
    """moto 5.2.5 names every load balancer `loadbalancer/app/<name>/<id>`, network ones
    included; AWS names those `loadbalancer/net/...` (and their listeners `listener/net/...`,
    their CloudWatch dimension `net/<name>/<id>`). Rename them wherever they appear."""
    text = json.dumps(responses, default=str)
    for page in responses.get("elbv2", {}).get("describe_load_balancers", []):
        for lb in page["response"].get("LoadBalancers", []):
            resource = lb["LoadBalancerArn"].split(":", 5)[5]
            if lb.get("Type") == "network" and resource.startswith("loadbalancer/app/"):
                old = resource.removeprefix("loadbalancer/")
                text = text.replace(f"/{old}", "/" + "net/" + old.removeprefix("app/"))
                text = text.replace(f'"{old}"', '"net/' + old.removeprefix("app/") + '"')
    return json.loads(text)


def drop_key(value: Any, key: str) -> None:
    if isinstance(value, dict):
        value.pop(key, None)
        for v in value.values():
            drop_key(v, key)
    elif isinstance(value, list):
        for v in value:
            drop_key(v, key)


def without_datetimes(value: Any) -> Any:
    """Drops datetime fields (LaunchTime, CreatedTime, createdDate, ...): they change on every
    run, and the importer reads none of them."""
    if isinstance(value, dict):
        return {k: without_datetimes(v) for k, v in value.items() if not isinstance(v, _dt.datetime)}
    if isinstance(value, list):
        return [without_datetimes(v) for v in value if not isinstance(v, _dt.datetime)]
    return value


def to_json(bundle: dict[str, Any]) -> str:
    return json.dumps(without_datetimes(bundle), indent=2, sort_keys=True, default=str) + "\n"


def record_bundle() -> str:
    with MotoServer() as moto:
        built = build(moto)
        return to_json(record(moto, built))


# --------------------------------------------------------------------------- entry points


def test_recorded_bundle_matches_fixture(tmp_path: Path) -> None:
    text = record_bundle()
    (tmp_path / "three-tier.bundle.json").write_text(text)
    assert FIXTURE.exists(), f"run {Path(__file__).name} to create {FIXTURE}"
    assert json.loads(text) == json.loads(FIXTURE.read_text()), (
        "the recorded bundle differs from the committed fixture; review the difference "
        f"(new recording in {tmp_path}) and re-record if it is expected"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIXTURE)
    args = parser.parse_args()
    text = record_bundle()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"wrote {args.out} ({len(text)} bytes)")


if __name__ == "__main__":
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    main()

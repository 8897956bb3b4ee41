"""pytest plugin for the vpclink.aws tests: moto's server on 127.0.0.1, sessions with dummy
credentials, a fake clock, fault injection through botocore's event hooks, and an inventory
of what exists in moto.

Load it with `pytest_plugins = ["moto_server"]` in a test module. The server is started once
per test session, on a free port of 127.0.0.1, and its state is reset before each test that
asks for `moto`. Only 127.0.0.1 is contacted; the credentials are dummies.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import importlib

import pytest

# boto3 ships no types; held as Any so that mypy --strict passes with or without boto3-stubs.
boto3: Any = importlib.import_module("boto3")
AWSResponse: Any = importlib.import_module("botocore.awsrequest").AWSResponse

REGION = "us-east-1"
REPO = Path(__file__).resolve().parents[2]
THREE_TIER = REPO / "examples" / "three-tier.json"

# Distinctive dummies, so that a leak is found by a plain text search (moto accepts any).
ACCESS_KEY = "AKIAVPCLINKDUMMY0001"
SECRET_KEY = "vpclinkDummySecret/Key+0123456789abcdefghijk"
SESSION_TOKEN = "vpclinkDummySessionToken//AbCdEf0123456789+ZyXwVu9876543210=="
SECRETS = (ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)

# Environment variables that could send a call elsewhere.
_DROPPED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_CA_BUNDLE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _post(url: str) -> None:
    with _NO_PROXY.open(urllib.request.Request(url, method="POST"), timeout=10):
        pass


def _answers(url: str) -> bool:
    try:
        with _NO_PROXY.open(url + "/moto-api/", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def aws_env(home: Path) -> Dict[str, str]:
    """An environment for child processes (the CLI): dummy credentials, the Region, no
    profile, config file or proxy."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_SESSION_TOKEN": SESSION_TOKEN,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": str(home / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            # Never ask the instance metadata service (169.254.169.254) for credentials.
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return env


@pytest.fixture(scope="session")
def moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m moto.server` on a free port of 127.0.0.1, for the whole test session."""
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = aws_env(log.parent)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 60
        while not _answers(url):
            if proc.poll() is not None:
                raise RuntimeError(f"moto's server exited with {proc.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"moto's server did not answer on {url} within 60 s")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            # moto's server can take seconds to stop on SIGTERM; it holds nothing worth keeping.
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session", autouse=True)
def _no_proxy_for_moto() -> Iterator[None]:
    """botocore honours HTTP(S)_PROXY; calls to moto must never go through a proxy."""
    saved = {k: os.environ.get(k) for k in ("NO_PROXY", "no_proxy")}
    for key in saved:
        current = os.environ.get(key)
        os.environ[key] = "127.0.0.1,localhost" + (f",{current}" if current else "")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


class Moto:
    """One test's view of the server: fresh sessions, inspection clients, counts."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._inspect = self._session()
        self._clients: Dict[str, Any] = {}
        #: The moto gaps that showed during the test, as the hooks below met them.
        self.gaps: List[str] = []

    def _session(self) -> Any:
        return boto3.session.Session(
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            aws_session_token=SESSION_TOKEN,
            region_name=REGION,
        )

    def session(self) -> Any:
        """A new boto3 session with the dummy credentials (hooks registered on it stay on
        it), with moto's subnet-deletion gap filled in the way AWS behaves."""
        session = self._session()
        session.events.register("before-call.ec2.DeleteSubnet", self._remember_subnet)
        session.events.register("after-call.ec2.DeleteSubnet", self._release_acl_association)
        return session

    @staticmethod
    def _remember_subnet(params: Dict[str, Any], context: Dict[str, Any], **_: Any) -> None:
        context["vpclink-test-subnet"] = params.get("body", {}).get("SubnetId")

    def _release_acl_association(self, http_response: Any, context: Dict[str, Any], **_: Any) -> None:
        """moto 5.2.5 gap: `delete_subnet` leaves the subnet's network ACL association behind,
        so the ACL cannot be deleted afterwards (DependencyViolation); on AWS the association
        goes with the subnet (facts §9.4). When moto shows it, move the orphaned association
        to the VPC's default ACL (which AWS never lets anyone delete either), as AWS would
        leave it: nothing associated with the custom ACL."""
        subnet = context.get("vpclink-test-subnet")
        if http_response.status_code >= 300 or not subnet:
            return
        ec2 = self.client("ec2")
        left = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [subnet]}])["NetworkAcls"]
        for acl in left:
            if acl["IsDefault"]:
                continue
            self.gaps.append(f"delete_subnet left {subnet} associated with {acl['NetworkAclId']}")
            default = ec2.describe_network_acls(
                Filters=[{"Name": "vpc-id", "Values": [acl["VpcId"]]}, {"Name": "default", "Values": ["true"]}]
            )["NetworkAcls"][0]["NetworkAclId"]
            for association in acl["Associations"]:
                if association["SubnetId"] == subnet:
                    ec2.replace_network_acl_association(
                        AssociationId=association["NetworkAclAssociationId"], NetworkAclId=default
                    )

    def client(self, service: str) -> Any:
        """A client for looking at moto; never carries the faults a test injects."""
        if service not in self._clients:
            self._clients[service] = self._inspect.client(service, endpoint_url=self.url, region_name=REGION)
        return self._clients[service]

    def inventory(self) -> Dict[str, int]:
        """How many of each resource exist, leaving out what AWS makes by itself (the default
        VPC and everything in it, each VPC's default security group and network ACL, the
        `*` deny entries) and instances that are terminated."""
        ec2, elbv2 = self.client("ec2"), self.client("elbv2")
        apigw, cw = self.client("apigateway"), self.client("cloudwatch")
        vpcs = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v["IsDefault"]]
        in_vpcs = [{"Name": "vpc-id", "Values": vpcs}] if vpcs else None

        def in_ours(operation: str, key: str) -> List[Dict[str, Any]]:
            if in_vpcs is None:
                return []
            return list(getattr(ec2, operation)(Filters=in_vpcs)[key])

        groups = [g for g in in_ours("describe_security_groups", "SecurityGroups") if g["GroupName"] != "default"]
        acls = [a for a in in_ours("describe_network_acls", "NetworkAcls") if not a["IsDefault"]]
        instances = [
            i
            for r in ec2.describe_instances()["Reservations"]
            for i in r["Instances"]
            if i["State"]["Name"] not in ("terminated", "shutting-down")
        ]
        lbs = elbv2.describe_load_balancers()["LoadBalancers"]
        tgs = elbv2.describe_target_groups()["TargetGroups"]
        apis = apigw.get_rest_apis()["items"]
        counts = {
            "vpcs": len(vpcs),
            "subnets": len(in_ours("describe_subnets", "Subnets")),
            "security_groups": len(groups),
            "security_group_rules": sum(
                len(p.get("IpRanges", [])) + len(p.get("UserIdGroupPairs", []))
                for g in groups
                for p in g["IpPermissions"] + g["IpPermissionsEgress"]
            ),
            "network_acls": len(acls),
            "network_acl_entries": sum(1 for a in acls for e in a["Entries"] if e["RuleNumber"] < 32767),
            "network_acl_associations": sum(len(a["Associations"]) for a in acls),
            "instances": len(instances),
            "load_balancers": len(lbs),
            "listeners": sum(len(elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]) for lb in lbs),
            "target_groups": len(tgs),
            "targets": sum(
                len(elbv2.describe_target_health(TargetGroupArn=tg["TargetGroupArn"])["TargetHealthDescriptions"])
                for tg in tgs
            ),
            "vpc_links": len(apigw.get_vpc_links()["items"]),
            "rest_apis": len(apis),
            "api_resources": sum(
                1 for a in apis for r in apigw.get_resources(restApiId=a["id"])["items"] if r["path"] != "/"
            ),
            "deployments": sum(len(apigw.get_deployments(restApiId=a["id"])["items"]) for a in apis),
            "stages": sum(len(apigw.get_stages(restApiId=a["id"])["item"]) for a in apis),
            "alarms": len(cw.describe_alarms()["MetricAlarms"]),
        }
        return counts


#: What the three-tier example leaves in an account: exactly one of everything it names.
THREE_TIER_INVENTORY = {
    "vpcs": 1,
    "subnets": 4,
    "security_groups": 2,
    # nlb: ingress 80 from the VPC, egress 8080 to app (the default egress revoked);
    # app: ingress 8080 from nlb, and AWS's default allow-all egress.
    "security_group_rules": 4,
    "network_acls": 2,
    "network_acl_entries": 6,
    "network_acl_associations": 4,
    "instances": 3,
    "load_balancers": 1,
    "listeners": 1,
    "target_groups": 1,
    "targets": 3,
    "vpc_links": 1,
    "rest_apis": 1,
    "api_resources": 1,
    "deployments": 1,
    "stages": 1,
    "alarms": 1,
}

EMPTY_INVENTORY = {key: 0 for key in THREE_TIER_INVENTORY}


def reset(moto_url: str) -> None:
    """Empties moto: every resource of every service goes."""
    _post(moto_url + "/moto-api/reset")


@pytest.fixture
def moto(moto_url: str) -> Moto:
    """moto's server with nothing in it (its state is reset for each test)."""
    reset(moto_url)
    return Moto(moto_url)


@dataclass
class FakeClock:
    """The executor's clock for tests: `sleep` moves time on instead of waiting, so waits of
    15 s and backoff delays cost nothing."""

    now_ms: int = 1_700_000_000_000
    slept_ms: int = 0

    def __call__(self) -> int:
        return self.now_ms

    def sleep(self, seconds: float) -> None:
        step = max(0, int(seconds * 1000))
        self.now_ms += step
        self.slept_ms += step


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class Crash(Exception):
    """Stands for the host dying in the middle of a run."""


@dataclass
class Faults:
    """Errors injected into a session's calls through botocore's event hooks.

    before-call handlers answer instead of AWS, so the call is never made (throttling, a 5xx
    in front of the service, AccessDenied for every `deny_on` call); after-call handlers turn a call that went through into a 5xx
    (the change was made, the answer lost), patch a response, or crash the host once the
    call went through: the `crash_after`-th call, or the first `crash_on` operation.
    """

    rng: random.Random = field(default_factory=lambda: random.Random(7))
    throttle_rate: float = 0.0
    error_rate_before: float = 0.0
    error_rate_after: float = 0.0
    crash_after: Optional[int] = None
    crash_on: Optional[str] = None
    deny_on: Optional[str] = None
    failed_link: bool = False
    message: str = "Rate exceeded"
    calls: int = 0
    injected: List[str] = field(default_factory=list)
    operations: List[str] = field(default_factory=list)

    def install(self, session: Any) -> Any:
        session.events.register("before-call", self._before)
        session.events.register("after-call", self._after)
        return session

    def _before(self, model: Any, **_: Any) -> Optional[Any]:
        self.calls += 1
        self.operations.append(model.name)
        if model.name == self.deny_on:
            return self._error(model, 403, "AccessDenied", self.message)
        roll = self.rng.random()
        if roll < self.throttle_rate:
            code = self.rng.choice(["Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"])
            return self._error(model, 400, code, self.message)
        if roll < self.throttle_rate + self.error_rate_before:
            return self._error(model, self.rng.choice([500, 503]), "InternalError", "We encountered an internal error.")
        return None

    def _after(self, http_response: Any, parsed: Dict[str, Any], model: Any, **_: Any) -> None:
        if http_response.status_code >= 300:
            return
        if self.failed_link and model.name == "GetVpcLink":
            parsed["status"] = "FAILED"
            parsed["statusMessage"] = "NLB is unreachable (injected by the test)"
            self.injected.append("FAILED")
        if (self.crash_after is not None and self.calls >= self.crash_after) or model.name == self.crash_on:
            self.crash_after = self.crash_on = None
            self.injected.append(f"crash after {model.name}")
            raise Crash(f"host died after call {self.calls} ({model.name})")
        if self.rng.random() < self.error_rate_after:
            # The change was made; the caller sees a 500 and must not make it twice.
            self.injected.append(f"500 after {model.name}")
            http_response.status_code = 500
            parsed.clear()
            parsed["Error"] = {"Code": "InternalError", "Message": "We encountered an internal error."}
            parsed["ResponseMetadata"] = {"HTTPStatusCode": 500}

    def _error(self, model: Any, status: int, code: str, message: str) -> Any:
        self.injected.append(f"{status} {code} on {model.name}")
        response = AWSResponse("http://127.0.0.1/", status, {}, None)
        return response, {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}

"""vpclink.aws's pieces on their own, without AWS: error answers, redaction, the checkpoint
file, progress lines, JSON conversion, and the loop's use of the clock."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import pickle
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import vpclink
import vpclink.aws
from vpclink.aws import ApplyError
from vpclink.aws.calls import classify, response_json
from vpclink.aws.checkpoint import CheckpointFile
from vpclink.aws.progress import line
from vpclink.aws.redact import MASK, Redactor

exceptions: Any = importlib.import_module("botocore.exceptions")


def client_error(code: str, status: int, message: str = "m") -> Any:
    return exceptions.ClientError(
        {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}, "CreateVpc"
    )


# ------------------------------------------------------------------------------ error answers


@pytest.mark.parametrize(
    "exc, answer",
    [
        (client_error("Throttling", 400, "Rate exceeded"), ("Throttling", "Rate exceeded", True)),
        (client_error("RequestLimitExceeded", 503), ("RequestLimitExceeded", "m", True)),
        (client_error("InternalError", 500), ("InternalError", "m", True)),
        (client_error("WhateverWentWrong", 502), ("WhateverWentWrong", "m", True)),
        (client_error("InvalidSubnet.Conflict", 400), ("InvalidSubnet.Conflict", "m", False)),
        (client_error("AccessDenied", 403), ("AccessDenied", "m", False)),
        (exceptions.EndpointConnectionError(endpoint_url="https://ec2.us-east-1.amazonaws.com/"), None),
        (exceptions.ReadTimeoutError(endpoint_url="https://x/"), None),
        (exceptions.ParamValidationError(report="Missing required parameter"), None),
    ],
)
def test_error_answers_say_whether_a_retry_can_succeed(exc: Exception, answer: Optional[tuple[str, str, bool]]) -> None:
    got = classify(exc, Redactor())
    assert got is not None
    if answer is not None:
        assert got == answer
    elif isinstance(exc, exceptions.ParamValidationError):
        assert got[0] == "ParamValidationError" and got[2] is False
    else:
        # Connection refused or reset, a timeout: unknown whether it went through; retry.
        assert got[0] == type(exc).__name__ and got[2] is True


@pytest.mark.parametrize(
    "exc",
    [exceptions.NoCredentialsError(), exceptions.NoRegionError(), KeyboardInterrupt(), RuntimeError("bug")],
)
def test_errors_that_are_not_answers_are_raised(exc: BaseException) -> None:
    assert classify(exc, Redactor()) is None


# ------------------------------------------------------------------------------ redaction


def test_redaction_masks_known_secrets_and_credential_shapes() -> None:
    r = Redactor(["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "short", None])
    text = (
        "key AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY "
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=deadbeef\n"
        "url ?X-Amz-Security-Token=tok%2Fen&X-Amz-Signature=ff00 other ASIAZZZZZZZZZZZZZZZZ "
        "aws_secret_access_key = abc/def short"
    )
    out = r.text(text)
    for leaked in ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "deadbeef", "tok%2Fen", "ff00", "ASIAZZZZZZZZZZZZZZZZ", "abc/def"):
        assert leaked not in out, leaked
    assert out.count(MASK) >= 7
    # Too short to be told from ordinary words: left alone.
    assert out.endswith(" short")
    assert r.value({"a": ["key AKIAIOSFODNN7EXAMPLE", 3], "b": None}) == {"a": [f"key {MASK}", 3], "b": None}


def test_exact_redaction_keeps_json_valid() -> None:
    r = Redactor(["vpclinkSecret/With+Chars"])
    doc = json.dumps({"message": "got vpclinkSecret/With+Chars back", "n": 1})
    assert json.loads(r.exact(doc)) == {"message": f"got {MASK} back", "n": 1}


# ------------------------------------------------------------------------------ checkpoint file


def test_checkpoint_is_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sub" / "cp.json"
    store = CheckpointFile(path, Redactor(["s3cr3t-value"]))
    assert store.read() is None
    store.write('{"n": 1, "m": "s3cr3t-value"}')
    assert path.read_text() == '{"n": 1, "m": "[REDACTED]"}'

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.write('{"n": 2}')
    # The old checkpoint is intact and no temporary file is left behind.
    assert path.read_text() == '{"n": 1, "m": "[REDACTED]"}'
    assert sorted(p.name for p in path.parent.iterdir()) == ["cp.json"]


# ------------------------------------------------------------------------------ progress, JSON


def test_progress_lines() -> None:
    assert line({"type": "wave_done", "wave": 2, "steps": 4, "elapsed_ms": 12345}, 8) == "vpclink: wave 3/8 done: 4 steps in 12.3 s"
    assert line({"type": "wave_done", "wave": 0, "steps": 1, "elapsed_ms": 0}, 1) == "vpclink: wave 1/1 done: 1 step in 0.0 s"
    assert line({"type": "step_failed", "step": "s", "error": "e", "code": "C"}, 1) == "vpclink: s failed (C): e"
    assert line({"type": "rollback_started", "failed_step": "s", "steps": ["a", "b"]}, 1) == "vpclink: rolling back 2 steps"
    assert line({"type": "step_started", "step": "s", "purpose": "apply", "attempt": 1}, 1) is None


def test_responses_become_json() -> None:
    when = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone.utc)
    got = response_json({"ResponseMetadata": {"RequestId": "x"}, "Vpc": {"CreatedAt": when, "Blob": b"\x00\x01", "N": 3}})
    assert got == {"Vpc": {"CreatedAt": "2024-06-01T12:00:00+00:00", "Blob": "AAE=", "N": 3}}


def test_apply_error_carries_the_failure_and_pickles() -> None:
    error = ApplyError.from_action(
        {"type": "failed", "step": "create.vpc.app", "error": "boom", "code": "AccessDenied", "rolled_back": False, "remaining": ["x"]},
        checkpoint=Path("cp.json"),
    )
    assert isinstance(error, vpclink.Error)
    assert str(error) == "step `create.vpc.app` failed (AccessDenied): boom; still in place: x"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.step, copy.code, copy.rolled_back, copy.remaining, copy.checkpoint, copy.kind) == (
        "create.vpc.app", "AccessDenied", False, ["x"], Path("cp.json"), "apply"
    )


# ------------------------------------------------------------------------------ the loop, faked


class FakeClient:
    """Answers create_vpc and describe_vpcs like EC2 would, `pending` first."""

    def __init__(self, log: List[str]) -> None:
        self.log = log
        self.checks = 0

    def create_vpc(self, **params: Any) -> Dict[str, Any]:
        self.log.append("create_vpc")
        return {"Vpc": {"VpcId": "vpc-1", "State": "pending"}, "ResponseMetadata": {}}

    def describe_vpcs(self, **params: Any) -> Dict[str, Any]:
        self.checks += 1
        self.log.append(f"describe_vpcs {params.get('VpcIds')}")
        return {"Vpcs": [{"VpcId": "vpc-1", "State": "available" if self.checks >= 3 else "pending"}]}


class FakeSession:
    region_name = "us-east-1"

    def __init__(self) -> None:
        self.log: List[str] = []
        self.made: List[Dict[str, Any]] = []

    def client(self, service: str, **kwargs: Any) -> FakeClient:
        self.made.append({"service": service, **{k: v for k, v in kwargs.items() if k != "config"}})
        return FakeClient(self.log)

    def get_credentials(self) -> None:
        return None


def test_the_loop_sleeps_until_the_next_check(tmp_path: Path) -> None:
    plan = {
        "version": 1, "region": "eu-west-1", "mode": "deploy",
        "steps": [{
            "id": "create.vpc.app", "action": "create",
            "resource": {"kind": "vpcs", "id": "app", "path": "/vpcs/app"},
            "description": "Create the VPC.",
            "call": {"service": "ec2", "operation": "create_vpc", "params": {"CidrBlock": "10.0.0.0/16"}},
            "outputs": [{"name": "VpcId", "query": "Vpc.VpcId"}],
            "wait": {"call": {"service": "ec2", "operation": "describe_vpcs",
                              "params": {"VpcIds": [{"$output": {"step": "create.vpc.app", "name": "VpcId"}}]}},
                     "status_query": "Vpcs[0].State", "success": ["available"],
                     "interval_seconds": 5, "timeout_seconds": 60},
            "expected_seconds": 5,
        }],
        "waves": [{"steps": ["create.vpc.app"], "expected_seconds": 5}],
        "critical_path": {"steps": ["create.vpc.app"], "expected_seconds": 5},
        "summary": {"create": 1, "update": 0, "replace": 0, "delete": 0, "unchanged": 0, "steps": 1},
    }
    now = [1_000_000]
    sleeps: List[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += int(seconds * 1000)

    session = FakeSession()
    events: List[Dict[str, Any]] = []
    summary = vpclink.aws.apply(plan, session, on_event=events.append, clock=lambda: now[0], sleep=sleep,
                                endpoint_url="http://127.0.0.1:1", checkpoint=tmp_path / "cp.json")
    assert session.log == ["create_vpc", "describe_vpcs ['vpc-1']", "describe_vpcs ['vpc-1']", "describe_vpcs ['vpc-1']"]
    assert sleeps == [5.0, 5.0]
    assert summary["outputs"] == {"create.vpc.app": {"VpcId": "vpc-1"}}
    assert summary["elapsed_ms"] == 10_000
    # The plan's Region and the endpoint reach the client, whatever the session's Region.
    assert session.made == [{"service": "ec2", "region_name": "eu-west-1", "endpoint_url": "http://127.0.0.1:1"}]
    assert [e["type"] for e in events if e["type"].startswith("wave")] == ["wave_started", "wave_done"]
    assert json.loads((tmp_path / "cp.json").read_text())["format"] == "vpclink-executor"


def test_a_snapshot_of_no_vpc_is_refused() -> None:
    # An empty filter would read as "every VPC" to EC2; say so instead.
    with pytest.raises(ValueError, match="vpc_ids is empty"):
        vpclink.aws.snapshot(FakeSession(), "us-east-1", [])

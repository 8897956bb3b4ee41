"""vpclink.aws under faults injected through botocore's event hooks, against moto's server:
throttling and 5xx answers at random, a host that dies in the middle and resumes from its
checkpoint, a VPC link that ends FAILED, and credentials that must not leak anywhere."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Dict, List, cast

import pytest

# moto_server is a plugin (pytest_plugins below) that this module also imports from.
pytest.register_assert_rewrite("moto_server")

import vpclink
import vpclink.aws
import vpclink.aws.driver as driver
from moto_server import (
    EMPTY_INVENTORY,
    SECRETS,
    SESSION_TOKEN,
    ACCESS_KEY,
    SECRET_KEY,
    THREE_TIER,
    THREE_TIER_INVENTORY,
    Crash,
    FakeClock,
    Faults,
    Moto,
)

pytest_plugins = ["moto_server"]


@pytest.fixture(scope="module")
def plan() -> Dict[str, Any]:
    return cast(Dict[str, Any], vpclink.plan(THREE_TIER))


def run(moto: Moto, plan: Dict[str, Any], faults: Faults, clock: FakeClock, **kwargs: Any) -> Dict[str, Any]:
    summary: Dict[str, Any] = vpclink.aws.apply(
        plan,
        faults.install(moto.session()),
        endpoint_url=moto.url,
        clock=clock,
        sleep=clock.sleep,
        **kwargs,
    )
    return summary


# ------------------------------------------------------------------------------ throttling, 5xx


@pytest.mark.parametrize("seed", [1, 2])
def test_random_throttling_and_5xx_still_end_in_success(moto: Moto, plan: Dict[str, Any], clock: FakeClock, seed: int) -> None:
    faults = Faults(rng=random.Random(seed), throttle_rate=0.15, error_rate_before=0.05, error_rate_after=0.08)
    events: List[Dict[str, Any]] = []
    summary = run(moto, plan, faults, clock, on_event=events.append, options={"seed": seed, "max_attempts": 10})

    assert moto.inventory() == THREE_TIER_INVENTORY
    throttled = [i for i in faults.injected if i.startswith("400 ")]
    before_5xx = [i for i in faults.injected if i.startswith(("500 Internal", "503 Internal"))]
    after_5xx = [i for i in faults.injected if i.startswith("500 after")]
    # The faults did happen, and each was answered by a retry, not by failing.
    assert throttled and before_5xx and after_5xx, faults.injected
    retrying = [e for e in events if e["type"] == "step_retrying"]
    assert len(retrying) >= len(throttled)
    assert summary["retries"] >= len(throttled) + len(before_5xx)
    # Backoff delays were slept (on the fake clock) rather than skipped.
    assert clock.slept_ms > 0


# ------------------------------------------------------------------------------ crash, resume


@pytest.mark.parametrize(
    "crash",
    [
        {"crash_on": "CreateVpc"},  # the first call
        {"crash_after": 26},  # in the middle of the ACL entries
        {"crash_on": "RunInstances"},
        {"crash_on": "ReplaceNetworkAclAssociation"},  # its new association id is lost
        {"crash_on": "CreateVpcLink"},
        {"crash_on": "CreateDeployment"},
    ],
    ids=lambda crash: "-".join(str(v) for v in crash.values()),
)
def test_a_crashed_run_resumes_from_its_checkpoint_without_duplicates(
    moto: Moto, plan: Dict[str, Any], clock: FakeClock, tmp_path: Path, crash: Dict[str, Any]
) -> None:
    checkpoint = tmp_path / "deploy.checkpoint.json"
    faults = Faults(**crash)
    with pytest.raises(Crash):
        run(moto, plan, faults, clock, checkpoint=checkpoint)
    # The call went through (moto has its resource); its answer never reached the executor.
    assert faults.injected == [f"crash after {faults.operations[-1]}"]
    assert crash.get("crash_on", faults.operations[-1]) == faults.operations[-1]
    stored = json.loads(checkpoint.read_text())
    assert stored["format"] == "vpclink-executor"
    assert moto.inventory() != EMPTY_INVENTORY

    events: List[Dict[str, Any]] = []
    summary = run(moto, plan, Faults(), clock, checkpoint=checkpoint, on_event=events.append)
    assert summary["steps"] == len(plan["steps"])
    assert moto.inventory() == THREE_TIER_INVENTORY
    # The resumed run looked up what the crashed one may have made before making it again.
    assert any(e["type"] == "step_reconciled" and e["found"] for e in events), events
    # Once finished, the checkpoint answers with the same summary and calls nothing.
    again = Faults()
    assert run(moto, plan, again, clock, checkpoint=checkpoint) == summary
    assert again.calls == 0


def test_a_checkpoint_of_another_plan_is_refused(moto: Moto, plan: Dict[str, Any], clock: FakeClock, tmp_path: Path) -> None:
    checkpoint = tmp_path / "cp.json"
    with pytest.raises(Crash):
        run(moto, plan, Faults(crash_after=2), clock, checkpoint=checkpoint)
    other = dict(plan, steps=plan["steps"][:1], waves=[{"steps": [plan["steps"][0]["id"]], "expected_seconds": 5}])
    other["critical_path"] = {"steps": [plan["steps"][0]["id"]], "expected_seconds": 5}
    other["summary"] = dict(plan["summary"], steps=1)
    with pytest.raises(ValueError, match="belongs to another plan"):
        run(moto, other, Faults(), clock, checkpoint=checkpoint)


# ------------------------------------------------------------------------------ FAILED link


def test_a_failed_vpc_link_rolls_everything_back(moto: Moto, plan: Dict[str, Any], clock: FakeClock, tmp_path: Path) -> None:
    faults = Faults(failed_link=True)
    events: List[Dict[str, Any]] = []
    with pytest.raises(vpclink.aws.ApplyError) as caught:
        run(moto, plan, faults, clock, on_event=events.append, checkpoint=tmp_path / "cp.json")
    error = caught.value
    assert isinstance(error, vpclink.Error)
    assert error.step == "create.vpc_link.link"
    assert "NLB is unreachable (injected by the test)" in error.error
    assert error.rolled_back is True
    assert error.remaining == []
    assert error.checkpoint == tmp_path / "cp.json"
    assert "FAILED" in faults.injected
    kinds = [e["type"] for e in events]
    assert "rollback_started" in kinds
    assert kinds.count("step_rolled_back") == len(next(e for e in events if e["type"] == "rollback_started")["steps"])
    assert moto.inventory() == EMPTY_INVENTORY


def test_without_rollback_the_created_resources_stay(moto: Moto, plan: Dict[str, Any], clock: FakeClock) -> None:
    with pytest.raises(vpclink.aws.ApplyError) as caught:
        run(moto, plan, Faults(failed_link=True), clock, rollback=False)
    error = caught.value
    assert error.rolled_back is False
    assert "create.vpc_link.link" in error.remaining
    assert "create.vpc.app" in error.remaining
    left = moto.inventory()
    assert left["vpc_links"] == 1 and left["load_balancers"] == 1 and left["instances"] == 3


# ------------------------------------------------------------------------------ credentials


def test_credentials_never_appear_in_events_output_exceptions_or_checkpoint(
    moto: Moto,
    plan: Dict[str, Any],
    clock: FakeClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # AWS can quote what was signed in an error message; every injected error does here:
    # throttling at random (retried), then AccessDenied on the VPC link (the run fails).
    leaky = (
        f"Denied for {ACCESS_KEY}; Authorization: AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20240601/us-east-1/"
        f"apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123; "
        f"X-Amz-Security-Token={SESSION_TOKEN}; secret {SECRET_KEY}"
    )
    faults = Faults(rng=random.Random(3), throttle_rate=0.1, deny_on="CreateVpcLink", message=leaky)
    checkpoint = tmp_path / "cp.json"
    # No callback and a terminal on stderr: progress lines are printed there.
    monkeypatch.setattr(driver, "_is_terminal", lambda stream: True)
    with pytest.raises(vpclink.aws.ApplyError) as caught:
        vpclink.aws.apply(
            plan, faults.install(moto.session()), endpoint_url=moto.url, checkpoint=checkpoint, clock=clock, sleep=clock.sleep
        )
    out, err = capsys.readouterr()
    error = caught.value
    assert (error.step, error.code, error.rolled_back) == ("create.vpc_link.link", "AccessDenied", True)
    stored = checkpoint.read_text()
    # The message did reach every place, redacted: the exception, the progress lines and
    # the checkpoint (the run's failure is part of its state).
    for where in (str(error), err, stored):
        assert "Denied for [REDACTED]; Authorization: [REDACTED]" in where
    scanned = {
        "stdout": out,
        "stderr": err,
        "exception": f"{error!s} {error!r} {error.error}",
        "checkpoint": stored,
    }
    for where, text in scanned.items():
        for secret in SECRETS:
            assert secret not in text, f"a credential leaked into the {where}"
        assert "Signature=abc123" not in text, where


def test_events_given_to_the_callback_are_redacted(moto: Moto, plan: Dict[str, Any], clock: FakeClock) -> None:
    leaky = f"Throttled: X-Amz-Security-Token={SESSION_TOKEN} key {ACCESS_KEY} secret={SECRET_KEY}"
    faults = Faults(rng=random.Random(4), throttle_rate=0.2, message=leaky)
    events: List[Dict[str, Any]] = []
    run(moto, plan, faults, clock, on_event=events.append, options={"max_attempts": 12})
    retries = [e for e in events if e["type"] == "step_retrying"]
    assert retries and all("Throttled: X-Amz-Security-Token=[REDACTED]" in e["message"] for e in retries)
    text = json.dumps(events)
    for secret in SECRETS:
        assert secret not in text

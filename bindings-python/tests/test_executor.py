"""The executor through Python: plain dicts in and out, errors as ExecutorError or
ArgumentError, and a checkpoint that resumes a run where it stopped. A small fake AWS
answers a teardown plan (no outputs to invent; every wait is a state or a not-found
error) so a run can go all the way to `done`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Optional

import pytest

import vpclink
from vpclink.types import Action2, Plan

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "three-tier.json"
BUNDLE = ROOT / "tests" / "fixtures" / "live" / "three-tier.bundle.json"


def response_with(query: str, value: str) -> dict[str, Any]:
    """The smallest response in which the JMESPath `query` (dotted names and `[0]`)
    finds `value`."""
    result: Any = value
    for part in reversed(query.split(".")):
        m = re.fullmatch(r"(\w+)((?:\[0\])*)", part)
        assert m, f"the fake cannot answer `{query}`"
        for _ in range(m.group(2).count("[0]")):
            result = [result]
        result = {m.group(1): result}
    assert isinstance(result, dict)
    return result


class FakeAws:
    """Answers a teardown: calls succeed; a wait sees its first success state, or its
    not-found error. Counts the calls per step."""

    def __init__(self, plan: Plan) -> None:
        self.steps = {s["id"]: s for s in plan["steps"]}
        self.calls: dict[str, int] = {}

    def answer(self, executor: vpclink.Executor, action: Action2) -> None:
        if action["type"] == "call":
            self.calls[action["step"]] = self.calls.get(action["step"], 0) + 1
            executor.complete(action["request_id"], {"type": "success", "response": {}})
        elif action["type"] == "check":
            wait: Any = self.steps[action["step"]]["wait"]
            if wait.get("success_errors"):
                code = wait["success_errors"][0]
                executor.observe(
                    action["request_id"],
                    {"type": "error", "code": code, "message": "gone", "retryable": False},
                )
            else:
                response = response_with(wait["status_query"], wait["success"][0])
                executor.observe(action["request_id"], {"type": "response", "response": response})


def run(
    executor: vpclink.Executor, aws: FakeAws, *, stop_after: Optional[int] = None
) -> tuple[Optional[Action2], int]:
    """Polls and answers until the run ends (or `stop_after` rounds); returns the last
    action and the clock."""
    now = 0
    for round_ in range(10_000):
        if stop_after is not None and round_ == stop_after:
            return None, now
        actions = executor.poll(now)
        for action in actions:
            if action["type"] in ("done", "failed"):
                return action, now
            if action["type"] == "sleep":
                now = max(now, action["until_ms"])
            else:
                aws.answer(executor, action)
    pytest.fail("the run did not end")


def test_a_teardown_runs_to_done_with_plain_dicts() -> None:
    plan = vpclink.plan(BUNDLE, destroy=True)
    executor = vpclink.Executor(plan, {"seed": 1})
    aws = FakeAws(plan)
    last, _ = run(executor, aws)
    assert last is not None and last["type"] == "done", last
    assert last["summary"]["steps"] == len(plan["steps"])
    assert sorted(aws.calls) == sorted(s["id"] for s in plan["steps"])
    assert all(n == 1 for n in aws.calls.values())
    status = executor.status()
    assert (status["phase"], status["done"], status["in_flight"]) == ("done", len(plan["steps"]), 0)
    events = executor.events()
    assert events[0]["type"] == "wave_started"
    assert {e["type"] for e in events} >= {"wave_started", "step_started", "wave_done"}
    assert executor.events() == [], "events are handed out once"
    # The plan the executor runs is the one it was given, as a dict again.
    assert executor.plan() == plan


def test_a_run_resumed_from_its_checkpoint_finishes_without_repeating_steps() -> None:
    plan = vpclink.plan(BUNDLE, destroy=True)
    executor = vpclink.Executor(plan, {"seed": 1})
    aws = FakeAws(plan)
    run(executor, aws, stop_after=4)
    checkpoint = executor.checkpoint()
    json.loads(checkpoint)  # JSON text, to be written to a file by the host
    done_before = executor.status()["done"]
    assert 0 < done_before < len(plan["steps"])
    resumed = vpclink.Executor.resume(checkpoint)
    assert resumed.status() == executor.status()
    assert resumed.plan() == plan
    last, _ = run(resumed, aws)
    assert last is not None and last["type"] == "done", last
    assert all(n == 1 for n in aws.calls.values()), aws.calls


def test_answers_for_unknown_requests_and_bad_answers() -> None:
    plan = vpclink.plan(EXAMPLE)
    executor = vpclink.Executor(plan, {"seed": 7})
    first = executor.poll(0)[0]
    assert first["type"] == "call" and first["attempt"] == 1 and first["purpose"] == "apply"
    assert first["call"]["operation"] in {"create_vpc", "get_parameter", "create_rest_api"}
    executor.complete(first["request_id"], {"type": "success", "response": {}})
    with pytest.raises(vpclink.ExecutorError) as caught:
        executor.complete(first["request_id"], {"type": "success", "response": {}})
    assert (caught.value.kind, caught.value.code) == ("executor", "not_in_flight")
    with pytest.raises(vpclink.ArgumentError) as bad:
        executor.complete(99, {"type": "maybe"})
    assert bad.value.code == "bad_outcome"
    with pytest.raises(vpclink.ArgumentError) as bad:
        executor.observe(99, {"type": "response"})
    assert bad.value.code == "bad_observation"


def test_a_retryable_error_is_retried_after_a_sleep() -> None:
    plan = vpclink.plan(EXAMPLE)
    executor = vpclink.Executor(plan, {"seed": 3, "base_backoff_ms": 1000})
    call = executor.poll(0)[0]
    assert call["type"] == "call"
    executor.complete(
        call["request_id"],
        {"type": "error", "code": "Throttling", "message": "Rate exceeded", "retryable": True},
    )
    retrying = [e for e in executor.events() if e["type"] == "step_retrying"]
    assert retrying and retrying[0]["step"] == call["step"] and retrying[0]["attempt"] == 2
    assert retrying[0]["delay_ms"] > 0
    later = [a for a in executor.poll(0) if a["type"] == "call" and a["step"] == call["step"]]
    assert later == [], "not before the backoff delay"
    again = [a for a in executor.poll(retrying[0]["delay_ms"]) if a.get("step") == call["step"]]
    assert again and again[0]["type"] == "call" and again[0]["attempt"] == 2


def test_a_failed_step_rolls_back_what_was_created() -> None:
    plan = vpclink.plan(EXAMPLE)
    executor = vpclink.Executor(plan, {"seed": 1, "on_failure": "rollback"})
    # The fake answers creates without the ids the plan needs, so the first create
    # fails for good: `Vpc.VpcId` found nothing.
    for _ in range(50):
        actions = executor.poll(0)
        ended = [a for a in actions if a["type"] in ("failed", "done")]
        if ended:
            break
        for a in actions:
            if a["type"] == "call":
                executor.complete(a["request_id"], {"type": "success", "response": {}})
            elif a["type"] == "check":
                executor.observe(a["request_id"], {"type": "response", "response": {}})
    failed: Any = ended[0]
    assert failed["type"] == "failed"
    assert "found nothing in the response" in failed["error"]
    assert executor.status()["phase"] == "failed"


def test_bad_plans_options_and_checkpoints() -> None:
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.Executor({}, None)
    assert caught.value.code == "bad_plan"
    plan = vpclink.plan(EXAMPLE)
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.Executor(plan, {"retries": 3})
    assert caught.value.code == "bad_options"
    for checkpoint in ("", "{}", "not json", '{"version": 99}'):
        with pytest.raises(vpclink.ExecutorError):
            vpclink.Executor.resume(checkpoint)

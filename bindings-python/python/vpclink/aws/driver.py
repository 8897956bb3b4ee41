"""Applies a plan to AWS with boto3, driving the core's sans-IO executor.

The loop is the one core/src/exec/mod.rs documents: `poll(now)` → store the checkpoint →
make the calls and checks it returned, answering each with `complete`/`observe` and storing
the checkpoint again → sleep until a `sleep` action's time → poll again, until `done` or
`failed`. Retries, backoff, wait timeouts, reconciliation after a crash and rollback are the
executor's; this module only talks to AWS, keeps the clock and the file, and reports.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from .. import Executor
from ._boto import Session, make_session
from .calls import Clients, observation, outcome
from .checkpoint import CheckpointFile
from .errors import ApplyError
from .progress import Event, EventCallback, LinePrinter
from .redact import Redactor

PlanSource = Union[Mapping[str, Any], str, "os.PathLike[str]"]
Summary = Dict[str, Any]


def _wall_clock_ms() -> int:
    # Wall-clock time, not a monotonic clock: a resumed run in another process compares it
    # with times stored in the checkpoint (wait deadlines, backoff timers).
    return int(time.time() * 1000)


def apply(
    plan: PlanSource,
    session: Optional[Session] = None,
    *,
    checkpoint: Optional[Union[str, "os.PathLike[str]"]] = None,
    rollback: bool = True,
    on_event: Optional[EventCallback] = None,
    options: Optional[Mapping[str, Any]] = None,
    endpoint_url: Optional[str] = None,
    clock: Optional[Callable[[], int]] = None,
    sleep: Optional[Callable[[float], None]] = None,
) -> Summary:
    """Runs `plan` against AWS and returns the executor's summary (steps, calls, checks,
    retries, elapsed_ms, outputs).

    plan: a plan as `vpclink.plan` returns it, or the path of its JSON file.
    session: a `boto3.session.Session`; None uses boto3's default credential chain. Calls
        go to the plan's region whatever the session's region is.
    checkpoint: a file that holds the run's state, rewritten atomically after every poll and
        every answer. If it exists, the run continues from it (the plan must be the same
        one): requests that may have gone out are looked up before being repeated, so
        nothing is created twice. Kept after the run, so that a finished run is not
        started again by mistake; delete it to apply the plan afresh.
    rollback: on a permanent failure, undo everything this run created (newest first);
        False leaves it in place. Ignored when resuming (the stored run's choice holds).
    on_event: receives every executor event (`{"type": "wave_started", ...}`, see the
        schema `event`). Without it, and when stderr is a terminal, a progress line per wave
        is printed there.
    options: executor options (`max_attempts`, `base_backoff_ms`, `max_backoff_ms`,
        `seed`); `on_failure` comes from `rollback`. The jitter seed is random unless given.
    endpoint_url: send every call there (a local emulator); None for AWS's endpoints.
    clock, sleep: the time in milliseconds and how to wait (seconds); for tests, which
        fast-forward the executor's waits and backoff delays.

    Raises :class:`vpclink.aws.ApplyError` when a step fails for good (after the rollback,
    if any), a `vpclink.Error` for a plan or checkpoint the executor refuses, and botocore's
    exception for missing credentials or region (fix it and run again with the same
    checkpoint). Credentials never appear in events, messages or the checkpoint.
    """
    now_ms = clock or _wall_clock_ms
    wait = sleep or time.sleep
    plan_value = _load_plan(plan)
    region = plan_value.get("region") if isinstance(plan_value.get("region"), str) else None
    session = make_session(session, region)
    redactor = Redactor.for_session(session)
    clients = Clients(session, region, endpoint_url, botocore_retries=False)
    store = CheckpointFile(checkpoint, redactor) if checkpoint is not None else None

    executor = _start(plan_value, store, rollback, options)
    report = _reporter(on_event, executor, redactor)

    def save() -> None:
        if store is not None:
            store.write(executor.checkpoint())

    while True:
        now = now_ms()
        actions: List[Dict[str, Any]] = executor.poll(now)
        save()
        report()
        if not actions:
            # Every request handed out is answered before polling again, so an empty list
            # cannot happen; looping on it would spin forever.
            raise RuntimeError("the executor has nothing to do and no request in flight")
        for action in actions:
            kind = action.get("type")
            if kind == "call":
                executor.complete(action["request_id"], outcome(clients, action["call"], redactor))
                save()
            elif kind == "check":
                executor.observe(action["request_id"], observation(clients, action["call"], redactor))
                save()
            elif kind == "sleep":
                delay_ms = int(action["until_ms"]) - now
                if delay_ms > 0:
                    wait(delay_ms / 1000)
            elif kind == "done":
                report()
                summary: Summary = action["summary"]
                return summary
            elif kind == "failed":
                report()
                raise ApplyError.from_action(redactor.value(action), checkpoint=store.path if store else None)
        report()


def _load_plan(plan: PlanSource) -> Dict[str, Any]:
    if isinstance(plan, Mapping):
        return dict(plan)
    text = str(plan)
    if isinstance(plan, str) and text.lstrip().startswith("{"):
        loaded = json.loads(text)
    else:
        loaded = json.loads(Path(plan).read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise ValueError("a plan is a JSON object (as `vpclink.plan` returns it)")
    return loaded


def _start(
    plan: Mapping[str, Any],
    store: Optional[CheckpointFile],
    rollback: bool,
    options: Optional[Mapping[str, Any]],
) -> Any:
    stored = store.read() if store is not None else None
    if stored is not None and store is not None:
        executor = Executor.resume(stored)
        if _canonical(executor.plan()) != _canonical(Executor(dict(plan)).plan()):
            raise ValueError(
                f"the checkpoint {store.path} belongs to another plan; "
                "delete it to apply this plan afresh"
            )
        return executor
    opts: Dict[str, Any] = dict(options or {})
    opts["on_failure"] = "rollback" if rollback else "stop"
    opts.setdefault("seed", random.SystemRandom().randrange(2**63))
    return Executor(dict(plan), opts)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _reporter(on_event: Optional[EventCallback], executor: Any, redactor: Redactor) -> Callable[[], None]:
    """Drains the executor's events into `on_event` (or the terminal's progress lines)."""
    sink: Optional[EventCallback] = on_event
    if sink is None and _is_terminal(sys.stderr):
        waves: Sequence[Any] = executor.plan().get("waves") or []
        sink = LinePrinter(sys.stderr, len(waves))

    def report() -> None:
        events: List[Event] = executor.events()
        if sink is None:
            return
        for event in events:
            sink(redactor.value(event))

    return report


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False

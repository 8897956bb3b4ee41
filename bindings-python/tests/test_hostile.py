"""No input crashes the interpreter: every hostile argument ends in an exception (or a
result), never an abort. A Rust panic would surface as pyo3's PanicException, which
derives from BaseException, not Exception — so `pytest.raises(Exception)` and the
`Exception` checks below fail on one, and a stack overflow or abort kills the
subprocess the text cases run in."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import vpclink

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TEXT = (ROOT / "examples" / "three-tier.json").read_text(encoding="utf-8")
EXAMPLE: dict[str, Any] = json.loads(EXAMPLE_TEXT)
PLAN = vpclink.plan(EXAMPLE)


class Custom:
    def __repr__(self) -> str:
        return "Custom()"


class ExplodingMapping(dict):  # type: ignore[type-arg]
    """A dict whose iteration raises: pythonize reads it through Python code."""

    def keys(self) -> Any:
        raise RuntimeError("boom")

    def items(self) -> Any:
        raise RuntimeError("boom")

    def __iter__(self) -> Any:
        raise RuntimeError("boom")


BAD_VALUES: list[Any] = [
    None,
    0,
    -1,
    2**64,
    -(2**200),
    1.5,
    math.nan,
    math.inf,
    b"bytes",
    bytearray(b"x"),
    Custom(),
    [],
    (1, 2),
    {1, 2},
    frozenset(),
    lambda: None,
    1j,
    "",
    "garbage: [",
    "\x00\x01\x02",
    "\ud800",
    Path("/nonexistent/vpclink.json"),
    {"version": 1, "region": "us-east-1", "vpcs": {"a": {"cidr": math.nan}}},
    {"version": 2**63},
    {"version": 2**64},
    {1: "int key"},
    {"a": b"bytes"},
    {"a": Custom()},
    ExplodingMapping(a=1),
    [[[[[[[[[[[]]]]]]]]]]],
]

# Each public callable with valid arguments; each argument is replaced in turn by
# every bad value.
CALLS: list[tuple[str, Callable[..., Any], list[Any]]] = [
    ("validate", vpclink.validate, [EXAMPLE]),
    ("reach", vpclink.reach, [EXAMPLE]),
    ("plan", lambda d, c: vpclink.plan(d, current=c), [EXAMPLE, EXAMPLE]),
    ("plan-destroy", lambda d, x: vpclink.plan(d, destroy=x), [EXAMPLE, False]),
    ("render", vpclink.render, [EXAMPLE, "text"]),
    ("render_plan", vpclink.render_plan, [PLAN, "text"]),
    ("diagnose", vpclink.diagnose, [EXAMPLE, {"kind": "503"}]),
    ("estimate_cost", vpclink.estimate_cost, [EXAMPLE, {}]),
    ("import_cloudformation", vpclink.import_cloudformation, ["Resources: {}", "t.yaml"]),
    ("import_aws", vpclink.import_aws, [EXAMPLE_TEXT]),
    ("import_terraform", vpclink.import_terraform, [{"main.tf": ""}]),
    ("schema", vpclink.schema, ["plan"]),
    ("Text", vpclink.Text, ["text", "file"]),
    ("Files", vpclink.Files, [{"main.tf": ""}]),
    ("Executor", vpclink.Executor, [PLAN, {}]),
    ("Executor.resume", vpclink.Executor.resume, ["{}"]),
    ("native validate", vpclink._vpclink.validate, [EXAMPLE]),
    ("native import_cloudformation", vpclink._vpclink.import_cloudformation, ["Resources: {}", None]),
]


def call_or_raise(fn: Callable[..., Any], args: list[Any]) -> None:
    try:
        fn(*args)
    except Exception as e:  # a PanicException (BaseException) is not caught here
        assert not isinstance(e, SystemError), f"{type(e).__name__}: {e}"


@pytest.mark.parametrize("name,fn,good", CALLS, ids=[c[0] for c in CALLS])
def test_every_argument_refuses_bad_values_with_an_exception(
    name: str, fn: Callable[..., Any], good: list[Any]
) -> None:
    for position in range(len(good)):
        for bad in BAD_VALUES:
            args = list(good)
            args[position] = bad
            call_or_raise(fn, args)


def test_executor_methods_refuse_bad_values() -> None:
    executor = vpclink.Executor(PLAN, {"seed": 1})
    for bad in BAD_VALUES + [2**64 - 1]:
        for method, args in (
            (executor.poll, [bad]),
            (executor.complete, [bad, {"type": "success", "response": {}}]),
            (executor.complete, [1, bad]),
            (executor.observe, [bad, {"type": "response", "response": {}}]),
            (executor.observe, [1, bad]),
        ):
            call_or_raise(method, args)
    # After all that the executor still works and its checkpoint still resumes.
    vpclink.Executor.resume(executor.checkpoint()).status()


def test_the_largest_clock_value_is_accepted() -> None:
    executor = vpclink.Executor(PLAN, {"seed": 1})
    assert executor.poll(2**64 - 1)
    with pytest.raises(OverflowError):
        executor.poll(2**64)
    with pytest.raises(OverflowError):
        executor.poll(-1)


def test_non_json_python_values_name_their_place() -> None:
    cases: dict[str, tuple[Any, str, str]] = {
        "nan": ({"vpcs": {"a": {"cidr": math.nan}}}, "/vpcs/a/cidr", "not_json"),
        "inf": ({"x": [0, -math.inf]}, "/x/1", "not_json"),
        "big int": ({"x": {"y~/z": 2**64}}, "/x/y~0~1z", "not_json"),
        "bytes": ({"x": [b"a"]}, "/x/0", "not_json"),
        "int key": ({"x": {1: 2}}, "/x", "not_json"),
        "object": ({"x": object()}, "/x", "not_json"),
    }
    for name, (value, path, code) in cases.items():
        with pytest.raises(vpclink.ArgumentError) as caught:
            vpclink.validate(value)
        assert (caught.value.code, caught.value.path) == (code, path), name


def test_deep_and_cyclic_structures_are_refused() -> None:
    deep: dict[str, Any] = {}
    cursor = deep
    for _ in range(200_000):
        cursor["a"] = {}
        cursor = cursor["a"]
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.validate(deep)
    assert caught.value.code == "too_deep"
    assert caught.value.path == "/a" * 129

    deep_list: list[Any] = []
    items = deep_list
    for _ in range(200_000):
        items.append([])
        items = items[0]
    with pytest.raises(vpclink.ArgumentError):
        vpclink.validate({"x": deep_list})

    cyclic: dict[str, Any] = {}
    cyclic["self"] = cyclic
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.validate(cyclic)
    assert caught.value.code == "too_deep"
    looped: list[Any] = []
    looped.append(looped)
    with pytest.raises(vpclink.ArgumentError):
        vpclink.Executor(PLAN, {"seed": looped})

    # Just within the limit is fine (the core then says it is not a topology).
    ok: dict[str, Any] = {}
    cursor = ok
    for _ in range(127):
        cursor["a"] = {}
        cursor = cursor["a"]
    with pytest.raises(vpclink.TopologyError):
        vpclink.validate(ok)


def test_a_small_structure_that_expands_to_trillions_of_values_is_refused() -> None:
    shared: list[Any] = []
    for _ in range(40):
        shared = [shared, shared]  # 2**40 values once expanded, in 40 objects
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.validate({"x": shared})
    assert caught.value.code == "too_large"


HOSTILE_TEXT_SCRIPT = textwrap.dedent(
    r"""
    import sys
    import vpclink

    # 5,000 levels is 20 times past every nesting limit (128, 256, 64); the YAML and HCL
    # readers also get 100,000, since they stop at their limit without reading further.
    n = 5_000
    big = 100_000
    texts = {
        "json list": "[" * n + "]" * n,
        "json object": '{"a":' * n + "1" + "}" * n,
        "yaml flow": "version: 1\nx: " + "[" * big + "]" * big,
        "yaml block": "version: 1\n" + "".join("  " * i + "a:\n" for i in range(2_000)),
        "cfn yaml": "Resources:\n  X:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: " + "[" * n + "]" * n,
        "cfn json": '{"Resources": {"X": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": ' + "[" * n + "]" * n + "}}}}",
        "cfn flow map": "Resources:\n  X:\n    Type: AWS::EC2::VPC\n    Properties: " + "{a: " * n + "1" + "}" * n,
        "hcl brackets": 'resource "aws_vpc" "x" {\n  cidr_block = ' + "[" * big + "]" * big + "\n}\n",
        "hcl parens": 'resource "aws_vpc" "x" {\n  cidr_block = ' + "(" * big + "1" + ")" * big + "\n}\n",
        "hcl blocks": "".join('resource "aws_vpc" "x" {\n' if i == 0 else "b {\n" for i in range(big)) + "}\n" * big,
        "terraform json": '{"format_version": "1.0", "values": ' + "[" * n + "]" * n + "}",
        "bundle": '{"format": "vpclink-live-state", "x": ' + "[" * n + "]" * n + "}",
        "nul bytes": "\x00" * 10_000,
        "binary": bytes(range(256)).decode("latin-1") * 100,
        "long line": "a" * 5_000_000,
    }
    functions = [
        vpclink.validate,
        vpclink.reach,
        vpclink.plan,
        vpclink.import_cloudformation,
        vpclink.import_aws,
        vpclink.import_terraform,
        lambda t: vpclink.render(t, "cloudformation"),
        lambda t: vpclink.estimate_cost(t),
    ]
    for name, text in texts.items():
        for fn in functions:
            try:
                fn(text)
            except Exception:
                pass
        print("survived", name, flush=True)
    """
)


def test_hostile_text_ends_in_exceptions_not_a_crash() -> None:
    # A separate interpreter, so a stack overflow in a parser fails this test with the
    # case named instead of killing the whole test run.
    env = dict(os.environ)
    result = subprocess.run(
        [sys.executable, "-c", HOSTILE_TEXT_SCRIPT],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    survived = [line for line in result.stdout.splitlines() if line.startswith("survived")]
    assert result.returncode == 0, (
        f"the interpreter died (exit {result.returncode}) after: {survived[-1:]}\n"
        f"{result.stderr[-2000:]}"
    )
    assert len(survived) == 15, result.stdout


def run_limited(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Runs `script` in another interpreter with its address space capped at 2 GiB, so
    a runaway allocation aborts that process in seconds instead of pushing the machine
    into the OOM killer."""
    import resource

    def cap() -> None:
        limit = 2 * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=cap,
    )


ALIAS_BOMB_SCRIPT = """\
import sys
import vpclink

# "Billion laughs": ten levels of nine aliases each, 9**10 nodes once expanded,
# in 400 bytes of YAML.
rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
text = chr(10).join(rows) + chr(10)
fn = getattr(vpclink, sys.argv[1])
try:
    fn(text)
except vpclink.Error as e:
    print("refused:", e.code)
"""


# The CloudFormation reader counts aliases at their expanded size and refuses past a budget.
@pytest.mark.parametrize("function", ["validate", "import_cloudformation"])
def test_a_yaml_alias_bomb_is_refused(function: str) -> None:
    result = run_limited(ALIAS_BOMB_SCRIPT, function)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-500:]}"
    assert result.stdout.startswith("refused:"), result.stdout


class InterruptingMapping(dict):  # type: ignore[type-arg]
    def keys(self) -> Any:
        raise KeyboardInterrupt

    def items(self) -> Any:
        raise KeyboardInterrupt

    def __iter__(self) -> Any:
        raise KeyboardInterrupt


def test_an_interrupt_during_conversion_is_not_turned_into_a_vpclink_error() -> None:
    with pytest.raises(KeyboardInterrupt):
        vpclink.validate({"vpcs": InterruptingMapping(a=1)})
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.validate({"vpcs": ExplodingMapping(a=1)})
    assert caught.value.path == "/vpcs" and "boom" in str(caught.value)

"""What a Python caller pays for `vpclink.validate`, next to the native figures in
docs/benchmarks.md (criterion, `check` = JSON text → topology → every rule).

    target/pyb/bin/python -m pytest bindings-python/benches --benchmark-columns=min,median,mean,rounds

Inputs: examples/three-tier.json (the reference example, 24 resources), and a topology
of 10,008 resources from `vpclink_core::synth` — the generator the native benchmark
uses, so both time the very same input. It is produced by the Rust example
`synth-topology` of this crate (`cargo run -p vpclink-python --example synth-topology --
10000`) into pytest's temporary directory; nothing large is committed.

Each input is timed as JSON text (`str`: parsing happens in Rust, as in the native
`check`) and as a dict (`json.load`ed first: the dict → JSON value conversion is then
part of the call). The report comes back as dicts in both cases.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

import vpclink

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def synth_10k(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("synth") / "synth-10000.json"
    with out.open("wb") as f:
        subprocess.run(
            ["cargo", "run", "-q", "-p", "vpclink-python", "--example", "synth-topology", "--", "10000"],
            cwd=ROOT,
            stdout=f,
            check=True,
            env=dict(os.environ),
        )
    return out.read_text(encoding="utf-8")


def three_tier() -> str:
    return (ROOT / "examples" / "three-tier.json").read_text(encoding="utf-8")


def test_three_tier_text(benchmark: Any) -> None:
    text = three_tier()
    report = benchmark(vpclink.validate, text)
    assert report["summary"]["errors"] == 0


def test_three_tier_dict(benchmark: Any) -> None:
    data = json.loads(three_tier())
    report = benchmark(vpclink.validate, data)
    assert report["summary"]["errors"] == 0


def test_10k_text(benchmark: Any, synth_10k: str) -> None:
    report = benchmark.pedantic(vpclink.validate, args=(synth_10k,), rounds=30, warmup_rounds=2)
    # At this size the only findings are about the whole topology (VL113: more than 20
    # REST VPC links in a Region), as in the native benchmark.
    assert {d["code"] for d in report["diagnostics"]} <= {"VL113", "VL225"}


def test_10k_dict(benchmark: Any, synth_10k: str) -> None:
    data = json.loads(synth_10k)
    report = benchmark.pedantic(vpclink.validate, args=(data,), rounds=30, warmup_rounds=2)
    assert {d["code"] for d in report["diagnostics"]} <= {"VL113", "VL225"}

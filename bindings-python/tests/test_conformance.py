"""The cross-runtime conformance vectors (tests/conformance/cases) against the Python
package: the same comparison as the Rust runner (tests/lib.rs `run_case`). For each case,
`validate` gives every finding as code, path and severity, in report order, and
`rules_ran`; when references resolve, `reach` gives each path's and each health check's
verdict. The whole expected.json must equal what the engine says, nothing more or less.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import pytest

import vpclink

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "conformance" / "cases"


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def input_of(case: Path) -> Path:
    """input.json or input.yaml; a case with neither fails rather than being skipped."""
    for name in ("input.json", "input.yaml"):
        if (case / name).is_file():
            return case / name
    pytest.fail(f"case `{case.name}` has neither input.json nor input.yaml")


def without_none(entries: dict[str, Any]) -> dict[str, Any]:
    # The Rust vector types skip absent optional members when they serialise.
    return {k: v for k, v in entries.items() if v is not None}


def vector_of_reach(report: vpclink.types.ReachReport) -> dict[str, Any]:
    paths = []
    for p in report["paths"]:
        verdict: Any = p["verdict"]
        blocked = verdict if verdict["status"] == "blocked" else None
        paths.append(
            without_none(
                {
                    "route": f'{p["api_id"]} {p["route_key"]}',
                    "target": p.get("target"),
                    "status": verdict["status"],
                    "explanation_code": blocked and blocked["explanation_code"],
                    "blocked_at": blocked and blocked["path"],
                    "rule_code": blocked and blocked.get("rule_code"),
                }
            )
        )
    checks = []
    for h in report["health_checks"]:
        result: Any = h["result"]
        checks.append(
            without_none(
                {
                    "target_group": h["target_group"],
                    "target": h["target"],
                    "status": result["status"],
                    "cause": result["cause"] if result["status"] == "fails" else None,
                }
            )
        )
    return {"paths": paths, "health_checks": checks}


def vector_of(topology: Path) -> dict[str, Any]:
    report = vpclink.validate(topology)
    actual: dict[str, Any] = {
        "diagnostics": [
            {"code": d["code"], "path": d["path"], "severity": d["severity"]}
            for d in report["diagnostics"]
        ],
        "rules_ran": report["rules_ran"],
    }
    reach: Optional[vpclink.types.ReachReport]
    try:
        reach = vpclink.reach(topology)
    except vpclink.TopologyError as e:
        # The only way reach fails on a topology that parses; the Rust runner drops
        # `reach` then, and so does the vector.
        assert e.code == "broken_references", e
        reach = None
    if reach is not None:
        actual["reach"] = vector_of_reach(reach)
    return actual


def test_there_are_cases() -> None:
    assert len(case_dirs()) >= 10


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_matches_expected(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    actual = vector_of(input_of(case))
    assert actual == expected, (
        f"case `{case.name}` differs from its expected.json; the Rust runner "
        "(cargo test -p vpclink-conformance --test conformance) must disagree too"
    )


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_prints_its_report_txt(case: Path) -> None:
    # Byte for byte what `vpclink check` prints (report.txt, written by the Rust runner).
    expected = (case / "report.txt").read_text(encoding="utf-8")
    assert vpclink.report_text(vpclink.validate(input_of(case))) == expected


def test_a_broken_case_has_no_reach() -> None:
    # Guards the runner itself: a VL0xx case must come out without `reach`, so the
    # comparison above really covers both shapes of expected.json.
    vector = vector_of(input_of(CASES / "vl001-dangling-subnet-vpc"))
    assert vector["rules_ran"] is False
    assert "reach" not in vector

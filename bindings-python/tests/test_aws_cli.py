"""`python -m vpclink` against moto's server: check and plan print what the core returns,
apply builds and tears down the three-tier example, snapshot reads it back, and the exit
codes are the binary's (0 ok, 1 findings or failure, 2 unusable input)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

# moto_server is a plugin (pytest_plugins below) that this module also imports from.
pytest.register_assert_rewrite("moto_server")

import vpclink
import vpclink._cli as cli
import vpclink.aws.driver as driver
from moto_server import EMPTY_INVENTORY, SECRETS, THREE_TIER, THREE_TIER_INVENTORY, FakeClock, Faults, Moto, aws_env

pytest_plugins = ["moto_server"]


def vpclink_cmd(args: List[str], env: Dict[str, str], cwd: Path) -> Tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "vpclink", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def env(tmp_path: Path) -> Dict[str, str]:
    home = tmp_path / "aws-home"
    home.mkdir()
    return aws_env(home)


# ------------------------------------------------------------------------------ check, plan


def test_check_prints_the_report_and_exits_by_severity(env: Dict[str, str], tmp_path: Path) -> None:
    code, out, err = vpclink_cmd(["check", str(THREE_TIER)], env, tmp_path)
    assert (code, err) == (0, "")
    assert out.startswith("info[VL225]: Targets are spread unevenly across zones while cross-zone is off\n")
    assert out.endswith("\n0 errors, 0 warnings, 1 info\n")

    code, out, _ = vpclink_cmd(["check", "--format", "json", str(THREE_TIER)], env, tmp_path)
    assert code == 0
    assert json.loads(out) == vpclink.validate(THREE_TIER)

    code, _, _ = vpclink_cmd(["check", "--fail-on", "info", str(THREE_TIER)], env, tmp_path)
    assert code == 1


def test_check_exits_2_on_unusable_input(env: Dict[str, str], tmp_path: Path) -> None:
    code, out, err = vpclink_cmd(["check", str(tmp_path / "missing.json")], env, tmp_path)
    assert (code, out) == (2, "")
    assert "missing.json: no such file" in err
    (tmp_path / "bad.json").write_text('{"version": 1, "vpcs": ')
    code, out, err = vpclink_cmd(["check", str(tmp_path / "bad.json")], env, tmp_path)
    assert (code, out) == (2, "")
    assert err.startswith("error: ")


def test_plan_prints_the_core_plan(env: Dict[str, str], tmp_path: Path) -> None:
    code, out, _ = vpclink_cmd(["plan", "--format", "json", str(THREE_TIER)], env, tmp_path)
    assert code == 0
    plan = vpclink.plan(THREE_TIER)
    assert json.loads(out) == plan
    code, out, _ = vpclink_cmd(["plan", str(THREE_TIER)], env, tmp_path)
    assert code == 0
    assert out.rstrip("\n") == vpclink.render_plan(plan, "text").rstrip("\n")
    code, out, _ = vpclink_cmd(["plan", "--format", "mermaid", str(THREE_TIER)], env, tmp_path)
    assert code == 0 and out.rstrip("\n") == vpclink.render(THREE_TIER, "mermaid").rstrip("\n")
    code, _, err = vpclink_cmd(["plan", "--destroy", str(THREE_TIER), "--current", str(THREE_TIER)], env, tmp_path)
    assert code == 2 and "not both" in err


# ------------------------------------------------------------------------------ against moto


def test_apply_snapshot_check_and_destroy_from_the_command_line(
    moto: Moto, env: Dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = vpclink_cmd(["plan", "--format", "json", "-o", "plan.json", str(THREE_TIER)], env, tmp_path)
    assert code == 0, err

    code, out, err = vpclink_cmd(["apply", "plan.json", "--checkpoint", "cp.json", "--endpoint-url", moto.url], env, tmp_path)
    assert code == 0, err
    summary = json.loads(out)
    assert summary["steps"] == len(json.loads((tmp_path / "plan.json").read_text())["steps"])
    waves = len(json.loads((tmp_path / "plan.json").read_text())["waves"])
    assert [line for line in err.splitlines() if " done: " in line] == [
        line for line in err.splitlines() if line.startswith("vpclink: wave ")
    ]
    assert f"vpclink: wave {waves}/{waves} done: " in err
    assert moto.inventory() == THREE_TIER_INVENTORY
    # The same checkpoint again: the run is over, nothing is made twice.
    code, out, err = vpclink_cmd(["apply", "plan.json", "--checkpoint", "cp.json", "--endpoint-url", moto.url], env, tmp_path)
    assert code == 0, err
    assert moto.inventory() == THREE_TIER_INVENTORY

    vpc = next(v["VpcId"] for v in moto.client("ec2").describe_vpcs()["Vpcs"] if not v["IsDefault"])
    code, out, err = vpclink_cmd(
        ["snapshot", "--region", "us-east-1", "--vpc-id", vpc, "--endpoint-url", moto.url, "-o", "live.json"], env, tmp_path
    )
    assert (code, out) == (0, ""), err
    bundle = json.loads((tmp_path / "live.json").read_text())
    assert bundle["format"] == "vpclink-aws-bundle"
    imported = vpclink.import_aws(bundle)
    assert sorted(imported["instances"]) == ["web-1", "web-2", "web-3"]

    code, out, err = vpclink_cmd(["check", "--format", "json", "live.json"], env, tmp_path)
    report = vpclink.validate(tmp_path / "live.json")
    assert json.loads(out) == report
    # moto's gaps make the raw bundle report errors (test_aws_apply.py corrects and explains them).
    assert code == (1 if report["summary"]["errors"] else 0), err

    code, _, err = vpclink_cmd(["plan", "--destroy", "--current", "live.json", "--format", "json", "-o", "destroy.json"], env, tmp_path)
    assert code == 0, err
    # In this process, so that moto's subnet-deletion gap is filled as AWS behaves (Moto.session).
    monkeypatch.setattr(cli, "_session", lambda args, region: moto.session())
    out_io, err_io = io.StringIO(), io.StringIO()
    code = cli.main(["apply", str(tmp_path / "destroy.json"), "--endpoint-url", moto.url, "--quiet"], stdout=out_io, stderr=err_io)
    assert (code, err_io.getvalue()) == (0, "")
    assert json.loads(out_io.getvalue())["steps"] == len(json.loads((tmp_path / "destroy.json").read_text())["steps"])
    assert moto.inventory() == EMPTY_INVENTORY

    for name in ("cp.json", "live.json"):
        text = (tmp_path / name).read_text()
        assert not any(secret in text for secret in SECRETS), name


def test_apply_exits_1_when_a_step_fails(moto: Moto, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "plan.json").write_text(json.dumps(vpclink.plan(THREE_TIER)))
    faults = Faults(failed_link=True)
    monkeypatch.setattr(cli, "_session", lambda args, region: faults.install(moto.session()))
    clock = FakeClock()
    monkeypatch.setattr(driver, "time", types.SimpleNamespace(time=lambda: clock() / 1000, sleep=clock.sleep))
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["apply", str(tmp_path / "plan.json"), "--endpoint-url", moto.url], stdout=out, stderr=err)
    assert code == 1
    assert out.getvalue() == ""
    assert "error: step `create.vpc_link.link` failed" in err.getvalue()
    assert "rolled back" in err.getvalue()
    assert "vpclink: rolling back" in err.getvalue()
    assert moto.inventory() == EMPTY_INVENTORY


def test_apply_exits_2_on_a_file_that_is_not_a_plan(env: Dict[str, str], tmp_path: Path) -> None:
    code, _, err = vpclink_cmd(["apply", "nothing.json"], env, tmp_path)
    assert code == 2 and "nothing.json" in err
    (tmp_path / "topology.json").write_text(THREE_TIER.read_text())
    code, _, err = vpclink_cmd(["apply", "topology.json"], env, tmp_path)
    assert code == 2 and "not a plan" in err
    (tmp_path / "broken.json").write_text("{")
    code, _, err = vpclink_cmd(["apply", "broken.json"], env, tmp_path)
    assert code == 2 and "broken.json:1:2: not JSON" in err


def test_snapshot_reports_an_unreachable_endpoint(env: Dict[str, str], tmp_path: Path) -> None:
    # Nothing listens on port 9 of 127.0.0.1; botocore's retries are bounded.
    env = dict(env, AWS_MAX_ATTEMPTS="1")
    code, out, err = vpclink_cmd(["snapshot", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"], env, tmp_path)
    assert (code, out) == (1, "")
    assert err.startswith("error: EndpointConnectionError: ")


def test_apply_without_credentials_says_so(moto: Moto, env: Dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text(json.dumps(vpclink.plan(THREE_TIER)))
    bare = {k: v for k, v in env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
    code, out, err = vpclink_cmd(["apply", "plan.json", "--checkpoint", "cp.json", "--endpoint-url", moto.url], bare, tmp_path)
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == "error: Unable to locate credentials; run the same command again to continue from cp.json"
    assert "Traceback" not in err
    assert moto.inventory() == EMPTY_INVENTORY

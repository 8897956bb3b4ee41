"""cfn-lint on the CloudFormation export; PyYAML and python-hcl2 on the exports.

The CloudFormation export of every example (examples/*.json) and of generated topologies
must pass cfn-lint with zero errors. Warnings are reported; each one allowed is explained in
ALLOWED_WARNINGS, and any other fails the test (so a new one gets fixed or explained).
The broken examples must lint clean too, except where their mistake is one cfn-lint knows
(BROKEN_EXPECTED_ERRORS says which, and why).

Templates come from `vpclink plan --format cloudformation FILE` ($VPCLINK_BIN, which
scripts/test-external builds). Generated topologies are written to a temporary directory
by core/examples/render_export.rs (`render_export topology synth:N`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
THREE_TIER = ROOT / "examples" / "three-tier.json"
# Top-level examples: `<name>.json`, not the `<name>.check.json`-style goldens beside them.
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.json") if p.name.count(".") == 1)
BROKEN = sorted((ROOT / "examples" / "broken").glob("*/topology.json"))
# Sizes in resources; 300 gives about 450 template resources, under CloudFormation's 500.
GENERATED_SIZES = [10, 100, 300]

ALLOWED_WARNINGS = {
    # "Avoid hardcoding availability zones". The topology places subnets in named zones on
    # purpose: which zones the NLB serves and where its targets run is what vpclink checks
    # (cross-zone, targets per zone), so the export keeps the names. The template's
    # Description says which Region to deploy it in.
    "W3010",
}

BROKEN_EXPECTED_ERRORS = {
    # The example's mistake is a health-check interval of 1 s; AWS's minimum is 5 s.
    "health-check-interval-out-of-range": {"E3034"},
    # The example's mistake is a TLS listener without a certificate, which AWS rejects.
    "tls-listener-without-certificate": {"E3676"},
}


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kw)


@pytest.fixture(scope="session")
def vpclink_bin() -> Path:
    env = os.environ.get("VPCLINK_BIN")
    if env:
        return Path(env)
    _run(["cargo", "build", "--quiet", "-p", "vpclink"], check=True)
    return TARGET / "debug" / "vpclink"


@pytest.fixture(scope="session")
def render_export() -> Path:
    done = _run(
        ["cargo", "build", "--quiet", "-p", "vpclink-core", "--example", "render_export"]
    )
    assert done.returncode == 0, done.stderr
    return TARGET / "debug" / "examples" / "render_export"


def _cfn_lint_cmd() -> list[str]:
    beside = Path(sys.executable).parent / "cfn-lint"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("cfn-lint")
    assert found, "cfn-lint is not installed (scripts/python-env installs it)"
    return [found]


def export(vpclink_bin: Path, fmt: str, topology: Path, out: Path) -> subprocess.CompletedProcess:
    done = _run([str(vpclink_bin), "plan", "--format", fmt, str(topology), "-o", str(out)])
    return done


def lint(template: Path) -> list[dict]:
    region = yaml.safe_load(template.read_text())["Metadata"]["vpclink"]["region"]
    done = _run(_cfn_lint_cmd() + ["-f", "json", "--regions", region, "--", str(template)])
    # Exit codes are a bit mask of the levels found (2 error, 4 warning, 8 info); anything
    # else means cfn-lint itself failed.
    assert done.returncode & ~0b1110 == 0, done.stderr
    return json.loads(done.stdout or "[]")


def split(findings: list[dict]) -> tuple[list[dict], list[dict]]:
    errors = [f for f in findings if f["Level"] == "Error"]
    warnings = [f for f in findings if f["Level"] == "Warning"]
    return errors, warnings


def describe(findings: list[dict]) -> str:
    return "\n".join(
        f'{f["Rule"]["Id"]} line {f["Location"]["Start"]["LineNumber"]}: {f["Message"]}'
        for f in findings
    )


def assert_clean(template: Path) -> None:
    errors, warnings = split(lint(template))
    assert not errors, f"{template.name}:\n{describe(errors)}"
    unexplained = [w for w in warnings if w["Rule"]["Id"] not in ALLOWED_WARNINGS]
    if warnings:
        print(f"{template.name}: {len(warnings)} allowed warnings\n{describe(warnings)}")
    assert not unexplained, f"{template.name}: explain or fix:\n{describe(unexplained)}"


def test_examples_include_three_tier():
    assert THREE_TIER in EXAMPLES


@pytest.mark.parametrize("topology", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_templates_lint_clean(vpclink_bin, tmp_path, topology):
    out = tmp_path / f"{topology.stem}.yaml"
    done = export(vpclink_bin, "cloudformation", topology, out)
    assert done.returncode == 0, done.stderr
    assert_clean(out)


@pytest.mark.parametrize("size", GENERATED_SIZES)
def test_generated_templates_lint_clean(vpclink_bin, render_export, tmp_path, size):
    topology = tmp_path / f"synth-{size}.json"
    done = _run([str(render_export), "topology", f"synth:{size}"])
    assert done.returncode == 0, done.stderr
    topology.write_text(done.stdout)
    out = tmp_path / f"synth-{size}.yaml"
    done = export(vpclink_bin, "cloudformation", topology, out)
    assert done.returncode == 0, done.stderr
    resources = yaml.safe_load(out.read_text())["Resources"]
    assert len(resources) <= 500, "over CloudFormation's resource limit; pick a smaller size"
    assert_clean(out)


@pytest.mark.parametrize("topology", BROKEN, ids=[p.parent.name for p in BROKEN])
def test_broken_examples_fail_lint_only_for_their_own_mistake(vpclink_bin, tmp_path, topology):
    name = topology.parent.name
    out = tmp_path / f"{name}.yaml"
    done = export(vpclink_bin, "cloudformation", topology, out)
    if done.returncode != 0:
        # An example whose references do not resolve cannot be exported; the CLI must say
        # so plainly rather than write half a template.
        assert "do not resolve" in done.stderr, done.stderr
        assert not out.exists() or out.read_text() == ""
        return
    errors, warnings = split(lint(out))
    found = {e["Rule"]["Id"] for e in errors}
    assert found == BROKEN_EXPECTED_ERRORS.get(name, set()), describe(errors)
    unexplained = [w for w in warnings if w["Rule"]["Id"] not in ALLOWED_WARNINGS]
    assert not unexplained, describe(unexplained)


def test_yaml_1_1_readers_get_strings_back(vpclink_bin, tmp_path):
    """PyYAML reads YAML 1.1 like CloudFormation: `off`, `on` and `2010-09-09` must be
    quoted to stay strings."""
    out = tmp_path / "three-tier.yaml"
    assert export(vpclink_bin, "cloudformation", THREE_TIER, out).returncode == 0
    t = yaml.safe_load(out.read_text())
    assert t["AWSTemplateFormatVersion"] == "2010-09-09"
    nlb = t["Resources"]["LoadBalancerNlb"]["Properties"]
    assert nlb["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] == "off"
    assert nlb["LoadBalancerAttributes"] == [
        {"Key": "load_balancing.cross_zone.enabled", "Value": "false"}
    ]
    # The importer's contract: Metadata gives back the topology ids.
    method = t["Resources"]["RestApiShopMethodGetProducts"]
    assert method["Metadata"] == {
        "vpclink": {"id": "shop", "kind": "rest_apis", "route": "GET /products"}
    }


def test_hostile_names_survive_a_yaml_1_1_reader(vpclink_bin, tmp_path):
    hostile = 'a"b${x}'
    html = "<img src=x onerror=alert(1)>"
    topology = {
        "version": 1,
        "region": "us-east-1",
        "vpcs": {hostile: {"cidr": "10.0.0.0/16", "name": "yes"}},
        "subnets": {html: {"vpc": hostile, "az": "us-east-1a", "cidr": "10.0.1.0/24", "name": "1:30"}},
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(topology))
    out = tmp_path / "hostile.yaml"
    done = export(vpclink_bin, "cloudformation", path, out)
    assert done.returncode == 0, done.stderr
    t = yaml.safe_load(out.read_text())
    by_id = {r["Metadata"]["vpclink"]["id"]: r for r in t["Resources"].values()}
    assert set(by_id) == {hostile, html}
    assert by_id[hostile]["Properties"]["Tags"] == [{"Key": "Name", "Value": "yes"}]
    assert by_id[html]["Properties"]["Tags"] == [{"Key": "Name", "Value": "1:30"}]
    assert_clean(out)


def test_terraform_export_parses_with_python_hcl2(vpclink_bin, render_export, tmp_path):
    hcl2 = pytest.importorskip("hcl2")
    topology = tmp_path / "synth.json"
    done = _run([str(render_export), "topology", "synth:100"])
    assert done.returncode == 0, done.stderr
    topology.write_text(done.stdout)
    for source in (*EXAMPLES, topology):
        out = tmp_path / f"{source.stem}.tf"
        done = export(vpclink_bin, "terraform", source, out)
        assert done.returncode == 0, done.stderr
        with out.open() as f:
            parsed = hcl2.load(f)
        types = [next(iter(block)).strip('"') for block in parsed["resource"]]
        spec = json.loads(source.read_text())
        assert types.count("aws_instance") == len(spec.get("instances", {}))
        assert types.count("aws_lb") == len(spec.get("load_balancers", {}))
        links = spec.get("vpc_links", {}).values()
        v1 = [l for l in links if not l.get("subnets") and not l.get("security_groups")]
        assert types.count("aws_api_gateway_vpc_link") == len(v1)
        assert types.count("aws_apigatewayv2_vpc_link") == len(links) - len(v1)
        assert types.count("aws_apigatewayv2_api") == len(spec.get("http_apis", {}))

"""The functions of the package on each kind of input (dict, text, path, Text, Files)
and their errors: the right class, code and place."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

import vpclink

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "three-tier.json"
BUNDLE = ROOT / "tests" / "fixtures" / "live" / "three-tier.bundle.json"


def example_dict() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def golden(name: str) -> Any:
    return json.loads((ROOT / "examples" / name).read_text(encoding="utf-8"))


# --- the same answer from every form of input ----------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(lambda: example_dict(), id="dict"),
        pytest.param(lambda: EXAMPLE.read_text(encoding="utf-8"), id="str"),
        pytest.param(lambda: EXAMPLE, id="path"),
        pytest.param(lambda: vpclink.Text(EXAMPLE.read_text(encoding="utf-8"), "t.json"), id="Text"),
    ],
)
def test_validate_and_reach_match_the_golden_reports(form: Any) -> None:
    # The golden reports are what `vpclink check/reach --format json` print.
    assert vpclink.validate(form()) == golden("three-tier.check.json")
    assert vpclink.reach(form()) == golden("three-tier.reach.json")


def test_yaml_text_is_a_topology_too() -> None:
    yaml_text = "version: 1\nregion: us-east-1\nvpcs:\n  a:\n    cidr: 10.0.0.0/16\n"
    report = vpclink.validate(yaml_text)
    assert report["rules_ran"] is True
    assert report["summary"]["errors"] == 0


def test_plan_from_a_path_equals_plan_from_a_dict() -> None:
    from_path = vpclink.plan(EXAMPLE)
    assert from_path == vpclink.plan(example_dict())
    assert from_path["mode"] == "deploy"
    assert len(from_path["steps"]) == 44
    assert len(from_path["waves"]) == 8
    assert "create.vpc.app" in from_path["waves"][0]["steps"]


def test_plan_against_the_current_state_leaves_matching_resources_alone() -> None:
    same = vpclink.plan(EXAMPLE, current=EXAMPLE)
    assert same["steps"] == []


def test_destroy_needs_aws_ids_and_says_where() -> None:
    with pytest.raises(vpclink.PlanError) as caught:
        vpclink.plan(EXAMPLE, destroy=True)
    assert caught.value.code == "missing_aws_id"
    assert caught.value.path is not None and caught.value.path.startswith("/")
    teardown = vpclink.plan(BUNDLE, destroy=True)
    assert teardown["mode"] == "destroy"
    assert len(teardown["steps"]) > 10
    assert all(step["action"] in ("delete", "deregister", "wait") for step in teardown["steps"])
    # current= wins over desired for a teardown, as in the core.
    assert vpclink.plan(EXAMPLE, current=BUNDLE, destroy=True) == teardown


def test_render_a_topology_or_a_plan() -> None:
    text = vpclink.render(EXAMPLE, "text")
    assert text.startswith("Plan (deploy, us-east-1): 44 steps in 8 waves")
    plan = vpclink.plan(EXAMPLE)
    assert vpclink.render_plan(plan, "TEXT") == text
    assert json.loads(vpclink.render_plan(plan, "json")) == plan
    assert "ec2 create-vpc --query 'Vpc.VpcId'" in vpclink.render_plan(plan, "cli")
    template = vpclink.render(EXAMPLE, "cloudformation")
    assert "AWS::ApiGateway::VpcLink" in template
    assert vpclink.render(EXAMPLE, "mermaid").startswith(("flowchart", "graph"))
    assert 'resource "aws_api_gateway_vpc_link"' in vpclink.render(EXAMPLE, "terraform")


def test_render_errors() -> None:
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.render(EXAMPLE, "pulumi")
    assert caught.value.code == "unknown_format"
    assert "cloudformation" in str(caught.value)
    plan = vpclink.plan(EXAMPLE)
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.render_plan(plan, "cloudformation")
    assert caught.value.code == "needs_topology"
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.render_plan({"steps": 3}, "cli")
    assert caught.value.code == "bad_plan"
    assert caught.value.path is not None


def test_the_exported_template_imports_back_with_source_lines() -> None:
    template = vpclink.render(EXAMPLE, "cloudformation")
    topology = vpclink.import_cloudformation(template, "stack.yaml")
    origin = topology.get("origin")
    assert set(topology.get("vpcs", {})) and origin is not None
    assert origin["format"] == "cloudformation"
    # Through validate, findings point at the template's lines.
    report = vpclink.validate(vpclink.Text(template, "stack.yaml"))
    assert report["summary"]["errors"] == 0
    sources = [d.get("source") for d in report["diagnostics"]]
    assert sources and all(s is not None and s.get("file") == "stack.yaml" for s in sources)
    assert all(s is not None and (s.get("line") or 0) > 0 for s in sources)


def test_import_cloudformation_from_a_path_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("Resources:\n  X:\n    Type: [unclosed\n", encoding="utf-8")
    with pytest.raises(vpclink.SourceImportError) as caught:
        vpclink.import_cloudformation(path)
    error = caught.value
    assert error.kind == "import" and error.code == "cloudformation"
    assert error.file == str(path)
    assert error.line is not None and error.line >= 3
    assert not isinstance(error, ImportError), "must not be caught as the builtin ImportError"
    assert isinstance(error, ValueError)


def test_import_aws_from_dict_text_and_path() -> None:
    text = BUNDLE.read_text(encoding="utf-8")
    from_path = vpclink.import_aws(BUNDLE)
    assert from_path == vpclink.import_aws(text)
    from_dict = vpclink.import_aws(json.loads(text))
    # Parsed data has no lines to point at; everything else is the same.
    assert {k: v for k, v in from_dict.items() if k != "origin"} == {
        k: v for k, v in from_path.items() if k != "origin"
    }
    origin = from_path.get("origin")
    assert origin is not None and origin["format"] == "aws"
    # A bundle works wherever a topology does.
    assert vpclink.validate(BUNDLE)["rules_ran"] is True


def test_import_aws_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        vpclink.import_aws(tmp_path)


def test_import_aws_refuses_files() -> None:
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink._vpclink.import_aws(vpclink.Files({"main.tf": ""}))  # type: ignore[arg-type]
    assert caught.value.code == "wrong_input"


def test_terraform_directories_are_read_like_the_cli(tmp_path: Path) -> None:
    from vpclink._inputs import terraform_files

    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {}\n', encoding="utf-8")
    (tmp_path / "terraform.tfvars").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "x.auto.tfvars").write_text("y = 1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("no\n", encoding="utf-8")
    (tmp_path / "other.tfvars").write_text("no = 1\n", encoding="utf-8")
    (tmp_path / "modules" / "net").mkdir(parents=True)
    (tmp_path / "modules" / "net" / "main.tf").write_text("# net\n", encoding="utf-8")
    (tmp_path / ".terraform" / "modules").mkdir(parents=True)
    (tmp_path / ".terraform" / "modules" / "x.tf").write_text("# downloaded\n", encoding="utf-8")
    assert terraform_files(tmp_path) == {
        "main.tf": 'resource "aws_vpc" "a" {}\n',
        "modules/net/main.tf": "# net\n",
        "terraform.tfvars": "x = 1\n",
        "x.auto.tfvars": "y = 1\n",
    }


def test_terraform_inputs_reach_the_core_as_files_or_text(tmp_path: Path) -> None:
    # Whatever the importer's state, a dict, a directory and text all get a vpclink
    # answer: a topology or a SourceImportError of code `terraform`.
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n')
    for form in (
        {"main.tf": (tmp_path / "main.tf").read_text()},
        tmp_path,
        tmp_path / "main.tf",
        (tmp_path / "main.tf").read_text(),
        vpclink.Files({"main.tf": (tmp_path / "main.tf").read_text()}),
    ):
        try:
            topology = vpclink.import_terraform(form)
        except vpclink.SourceImportError as e:
            assert e.code == "terraform"
        else:
            assert topology["version"] == 1


def test_diagnose_and_cost() -> None:
    diagnosis = vpclink.diagnose(EXAMPLE, {"kind": "503"})
    assert set(diagnosis) >= {"symptom", "causes", "summary"}
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.diagnose(EXAMPLE, {"kind": "http_999"})
    assert (caught.value.code, caught.value.path) == ("bad_symptom", "/kind")
    cost = vpclink.estimate_cost(EXAMPLE)
    assert cost["monthly_usd"] > 0
    busier = vpclink.estimate_cost(EXAMPLE, {"requests_per_month": 500_000_000})
    assert busier["monthly_usd"] > cost["monthly_usd"]
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.estimate_cost(EXAMPLE, {"requests_per_month": "many"})
    assert (caught.value.code, caught.value.path) == ("bad_traffic", "/requests_per_month")


def test_cost_of_an_unknown_region_is_a_cost_error() -> None:
    topology = example_dict()
    topology["region"] = "eu-south-9"
    try:
        vpclink.estimate_cost(topology)
    except vpclink.CostError as e:
        assert (e.code, e.path) == ("unknown_region", "/region")
    except vpclink.TopologyError as e:
        # A Region the model does not know is refused when the topology is read.
        assert e.path == "/region"
    else:
        pytest.fail("an unknown region was priced")


def test_schema_and_rules() -> None:
    assert vpclink.SCHEMA_NAMES[-1] == "api"
    for name in vpclink.SCHEMA_NAMES:
        assert isinstance(vpclink.schema(name), dict), name
    topology_schema = vpclink.schema("topology")
    assert topology_schema["$schema"].startswith("https://json-schema.org/")
    with pytest.raises(vpclink.ArgumentError) as caught:
        vpclink.schema("nope")
    assert caught.value.code == "unknown_schema"
    rules = vpclink.rules()
    assert [r["code"] for r in rules] == sorted(r["code"] for r in rules)
    assert rules[0]["code"] == "VL001"


def test_version_matches_the_workspace() -> None:
    cargo = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    assert f'version = "{vpclink.__version__}"' in cargo
    assert vpclink.version() == vpclink.__version__


# --- errors carry the place -------------------------------------------------------------


def test_a_shape_error_has_the_json_path() -> None:
    with pytest.raises(vpclink.TopologyError) as caught:
        vpclink.validate({"version": 1, "region": "us-east-1", "vpcs": {"a": {"cidr": "10.0.0.0/33"}}})
    error = caught.value
    assert (error.kind, error.code, error.path) == ("topology", "shape", "/vpcs/a/cidr")
    assert isinstance(error, ValueError) and isinstance(error, vpclink.Error)


def test_a_syntax_error_has_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{\n  "version": 1,\n  oops\n}', encoding="utf-8")
    with pytest.raises(vpclink.TopologyError) as caught:
        vpclink.validate(path)
    error = caught.value
    assert (error.code, error.file, error.line, error.column) == ("syntax", str(path), 3, 3)


def test_broken_references_stop_reach_but_not_validate() -> None:
    topology = example_dict()
    topology["subnets"]["private-a"]["vpc"] = "ap"
    report = vpclink.validate(topology)
    assert report["rules_ran"] is False
    assert [d["code"] for d in report["diagnostics"]] == ["VL001"]
    with pytest.raises(vpclink.TopologyError) as caught:
        vpclink.reach(topology)
    assert caught.value.code == "broken_references"
    assert caught.value.path == "/subnets/private-a/vpc"


def test_a_missing_file_is_the_usual_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        vpclink.validate(tmp_path / "absent.json")


def test_errors_pickle_with_their_fields() -> None:
    with pytest.raises(vpclink.TopologyError) as caught:
        vpclink.validate("{\n oops")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is vpclink.TopologyError
    assert (copy.code, copy.line, str(copy)) == (caught.value.code, caught.value.line, str(caught.value))


def test_every_error_kind_has_its_class() -> None:
    classes = {
        "TopologyError": (vpclink.Error, ValueError),
        "SourceImportError": (vpclink.Error, ValueError),
        "PlanError": (vpclink.Error,),
        "RenderError": (vpclink.Error,),
        "CostError": (vpclink.Error, ValueError),
        "ExecutorError": (vpclink.Error,),
        "ArgumentError": (vpclink.Error, ValueError),
    }
    kinds = vpclink.schema("error")["$defs"]["ErrorKind"]
    names = [v.get("const") or v.get("enum", [None])[0] for v in kinds.get("oneOf", [])] or kinds["enum"]
    assert len(names) == len(classes), names
    for name, bases in classes.items():
        cls = getattr(vpclink, name)
        assert issubclass(cls, bases), name
        assert not issubclass(cls, ImportError)

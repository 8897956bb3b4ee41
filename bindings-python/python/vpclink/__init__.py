"""vpclink: model, validate and plan private API paths on AWS — API Gateway → VPC link →
NLB → target group → EC2 — with the same engine as the ``vpclink`` command line.

Every function takes a topology as a dict, as JSON/YAML text (a ``str``), as a path (a
file, or a Terraform directory), or as ``Text``/``Files``; anything that imports into a
topology works too (a CloudFormation template, a live-state bundle). Results are plain
dicts and lists shaped like the JSON formats, typed by the TypedDicts in
:mod:`vpclink.types`. Errors are :class:`vpclink.Error` subclasses with the place to
blame (``path``, ``file``, ``line``, ``column``).

    >>> import vpclink
    >>> report = vpclink.validate(pathlib.Path("examples/three-tier.json"))
    >>> report["summary"]["errors"]
    0
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Optional, Union

from . import _vpclink
from ._inputs import TerraformInput, TopologyInput, read_text, source, terraform_source
from ._vpclink import RENDER_FORMATS, SCHEMA_NAMES, Executor, Files, Text, __version__
from .errors import (
    ArgumentError,
    CostError,
    Error,
    ExecutorError,
    PlanError,
    RenderError,
    SourceImportError,
    TopologyError,
)
from .types import (
    CostEstimate,
    Diagnosis,
    Plan,
    ReachReport,
    Report,
    RuleMeta,
    Symptom,
    Topology,
    Traffic,
)

__all__ = [
    "__version__",
    "RENDER_FORMATS",
    "SCHEMA_NAMES",
    "ArgumentError",
    "CostError",
    "Error",
    "Executor",
    "ExecutorError",
    "Files",
    "PlanError",
    "RenderError",
    "SourceImportError",
    "Text",
    "TerraformInput",
    "TopologyError",
    "TopologyInput",
    "diagnose",
    "estimate_cost",
    "import_aws",
    "import_cloudformation",
    "import_terraform",
    "plan",
    "reach",
    "render",
    "render_plan",
    "report_text",
    "rules",
    "schema",
    "validate",
    "version",
]


def validate(topology: TopologyInput) -> Report:
    """Every finding, most severe first; with the source line for imported inputs."""
    return _vpclink.validate(source(topology))


def reach(topology: TopologyInput) -> ReachReport:
    """Which targets each route reaches, and what blocks the others.

    Raises :class:`TopologyError` (code ``broken_references``) when references do not
    resolve; :func:`validate` lists them."""
    return _vpclink.reach(source(topology))


def plan(
    desired: TopologyInput,
    *,
    current: Optional[TopologyInput] = None,
    destroy: bool = False,
) -> Plan:
    """The AWS calls, in waves, that take ``current`` (or nothing) to ``desired``; with
    ``destroy=True``, the calls that delete ``current`` (or ``desired`` when no current
    state is given), which needs the resources' AWS ids (a live-state bundle has them)."""
    return _vpclink.plan(
        source(desired),
        current=None if current is None else source(current),
        destroy=destroy,
    )


def render(topology: TopologyInput, format: str) -> str:
    """The topology as text in ``format`` (one of :data:`RENDER_FORMATS`):
    ``cloudformation``, ``terraform`` and ``mermaid`` describe the topology; ``text``,
    ``json``, ``cli`` and ``boto3`` describe the plan that builds it."""
    return _vpclink.render(source(topology), format)


def render_plan(plan: Union[Plan, Mapping[str, Any]], format: str) -> str:
    """A plan made by :func:`plan` as text: ``text``, ``json``, ``cli`` or ``boto3``."""
    return _vpclink.render_plan(plan, format)


def report_text(report: Union[Report, Mapping[str, Any]]) -> str:
    """A report made by :func:`validate` as text, laid out as ``vpclink check`` prints it:
    each finding with its place, message, help and fix, then the counts."""
    return _vpclink.report_text(report)


def diagnose(topology: TopologyInput, symptom: Union[Symptom, Mapping[str, Any]]) -> Diagnosis:
    """The likely causes of ``symptom`` (``{"kind": "503"}``; see ``schema("symptom")``),
    most likely first, with evidence and the fix."""
    return _vpclink.diagnose(source(topology), symptom)


def estimate_cost(
    topology: TopologyInput,
    traffic: Union[Traffic, Mapping[str, Any], None] = None,
) -> CostEstimate:
    """The monthly bill, itemised per resource, under ``traffic`` (the core's defaults
    when None; see ``schema("traffic")``)."""
    return _vpclink.estimate_cost(source(topology), traffic)


def import_cloudformation(
    template: Union[str, os.PathLike[str]], file: Optional[str] = None
) -> Topology:
    """A CloudFormation or SAM template (JSON or YAML text, or a path to one) as a
    topology. ``file`` names the template in errors and findings (a path's own name by
    default)."""
    if isinstance(template, os.PathLike):
        text = read_text(template)
        return _vpclink.import_cloudformation(text.text, file if file is not None else text.file)
    return _vpclink.import_cloudformation(template, file)


def import_aws(bundle: Union[Mapping[str, Any], str, os.PathLike[str], Text]) -> Topology:
    """A live-state bundle (from ``vpclink.aws.snapshot`` or ``vpclink import aws``) as a
    topology: a dict, its JSON text, or a path to it."""
    return _vpclink.import_aws(read_text(bundle) if isinstance(bundle, os.PathLike) else bundle)


def import_terraform(configuration: TerraformInput) -> Topology:
    """A Terraform configuration as a topology: a mapping of file name → HCL text, a
    directory path, one ``.tf`` file (path or text), or ``terraform show -json`` output
    as text."""
    return _vpclink.import_terraform(terraform_source(configuration))


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) called ``name``, one of :data:`SCHEMA_NAMES`."""
    return _vpclink.schema(name)


def rules() -> list[RuleMeta]:
    """Every code the engine can report, in code order."""
    return _vpclink.rules()


def version() -> str:
    """The version of the engine (the same as ``__version__``)."""
    return _vpclink.version()


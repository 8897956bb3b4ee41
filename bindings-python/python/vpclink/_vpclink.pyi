# Type stub of the extension module (bindings-python/src/*.rs). `python -m mypy.stubtest
# vpclink._vpclink` checks that it agrees with the compiled module; scripts/test-python
# runs it. Inputs: a `str` is text in any format, `Text` is text with its file name,
# `Files` a Terraform directory, any other mapping parsed data (JSON values only).

from collections.abc import Mapping
from typing import Any, Optional, Union, final

from typing_extensions import Self

from vpclink.types import (
    Action2,
    CostEstimate,
    Diagnosis,
    Event,
    ExecOptions,
    ExecStatus,
    Observation,
    Outcome,
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
    "SCHEMA_NAMES",
    "RENDER_FORMATS",
    "validate",
    "reach",
    "plan",
    "render",
    "render_plan",
    "report_text",
    "diagnose",
    "estimate_cost",
    "import_cloudformation",
    "import_aws",
    "import_terraform",
    "schema",
    "rules",
    "version",
    "Text",
    "Files",
    "Executor",
]

__version__: str
SCHEMA_NAMES: tuple[str, ...]
RENDER_FORMATS: tuple[str, ...]

@final
class Text:
    """JSON, YAML or HCL text with the name of the file it came from."""

    def __new__(cls, text: str, file: Optional[str] = None) -> Self: ...
    @property
    def text(self) -> str: ...
    @property
    def file(self) -> Optional[str]: ...

@final
class Files:
    """A Terraform configuration: file name (relative, `/`-separated) → text."""

    def __new__(cls, files: Mapping[str, str]) -> Self: ...
    @property
    def files(self) -> dict[str, str]: ...

_Input = Union[Mapping[str, Any], str, Text, Files]

def validate(input: _Input) -> Report: ...
def reach(input: _Input) -> ReachReport: ...
def plan(desired: _Input, *, current: Optional[_Input] = None, destroy: bool = False) -> Plan: ...
def render(topology: _Input, format: str) -> str: ...
def render_plan(plan: Union[Plan, Mapping[str, Any]], format: str) -> str: ...
def report_text(report: Union[Report, Mapping[str, Any]]) -> str: ...
def diagnose(topology: _Input, symptom: Union[Symptom, Mapping[str, Any]]) -> Diagnosis: ...
def estimate_cost(
    topology: _Input, traffic: Union[Traffic, Mapping[str, Any], None] = None
) -> CostEstimate: ...
def import_cloudformation(text: str, file: Optional[str] = None) -> Topology: ...
def import_aws(bundle: Union[Mapping[str, Any], str, Text]) -> Topology: ...
def import_terraform(source: Union[str, Text, Files, Mapping[str, Any]]) -> Topology: ...
def schema(name: str) -> dict[str, Any]: ...
def rules() -> list[RuleMeta]: ...
def version() -> str: ...

@final
class Executor:
    """Runs a plan without doing IO: `poll` says what to do, `complete`/`observe` report
    the answers, `checkpoint` saves the run, `Executor.resume` continues it."""

    def __new__(
        cls,
        plan: Union[Plan, Mapping[str, Any]],
        options: Union[ExecOptions, Mapping[str, Any], None] = None,
    ) -> Self: ...
    @staticmethod
    def resume(checkpoint: str) -> Executor: ...
    def poll(self, now_ms: int) -> list[Action2]: ...
    def complete(self, request_id: int, outcome: Union[Outcome, Mapping[str, Any]]) -> None: ...
    def observe(
        self, request_id: int, observation: Union[Observation, Mapping[str, Any]]
    ) -> None: ...
    def checkpoint(self) -> str: ...
    def events(self) -> list[Event]: ...
    def status(self) -> ExecStatus: ...
    def plan(self) -> Plan: ...

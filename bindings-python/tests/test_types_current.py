"""python/vpclink/types.py is generated from the core's schema; it must be regenerated
whenever a Rust type changes (`python bindings-python/tools/gen_types.py`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import vpclink

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def test_types_py_is_current() -> None:
    pytest.importorskip("datamodel_code_generator")
    result = subprocess.run(
        [sys.executable, str(TOOLS / "gen_types.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_every_schema_type_has_a_typed_dict() -> None:
    from vpclink import types

    api = vpclink.schema("api")
    # Each member of the `api` schema is one of the shapes the functions take or
    # return; each is a name in types.py.
    for member, spec in api["properties"].items():
        name = spec["$ref"].rsplit("/", 1)[-1]
        assert hasattr(types, name), f"{member}: {name} is missing from vpclink.types"

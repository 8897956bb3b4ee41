"""Reading inputs: the IO the core does not do. A path becomes ``Text`` (the file's
content with its name, so errors and findings name the file) or, for a directory,
``Files`` (a Terraform configuration). Everything else goes to the core as it is: a
``str`` is text in any format, a mapping is parsed data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

from ._vpclink import Files, Text
from .errors import ArgumentError

__all__ = ["Source", "TopologyInput", "TerraformInput", "source", "terraform_source", "read_text"]

#: What the core takes where a topology is expected (see ``_vpclink.pyi``).
Source = Union[Mapping[str, Any], str, Text, Files]

#: A topology or anything that imports into one: parsed data (a dict), JSON/YAML/HCL
#: text (a ``str``), a file or Terraform directory (a path), or ``Text``/``Files``.
TopologyInput = Union[Mapping[str, Any], str, "os.PathLike[str]", Text, Files]

#: A Terraform configuration: file name → HCL text, HCL or ``terraform show -json`` text,
#: a file or directory path, or ``Text``/``Files``.
TerraformInput = Union[Mapping[str, str], str, "os.PathLike[str]", Text, Files]

# Like the command line (cli/src/tfdir.rs): pointing at `/` fails fast instead of
# reading the disk.
MAX_TERRAFORM_FILES = 5_000


def source(value: TopologyInput) -> Source:
    """The core's input for ``value``: paths are read, the rest passes unchanged."""
    if isinstance(value, os.PathLike):
        return read_path(value)
    return value


def terraform_source(value: TerraformInput) -> Union[str, Text, Files]:
    """As :func:`source`, but a mapping is a configuration (file name → text)."""
    if isinstance(value, os.PathLike):
        return read_path(value)
    if isinstance(value, (str, Text, Files)):
        return value
    return Files(dict(value))


def read_text(path: os.PathLike[str]) -> Text:
    """A file's text (UTF-8) with its name as given."""
    name = os.fspath(path)
    return Text(Path(name).read_text(encoding="utf-8"), name)


def read_path(path: os.PathLike[str]) -> Union[Text, Files]:
    root = Path(os.fspath(path))
    if root.is_dir():
        return Files(terraform_files(root))
    return read_text(path)


def terraform_files(root: Path) -> dict[str, str]:
    """The files Terraform reads in a configuration directory, by name relative to it
    with ``/`` separators: ``*.tf``, ``terraform.tfvars`` and ``*.auto.tfvars``, in the
    directory and below (local modules); hidden directories such as ``.terraform/``
    (downloaded providers and modules) are skipped."""
    files: dict[str, str] = {}
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or not _takes_part(name):
                continue
            if len(files) >= MAX_TERRAFORM_FILES:
                raise ArgumentError(
                    f"more than {MAX_TERRAFORM_FILES} Terraform files below {root}; "
                    "point at the configuration's own directory",
                    kind="argument",
                    code="too_many_files",
                    file=str(root),
                )
            path = Path(directory, name)
            relative = path.relative_to(root).as_posix()
            files[relative] = path.read_text(encoding="utf-8")
    return files


def _takes_part(name: str) -> bool:
    return name.endswith(".tf") or name == "terraform.tfvars" or name.endswith(".auto.tfvars")

"""The exceptions vpclink raises: one class per kind of core error.

Every class derives from :class:`Error`, which carries what the core reported: ``kind``
(``"topology"``, ``"import"``, ...), a stable ``code`` within the kind (``"syntax"``,
``"shape"``, ``"unknown_format"``, ...), and the place when one is to blame: ``path`` (a
JSON Pointer into the input), ``file``, and 1-based ``line`` and ``column``. Errors about
bad input also derive from :class:`ValueError`, so ``except ValueError`` keeps working.

The extension module raises these by kind in one place (``bindings-python/src/error.rs``);
they live here, in pure Python, so they can be imported, caught and subclassed without it.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "Error",
    "TopologyError",
    "SourceImportError",
    "PlanError",
    "RenderError",
    "CostError",
    "ExecutorError",
    "ArgumentError",
]


class Error(Exception):
    """Base class of every vpclink error."""

    kind: str
    code: str
    path: Optional[str]
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]

    def __init__(
        self,
        message: str,
        *,
        kind: str = "",
        code: str = "",
        path: Optional[str] = None,
        file: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.code = code
        self.path = path
        self.file = file
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only fields survive pickling (multiprocessing, concurrent.futures).
        return (_rebuild, (type(self), self.message, self._fields()))

    def _fields(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "code": self.code,
            "path": self.path,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r}, path={self.path!r})"


def _rebuild(cls: type[Error], message: str, fields: dict[str, object]) -> Error:
    error = cls(message)
    for name, value in fields.items():
        setattr(error, name, value)
    return error


class TopologyError(Error, ValueError):
    """The input is not a topology: not JSON/YAML, a wrong shape (``path`` says where),
    an unknown version, or references that do not resolve where an analysis needs them."""


class SourceImportError(Error, ValueError):
    """A CloudFormation template, live-state bundle or Terraform configuration that could
    not be imported. Named so as not to shadow the builtin ``ImportError``."""


class PlanError(Error):
    """A plan that cannot be made (errors in the topology, a resource without its AWS id
    for a teardown, ...)."""


class RenderError(Error):
    """An export that cannot be written."""


class CostError(Error, ValueError):
    """A topology or traffic that cannot be priced (an unknown Region, bad traffic)."""


class ExecutorError(Error):
    """The executor was used wrongly (an answer for a request not in flight) or given a
    bad checkpoint."""


class ArgumentError(Error, ValueError):
    """An argument of the call itself is wrong: an unknown format or schema name, bad
    options, or Python data that is not JSON (NaN, bytes, an int past 64 bits, nesting
    deeper than 128 levels)."""

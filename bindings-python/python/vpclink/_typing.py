"""What the generated ``vpclink.types`` imports, so the package needs no dependency.

``types.py`` names ``TypedDict``, ``NotRequired`` and ``TypeAlias``. Type checkers read
them from ``typing_extensions`` (bundled with every checker). At run time, Python 3.11+
has them in ``typing``; on 3.9 and 3.10 ``typing_extensions`` is used when installed,
and otherwise stand-ins do: ``types.py`` starts with ``from __future__ import
annotations``, so field and alias annotations are never evaluated, and the one place
``NotRequired[...]`` is evaluated (a functional ``TypedDict`` with a key that is not an
identifier) only needs it to give its argument back.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

__all__ = ["NotRequired", "TypeAlias", "TypedDict"]

if TYPE_CHECKING:
    from typing_extensions import NotRequired, TypeAlias, TypedDict
elif sys.version_info >= (3, 11):
    from typing import NotRequired, TypeAlias, TypedDict
else:  # pragma: no cover - exercised on 3.9/3.10
    try:
        from typing_extensions import NotRequired, TypeAlias, TypedDict
    except ImportError:
        from typing import TypedDict

        class NotRequired:
            """Stand-in: ``NotRequired[X]`` is ``X`` at run time."""

            def __class_getitem__(cls, item: object) -> object:
                return item

        TypeAlias = object

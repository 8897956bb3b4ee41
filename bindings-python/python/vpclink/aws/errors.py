"""The exception `apply` raises when a step fails for good."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Mapping, Optional

from ..errors import Error


class ApplyError(Error):
    """A step failed for good; the run stopped (and rolled back, unless told not to).

    ``step``: the step that failed; ``code``: AWS's error code when an error answer caused
    it (``""`` otherwise); ``error``: what went wrong; ``rolled_back``: True when
    everything the run created has been undone; ``remaining``: steps whose resources still
    exist; ``checkpoint``: the checkpoint file, if any (``apply`` again with it reports the
    same failure: delete it to start afresh). ``kind`` is ``"apply"``.
    """

    step: str
    error: str
    rolled_back: bool
    remaining: List[str]
    checkpoint: Optional[Path]

    def __init__(
        self,
        message: str,
        *,
        step: str = "",
        error: str = "",
        code: str = "",
        rolled_back: bool = False,
        remaining: Optional[List[str]] = None,
        checkpoint: Optional[Path] = None,
    ) -> None:
        super().__init__(message, kind="apply", code=code)
        self.step = step
        self.error = error
        self.rolled_back = rolled_back
        self.remaining = list(remaining or [])
        self.checkpoint = checkpoint

    def _fields(self) -> dict[str, object]:
        return {
            **super()._fields(),
            "step": self.step,
            "error": self.error,
            "rolled_back": self.rolled_back,
            "remaining": self.remaining,
            "checkpoint": self.checkpoint,
        }

    @classmethod
    def from_action(cls, action: Mapping[str, Any], *, checkpoint: Optional[Path] = None) -> "ApplyError":
        """From the executor's `failed` action."""
        step = str(action.get("step", ""))
        error = str(action.get("error", ""))
        code = str(action.get("code") or "")
        rolled_back = bool(action.get("rolled_back", False))
        remaining = [str(s) for s in action.get("remaining") or []]
        message = f"step `{step}` failed"
        if code:
            message += f" ({code})"
        message += f": {error}"
        if rolled_back:
            message += "; everything this run created was rolled back"
        elif remaining:
            message += f"; still in place: {', '.join(remaining)}"
        return cls(
            message,
            step=step,
            error=error,
            code=code,
            rolled_back=rolled_back,
            remaining=remaining,
            checkpoint=checkpoint,
        )

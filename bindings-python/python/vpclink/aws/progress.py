"""Progress for people: one line per wave, and a line for a failure and for the rollback.

`apply` hands every executor event to `on_event`; without a callback, and when stderr is a
terminal, it prints these lines there instead.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Optional, TextIO

Event = Dict[str, Any]
EventCallback = Callable[[Event], None]


def _seconds(ms: Any) -> str:
    return f"{(ms if isinstance(ms, (int, float)) else 0) / 1000:.1f} s"


def line(event: Mapping[str, Any], waves: int) -> Optional[str]:
    """The progress line for `event`, or None for events that get no line of their own."""
    kind = event.get("type")
    if kind == "wave_done":
        wave = int(event.get("wave", 0)) + 1
        steps = event.get("steps", 0)
        noun = "step" if steps == 1 else "steps"
        return f"vpclink: wave {wave}/{waves} done: {steps} {noun} in {_seconds(event.get('elapsed_ms'))}"
    if kind == "step_failed":
        code = event.get("code")
        suffix = f" ({code})" if code else ""
        return f"vpclink: {event.get('step')} failed{suffix}: {event.get('error')}"
    if kind == "rollback_started":
        steps = event.get("steps") or []
        return f"vpclink: rolling back {len(steps)} step{'' if len(steps) == 1 else 's'}"
    if kind == "undo_failed":
        return f"vpclink: could not undo {event.get('step')}: {event.get('error')}"
    return None


class LinePrinter:
    """Writes the progress lines to a stream (stderr on a terminal)."""

    def __init__(self, stream: TextIO, waves: int) -> None:
        self._stream = stream
        self._waves = waves

    def __call__(self, event: Event) -> None:
        text = line(event, self._waves)
        if text is not None:
            print(text, file=self._stream, flush=True)

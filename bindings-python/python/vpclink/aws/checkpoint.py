"""The checkpoint file: written atomically, so a crash leaves the old one or the new one.

The executor's checkpoint is its whole state as JSON (core/src/exec/checkpoint.rs). It is
stored after every poll, before the calls it returned are made, and after every answer, so a
restarted run knows every request that may have gone out.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Optional, Union

from .redact import Redactor

PathLike = Union[str, "os.PathLike[str]"]


class CheckpointFile:
    def __init__(self, path: PathLike, redactor: Redactor) -> None:
        self.path = Path(path)
        self._redactor = redactor
        self._last: Optional[str] = None

    def read(self) -> Optional[str]:
        """The stored checkpoint, or None when there is none yet."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        self._last = text
        return text

    def write(self, text: str) -> None:
        """Replaces the file with `text`: a temporary file in the same directory, flushed to
        disk, then renamed over the old one (atomic on POSIX and Windows)."""
        text = self._redactor.exact(text)
        if text == self._last:
            return
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        self._last = text
        _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    """Makes the rename itself durable where the platform allows it."""
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

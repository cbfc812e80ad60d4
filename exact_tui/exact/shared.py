"""State every process of one profile shares about Exact's limits: one small JSON file beside the tokens.

Exact's limits are per company and app, not per process: the console and an `exact-tui run` from
cron spend the same 60 calls a minute and the same hourly error cap. So the pacer's record of calls
sent and the breaker's record of failing calls live in `ratelimit.json` next to `tokens.json`,
read and written under an exclusive `flock` held for a few microseconds per call.

The file is a cache of facts that age out within an hour; it is not precious. A file that cannot be
parsed (a crash mid-write) is treated as empty, and a folder that cannot be written falls back to
this process's memory, so pacing never blocks work, it only gets less informed.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

LIMITS_FILE = "ratelimit.json"


class SharedLimits:
    """`ratelimit.json` of one profile (or an in-memory stand-in when `path` is None)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._memory: dict[str, Any] = {}

    @classmethod
    def beside(cls, token_file: str | os.PathLike[str]) -> "SharedLimits":
        """The limits file in the folder of the profile's token file."""
        return cls(Path(token_file).with_name(LIMITS_FILE))

    def __repr__(self) -> str:
        return f"SharedLimits({str(self.path) if self.path else 'memory'!r})"

    @contextlib.contextmanager
    def edit(self) -> Iterator[dict[str, Any]]:
        """Yield the state to read and change; it is written back when the block ends without error."""
        if self.path is None:
            yield self._memory
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            yield self._memory  # read-only or missing folder: pace on what this process knows
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with os.fdopen(os.dup(fd), "r+b") as handle:
                raw = handle.read()
                try:
                    state = json.loads(raw) if raw else {}
                except ValueError:
                    state = {}
                if not isinstance(state, dict):
                    state = {}
                before = raw
                yield state
                data = json.dumps(state, separators=(",", ":")).encode()
                if data != before:
                    handle.seek(0)
                    handle.write(data)
                    handle.truncate()
                    handle.flush()
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

"""One scaled clock for everything time-based in the sandbox.

Tokens (600 s), authorization codes (~3 min), refresh-token expiry (30 days), the too-early-refresh
rule (570 s), rate-limit windows (minute/day) and the hourly error cap all read this clock, so a test
or a trainer can live through a token lifetime or an hour of blocking in a fraction of a second
(`time_scale`) or jump straight to a moment (`advance`). A client under test may be handed the same
clock so both sides agree on "now".
"""
from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time as _time


class ScaledClock:
    """Epoch seconds that run `scale` times faster than the wall clock, plus manual jumps."""

    def __init__(self, scale: float = 1.0, start: float | None = None) -> None:
        if scale <= 0:
            raise ValueError("time scale must be positive")
        self.scale = float(scale)
        self._lock = threading.Lock()
        self._origin = _time.time() if start is None else float(start)
        self._mono0 = _time.monotonic()
        self._offset = 0.0

    def time(self) -> float:
        """Scaled 'now' in epoch seconds (UTC)."""
        return self._origin + (_time.monotonic() - self._mono0) * self.scale + self._offset

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.time(), dt.timezone.utc)

    def advance(self, seconds: float) -> float:
        """Jump the clock forward (or back) by `seconds` of sandbox time; returns the new time."""
        with self._lock:
            self._offset += float(seconds)
        return self.time()

    def real_seconds(self, seconds: float) -> float:
        """How long `seconds` of sandbox time take on the wall clock."""
        return max(0.0, seconds) / self.scale

    def sleep(self, seconds: float) -> None:
        _time.sleep(self.real_seconds(seconds))

    async def asleep(self, seconds: float) -> None:
        await asyncio.sleep(self.real_seconds(seconds))

    def __repr__(self) -> str:
        return f"ScaledClock(scale={self.scale}, now={self.now().isoformat(timespec='seconds')})"

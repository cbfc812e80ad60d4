"""The clock the client lives by: injected so tests can live through token lifetimes quickly.

Token lifetimes (600 s), the refresh rule (no earlier than 570 s) and the minute limit are all
about time. Tests pass the sandbox's scaled clock, so a whole hour of Exact's rules passes in a
second of wall time while the client's code runs unchanged.
"""
from __future__ import annotations

import asyncio
import time
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """What the client needs from a clock: epoch seconds and two ways to wait."""

    def time(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    async def asleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


SYSTEM_CLOCK = SystemClock()

"""Exact's call limits: 60/minute and 5,000/day per division per app, the hourly error cap, the
token-endpoint cap, and the call statistics support engineers look at. All on the scaled clock."""
from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field

from .clock import ScaledClock

DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0


@dataclass
class _Window:
    start: float = 0.0
    count: int = 0


@dataclass
class Verdict:
    allowed: bool
    headers: dict[str, str]
    exceeded: str | None = None  # "minutely" | "daily"


class RateLimiter:
    """Fixed windows on the sandbox clock: the whole clock minute (Exact's minutely window starts on a
    whole minute) and the UTC day."""

    def __init__(self, clock: ScaledClock, minute_limit: int = 60, day_limit: int = 5000) -> None:
        self.clock = clock
        self.minute_limit = minute_limit
        self.day_limit = day_limit
        self.minutes: dict[tuple, _Window] = {}
        self.days: dict[tuple, _Window] = {}

    def reset(self) -> None:
        self.minutes.clear()
        self.days.clear()

    def _windows(self, key: tuple, now: float) -> tuple[_Window, _Window]:
        minute_start = math.floor(now / MINUTE) * MINUTE  # Exact's minute runs from :00 to :59, not from the first call
        minute = self.minutes.setdefault(key, _Window(minute_start, 0))
        if minute.start != minute_start:
            minute.start, minute.count = minute_start, 0
        day_start = math.floor(now / DAY) * DAY
        day = self.days.setdefault(key, _Window(day_start, 0))
        if day.start != day_start:
            day.start, day.count = day_start, 0
        return minute, day

    def take(self, key: tuple) -> Verdict:
        """Count one call for `key` (app, division) unless a limit is reached."""
        now = self.clock.time()
        minute, day = self._windows(key, now)
        if day.count >= self.day_limit:
            return Verdict(False, self._daily(day, 0), "daily")
        if minute.count >= self.minute_limit:
            return Verdict(False, self._minutely(minute, 0), "minutely")
        minute.count += 1
        day.count += 1
        return Verdict(True, {**self._daily(day, self.day_limit - day.count),
                              **self._minutely(minute, self.minute_limit - minute.count)})

    def peek(self, key: tuple) -> dict[str, str]:
        """Both header sets without counting (for answers that are not counted)."""
        minute, day = self._windows(key, self.clock.time())
        return {**self._daily(day, self.day_limit - day.count),
                **self._minutely(minute, self.minute_limit - minute.count)}

    def peek_daily(self, key: tuple) -> dict[str, str]:
        """The daily set alone, uncounted: a 429 carries one of the two sets (facts §2)."""
        _, day = self._windows(key, self.clock.time())
        return self._daily(day, self.day_limit - day.count)

    def _daily(self, day: _Window, remaining: int) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(self.day_limit), "X-RateLimit-Remaining": str(max(0, remaining)),
                "X-RateLimit-Reset": str(int((day.start + DAY) * 1000))}

    def _minutely(self, minute: _Window, remaining: int) -> dict[str, str]:
        return {"X-RateLimit-Minutely-Limit": str(self.minute_limit),
                "X-RateLimit-Minutely-Remaining": str(max(0, remaining)),
                "X-RateLimit-Minutely-Reset": str(int((minute.start + MINUTE) * 1000))}


FAILING = {400, 401, 403, 404}


@dataclass
class _Failures:
    times: deque = field(default_factory=deque)
    blocked_until: float = 0.0
    blocks_today: int = 0
    last_block_day: float = 0.0


class ErrorCap:
    """More than `limit` failing calls (400/401/403/404) per app/user/division/endpoint in an hour
    blocks that key for an hour, doubling for each further block the same day when escalating."""

    def __init__(self, clock: ScaledClock, limit: int = 10, escalates: bool = True) -> None:
        self.clock = clock
        self.limit = limit
        self.escalates = escalates
        self.keys: dict[tuple, _Failures] = {}

    def reset(self) -> None:
        self.keys.clear()

    def blocked(self, key: tuple) -> tuple[float, int] | None:
        """(until, failures counted) when `key` is blocked now."""
        entry = self.keys.get(key)
        if entry and entry.blocked_until > self.clock.time():
            return entry.blocked_until, len(entry.times)
        return None

    def record(self, key: tuple, status: int) -> None:
        if status not in FAILING:
            return
        now = self.clock.time()
        entry = self.keys.setdefault(key, _Failures())
        entry.times.append(now)
        while entry.times and entry.times[0] <= now - HOUR:
            entry.times.popleft()
        if len(entry.times) > self.limit:
            day = math.floor(now / DAY)
            if day != entry.last_block_day:
                entry.blocks_today, entry.last_block_day = 0, day
            factor = 2 ** entry.blocks_today if self.escalates else 1
            entry.blocks_today += 1
            entry.blocked_until = now + HOUR * factor


class TokenCalls:
    """The token endpoint's cap: calls per user per app per (sandbox) day."""

    def __init__(self, clock: ScaledClock) -> None:
        self.clock = clock
        self.counts: Counter = Counter()

    def take(self, client_id: str, username: str, limit: int) -> bool:
        key = (client_id, username, math.floor(self.clock.time() / DAY))
        if self.counts[key] >= limit:
            return False
        self.counts[key] += 1
        return True

    def reset(self) -> None:
        self.counts.clear()


class Stats:
    """Calls per endpoint and status, for `GET /sandbox/stats` and the CLI's summary."""

    def __init__(self) -> None:
        self.calls: Counter = Counter()
        self.statuses: Counter = Counter()
        self.faults: Counter = Counter()
        self.blocked: Counter = Counter()  # calls refused by the error cap, per endpoint
        self.in_flight = 0  # /api/v1 calls being answered now
        self.parallel = 0  # calls that arrived while another was being answered
        self.max_in_flight = 0

    def record(self, method: str, endpoint: str, status: int) -> None:
        self.calls[f"{method} {endpoint}"] += 1
        self.statuses[f"{endpoint} {status}"] += 1

    def reset(self) -> None:
        self.calls.clear()
        self.statuses.clear()
        self.faults.clear()
        self.blocked.clear()
        self.parallel = 0
        self.max_in_flight = self.in_flight

    def as_dict(self) -> dict:
        return {"calls": dict(self.calls.most_common()), "statuses": dict(self.statuses.most_common()),
                "faults": dict(self.faults), "error_cap_blocked": dict(self.blocked), "total": sum(self.calls.values()), "parallel": self.parallel,
                "max_in_flight": self.max_in_flight}

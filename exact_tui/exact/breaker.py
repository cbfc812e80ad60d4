"""A per-endpoint breaker that stops us before Exact's hourly error cap blocks the whole app.

Exact counts failing calls (400, 401, 403, 404) per app, user, division and endpoint; more than 10
within an hour blocks the app for the hour, and the block escalates. A loop that retries a
request failing the same way, or a reconcile that probes deleted keys one by one, would walk
straight into it. The breaker keeps the same count Exact keeps, keyed the way Exact keys it:

* per endpoint = the resource path, whatever the method (a failing GET and a failing PUT on
  `crm/Accounts` add up), without the record key or query;
* per division (a failure in one company does not count against another);
* shared by every process of the profile (`SharedLimits`): the console and a `run` together.

It refuses further calls to an endpoint once it reaches `threshold` failures in the window,
leaving headroom below Exact's 10, and opens again as the oldest failure ages out. When Exact
blocks an endpoint anyway (its 429 after failures we counted, `block`), every process stops
calling it for the hour.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .clock import Clock
from .errors import EndpointBlocked
from .shared import SharedLimits

COUNTED_STATUSES = frozenset({400, 401, 403, 404})
EXACT_CAP = 10
_KEY = re.compile(r"\(guid'[^']*'\)|\([^)]*\)")


def endpoint_key(method: str, path: str) -> str:
    """'/api/v1/301/salesentry/SalesEntries': Exact's notion of an endpoint (method, keys and query removed).

    `method` is accepted for the callers' convenience and deliberately ignored: Exact counts a
    failing GET and a failing POST on one entity against the same cap.
    """
    path = path.split("?", 1)[0]
    path = _KEY.sub("", path)
    return path.rstrip("/")


def endpoint_label(key: str) -> str:
    """'salesentry/salesentries (division 301)' for messages."""
    match = re.match(r"^/api/v1/(\d+)/(.+)$", key)
    return f"{match.group(2)} (division {match.group(1)})" if match else key


@dataclass(slots=True)
class _Failure:
    at: float
    status: int
    message: str


class ErrorBreaker:
    def __init__(self, clock: Clock, *, threshold: int = 8, window: float = 3600.0,
                 limits: SharedLimits | None = None) -> None:
        self.clock = clock
        self.threshold = threshold
        self.window = window
        self.limits = limits or SharedLimits(None)

    def _failures(self, state: dict, key: str, now: float) -> list[_Failure]:
        raw = state.setdefault("errors", {}).get(key) or []
        kept = [_Failure(float(f[0]), int(f[1]), str(f[2])) for f in raw
                if isinstance(f, list) and len(f) == 3 and float(f[0]) > now - self.window]
        if kept:
            state["errors"][key] = [[f.at, f.status, f.message] for f in kept]
        else:
            state["errors"].pop(key, None)
        return kept

    def failures(self, key: str) -> int:
        with self.limits.edit() as state:
            return len(self._failures(state, key, self.clock.time()))

    def check(self, key: str) -> None:
        """Raise `EndpointBlocked` when `key` has failed `threshold` times within the window or Exact blocked it."""
        with self.limits.edit() as state:
            now = self.clock.time()
            failures = self._failures(state, key, now)
            blocks = state.setdefault("blocked", {})
            until = blocks.get(key)
            if until is not None and float(until) <= now:
                blocks.pop(key, None)
                until = None
        label = endpoint_label(key)
        if until is not None:
            reopen = dt.datetime.fromtimestamp(float(until), tz=dt.timezone.utc)
            raise EndpointBlocked(
                f"Exact blocked this app on {label} after repeated failing calls (its hourly error cap); "
                f"fix the cause; calls resume at {reopen:%H:%M:%S} UTC at the earliest",
                reset_at=reopen, endpoint=key, last_error=failures[-1].message if failures else "")
        if len(failures) >= self.threshold:
            reopen = dt.datetime.fromtimestamp(failures[0].at + self.window, tz=dt.timezone.utc)
            last = failures[-1]
            raise EndpointBlocked(
                f"stopped calling {label}: it failed {len(failures)} times in the last hour "
                f"(last: HTTP {last.status} {last.message[:120]}); Exact blocks the app after {EXACT_CAP}. "
                f"Fix the cause; calls resume at {reopen:%H:%M:%S} UTC",
                reset_at=reopen,
                endpoint=key,
                last_error=last.message,
            )

    def record(self, key: str, status: int, message: str) -> None:
        if status not in COUNTED_STATUSES:
            return
        with self.limits.edit() as state:
            now = self.clock.time()
            failures = self._failures(state, key, now)
            failures.append(_Failure(now, status, message[:200]))
            state["errors"][key] = [[f.at, f.status, f.message] for f in failures]

    def block(self, key: str, seconds: float | None = None) -> None:
        """Exact itself blocked `key`: stop every process calling it (an hour unless told otherwise)."""
        with self.limits.edit() as state:
            state.setdefault("blocked", {})[key] = self.clock.time() + (seconds or self.window)

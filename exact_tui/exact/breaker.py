"""A per-endpoint breaker that stops us before Exact's hourly error cap blocks the whole app.

Exact counts failing calls (400, 401, 403, 404) per app, user, division and endpoint; more than 10
within an hour blocks the app for the hour, and the block escalates. A loop that retries a
request failing the same way, or a reconcile that probes deleted keys one by one, would walk
straight into it. The breaker keeps its own count (on the client's clock) and refuses further
calls to an endpoint once it reaches `threshold` failures in the window, leaving headroom for
other processes on the same connection. It opens again as the oldest failure ages out.
"""
from __future__ import annotations

import collections
import datetime as dt
import re
from dataclasses import dataclass

from .clock import Clock
from .errors import EndpointBlocked

COUNTED_STATUSES = frozenset({400, 401, 403, 404})
_KEY = re.compile(r"\(guid'[^']*'\)|\([^)]*\)")


def endpoint_key(method: str, path: str) -> str:
    """'POST /api/v1/{division}/salesentry/SalesEntries' — keys and query removed: Exact's notion of endpoint."""
    path = path.split("?", 1)[0]
    path = _KEY.sub("", path)
    path = re.sub(r"/api/v1/\d+/", "/api/v1/{division}/", path)
    return f"{method.upper()} {path}"


@dataclass(slots=True)
class _Failure:
    at: float
    status: int
    message: str


class ErrorBreaker:
    def __init__(self, clock: Clock, *, threshold: int = 8, window: float = 3600.0) -> None:
        self.clock = clock
        self.threshold = threshold
        self.window = window
        self._failures: dict[str, collections.deque[_Failure]] = collections.defaultdict(collections.deque)

    def _prune(self, key: str, now: float) -> collections.deque[_Failure]:
        failures = self._failures[key]
        while failures and failures[0].at <= now - self.window:
            failures.popleft()
        return failures

    def failures(self, key: str) -> int:
        return len(self._prune(key, self.clock.time()))

    def check(self, key: str) -> None:
        """Raise `EndpointBlocked` when `key` has failed `threshold` times within the window."""
        now = self.clock.time()
        failures = self._prune(key, now)
        if len(failures) >= self.threshold:
            reopen = failures[0].at + self.window
            last = failures[-1]
            raise EndpointBlocked(
                f"stopped calling {key}: it failed {len(failures)} times in the last hour "
                f"(last: HTTP {last.status} {last.message[:120]}); Exact blocks the app after 10. "
                f"Fix the cause; calls resume at {dt.datetime.fromtimestamp(reopen, tz=dt.timezone.utc):%H:%M:%S} UTC",
                reset_at=dt.datetime.fromtimestamp(reopen, tz=dt.timezone.utc),
                endpoint=key,
                last_error=last.message,
            )

    def record(self, key: str, status: int, message: str) -> None:
        if status in COUNTED_STATUSES:
            self._failures[key].append(_Failure(self.clock.time(), status, message))

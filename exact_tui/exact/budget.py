"""Exact's call budget as the answers report it, and the pacing that keeps a run clear of 429s.

Exact allows 60 calls per minute and 5,000 per day per division per app and says where we stand in
`X-RateLimit-*` headers on every answer. The client reads them into one `RateBudget`, which the
UI shows ("42 calls left this minute, 4,810 today") and which decides how long to wait before the
next call: nothing while plenty is left, the remaining calls spread over the rest of the minute
when it runs low, the reset when it is used up. A daily limit is never waited out silently.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None


def _reset(value: str | None) -> float | None:
    """Reset headers are epoch milliseconds; accept seconds too (anything below year ~2286 in s)."""
    number = _int(value)
    if number is None:
        return None
    return number / 1000.0 if number > 10_000_000_000 else float(number)


@dataclass(frozen=True, slots=True)
class RateBudget:
    """What Exact last said about our calls. Times are epoch seconds on the client's clock."""

    minute_limit: int | None = None
    minute_remaining: int | None = None
    minute_reset: float | None = None
    day_limit: int | None = None
    day_remaining: int | None = None
    day_reset: float | None = None
    updated_at: float | None = None

    @property
    def known(self) -> bool:
        return self.updated_at is not None

    def with_headers(self, headers: Mapping[str, str], now: float) -> "RateBudget":
        """A new budget from an answer's headers; a set missing from the answer (429s carry only one) is kept."""
        changes: dict[str, object] = {}
        if "X-RateLimit-Minutely-Remaining" in headers or "x-ratelimit-minutely-remaining" in headers:
            changes.update(
                minute_limit=_int(headers.get("X-RateLimit-Minutely-Limit")),
                minute_remaining=_int(headers.get("X-RateLimit-Minutely-Remaining")),
                minute_reset=_reset(headers.get("X-RateLimit-Minutely-Reset")),
            )
        if "X-RateLimit-Remaining" in headers or "x-ratelimit-remaining" in headers:
            changes.update(
                day_limit=_int(headers.get("X-RateLimit-Limit")),
                day_remaining=_int(headers.get("X-RateLimit-Remaining")),
                day_reset=_reset(headers.get("X-RateLimit-Reset")),
            )
        if not changes:
            return self
        return replace(self, updated_at=now, **changes)  # type: ignore[arg-type]

    def minute_left(self, now: float) -> int | None:
        """Calls left this minute; None when unknown or the window has already reset."""
        if self.minute_remaining is None or self.minute_reset is None or now >= self.minute_reset:
            return None
        return self.minute_remaining

    def day_exhausted(self, now: float) -> bool:
        return self.day_remaining is not None and self.day_remaining <= 0 and \
            self.day_reset is not None and now < self.day_reset

    def pace_delay(self, now: float, *, spread_below: int = 5, margin: float = 0.25) -> float:
        """Seconds to wait before the next call so that it does not meet a 429.

        Exhausted minute: until its reset (+ a small margin for clock skew). Running low (at most
        `spread_below` left): the rest of the minute divided over the calls left, so a burst does not
        hit the wall and a parallel user of the same quota still gets through. Otherwise 0.
        """
        left = self.minute_left(now)
        if left is None or self.minute_reset is None:
            return 0.0
        until_reset = self.minute_reset - now
        if left <= 0:
            return until_reset + margin
        if left <= spread_below:
            return until_reset / (left + 1)
        return 0.0

    def describe(self, now: float) -> str:
        """'42/60 this minute (reset in 18 s) · 4,810/5,000 today' for headers and logs."""
        parts = []
        left = self.minute_left(now)
        if self.minute_limit is not None:
            shown = self.minute_limit if left is None else left
            reset = f" (reset in {max(0.0, (self.minute_reset or now) - now):.0f} s)" if left is not None else ""
            parts.append(f"{shown}/{self.minute_limit} this minute{reset}")
        if self.day_limit is not None and self.day_remaining is not None:
            parts.append(f"{self.day_remaining:,}/{self.day_limit:,} today")
        return " · ".join(parts) or "budget not known yet"

    @staticmethod
    def at(epoch: float | None) -> dt.datetime | None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc) if epoch is not None else None

"""Exact's call budget as the answers report it, and the pacing that keeps a run clear of 429s.

Exact allows 60 calls per minute and 5,000 per day per division per app and says where we stand in
`X-RateLimit-*` headers on every answer. The client reads them into one `RateBudget`, which the
UI shows ("42 calls left this minute, 4,810 today") and which the shared pacer (`pacer.py`) reads
to decide how long the next call waits. A daily limit is never waited out silently.

Exact's reset headers are moments on Exact's clock, and the client's clock may be off by minutes
(a VM without NTP, a laptop after sleep). Read naively, a client 90 s ahead thinks every window
has already reset and walks into 429s; one 90 s behind waits 150 s for a minute that ends in 60.
So every answer's `Date` header gives the offset between the two clocks, and the resets are kept
converted to the client's clock: everything that compares them with "now" stays right.
"""
from __future__ import annotations

import datetime as dt
import email.utils
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


def server_clock_offset(headers: Mapping[str, str], now: float) -> float | None:
    """Exact's clock minus ours, from the answer's `Date` header, or None without a readable one.

    `Date` has whole seconds and was stamped before the answer reached us, so Exact's "now" at
    receipt lies in [Date, Date + 1 s + latency): the value returned is the LOWEST possible offset.
    A reset converted with it is never earlier on our clock than Exact's real reset (at most about
    a second late), which is the safe side: late costs a second, early costs a 429.
    """
    raw = headers.get("Date") or headers.get("date")
    if not raw:
        return None
    try:
        stamp = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if stamp is None:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.timestamp() - now


@dataclass(frozen=True, slots=True)
class RateBudget:
    """What Exact last said about our calls. Times are epoch seconds on the client's clock.

    `clock_offset` is Exact's clock minus ours (seconds) as the `Date` headers show it; the reset
    times have already been converted with it.
    """

    minute_limit: int | None = None
    minute_remaining: int | None = None
    minute_reset: float | None = None
    day_limit: int | None = None
    day_remaining: int | None = None
    day_reset: float | None = None
    updated_at: float | None = None
    clock_offset: float | None = None

    @property
    def known(self) -> bool:
        return self.updated_at is not None

    def with_headers(self, headers: Mapping[str, str], now: float) -> "RateBudget":
        """A new budget from an answer's headers; a set missing from the answer (429s carry only one) is kept.

        `now` is the client's clock when the answer arrived; reset times are converted from
        Exact's clock to ours with the offset the `Date` header shows.
        """
        offset = self._offset(server_clock_offset(headers, now))

        def local(value: str | None) -> float | None:
            reset = _reset(value)
            return None if reset is None else reset - (offset or 0.0)

        changes: dict[str, object] = {}
        if "X-RateLimit-Minutely-Remaining" in headers or "x-ratelimit-minutely-remaining" in headers:
            changes.update(
                minute_limit=_int(headers.get("X-RateLimit-Minutely-Limit")),
                minute_remaining=_int(headers.get("X-RateLimit-Minutely-Remaining")),
                minute_reset=local(headers.get("X-RateLimit-Minutely-Reset")),
            )
        if "X-RateLimit-Remaining" in headers or "x-ratelimit-remaining" in headers:
            changes.update(
                day_limit=_int(headers.get("X-RateLimit-Limit")),
                day_remaining=_int(headers.get("X-RateLimit-Remaining")),
                day_reset=local(headers.get("X-RateLimit-Reset")),
            )
        if not changes:
            return self if offset == self.clock_offset else replace(self, clock_offset=offset)
        return replace(self, updated_at=now, clock_offset=offset, **changes)  # type: ignore[arg-type]

    def _offset(self, measured: float | None) -> float | None:
        """The tightest lower bound of the offset: the highest of this answer's and the last one's,
        unless the two differ by more than the `Date` header's second (a clock was changed)."""
        if measured is None:
            return self.clock_offset
        if self.clock_offset is not None and abs(measured - self.clock_offset) < 2.0:
            return max(measured, self.clock_offset)
        return measured

    def minute_left(self, now: float) -> int | None:
        """Calls left this minute; None when unknown or the window has already reset."""
        if self.minute_remaining is None or self.minute_reset is None or now >= self.minute_reset:
            return None
        return self.minute_remaining

    def day_exhausted(self, now: float) -> bool:
        return self.day_remaining is not None and self.day_remaining <= 0 and \
            self.day_reset is not None and now < self.day_reset

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

    def clock_note(self, tolerance: float = 5.0) -> str | None:
        """'this computer's clock is 90 s ahead of Exact's' when the two differ noticeably, else None."""
        if self.clock_offset is None or abs(self.clock_offset) < tolerance:
            return None
        side = "behind" if self.clock_offset > 0 else "ahead of"
        return f"this computer's clock is {abs(self.clock_offset):.0f} s {side} Exact's (limits are read on Exact's clock)"

    @staticmethod
    def at(epoch: float | None) -> dt.datetime | None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc) if epoch is not None else None

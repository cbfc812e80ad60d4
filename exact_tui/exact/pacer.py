"""Pacing shared by every process of a profile, so that together they never meet a 429.

Two sources decide when the next call may leave, both kept in `ratelimit.json` (`SharedLimits`):

* the calls every process of the profile SENT, one timestamp each: never more than the minute
  limit within a window of 60 s plus a margin. This alone keeps a console and a `run` side by side
  under 60 a minute, and it is on one clock (ours), so a skewed clock cannot fool it;
* what Exact last SAID (`X-RateLimit-*`, resets already converted to our clock by `RateBudget`),
  minus the calls sent since the answer that said it: covers calls made before the file existed
  or by an older copy of the program, and the daily limit.

A daily limit that is used up raises `RateLimited` at once (never waited out); a minute that is
used up is waited out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .budget import RateBudget
from .clock import Clock
from .errors import RateLimited
from .shared import SharedLimits

DEFAULT_MINUTE_LIMIT = 60
WINDOW = 60.0
MARGIN = 1.0  # Exact's window starts when our first call ARRIVES; latency and jitter sit inside this


@dataclass(frozen=True, slots=True)
class Reservation:
    """A call that may leave now (`delay` 0) or the seconds to wait before asking again."""

    delay: float
    sent_at: float | None = None
    number: int = 0


class SharedPacer:
    """One per client; all clients on the same file pace together. `scope` is the division."""

    def __init__(self, limits: SharedLimits, clock: Clock, *, margin: float = MARGIN) -> None:
        self.limits = limits
        self.clock = clock
        self.margin = margin

    @staticmethod
    def _scope(state: dict[str, Any], scope: str) -> dict[str, Any]:
        pace = state.setdefault("pace", {})
        entry = pace.setdefault(scope, {})
        if not isinstance(entry.get("sent"), list):
            entry["sent"] = []
        entry["sent"] = [s for s in entry["sent"] if isinstance(s, list) and len(s) == 2]
        return entry

    def reserve(self, scope: str) -> Reservation:
        """Claim a slot for one call now, or say how long to wait. Raises `RateLimited` for the day."""
        with self.limits.edit() as state:
            entry = self._scope(state, scope)
            now = self.clock.time()
            window = WINDOW + self.margin
            # [time, sequence number]: the number orders calls even when two share a timestamp
            sent = sorted(([float(t), int(n)] for t, n in entry["sent"] if now - window < float(t) <= now + window),
                          key=lambda s: s[0])
            said = entry.get("said") or {}
            limit = int(said.get("minute_limit") or DEFAULT_MINUTE_LIMIT)
            delay = 0.0
            seen = int(said.get("seq") or 0)
            after = sum(1 for _, n in sent if n > seen)  # calls Exact's last answer did not count yet
            day_reset = said.get("day_reset")
            if said.get("day_remaining") is not None and day_reset is not None and now < float(day_reset):
                if int(said["day_remaining"]) - after <= 0:
                    raise RateLimited(
                        f"Exact's daily limit of {said.get('day_limit') or 5000} calls is used up for this division; "
                        "calls are possible again after the reset",
                        scope="day", reset_at=RateBudget.at(float(day_reset)))
            minute_reset = said.get("minute_reset")
            if said.get("minute_remaining") is not None and minute_reset is not None and now < float(minute_reset):
                if int(said["minute_remaining"]) - after <= 0:
                    delay = max(delay, float(minute_reset) + self.margin / 4 - now)
            if len(sent) >= limit:
                delay = max(delay, sent[len(sent) - limit][0] + window - now)
            if delay > 0:
                entry["sent"] = sent
                return Reservation(delay)
            number = int(entry.get("seq") or 0) + 1
            entry["seq"] = number
            sent.append([now, number])
            entry["sent"] = sent
            return Reservation(0.0, now, number)

    def release(self, scope: str, slot: "Reservation") -> None:
        """A reserved call that never left (the token could not be had): give the slot back."""
        with self.limits.edit() as state:
            entry = self._scope(state, scope)
            entry["sent"] = [s for s in entry["sent"] if int(s[1]) != slot.number]

    def heard(self, scope: str, budget: RateBudget, slot: "Reservation") -> None:
        """Remember what Exact said in the answer to the call of `slot` (unless a later call's answer did)."""
        if not budget.known:
            return
        with self.limits.edit() as state:
            entry = self._scope(state, scope)
            said = entry.get("said") or {}
            if int(said.get("seq") or 0) > slot.number:
                return
            entry["said"] = {
                "seq": slot.number, "minute_limit": budget.minute_limit, "minute_remaining": budget.minute_remaining,
                "minute_reset": budget.minute_reset, "day_limit": budget.day_limit,
                "day_remaining": budget.day_remaining, "day_reset": budget.day_reset,
            }

    def sent_last_minute(self, scope: str) -> int:
        """Calls every process of the profile sent in the last minute (for status lines and tests)."""
        with self.limits.edit() as state:
            now = self.clock.time()
            return sum(1 for t, _ in self._scope(state, scope)["sent"] if now - WINDOW < float(t) <= now)

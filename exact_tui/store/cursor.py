"""Where the next `sync/` pull continues: one `state` row beside a cache, shared by every pull.

Exact's `sync/` endpoints return rows changed after a Timestamp; each cache (accounts, payment
terms, items) keeps the highest one seen plus when it last ran, in a row named `state` of its own
table. One implementation of reading that row, so the three caches cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from .atomic import KeyedTable


class SyncCursor:
    """Mixed into a cache that sets `self._state` to its state table."""

    _state: KeyedTable

    @property
    def state(self) -> dict[str, Any]:
        return dict(self._state.rows().get("state") or {})

    @property
    def timestamp(self) -> int | None:
        """The highest `sync/` Timestamp seen: the next pull asks for rows after it."""
        return self.state.get("timestamp")

    def moment(self, key: str) -> dt.datetime | None:
        """A time kept in the state row as ISO text (`last_run`, `pulled_at`)."""
        value = self.state.get(key)
        return dt.datetime.fromisoformat(value) if value else None

    def write_state(self, state: dict[str, Any]) -> None:
        self._state.replace_all({"state": state})


class Scheduled(SyncCursor):
    """A flow `exact-tui run` starts every `interval_hours` (kept in the same state row); 0 = off
    where the flow may be switched off."""

    DEFAULT_INTERVAL_HOURS = 24.0
    CAN_BE_OFF = True
    WHAT = "check"

    @property
    def interval_hours(self) -> float:
        value = self.state.get("interval_hours")
        return float(self.DEFAULT_INTERVAL_HOURS if value is None else value)

    def set_interval(self, hours: float) -> None:
        fits = (0 <= hours if self.CAN_BE_OFF else 0 < hours) and hours <= 24 * 7
        if not fits:
            raise ValueError(f"the {self.WHAT} interval must be "
                             + ("0 (off) to 168 hours" if self.CAN_BE_OFF else "more than 0 and at most 168 hours"))
        self.write_state({**self.state, "interval_hours": hours})

    @property
    def last_run(self) -> dt.datetime | None:
        return self.moment("last_run")

    def due(self, now: dt.datetime) -> bool:
        if self.interval_hours <= 0:
            return False
        last = self.last_run
        return last is None or now - last >= dt.timedelta(hours=self.interval_hours)

    def ran(self, now: dt.datetime) -> None:
        self.write_state({**self.state, "last_run": now.isoformat()})


class CustomerSchedule(Scheduled):
    """When the customers were last synced by `run` and how often (the accounts' cursor is the cache's)."""

    WHAT = "customer sync"

    def __init__(self, table: KeyedTable) -> None:
        self._state = table

    def advance(self, now: dt.datetime, timestamp: int | None) -> None:
        """A sync ran: accounts up to `timestamp` (an account's sync Timestamp) have been looked at."""
        state = {**self.state, "last_run": now.isoformat()}
        if timestamp is not None:
            state["timestamp"] = max(timestamp, state.get("timestamp") or 0)
        self.write_state(state)


class ItemSync(Scheduled):
    """The items' cursor (`sync/Logistics/Items` and `sync/Deleted` type 9), beside the product numbers."""

    WHAT = "item sync"

    def __init__(self, table: KeyedTable) -> None:
        self._state = table

    @property
    def deleted_timestamp(self) -> int | None:
        return self.state.get("deleted_timestamp")

    @property
    def division(self) -> int | None:
        return self.state.get("division")

    def advance(self, *, division: int | None, timestamp: int | None, deleted_timestamp: int | None) -> None:
        """Remember where the next pull continues (never backwards within a division)."""
        state = self.state if self.division in (None, division) else \
            {k: v for k, v in self.state.items() if k in ("interval_hours", "last_run")}
        for key, value in (("timestamp", timestamp), ("deleted_timestamp", deleted_timestamp)):
            if value is not None:
                state[key] = max(value, state.get(key) or 0)
        state["division"] = division
        state["pulled_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.write_state(state)


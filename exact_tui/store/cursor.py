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


class ItemSync(SyncCursor):
    """The items' cursor (`sync/Logistics/Items` and `sync/Deleted` type 9), beside the product numbers."""

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
        state = self.state if self.division in (None, division) else {}
        for key, value in (("timestamp", timestamp), ("deleted_timestamp", deleted_timestamp)):
            if value is not None:
                state[key] = max(value, state.get(key) or 0)
        state["division"] = division
        state["pulled_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.write_state(state)

    def reset(self) -> None:
        self.write_state({})

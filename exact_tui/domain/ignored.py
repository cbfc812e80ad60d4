"""Exact accounts the user chose to leave out of linking (suppliers kept as customers, old records)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(slots=True)
class IgnoredAccount:
    exact_id: str
    name: str = ""
    code: str = ""
    ignored_by: str = ""
    ignored_at: dt.datetime | None = None
    reason: str = ""

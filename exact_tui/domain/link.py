"""The link table: which local customer is which Exact account, and who decided it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class DataSource(StrEnum):
    """Which side's fields won when the link was made."""

    EXACT = "exact"  # local fields overwritten by Exact's (empty Exact fields never overwrite)
    LOCAL = "local"  # Exact account updated from local fields (empty local fields not sent)
    NONE = "none"  # linked without copying data
    IMPORTED = "imported"  # Exact account imported as a new local customer


class MaintenanceMode(StrEnum):
    """How customers reach Exact."""

    MANUAL = "manual"  # every customer linked by hand
    AUTO_CREATE = "auto_create"  # created + linked when its first invoice is transferred (default)
    CREATED_IN_EXACT = "created_in_exact"  # created in Exact, brought in through Link customers


@dataclass(slots=True)
class Link:
    local_id: str
    exact_id: str  # the Exact account GUID
    exact_code: str = ""  # stripped Code at link time, to detect code drift later
    linked_by: str = ""
    linked_at: dt.datetime | None = None
    source: DataSource = DataSource.NONE

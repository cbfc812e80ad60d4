"""The transfer journal: one record per attempt to book a local invoice in Exact, and its outcome.

Kept so that nothing is booked twice: an attempt whose outcome is not known (the request went out
and no answer came back) must be checked in Exact before it is retried.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class TransferOutcome(StrEnum):
    PENDING = "pending"  # attempt started, no outcome recorded yet (a crash leaves it so)
    BOOKED = "booked"  # Exact created the sales entry / invoice
    REFUSED = "refused"  # Exact answered with a validation error: nothing was booked
    FAILED = "failed"  # failed before anything reached Exact (network down, not connected, …)
    UNKNOWN = "unknown"  # sent, but no answer: may or may not be booked; check before retrying
    SKIPPED = "skipped"  # not sent on purpose (already booked, blocked customer, …)


@dataclass(slots=True)
class TransferRecord:
    invoice_id: str
    invoice_number: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)  # the attempt's id
    kind: str = "invoice"  # InvoiceKind value
    division: int | None = None
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    finished_at: dt.datetime | None = None
    outcome: TransferOutcome = TransferOutcome.PENDING
    customer_exact_id: str = ""
    exact_entry_id: str = ""  # the sales entry / invoice GUID when booked
    exact_entry_number: str = ""
    message: str = ""  # what happened, in the console's words
    detail: str = ""  # Exact's raw text
    request_id: str = ""

    @property
    def open(self) -> bool:
        """Still needs attention before the invoice may be sent again."""
        return self.outcome in (TransferOutcome.PENDING, TransferOutcome.UNKNOWN)

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
    action: str = "post"  # post | process | customer | contact | resolve | undo
    model: str = ""  # "entries" or "invoices": which Exact document this attempt creates
    your_ref: str = ""  # the key Exact keeps verbatim and a lost answer is looked up by (= local number)
    request: str = ""  # one-line summary of what was sent ("POST salesentry/SalesEntries: 3 lines, EUR 1,210.00")
    fingerprint: str = ""  # of the invoice content this attempt sent
    cause: str = ""  # the diagnosis of Exact's answer (from `diagnose`)
    todo: str = ""  # what the user should do about it
    side: str = ""  # where it went wrong: local / exact / network

    @property
    def open(self) -> bool:
        """Still needs attention before the invoice may be sent again."""
        return self.outcome in (TransferOutcome.PENDING, TransferOutcome.UNKNOWN)


class TransferStatus(StrEnum):
    """Where one local invoice stands with Exact (what the Transfers screen and `transfers` show)."""

    PENDING = "pending"  # not transferred yet (or sent back by an undo): the next run sends it
    BLOCKED = "blocked"  # the pre-flight found something to fix first; nothing was sent
    TRANSFERRED = "transferred"  # booked in Exact: `exact_number`/`exact_id` say where
    REFUSED = "refused"  # Exact said no; its message, explained, is in `message`
    PARTIAL = "partial"  # part of the work is in Exact (a customer created, a draft not processed)
    UNKNOWN = "unknown"  # sent, no answer: looked up in Exact before anything is sent again
    IGNORED = "ignored"  # left out on purpose until un-ignored

    @property
    def done(self) -> bool:
        return self is TransferStatus.TRANSFERRED


@dataclass(slots=True)
class InvoiceTransfer:
    """The transfer state kept with one local invoice (its Exact number and id once booked).

    Derived from the journal (which is written first and fsynced): after a crash between the
    journal and this record, `TransferService.recover()` rebuilds it from the journal.
    """

    invoice_id: str
    number: str = ""
    status: TransferStatus = TransferStatus.PENDING
    model: str = ""  # entries | invoices: what the booking in Exact is
    exact_id: str = ""  # EntryID or InvoiceID
    exact_number: str = ""  # EntryNumber / InvoiceNumber Exact assigned
    customer_exact_id: str = ""
    message: str = ""  # the last thing to know, in the console's words
    todo: str = ""
    side: str = ""
    fingerprint: str = ""  # of the content transferred: a later local edit is flagged
    transferred_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    draft: bool = False  # a sales invoice left as a draft (setting), or not yet processed

"""The transfer state of local invoices: reading it, saving it, and rebuilding it from the journal.

The journal (`store.transfers`, fsynced before each POST) is the truth; the per-invoice state is
what the screen and `exact-tui transfers` read quickly. A crash between the two is repaired by
`recover()`: an invoice whose journal says booked is transferred, whatever its state said.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ...domain.invoice import Invoice
from ...domain.transfer import InvoiceTransfer, TransferOutcome, TransferRecord, TransferStatus


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class States:
    """`store.invoice_transfers` with the rules of who may overwrite what."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.repo = store.invoice_transfers

    def get(self, invoice: Invoice) -> InvoiceTransfer:
        return self.repo.get(invoice.id) or InvoiceTransfer(invoice.id, invoice.number)

    def of(self, invoice_id: str) -> InvoiceTransfer | None:
        return self.repo.get(invoice_id)

    def save(self, invoice: Invoice, status: TransferStatus, **fields: Any) -> InvoiceTransfer:
        current = self.get(invoice)
        state = dataclasses.replace(current, number=invoice.number, status=status, updated_at=now(), **fields)
        if state != current:
            self.repo.put(state)
        return state

    def save_many(self, states: list[InvoiceTransfer]) -> None:
        if states:
            self.repo.put_many(states)

    def all(self) -> dict[str, InvoiceTransfer]:
        return {t.invoice_id: t for t in self.repo.all()}


def recover(store: Any) -> list[str]:
    """Bring the states in line with the journal after a crash; returns what was repaired.

    - the latest `post` attempt BOOKED but the state is not transferred → transferred (with its numbers);
    - an attempt still PENDING (the process died waiting for Exact's answer) → UNKNOWN, state unknown:
      the next run looks it up in Exact before anything is sent again.
    """
    journal = store.transfers
    states = States(store)
    invoices = store.invoices
    fixed: list[str] = []
    changed: list[InvoiceTransfer] = []
    latest: dict[str, TransferRecord] = {}
    for record in journal.all():
        if record.action not in ("post", "process", "undo"):
            continue
        if record.outcome is TransferOutcome.PENDING:
            record = journal.finish(record, TransferOutcome.UNKNOWN,
                                    message="the console stopped before Exact's answer was recorded: looked up "
                                            "in Exact before anything is sent again")
        prior = latest.get(record.invoice_id)
        if prior is None or record.started_at >= prior.started_at:
            latest[record.invoice_id] = record
    current = states.all()
    for invoice_id, record in latest.items():
        state = current.get(invoice_id)
        invoice = invoices.get(invoice_id)
        number = invoice.number if invoice is not None else record.invoice_number
        base = state or InvoiceTransfer(invoice_id, number)
        if base.status is TransferStatus.IGNORED:
            continue
        if record.action == "undo":
            if record.outcome is TransferOutcome.BOOKED and base.status is TransferStatus.TRANSFERRED:
                changed.append(dataclasses.replace(base, status=TransferStatus.PENDING, exact_id="", exact_number="",
                                                   updated_at=now(), message=record.message))
                fixed.append(f"invoice {number}: undone in Exact per the journal")
            continue
        if record.outcome is TransferOutcome.BOOKED:
            if record.action == "post" and record.model == "invoices" and base.status in (
                    TransferStatus.PARTIAL, TransferStatus.TRANSFERRED) and base.exact_id == record.exact_entry_id:
                continue  # the draft exists; processing (or the draft setting) decides the rest
            if base.status is TransferStatus.TRANSFERRED and base.exact_id:
                continue
            draft = record.action == "post" and record.model == "invoices"
            changed.append(dataclasses.replace(
                base, status=TransferStatus.PARTIAL if draft else TransferStatus.TRANSFERRED, draft=draft,
                exact_id=record.exact_entry_id or base.exact_id,
                exact_number=record.exact_entry_number or base.exact_number,
                customer_exact_id=record.customer_exact_id or base.customer_exact_id, model=record.model,
                fingerprint=record.fingerprint or base.fingerprint, transferred_at=record.finished_at,
                updated_at=now(), message=record.message or "booked in Exact"))
            fixed.append(f"invoice {number}: booked in Exact per the journal")
        elif record.open and base.status not in (TransferStatus.UNKNOWN, TransferStatus.TRANSFERRED):
            changed.append(dataclasses.replace(base, status=TransferStatus.UNKNOWN, updated_at=now(),
                                               message="sent, answer never recorded: looked up in Exact before "
                                                       "anything is sent again"))
            fixed.append(f"invoice {number}: outcome unknown, will be looked up in Exact")
    states.save_many(changed)
    return fixed

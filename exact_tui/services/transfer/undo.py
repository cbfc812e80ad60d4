"""Undo export: delete the booking in Exact where Exact allows it; otherwise say why.

A sales entry or a draft sales invoice can be deleted; afterwards the invoice is "not transferred"
again and the next run sends it. Exact keeps a booking that is paid or matched, in a closed period,
or a processed sales invoice (and the entry it booked): then the way is a credit note, and the
invoice stays transferred.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...domain.invoice import Invoice
from ...domain.transfer import TransferOutcome, TransferRecord, TransferStatus
from ...exact.errors import ExactError, NotFound
from ..events import Side
from ..problems import explain
from .posting import StopRun, _stops
from .prepare import ENTRIES

CREDIT_NOTE = "Book a credit note for it in the invoicing system and transfer that instead."


@dataclass(slots=True)
class UndoResult:
    invoice: Invoice
    undone: bool
    message: str
    todo: str = ""


async def undo(svc: Any, invoices: list[Invoice]) -> list[UndoResult]:
    out = []
    for invoice in invoices:
        try:
            out.append(await _undo_one(svc, invoice))
        except StopRun as stop:
            out.append(UndoResult(invoice, False, stop.problem.what, stop.problem.todo))
            break
    return out


def _keep(svc: Any, invoice: Invoice, why: str, todo: str = CREDIT_NOTE) -> UndoResult:
    svc.events.warning(f"Invoice {invoice.number} stays in Exact: {why}", side=Side.EXACT, topic="transfer",
                       record=f"invoice {invoice.number}", detail=todo)
    return UndoResult(invoice, False, why, todo)


async def _undo_one(svc: Any, invoice: Invoice) -> UndoResult:
    state = svc.states.get(invoice)
    if state.status not in (TransferStatus.TRANSFERRED, TransferStatus.PARTIAL) or not state.exact_id:
        return UndoResult(invoice, False, f"invoice {invoice.number} is {state.status}: nothing in Exact to undo")
    model = state.model or svc.model
    if model != ENTRIES and not state.draft:
        return _keep(svc, invoice, f"sales invoice {state.exact_number or state.exact_id} is processed: Exact does "
                     "not delete a processed invoice or the entry it booked")
    if svc.facts is not None:
        period = svc.facts.period_for(invoice.date)
        if period is not None and period.closed:
            return _keep(svc, invoice, f"period {period.period}/{period.year} is closed in Exact: its entries cannot be "
                         "changed or deleted")
    what = f"entry {state.exact_number}" if model == ENTRIES else "draft sales invoice"
    record = svc.store.transfers.record(TransferRecord(
        invoice_id=invoice.id, invoice_number=invoice.number, kind=str(invoice.kind), division=svc.division,
        action="undo", model=model, your_ref=invoice.number, exact_entry_id=state.exact_id,
        exact_entry_number=state.exact_number, customer_exact_id=state.customer_exact_id,
        request=f"DELETE {'salesentry/SalesEntries' if model == ENTRIES else 'salesinvoice/SalesInvoices'}"
                f"(guid'{state.exact_id}')"))
    gone_already = False
    try:
        if model == ENTRIES:
            await svc.client.delete_sales_entry(state.exact_id)
        else:
            await svc.client.delete_sales_invoice(state.exact_id)
    except NotFound:
        gone_already = True
    except ExactError as exc:
        problem = explain(exc)
        svc.store.transfers.finish(record, TransferOutcome.REFUSED, message=problem.what, detail=str(exc)[:500],
                                   cause=problem.cause, todo=CREDIT_NOTE, side=str(problem.side))
        if _stops(exc):
            raise StopRun(problem) from None
        return _keep(svc, invoice, f"Exact refused to delete {what}: {problem.what}"
                     + (f" ({problem.cause})" if problem.cause else ""))
    message = (f"undone: {what} was already deleted in Exact" if gone_already else f"undone: {what} deleted in Exact")
    svc.store.transfers.finish(record, TransferOutcome.BOOKED, message=message)
    svc.states.save(invoice, TransferStatus.PENDING, exact_id="", exact_number="", fingerprint="", draft=False,
                    transferred_at=None, message=message + "; not transferred", todo="", side="")
    svc.events.success(f"Invoice {invoice.number}: {message}", side=Side.EXACT, topic="transfer",
                       record=f"invoice {invoice.number}")
    return UndoResult(invoice, True, message)


__all__ = ["UndoResult", "undo"]

"""Posting one invoice: never twice, never lost.

    journal PENDING (fsynced) → POST → journal BOOKED / REFUSED / UNKNOWN → invoice state

An answer that never comes leaves the attempt UNKNOWN. Before that invoice is sent again, Exact
is searched by YourRef (= the local invoice number) in the journal, compared with the customer:
one found → booked; none → sent again; two or more → reported as a duplicate, never resolved
silently. Number hints are never part of the lookup: Exact may assign its own EntryNumber.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from ...domain.invoice import Invoice
from ...domain.transfer import TransferOutcome, TransferRecord, TransferStatus
from ...exact.errors import ExactError, NetworkError, OutcomeUnknown, ServerError, ValidationError
from ...exact.records import SalesInvoice
from ..events import Side
from ..problems import explain
from . import prepare
from .prepare import ENTRIES, INVOICES
from .state import now


class StopRun(Exception):
    """Something every further invoice would meet too (limits, login, rights, network): stop the run."""

    def __init__(self, problem: Any) -> None:
        super().__init__(problem.what)
        self.problem = problem


def _stops(exc: BaseException) -> bool:
    from ...exact.errors import AuthError, ForbiddenError, RateLimited

    return isinstance(exc, (AuthError, ForbiddenError, RateLimited)) or (
        isinstance(exc, NetworkError) and not isinstance(exc, (ServerError, OutcomeUnknown)))


def found_number(model: str, found: Any) -> str:
    if model == ENTRIES:
        return str(found.entry_number or "")
    return str(found.invoice_number or "") if found.status == SalesInvoice.PROCESSED else ""


def found_id(model: str, found: Any) -> str:
    return (found.entry_id if model == ENTRIES else found.invoice_id) or ""


async def look_up(svc: Any, model: str, invoice: Invoice, customer_id: str) -> list[Any]:
    """What Exact has under this invoice's YourRef in the journal, for this customer."""
    if model == ENTRIES:
        found = await svc.client.entries_by_ref(invoice.number, journal=svc.journal)
        return [e for e in found if not customer_id or (e.customer or "").lower() in ("", customer_id.lower())]
    found = await svc.client.invoices_by_ref(invoice.number, journal=svc.journal)
    return [i for i in found if not customer_id or (i.ordered_by or "").lower() in ("", customer_id.lower())]


async def resolve_open(svc: Any, invoice: Invoice, attempt: TransferRecord) -> str:
    """Settle an UNKNOWN/PENDING attempt: 'booked', 'duplicate' or 'absent' (safe to send again)."""
    model = attempt.model or svc.model
    if attempt.action == "process":
        current = await svc.client.invoice_exists(attempt.exact_entry_id)
        if current is not None and current.status == SalesInvoice.PROCESSED:
            svc.store.transfers.finish(attempt, TransferOutcome.BOOKED, exact_entry_number=str(current.invoice_number or ""),
                                       message="processed (found in Exact after a lost answer)")
            svc.states.save(invoice, TransferStatus.TRANSFERRED, draft=False, exact_number=str(current.invoice_number or ""),
                            message=f"processed in Exact as {current.invoice_number}")
            return "booked"
        svc.store.transfers.finish(attempt, TransferOutcome.FAILED, message="not processed (looked up): processed again")
        return "absent"
    found = await look_up(svc, model, invoice, attempt.customer_exact_id)
    route = svc.client.last_route
    how = f"looked up by YourRef {invoice.number} on {route.endpoint}" + (" (fallback)" if route and route.fallback else "") \
        if route else f"looked up by YourRef {invoice.number}"
    if len(found) == 1:
        hit = found[0]
        number = found_number(model, hit)
        svc.store.transfers.finish(attempt, TransferOutcome.BOOKED, exact_entry_id=found_id(model, hit),
                                   exact_entry_number=number, message=f"found in Exact after a lost answer ({how})")
        booked(svc, invoice, model, hit, attempt, note=f"found in Exact after a lost answer ({how})")
        return "booked"
    if len(found) > 1:
        numbers = ", ".join(found_number(model, f) or found_id(model, f)[:8] for f in found)
        message = (f"duplicate: {len(found)} bookings in Exact with YourRef {invoice.number} ({numbers}); "
                   "delete the extra one in Exact, then retry")
        svc.store.transfers.record(dataclasses.replace(attempt, outcome=TransferOutcome.UNKNOWN, message=message,
                                                       side=str(Side.EXACT), finished_at=now()))
        svc.states.save(invoice, TransferStatus.UNKNOWN, message=message, side=str(Side.EXACT),
                        todo="Delete the extra booking in Exact, then retry (r)")
        svc.events.error(message, side=Side.EXACT, topic="transfer", record=f"invoice {invoice.number}")
        return "duplicate"
    svc.store.transfers.finish(attempt, TransferOutcome.FAILED, message=f"not in Exact ({how}): sent again")
    return "absent"


def booked(svc: Any, invoice: Invoice, model: str, created: Any, record: TransferRecord, *, note: str = "") -> None:
    """Record a booking on the invoice (entries: done; invoices: processed next unless drafts)."""
    exact_id = found_id(model, created)
    number = found_number(model, created)
    draft = model == INVOICES and created.status != SalesInvoice.PROCESSED
    status = TransferStatus.PARTIAL if draft and not svc.drafts else TransferStatus.TRANSFERRED
    message = note or (f"booked in Exact as entry {number}" if model == ENTRIES else
                       (f"sales invoice {number} in Exact" if not draft else "draft sales invoice in Exact"))
    svc.states.save(invoice, status, model=model, exact_id=exact_id, exact_number=number, draft=draft,
                    customer_exact_id=record.customer_exact_id, fingerprint=record.fingerprint,
                    transferred_at=now(), message=message, todo="", side="")
    svc.first_transfer()


async def post(svc: Any, invoice: Invoice, pre: Any, customer_id: str, customer_code: str) -> str:
    """POST the entry or invoice under a journal record; returns the state word reached."""
    model = svc.model
    build = prepare.sales_entry if model == ENTRIES else prepare.sales_invoice
    document = build(invoice, pre.lines, journal=svc.journal, customer_id=customer_id)
    record = svc.store.transfers.record(TransferRecord(
        invoice_id=invoice.id, invoice_number=invoice.number, kind=str(invoice.kind), division=svc.division,
        customer_exact_id=customer_id, action="post", model=model, your_ref=invoice.number,
        request=prepare.request_summary(model, invoice, pre.lines, customer_code),
        fingerprint=svc.fingerprint(invoice)))  # fsynced before the request leaves
    try:
        created = await (svc.client.create_sales_entry(document) if model == ENTRIES
                         else svc.client.create_sales_invoice(document))
    except OutcomeUnknown as exc:
        problem = explain(exc)
        svc.store.transfers.finish(record, TransferOutcome.UNKNOWN, message=problem.what, detail=str(exc)[:500],
                                   cause=problem.cause, todo=problem.todo, side=str(problem.side))
        svc.states.save(invoice, TransferStatus.UNKNOWN, message="sent, no answer: looked up in Exact before "
                        "anything is sent again", side=str(problem.side), todo=problem.todo, model=model)
        svc.lost(invoice, exc)
        return "unknown"
    except ExactError as exc:
        return refused(svc, invoice, record, exc)
    svc.store.transfers.finish(record, TransferOutcome.BOOKED, exact_entry_id=found_id(model, created),
                               exact_entry_number=found_number(model, created), request_id="",
                               message="booked" if model == ENTRIES else "sales invoice created")
    booked(svc, invoice, model, created, record)
    if model == INVOICES and not svc.drafts:
        return await process(svc, invoice, found_id(model, created), customer_id)
    return "transferred"


async def process(svc: Any, invoice: Invoice, invoice_id: str, customer_id: str) -> str:
    """`PrintedSalesInvoices`: Exact books the invoice and assigns its number (status 20 → 50)."""
    record = svc.store.transfers.record(TransferRecord(
        invoice_id=invoice.id, invoice_number=invoice.number, kind=str(invoice.kind), division=svc.division,
        customer_exact_id=customer_id, action="process", model=INVOICES, your_ref=invoice.number,
        exact_entry_id=invoice_id, request=f"POST salesinvoice/PrintedSalesInvoices: InvoiceID {invoice_id}",
        fingerprint=svc.fingerprint(invoice)))
    try:
        await svc.client.process_sales_invoice(invoice_id)
    except OutcomeUnknown as exc:
        svc.store.transfers.finish(record, TransferOutcome.UNKNOWN, message=explain(exc).what, detail=str(exc)[:500])
        svc.states.save(invoice, TransferStatus.UNKNOWN, message="processing sent, no answer: looked up before "
                        "it is sent again")
        svc.lost(invoice, exc)
        return "unknown"
    except ExactError as exc:
        problem = explain(exc)
        svc.store.transfers.finish(record, TransferOutcome.REFUSED, message=problem.what, detail=str(exc)[:500],
                                   cause=problem.cause, todo=problem.todo, side=str(problem.side))
        svc.states.save(invoice, TransferStatus.PARTIAL, message=f"created as a draft but not processed: {problem.what}",
                        todo=problem.todo, side=str(problem.side), draft=True)
        if _stops(exc):
            raise StopRun(problem) from None
        return "partial"
    svc.store.transfers.finish(record, TransferOutcome.BOOKED, message="processed")
    svc.to_number.append(invoice.id)
    svc.states.save(invoice, TransferStatus.TRANSFERRED, draft=False, message="processed in Exact")
    return "transferred"


def refused(svc: Any, invoice: Invoice, record: TransferRecord, exc: BaseException) -> str:
    problem = explain(exc)
    outcome = TransferOutcome.REFUSED if isinstance(exc, ValidationError) or getattr(exc, "status", None) \
        else TransferOutcome.FAILED
    svc.store.transfers.finish(record, outcome, message=problem.what, detail=(problem.detail or str(exc))[:500],
                               cause=problem.cause, todo=problem.todo, side=str(problem.side),
                               request_id=getattr(exc, "request_id", "") or "")
    created = svc.created_customer.get(invoice.customer_id)
    if outcome is TransferOutcome.FAILED:
        status = TransferStatus.PENDING
        message = f"not sent: {problem.what}"
    else:
        status = TransferStatus.PARTIAL if created else TransferStatus.REFUSED
        message = (f"{created}, but the invoice was refused: " if created else "") + problem.what
    svc.states.save(invoice, status, message=message, todo=problem.todo, side=str(problem.side))
    svc.events.error(f"Invoice {invoice.number}: {message}", side=problem.side, topic="transfer",
                     record=f"invoice {invoice.number}", detail=problem.todo)
    if _stops(exc):
        raise StopRun(problem) from None
    return str(status)

"""The run: transfer the selected invoices one at a time, settle lost answers, read Exact's numbers.

Per invoice: open attempts are resolved in Exact first (never twice), then the pre-flight (no
calls), the customer (link / create), the journal-protected POST. Answers lost on the way are
looked up at the end of the run; a timeout waits a grace period first, because Exact may still be
committing what the client gave up on. Esc (`Cancel`) stops after the invoice in flight.
"""
from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...domain.invoice import Invoice
from ...domain.transfer import TransferStatus
from ..events import Event, Level, Side
from ..problems import Problem, explain
from . import posting, prepare
from .customers import ensure_customer


@dataclass(slots=True)
class Cancel:
    """Esc: the invoice in flight finishes (or is journalled unknown); nothing after it starts."""

    stopped: bool = False

    def set(self) -> None:
        self.stopped = True

    def __bool__(self) -> bool:
        return self.stopped


@dataclass(slots=True)
class InvoiceResult:
    invoice: Invoice
    status: TransferStatus
    message: str = ""


@dataclass(slots=True)
class RunReport:
    total: int = 0
    done: int = 0
    counts: Counter = field(default_factory=Counter)
    results: list[InvoiceResult] = field(default_factory=list)
    stopped: Problem | None = None  # why the run stopped early (limits, login, network)
    cancelled: bool = False
    calls: int = 0
    repaired: list[str] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.stopped) or any(self.counts.get(str(s)) for s in
                                         (TransferStatus.BLOCKED, TransferStatus.REFUSED, TransferStatus.PARTIAL,
                                          TransferStatus.UNKNOWN))

    def summary(self) -> str:
        parts = [f"{self.counts[k]:,} {k}" for k in (str(s) for s in TransferStatus) if self.counts.get(k)]
        text = f"{self.done:,} of {self.total:,} invoices: " + (", ".join(parts) or "nothing to do")
        text += f" · {self.calls:,} API call{'s' if self.calls != 1 else ''}"
        if self.cancelled:
            text += " · stopped by you"
        if self.stopped:
            text += f" · stopped: {self.stopped.what}"
        return text


class NotActivated(ValueError):
    """Transfers start after step 8: the set-up checklist is what makes them safe."""

    def __init__(self) -> None:
        super().__init__("the integration is not activated: check and activate it in step 8 (Confirm and activate) "
                         "first")


class RunMixin:
    """The run part of `TransferService` (attributes are set up there)."""

    store: Any
    events: Any
    client: Any
    states: Any
    preflight: Any
    context: Any
    clock: Any
    unknown_now: list[tuple[str, float]]
    to_number: list[str]
    created_customer: dict[str, str]

    @property
    def settings(self) -> Any:  # TransferService's
        raise NotImplementedError

    @property
    def journal(self) -> str:
        raise NotImplementedError

    @property
    def model(self) -> str:
        raise NotImplementedError

    @property
    def drafts(self) -> bool:
        raise NotImplementedError

    # -- the run -----------------------------------------------------------------------------------
    async def run(self, invoices: list[Invoice], *, cancel: Cancel | None = None,
                  on_result: Callable[[InvoiceResult, RunReport], None] | None = None) -> RunReport:
        if self.client is None:
            raise RuntimeError("not connected to Exact Online: connect first (step 1 or exact-tui connect)")
        if not self.settings.active:
            raise NotActivated()
        cancel = cancel or Cancel()
        report = RunReport(total=len(invoices))
        before = self.client.calls
        self.unknown_now, self.to_number, self.created_customer = [], [], {}
        self.events.info(f"Transfer of {len(invoices):,} invoice{'s' if len(invoices) != 1 else ''} to journal "
                         f"{self.journal} ({'sales entries' if self.model == prepare.ENTRIES else 'sales invoices'})",
                         side=Side.CONSOLE, topic="transfer")
        try:
            for invoice in invoices:
                if cancel:
                    report.cancelled = True
                    break
                status, message = await self._one(invoice)
                self._count(report, invoice, status, message, on_result)
            if not cancel and self.unknown_now:
                await self._settle(report, cancel, on_result)
            await self._numbers()
        except posting.StopRun as stop:
            report.stopped = stop.problem
            self.events.error(f"Transfer stopped: {stop.problem.what}", side=stop.problem.side, topic="transfer",
                              detail=stop.problem.todo)
        report.calls = self.client.calls - before
        self.events.emit(Event(report.summary(), side=Side.CONSOLE, topic="transfer",
                               level=Level.WARNING if report.needs_attention else Level.SUCCESS))
        return report

    def _count(self, report: RunReport, invoice: Invoice, status: TransferStatus, message: str,
               on_result: Callable[[InvoiceResult, RunReport], None] | None, *, again: bool = False) -> None:
        if not again:
            report.done += 1
        else:
            report.counts[str(TransferStatus.UNKNOWN)] -= 1
        report.counts[str(status)] += 1
        result = InvoiceResult(invoice, status, message)
        report.results.append(result)
        level = Level.SUCCESS if status is TransferStatus.TRANSFERRED else (
            Level.INFO if status in (TransferStatus.PENDING, TransferStatus.IGNORED) else Level.WARNING)
        self.events.emit(Event(f"Invoice {invoice.number}: {status}" + (f" — {message}" if message else ""),
                               side=Side.EXACT if status is TransferStatus.TRANSFERRED else Side.CONSOLE, level=level,
                               topic="transfer", record=f"invoice {invoice.number}",
                               progress=(report.done, report.total)))
        if on_result is not None:
            on_result(result, report)

    async def _one(self, invoice: Invoice) -> tuple[TransferStatus, str]:
        state = self.states.get(invoice)
        if state.status is TransferStatus.IGNORED:
            return state.status, "ignored"
        if state.status is TransferStatus.TRANSFERRED:
            return state.status, "already transferred" + (f" as {state.exact_number}" if state.exact_number else "")
        open_attempts = [r for r in self.store.transfers.for_invoice(invoice.id) if r.open]
        for attempt in open_attempts:
            how = await posting.resolve_open(self, invoice, attempt)
            if how == "duplicate":
                return TransferStatus.UNKNOWN, self.states.get(invoice).message
            if how == "booked" and attempt.action == "post":
                state = self.states.get(invoice)
                if state.status is TransferStatus.TRANSFERRED:
                    return state.status, state.message
        state = self.states.get(invoice)
        if state.status is TransferStatus.TRANSFERRED:
            return state.status, state.message
        if state.status is TransferStatus.PARTIAL and state.exact_id and state.model == prepare.INVOICES:
            if self.drafts:
                self.states.save(invoice, TransferStatus.TRANSFERRED, message="draft sales invoice in Exact")
                return TransferStatus.TRANSFERRED, "draft sales invoice in Exact"
            word = await posting.process(self, invoice, state.exact_id, state.customer_exact_id)
            return TransferStatus(word), self.states.get(invoice).message
        pre = self.preflight(invoice)
        if not pre.ok:
            first = pre.problems[0]
            message = pre.summary() + (f" — {first.cause}" if first.cause else "")
            self.states.save(invoice, TransferStatus.BLOCKED, message=message, todo=first.todo,
                             side=str(first.side))
            return TransferStatus.BLOCKED, pre.summary()
        customer = self.context().customers[invoice.customer_id]
        try:
            found = await ensure_customer(self, customer, pre.customer)
        except posting.StopRun:
            raise
        except Exception as exc:  # noqa: BLE001 - explained, recorded on the invoice
            problem = explain(exc)
            self.states.save(invoice, TransferStatus.REFUSED, message=f"customer not created in Exact: {problem.what}",
                             todo=problem.todo, side=str(problem.side))
            if posting._stops(exc):
                raise posting.StopRun(problem) from None
            return TransferStatus.REFUSED, problem.what
        if found.created:
            self.created_customer[invoice.customer_id] = found.note
        word = await posting.post(self, invoice, pre, found.exact_id, found.code)
        return TransferStatus(word), self.states.get(invoice).message

    async def _settle(self, report: RunReport, cancel: Cancel,
                      on_result: Callable[[InvoiceResult, RunReport], None] | None) -> None:
        """Look up this run's lost answers after the grace period; send again what Exact does not have."""
        pending, self.unknown_now = list(self.unknown_now), []
        for invoice_id, due in pending:
            wait = due - self.clock()
            if wait > 0:
                self.events.info(f"Waiting {wait:.0f} s before looking up lost answers in Exact (an answer can be "
                                 "committed after the connection gave up)", side=Side.CONSOLE, topic="transfer")
                while wait > 0 and not cancel:
                    await asyncio.sleep(min(wait, 0.5))
                    wait = due - self.clock()
            if cancel:
                report.cancelled = True
                return
            invoice = self.store.invoices.get(invoice_id)
            if invoice is None:
                continue
            status, message = await self._one(invoice)
            self._count(report, invoice, status, message, on_result, again=True)

    async def _numbers(self) -> None:
        """Exact's invoice numbers of the processed sales invoices, ~40 per call."""
        ids, self.to_number = list(dict.fromkeys(self.to_number)), []
        if not ids:
            return
        states = {i: self.states.of(i) for i in ids}
        found = await self.client.invoice_numbers([s.exact_id for s in states.values() if s and s.exact_id])
        changed = []
        for invoice_id, state in states.items():
            row = found.get((state.exact_id or "").lower()) if state else None
            if row is not None and row.invoice_number:
                changed.append(dataclasses.replace(state, exact_number=str(row.invoice_number),
                                                   message=f"sales invoice {row.invoice_number} in Exact"))
        self.states.save_many(changed)


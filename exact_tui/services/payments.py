"""Payments ←: the payment status of every transferred invoice, from Exact's payment terms.

The cheap way is `sync/Cashflow/PaymentTerms` from the stored Timestamp: a first pull of 10,000
invoices is about 11 calls, an unchanged re-sync 1. That endpoint holds supplier terms beside
customer ones, with numbers and references that can equal ours; a term counts for an invoice only
when it is that invoice's booking — the same entry (`TransactionEntryID` = the entry we created), or
for a sales invoice the same journal, invoice number and customer account. Numbers alone never
match, so a supplier's purchase invoice 1042 is never taken for our sales invoice 1042.

On demand, one invoice costs one call (`bulk/Cashflow/Receivables` filtered on its entry). Checks
run every 4 hours by default (`PaymentStore.interval_hours`); `run` asks `due()`.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..domain.payment import InvoicePayment, PaymentStatus, TermFacts, payment_of
from ..exact import cashflow
from ..exact.cashflow import PaymentTerm
from .events import EventBus, Side

CALLS_PER_SYNC_PAGE = 1000  # rows per sync/ call: a pull of N changed terms costs N // 1000 + 1 calls


@dataclass(frozen=True, slots=True)
class Transferred:
    """What payments need of one transferred invoice (built by `transferred_invoices`)."""

    invoice_id: str
    number: str
    kind: str = "invoice"  # invoice | credit_note
    model: str = "entries"  # entries (exact_id is the EntryID) | invoices (exact_id is the InvoiceID)
    exact_id: str = ""
    exact_number: str = ""
    customer_exact_id: str = ""
    journal: str = ""
    credits: str = ""  # a credit note: the number of the invoice it credits
    entry_id: str = ""  # the EntryID of a processed sales invoice, when known


@dataclass(slots=True)
class PaymentReport:
    """What one pass did: counted for `--json`, the log and `run`."""

    calls: int = 0
    terms_seen: int = 0
    terms_kept: int = 0
    supplier_or_foreign: int = 0  # terms that were not ours (supplier lines, other customers' invoices)
    invoices: int = 0
    changed: list[str] = field(default_factory=list)  # invoice numbers whose status changed
    counts: dict[str, int] = field(default_factory=dict)
    timestamp: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"calls": self.calls, "terms_seen": self.terms_seen, "terms_kept": self.terms_kept,
                "not_ours": self.supplier_or_foreign, "invoices": self.invoices, "changed": self.changed,
                "counts": self.counts, "timestamp": self.timestamp}


def transferred_invoices(store: Any) -> list[Transferred]:
    """The profile's transferred invoices, from the transfer states kept with the invoices."""
    states = getattr(store, "invoice_transfers", None)
    if states is None:
        return []
    journal = store.settings.get().journal
    out = []
    for state in states.all():
        if str(getattr(state.status, "value", state.status)) != "transferred" or not state.exact_id:
            continue
        invoice = store.invoices.get(state.invoice_id)
        kind = str(getattr(invoice.kind, "value", invoice.kind)) if invoice is not None else "invoice"
        out.append(Transferred(state.invoice_id, state.number or (invoice.number if invoice else ""), kind,
                               state.model or "entries", state.exact_id, str(state.exact_number or ""),
                               state.customer_exact_id or "", journal,
                               invoice.credits_invoice if invoice is not None else "",
                               getattr(state, "entry_id", "") or ""))
    return out


def _row(term: PaymentTerm) -> dict[str, Any]:
    return {"id": term.id, "account": term.account, "journal": term.journal, "invoice_number": term.invoice_number,
            "entry_id": term.entry_id, "amount_fc": str(term.amount_fc) if term.amount_fc is not None else None,
            "total_fc": str(term.total_fc) if term.total_fc is not None else None, "currency": term.currency,
            "settled": term.settled, "last_payment": term.last_payment.isoformat() if term.last_payment else None,
            "line_type": term.line_type, "your_ref": term.your_ref, "entry_number": term.entry_number}


class Matcher:
    """Which transferred invoice a term belongs to: its entry, or journal + number + account."""

    def __init__(self, invoices: Iterable[Transferred]) -> None:
        self.by_entry: dict[str, Transferred] = {}
        self.by_number: dict[tuple[str, str], Transferred] = {}
        self.accounts: set[str] = set()
        for inv in invoices:
            if inv.model == "entries" and inv.exact_id:
                self.by_entry[inv.exact_id.lower()] = inv
            if inv.entry_id:
                self.by_entry[inv.entry_id.lower()] = inv
            if inv.model == "invoices" and inv.exact_number:
                self.by_number[(inv.journal.strip(), inv.exact_number.strip())] = inv
            if inv.customer_exact_id:
                self.accounts.add(inv.customer_exact_id.lower())

    def invoice_of(self, row: dict[str, Any]) -> Transferred | None:
        entry = str(row.get("entry_id") or "").lower()
        if entry and entry in self.by_entry:
            return self.by_entry[entry]
        number = row.get("invoice_number")
        if number is None:
            return None
        inv = self.by_number.get((str(row.get("journal") or "").strip(), str(number)))
        if inv is None:
            return None
        if inv.customer_exact_id and str(row.get("account") or "").lower() != inv.customer_exact_id.lower():
            return None  # same journal and number, another account: not this invoice
        return inv

    def may_be_ours(self, row: dict[str, Any]) -> bool:
        """Keep a term we cannot place yet only when it is a linked customer's (never a supplier's)."""
        return self.invoice_of(row) is not None or str(row.get("account") or "").lower() in self.accounts


def _facts(row: dict[str, Any]) -> TermFacts:
    paid = row.get("last_payment")
    return TermFacts(Decimal(row["amount_fc"] or 0), bool(row.get("settled")),
                     dt.datetime.fromisoformat(paid) if paid else None)


def evaluate(invoices: list[Transferred], rows: Iterable[dict[str, Any]], now: dt.datetime) -> dict[str, InvoicePayment]:
    """Every transferred invoice's payment state from the kept terms (pure: no store, no HTTP)."""
    matcher = Matcher(invoices)
    per_invoice: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        inv = matcher.invoice_of(row)
        if inv is not None:
            per_invoice[inv.invoice_id].append(row)
    totals: dict[str, Decimal] = {}
    for inv in invoices:
        terms = per_invoice.get(inv.invoice_id, [])
        known = [Decimal(t["total_fc"]) for t in terms if t.get("total_fc") is not None]
        totals[inv.invoice_id] = abs(known[0]) if known else sum((abs(Decimal(t["amount_fc"] or 0)) for t in terms),
                                                                 Decimal(0))
    by_number = {inv.number: inv for inv in invoices if inv.kind != "credit_note"}
    credited: dict[str, Decimal] = defaultdict(Decimal)
    for inv in invoices:
        if inv.kind == "credit_note" and inv.credits in by_number:
            credited[by_number[inv.credits].invoice_id] += totals.get(inv.invoice_id, Decimal(0))
    out: dict[str, InvoicePayment] = {}
    for inv in invoices:
        terms = per_invoice.get(inv.invoice_id, [])
        status, amount_open, paid_on = payment_of([_facts(t) for t in terms], totals[inv.invoice_id] if terms else None,
                                                  credited=credited.get(inv.invoice_id, Decimal(0)))
        currency = next((t.get("currency") for t in terms if t.get("currency")), "")
        out[inv.invoice_id] = InvoicePayment(inv.invoice_id, inv.number, status, amount_open, currency or "",
                                             paid_on, now, len(terms))
    return out


class PaymentsService:
    """`sync()` all transferred invoices from the stored Timestamp; `check(number)` one invoice."""

    def __init__(self, store: Any, exact: Any, *, events: EventBus | None = None,
                 invoices: list[Transferred] | None = None) -> None:
        self.store = store
        self.exact = exact
        self.events = events
        self._invoices = invoices

    @property
    def invoices(self) -> list[Transferred]:
        if self._invoices is None:
            self._invoices = transferred_invoices(self.store)
        return self._invoices

    def _say(self, text: str, **kw: Any) -> None:
        if self.events is not None:
            self.events.info(text, side=kw.pop("side", Side.EXACT), topic="payments", **kw)

    @staticmethod
    def cost(changed_terms_estimate: int) -> int:
        """Calls a pull of this many changed terms costs (1,000 a call, at least one)."""
        return max(0, changed_terms_estimate) // CALLS_PER_SYNC_PAGE + 1

    def estimate(self) -> int:
        """Calls the next `sync()` will probably cost: a first pull of every term, else 1."""
        if self.store.payments.timestamp is None:
            return self.cost(len(self.invoices) * 11 // 10)
        return 1

    async def sync(self, *, now: dt.datetime | None = None) -> PaymentReport:
        now = now or dt.datetime.now(dt.timezone.utc)
        report = PaymentReport()
        store = self.store.payments
        before = self.exact.calls
        since = store.timestamp
        self._say("Payments: asking Exact for payment terms " +
                  ("changed since the last check" if since is not None else "(first full pull)"))
        pulled = await cashflow.sync_payment_terms(self.exact, since)
        report.calls = self.exact.calls - before
        report.terms_seen = len(pulled.rows)
        matcher = Matcher(self.invoices)
        keep: dict[str, dict[str, Any]] = {}
        for term in pulled.rows:
            row = _row(term)
            if term.id and matcher.may_be_ours(row):
                keep[term.id] = row
            else:
                report.supplier_or_foreign += 1
        report.terms_kept = len(keep)
        rows = {r["id"]: r for r in store.terms()}
        rows.update(keep)
        report.timestamp = pulled.timestamp
        self._apply(report, list(rows.values()), keep, (), now, pulled.timestamp)
        return report

    async def check(self, number: str, *, now: dt.datetime | None = None) -> InvoicePayment:
        """One invoice now, in one call: its terms replace what was kept for it."""
        now = now or dt.datetime.now(dt.timezone.utc)
        inv = next((i for i in self.invoices if i.number == number), None)
        if inv is None:
            raise LookupError(f"invoice {number} is not transferred to Exact (nothing to ask about)")
        if inv.model == "entries" or inv.entry_id:
            terms = await cashflow.terms_of_entry(self.exact, inv.entry_id or inv.exact_id)
        else:
            if not inv.exact_number:
                raise LookupError(f"invoice {number} has no Exact invoice number yet (a draft is not booked)")
            terms = await cashflow.terms_of_invoice_number(self.exact, inv.journal, int(inv.exact_number))
        matcher = Matcher([inv])
        fresh = {t.id: _row(t) for t in terms if t.id and matcher.invoice_of(_row(t)) is not None}
        kept = self.store.payments.terms()
        old = [r["id"] for r in kept if matcher.invoice_of(r) is not None and r["id"] not in fresh]
        rows = {r["id"]: r for r in kept if r["id"] not in old}
        rows.update(fresh)
        report = PaymentReport(calls=1, terms_seen=len(terms), terms_kept=len(fresh))
        self._apply(report, list(rows.values()), fresh, old, now, None, only=[inv])
        return self.store.payments.get(inv.invoice_id) or InvoicePayment(inv.invoice_id, number)

    def _apply(self, report: PaymentReport, rows: list[dict[str, Any]], changed: dict[str, dict[str, Any]],
               dropped: Iterable[str], now: dt.datetime, timestamp: int | None,
               only: list[Transferred] | None = None) -> None:
        invoices = self.invoices
        states = evaluate(invoices, rows, now)
        if only is not None:
            wanted = {i.invoice_id for i in only}
            states = {k: v for k, v in states.items() if k in wanted}
        previous = self.store.payments.all()
        changed_states = []
        for key, state in states.items():
            old = previous.get(key)
            if old is None or (old.status, old.amount_open, old.paid_on, old.terms) != \
                    (state.status, state.amount_open, state.paid_on, state.terms):
                changed_states.append(state)  # only what changed is written: a quiet re-sync stays cheap
                if old is None or (old.status, old.amount_open, old.paid_on) != (state.status, state.amount_open,
                                                                                 state.paid_on):
                    report.changed.append(state.number)
        report.invoices = len(states)
        counts: dict[str, int] = defaultdict(int)
        for state in states.values():
            counts[state.status.value] += 1
        report.counts = dict(counts)
        division = getattr(getattr(self.exact, "config", None), "division", None)
        self.store.payments.save(terms=changed, drop=dropped, invoices=changed_states, timestamp=timestamp,
                                 ran_at=now if only is None else None, division=division)
        self._say(f"Payments: {report.invoices} invoices checked in {report.calls} call(s); "
                  f"{len(report.changed)} changed; " +
                  ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(report.counts.items())))


def describe(payment: InvoicePayment | None) -> str:
    """'partly paid, 810.00 EUR open' / 'paid on 2026-03-02' / 'open' / 'credited' for tables."""
    if payment is None:
        return ""
    if payment.status is PaymentStatus.PAID:
        return f"paid on {payment.paid_on:%Y-%m-%d}" if payment.paid_on else "paid"
    if payment.status is PaymentStatus.PARTLY_PAID:
        return f"partly paid, {payment.amount_open:,.2f} {payment.currency} open".replace(" ,", " ")
    return payment.status.value.replace("_", " ")


def payment_fields(payment: InvoicePayment | None) -> dict[str, Any]:
    """The `payment`, `paid_on`, `amount_open` fields of `exact-tui transfers --json`."""
    if payment is None:
        return {"payment": None, "paid_on": None, "amount_open": None}
    return {"payment": payment.status.value, "paid_on": payment.paid_on.isoformat() if payment.paid_on else None,
            "amount_open": str(payment.amount_open) if payment.amount_open is not None else None}

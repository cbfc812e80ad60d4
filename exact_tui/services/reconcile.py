"""Balancing: do both sides agree on every transferred invoice?

Compared per transferred invoice, from what the payments pull keeps of Exact's payment terms (one
term per booking, carrying the entry, number, account, currency and total) plus `sync/Deleted` —
so 10,000 invoices cost the calls of a payments re-sync and one `sync/Deleted` call, not one per
invoice. `sync/Deleted` is read with Exact's documented entity types: 10 PaymentTerms (a deleted
sales entry takes its term with it), 13 SalesInvoices; 1 TransactionLines is keyed by line, and
there is no SalesEntries type, so a deleted entry is found through its term.

Amounts are compared including VAT (Exact's terms carry the booking's total): the local lines
with their VAT code (the line's, else its item's) at the rates `vat/VATCodes` gives — one more call,
only when there is something to check. An invoice edited locally after its transfer (its content
fingerprint differs from the one transferred) is named as such instead of as an amount difference.

Each drift item names the local invoice and says what to do.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from .payments import Matcher, PaymentsService, Transferred, transferred_invoices

PAYMENT_TERMS_TYPE, SALES_INVOICES_TYPE = 10, 13


@dataclass(slots=True)
class Drift:
    number: str  # the local invoice number
    kind: str  # missing | deleted_in_exact | number | currency | customer | amount | edited | booked_twice | gap
    what: str
    fix: str


@dataclass(slots=True)
class ReconcileReport:
    checked: int = 0
    calls: int = 0
    items: list[Drift] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        return not self.items

    def to_json(self) -> dict[str, Any]:
        return {"checked": self.checked, "calls": self.calls, "agree": self.agree,
                "items": [asdict(item) for item in self.items]}


def _starts_a_new_block(before: int, after: int) -> bool:
    """2400008 → 2500001: invoicing systems number per year (or per period) inside one number, so
    the first of a new block after the last of the old one is a new series, not missing invoices."""
    for k in range(3, len(str(after))):
        block = 10 ** k
        if after % block == 1 and after // block > before // block:
            return True
    return False


def number_gaps(numbers: list[str]) -> list[tuple[str, str, list[str]]]:
    """Holes in numbered series ('2026-0012', '2026-0014' → '2026-0013' missing), per prefix."""
    series: dict[tuple[str, int], list[int]] = defaultdict(list)
    for number in numbers:
        m = re.fullmatch(r"(.*?)(\d+)", number.strip())
        if m:
            series[(m.group(1), len(m.group(2)))].append(int(m.group(2)))
    gaps = []
    for (prefix, width), values in series.items():
        values.sort()
        for before, after in zip(values, values[1:]):
            if after - before > 1 and not _starts_a_new_block(before, after):
                missing = [f"{prefix}{n:0{width}d}" for n in range(before + 1, min(after, before + 6))]
                gaps.append((f"{prefix}{before:0{width}d}", f"{prefix}{after:0{width}d}", missing))
    return gaps


CENT = Decimal("0.01")


def expected_total(invoice: Any, vat_of_line: Any, rates: dict[str, Decimal]) -> Decimal | None:
    """The invoice's total including VAT as Exact books it (VAT rounded per line), or None when a
    line's VAT code is unknown or inclusive (then the amount is not compared)."""
    total = Decimal(0)
    for line in invoice.lines:
        rate = rates.get(vat_of_line(line))
        if rate is None:
            return None
        net = (Decimal(line.quantity) * Decimal(line.unit_price)).quantize(CENT)
        total += net + (net * rate).quantize(CENT)
    return abs(total)


def compare(invoices: list[Transferred], local: dict[str, Any], rows: list[dict[str, Any]],
            deleted: set[str], *, edited: set[str] | None = None,
            totals: dict[str, Decimal | None] | None = None, series: list[str] | None = None) -> list[Drift]:
    """The drift (pure): transferred invoices, their local records, the kept terms, deleted keys, the
    invoices edited locally since their transfer, their expected totals including VAT, and every
    local invoice number (a hole in the series; default: the transferred invoices' numbers)."""
    totals, edited = totals or {}, edited or set()
    matcher = Matcher(invoices)
    per_invoice: dict[str, list[dict[str, Any]]] = defaultdict(list)
    unplaced: list[dict[str, Any]] = []
    for row in rows:
        inv = matcher.invoice_of(row)
        (per_invoice[inv.invoice_id] if inv is not None else unplaced).append(row)
    items: list[Drift] = []
    for inv in invoices:
        terms = per_invoice.get(inv.invoice_id, [])
        record = local.get(inv.invoice_id)
        gone = [t for t in terms if str(t["id"]).lower() in deleted] or (inv.exact_id.lower() in deleted and [inv.exact_id])  # type: ignore[list-item]  # a deleted entry id stands for its terms
        if gone:
            items.append(Drift(inv.number, "deleted_in_exact",
                               f"invoice {inv.number} was deleted in Exact (Exact number {inv.exact_number})",
                               "undo the export locally (mark it not transferred) and transfer it again, or credit it"))
            continue
        if not terms:
            items.append(Drift(inv.number, "missing",
                               f"invoice {inv.number} is transferred locally but Exact shows no booking for it",
                               f"look for Exact number {inv.exact_number or '?'} in Exact; if it is not there, "
                               "undo the export and transfer it again"))
            continue
        numbers = {str(t.get("entry_number") or t.get("invoice_number") or "") for t in terms} - {""}
        if inv.exact_number and numbers and inv.exact_number not in numbers:
            items.append(Drift(inv.number, "number", f"invoice {inv.number}: Exact number is {', '.join(sorted(numbers))}, "
                               f"the local record says {inv.exact_number}",
                               "changed in Exact: check the booking there and correct the local record (re-transfer "
                               "is not needed)"))
        currencies = {t.get("currency") for t in terms if t.get("currency")}
        if record is not None and currencies and record.currency not in currencies:
            items.append(Drift(inv.number, "currency", f"invoice {inv.number} is in {record.currency} locally but in "
                               f"{', '.join(sorted(str(c) for c in currencies))} in Exact",
                               "correct the booking in Exact (or credit it and transfer the invoice again)"))
        if inv.invoice_id in edited:
            items.append(Drift(inv.number, "edited", f"invoice {inv.number} was edited locally after its transfer: "
                               f"Exact still has the content sent (Exact number {inv.exact_number})",
                               "credit it in the invoicing system and book the corrected invoice (both are "
                               "transferred), or undo the export and transfer it again where Exact allows it"))
        else:
            booked = next((abs(Decimal(t["total_fc"])) for t in terms if t.get("total_fc") is not None), None)
            wanted = totals.get(inv.invoice_id)
            if booked is not None and wanted is not None and record is not None and \
                    abs(booked - wanted) > CENT * max(1, len(record.lines)):
                items.append(Drift(inv.number, "amount", f"invoice {inv.number} totals {wanted:,.2f} {record.currency} "
                                   f"including VAT locally but {booked:,.2f} in Exact (Exact number {inv.exact_number})",
                                   "the booking was changed in Exact: correct it there, or credit it and transfer "
                                   "the invoice again"))
        accounts = {str(t.get("account") or "").lower() for t in terms} - {""}
        if inv.customer_exact_id and accounts and inv.customer_exact_id.lower() not in accounts:
            items.append(Drift(inv.number, "customer", f"invoice {inv.number} is booked on another Exact account than "
                               "the customer it is linked to", "check the customer link (F3) and the booking in Exact"))
    by_ref = {(inv.number, (inv.customer_exact_id or "").lower()): inv for inv in invoices}
    for row in unplaced:
        inv = by_ref.get((str(row.get("your_ref") or ""), str(row.get("account") or "").lower()))
        if inv is not None:
            items.append(Drift(inv.number, "booked_twice",
                               f"invoice {inv.number} is booked twice in Exact: a second booking with the same "
                               f"reference (Exact number {row.get('entry_number') or row.get('invoice_number')})",
                               "delete or credit the extra booking in Exact; the local record points at "
                               f"Exact number {inv.exact_number}"))
    local_numbers = series if series is not None else [getattr(r, "number", "") for r in local.values()]
    for before, after, missing in number_gaps(local_numbers):
        items.append(Drift(after, "gap", f"local invoice numbers jump from {before} to {after} "
                           f"({', '.join(missing)}{'…' if len(missing) == 5 else ''} missing)",
                           "check the invoicing system for invoices that were never exported (or deleted locally)"))
    return items


async def reconcile(store: Any, exact: Any, *, invoices: list[Transferred] | None = None,
                    now: dt.datetime | None = None) -> ReconcileReport:
    """Pull what changed (payment terms, deletions) and compare every transferred invoice."""
    invoices = transferred_invoices(store) if invoices is None else invoices
    report = ReconcileReport(checked=len(invoices))
    before = exact.calls
    await PaymentsService(store, exact, invoices=invoices).sync(now=now)
    state = store.payments.state
    deleted_result = await exact.sync_deleted(state.get("deleted_timestamp"))
    wanted = {PAYMENT_TERMS_TYPE, SALES_INVOICES_TYPE}
    new_deleted = {str(d.entity_key).lower() for d in deleted_result.rows if d.entity_type in wanted and d.entity_key}
    deleted = set(state.get("deleted") or []) | new_deleted
    store.payments.remember_deleted(sorted(deleted), deleted_result.timestamp)
    local = {inv.invoice_id: store.invoices.get(inv.invoice_id) for inv in invoices}
    local = {k: v for k, v in local.items() if v is not None}
    edited = _edited(store, local)
    totals: dict[str, Decimal | None] = {}
    if local:
        rates = {v.code.strip(): v.percentage for v in await exact.vat_codes()
                 if v.percentage is not None and v.type != "I"}
        vat_of_line = _vat_of_line(store)
        totals = {k: expected_total(v, vat_of_line, rates) for k, v in local.items() if k not in edited}
    report.calls = exact.calls - before
    report.items = compare(invoices, local, store.payments.terms(), deleted, edited=edited, totals=totals,
                           series=sorted(store.invoices.numbers()))
    return report


def _edited(store: Any, local: dict[str, Any]) -> set[str]:
    """Invoices whose content changed locally after their transfer (the transfer's fingerprint rule)."""
    from .transfer.prepare import fingerprint

    out = set()
    for invoice_id, invoice in local.items():
        state = store.invoice_transfers.get(invoice_id)
        if state is not None and state.fingerprint and state.fingerprint != fingerprint(invoice):
            out.add(invoice_id)
    return out


def _vat_of_line(store: Any) -> Any:
    """A line's VAT code as the transfer sends it: the line's own, else its item's (found as the transfer finds it)."""
    from .transfer.prepare import product_for

    products = {p.code: p for p in store.products.all()}
    dimensions = {(str(d.kind), d.id): d for d in store.dimensions.all()}
    from types import SimpleNamespace

    from .defaults import principles as chosen_principles

    principles = chosen_principles(SimpleNamespace(settings=store.settings.get))  # type: ignore[arg-type]

    def vat(line: Any) -> str:
        if (line.vat_code or "").strip():
            return line.vat_code.strip()
        product = products.get(product_for(line, principles, dimensions).code)
        return (product.vat_code or "").strip() if product is not None else ""
    return vat

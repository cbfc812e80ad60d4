"""Preparation: which Exact item each line uses, the document sent, and the content fingerprint.

A line's product number comes from, in order: the line's own choice, the mapping of its dimension
(hourly rate, project type, category, expense type, task type), the data type's default principle
(a specific item). A line that ends up without one blocks its invoice, with the line named — a
guess would book revenue on the wrong item.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...domain.invoice import Invoice, InvoiceKind, InvoiceLine
from ...domain.products import DataType, DimensionKind, Principle, ProductPrinciple
from ...exact.records import SalesEntry, SalesEntryLine, SalesInvoice, SalesInvoiceLine
from ..defaults import DATA_TYPE_LABELS, DIMENSION_LABELS

ENTRIES, INVOICES = "entries", "invoices"


@dataclass(frozen=True, slots=True)
class LineProduct:
    """The product number a line gets and how it was found (for the pre-flight's explanation)."""

    code: str  # "" when none was found
    how: str  # "the line's own choice" / "hourly rate 'Senior' mapping" / "Fixed price default" / why none


def line_label(invoice: Invoice, index: int, line: InvoiceLine) -> str:
    text = (line.description or "").strip()
    return f"line {index + 1}" + (f" ({text[:40]!r})" if text else "")


def product_for(line: InvoiceLine, principles: dict[DataType, ProductPrinciple],
                dimensions: dict[tuple[str, str], Any]) -> LineProduct:
    """The line's own choice → its dimension's mapping → the data type's default (a specific item)."""
    if line.product_number.strip():
        return LineProduct(line.product_number.strip(), "the line's own choice")
    kind = DimensionKind(line.dimension_kind) if line.dimension_kind else None
    dim_text = ""
    if kind is not None and line.dimension_id:
        dim = dimensions.get((kind.value, line.dimension_id))
        label = DIMENSION_LABELS[kind].lower()
        if dim is not None and dim.product_number:
            return LineProduct(dim.product_number, f"{label} {dim.name!r}")
        dim_text = f"{label} {getattr(dim, 'name', line.dimension_id)!r} is not mapped to an item"
    data_type = DataType(line.data_type)
    principle = principles.get(data_type) or ProductPrinciple(data_type)
    type_label = DATA_TYPE_LABELS[data_type]
    if principle.principle is Principle.SPECIFIC and principle.product_number:
        return LineProduct(principle.product_number, f"the {type_label} default")
    reasons = ["the line has no product number of its own"]
    if dim_text:
        reasons.append(dim_text)
    elif principle.principle is Principle.BY_DIMENSION and principle.dimension_kind:
        reasons.append(f"it has no {DIMENSION_LABELS[principle.dimension_kind].lower()} to look one up by")
    if principle.principle is Principle.SELECT_WHEN_INVOICING:
        reasons.append(f"{type_label} is set to 'select when invoicing'")
    return LineProduct("", "; ".join(reasons))


def signed_lines(invoice: Invoice) -> list[tuple[Decimal, Decimal]]:
    """(quantity, unit price) per line with the sign Exact needs: a credit note is negative there."""
    out = [(line.quantity, line.unit_price) for line in invoice.lines]
    if invoice.kind is InvoiceKind.CREDIT_NOTE and invoice.total > 0:
        out = [(-q, p) for q, p in out]
    return out


def fingerprint(invoice: Invoice, customer_number: str = "") -> str:
    """A short hash of what is transferred: a local edit after the transfer changes it."""
    parts = [invoice.number, str(invoice.kind), invoice.customer_id, customer_number, invoice.date.isoformat(),
             invoice.currency, invoice.description, invoice.your_ref, invoice.credits_invoice]
    for line in invoice.lines:
        parts += ["|", line.description, str(line.quantity), str(line.unit_price), line.vat_code,
                  str(line.data_type), str(line.dimension_kind or ""), line.dimension_id, line.product_number]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=10).hexdigest()


def number_hint(invoice: Invoice) -> int | None:
    """The local number as Exact's invoice number when it can be one (digits only, at most 9).

    Only a hint: Exact may assign its own number, so nothing is ever looked up by it."""
    number = invoice.number.strip()
    return int(number) if number.isdigit() and len(number) <= 9 and int(number) > 0 else None


def description(invoice: Invoice) -> str:
    text = invoice.description.strip() or (("Credit note " if invoice.kind is InvoiceKind.CREDIT_NOTE else "Invoice ")
                                           + invoice.number)
    if invoice.your_ref.strip():
        text = f"{text} · ref {invoice.your_ref.strip()}"
    return text[:255]


def entry_date(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


@dataclass(frozen=True, slots=True)
class PreparedLine:
    """One line ready for Exact: the item (code, GUID), its revenue G/L GUID and the VAT code."""

    item_code: str
    item_id: str
    gl_id: str
    vat_code: str
    quantity: Decimal
    unit_price: Decimal
    description: str

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


def sales_entry(invoice: Invoice, lines: list[PreparedLine], *, journal: str, customer_id: str) -> SalesEntry:
    """The sales-entry model: one line per invoice line on the item's revenue G/L and VAT code."""
    return SalesEntry(journal=journal, customer=customer_id, entry_date=entry_date(invoice.date),
                      your_ref=invoice.number, description=description(invoice), currency=invoice.currency,
                      invoice_number=number_hint(invoice),
                      lines=[SalesEntryLine(gl_account=line.gl_id, amount_fc=line.amount, vat_code=line.vat_code,
                                            description=line.description[:255]) for line in lines])


def sales_invoice(invoice: Invoice, lines: list[PreparedLine], *, journal: str, customer_id: str) -> SalesInvoice:
    """The sales-invoice model: item lines; processing afterwards assigns Exact's number."""
    return SalesInvoice(ordered_by=customer_id, journal=journal, invoice_date=entry_date(invoice.date),
                        currency=invoice.currency, your_ref=invoice.number, description=description(invoice),
                        lines=[SalesInvoiceLine(item=line.item_id, quantity=line.quantity, net_price=line.unit_price,
                                                description=line.description[:255], vat_code=line.vat_code)
                               for line in lines])


def request_summary(model: str, invoice: Invoice, lines: list[PreparedLine], customer: str) -> str:
    total = sum((line.amount for line in lines), Decimal("0.00"))
    what = "salesentry/SalesEntries" if model == ENTRIES else "salesinvoice/SalesInvoices"
    return (f"POST {what}: YourRef {invoice.number}, customer {customer}, {invoice.date.isoformat()}, "
            f"{len(lines)} line{'s' if len(lines) != 1 else ''}, {invoice.currency} {total:,.2f} excl. VAT")

"""Booked invoices and credit notes of the local side, the thing the integration transfers."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .products import DataType, DimensionKind


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


@dataclass(slots=True)
class InvoiceLine:
    """One line; `data_type` and the dimension decide which Exact item (product number) it uses."""

    description: str
    quantity: Decimal
    unit_price: Decimal  # excluding VAT, in the invoice currency
    vat_code: str = ""
    data_type: DataType = DataType.TIME_MATERIAL
    dimension_kind: DimensionKind | None = None
    dimension_id: str = ""  # e.g. the hourly-rate id when dimension_kind is HOURLY_RATE
    product_number: str = ""  # an explicit Exact item code chosen when invoicing

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


@dataclass(slots=True)
class Invoice:
    """A booked invoice or credit note. Amounts are Decimal; dates are plain calendar dates."""

    id: str
    number: str
    customer_id: str
    date: dt.date
    kind: InvoiceKind = InvoiceKind.INVOICE
    currency: str = "EUR"
    your_ref: str = ""
    description: str = ""
    credits_invoice: str = ""  # for a credit note: the number of the invoice it credits
    lines: list[InvoiceLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

"""Payment status of a transferred invoice, as the local side shows it.

One rule (`payment_of`) turns an invoice's payment terms in Exact into open / partly paid (with
the amount left) / paid (with the date) / credited. A term is a part of the invoice's amount:
Exact splits a term on a partial payment, so an invoice may have several; what is open is the sum
of the terms not yet settled. Credited means settled without a payment: matched against a credit
note (no payment date), or covered by the credit notes that name the invoice.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


CENT = Decimal("0.01")


class PaymentStatus(StrEnum):
    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    CREDITED = "credited"


@dataclass(slots=True, frozen=True)
class TermFacts:
    """What the rule needs of one term (amounts in the invoice's currency)."""

    amount: Decimal
    settled: bool
    paid_on: dt.datetime | None = None


@dataclass(slots=True)
class InvoicePayment:
    """The payment state kept with one local invoice (`exact-tui transfers` shows it)."""

    invoice_id: str
    number: str = ""
    status: PaymentStatus = PaymentStatus.OPEN
    amount_open: Decimal | None = None
    currency: str = ""
    paid_on: dt.date | None = None
    checked_at: dt.datetime | None = None
    terms: int = 0  # how many payment terms Exact has for it (0: not seen in Exact's terms yet)


def payment_of(terms: list[TermFacts], total: Decimal | None, *, credited: Decimal = Decimal(0)) -> tuple[
        PaymentStatus, Decimal | None, dt.date | None]:
    """(status, amount open, paid on) of an invoice from its terms.

    `paid on` is the last payment's date (for a partly paid invoice: of the part paid so far).

    `total` is the invoice's amount (incl. VAT) as transferred; `credited` what transferred credit
    notes naming it took off (a positive number). Signs follow the invoice (a credit note's terms
    are negative): only magnitudes are compared.
    """
    if not terms:
        return PaymentStatus.OPEN, (abs(total).quantize(CENT) if total is not None else None), None
    open_amount = sum((abs(t.amount) for t in terms if not t.settled), Decimal(0)).quantize(CENT)
    dates = [t.paid_on for t in terms if t.settled and t.paid_on is not None]
    paid_on = max(dates).date() if dates else None
    whole = abs(total) if total is not None else sum((abs(t.amount) for t in terms), Decimal(0))
    if open_amount <= 0:
        if not dates or (credited > 0 and credited >= whole):
            return PaymentStatus.CREDITED, CENT * 0, None
        return PaymentStatus.PAID, CENT * 0, paid_on
    if open_amount < whole:
        return PaymentStatus.PARTLY_PAID, open_amount, paid_on
    return PaymentStatus.OPEN, open_amount, None

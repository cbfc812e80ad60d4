"""Payment terms: what Exact says about the money of booked invoices.

`sync/Cashflow/PaymentTerms` is the cheap way (1,000 rows a call, only what changed since a stored
Timestamp) but holds supplier terms beside customer ones; `bulk/Cashflow/Receivables` answers for
one invoice in one call. Rows become `PaymentTerm`s; which of them belong to our invoices is the
payments service's business (it matches on the entry, journal and account, never on numbers alone).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .odata import guid_literal, string_literal
from .records import BOOL, CODE, DATE, DEC, GUID, INT, STR, Record, SyncResult

if TYPE_CHECKING:
    from .client import ExactClient

PAYMENT_TERMS = "sync/Cashflow/PaymentTerms"
RECEIVABLES = "bulk/Cashflow/Receivables"


@dataclass(slots=True)
class PaymentTerm(Record):
    """One payment term (an open or settled part of an invoice's amount)."""

    id: str | None = None
    account: str | None = None
    line_type: int | None = None
    journal: str = ""
    entry_number: int | None = None
    invoice_number: int | None = None
    your_ref: str = ""
    amount_fc: Decimal | None = None
    amount_dc: Decimal | None = None
    total_fc: Decimal | None = None
    currency: str = ""
    status: int | None = None
    fully_paid: bool | None = None
    last_payment: dt.datetime | None = None
    entry_id: str | None = None
    timestamp: int | None = None
    MAP = (("id", "ID", GUID), ("account", "Account", GUID), ("line_type", "LineType", INT),
           ("journal", "Journal", CODE), ("entry_number", "EntryNumber", INT), ("invoice_number", "InvoiceNumber", INT),
           ("your_ref", "YourRef", STR), ("amount_fc", "AmountFC", DEC), ("amount_dc", "AmountDC", DEC),
           ("total_fc", "TransactionAmountFC", DEC), ("currency", "Currency", STR), ("status", "Status", INT),
           ("fully_paid", "IsFullyPaid", BOOL), ("last_payment", "LastPaymentDate", DATE),
           ("entry_id", "TransactionEntryID", GUID))

    @property
    def settled(self) -> bool:
        """Paid, processed or matched: nothing of this term is open any more."""
        return bool(self.fully_paid) or (self.status or 0) >= 40


async def sync_payment_terms(exact: "ExactClient", since: int | None = None) -> SyncResult[PaymentTerm]:
    """Every term (customer AND supplier) changed after `since`: ~1 call per 1,000 changes."""
    return await exact.sync(PaymentTerm, PAYMENT_TERMS, since)


async def terms_of_entry(exact: "ExactClient", entry_id: str) -> list[PaymentTerm]:
    """The terms of one booked entry, in one call (bulk endpoints have no mandatory filter)."""
    return await exact.list_records(PaymentTerm, RECEIVABLES, filter=f"TransactionEntryID eq {guid_literal(entry_id)}")


async def terms_of_invoice_number(exact: "ExactClient", journal: str, number: int) -> list[PaymentTerm]:
    """The terms of a sales invoice by its journal and number (when the entry id is not known)."""
    return await exact.list_records(PaymentTerm, RECEIVABLES,
                                    filter=f"Journal eq {string_literal(journal)} and InvoiceNumber eq {int(number)}")

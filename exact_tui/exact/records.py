"""Exact Online records as typed dataclasses, converted from and to Exact's field names.

Each record lists its fields once, as (attribute, Exact field, kind); `from_exact` parses an
answer row (`/Date(ms)/` → tz-aware datetime, padded `Code` → stripped, amounts → Decimal) and
`to_exact` builds a POST/PUT body from the attributes that are set. `SELECT` is the `$select`
list the client sends, so pulls carry only what the console uses.

Why over 400 lines: twenty short dataclasses, one per Exact entity, each with its field list.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar

from .odata import parse_date, strip_code, to_decimal, to_int

# kinds of field conversion
STR, CODE, INT, DEC, DATE, BOOL, GUID = "str", "code", "int", "dec", "date", "bool", "guid"


def _from(kind: str, value: Any) -> Any:
    if value is None:
        return None if kind not in (STR, CODE) else ""
    if kind == STR:
        return str(value)
    if kind == CODE:
        return strip_code(str(value))
    if kind == INT:
        return to_int(value)
    if kind == DEC:
        return to_decimal(value)
    if kind == DATE:
        return parse_date(value)
    if kind == BOOL:
        return bool(value)
    if kind == GUID:
        return str(value) if value else None
    raise ValueError(kind)


def _to(kind: str, value: Any) -> Any:
    if kind == DATE and isinstance(value, dt.datetime) and value.tzinfo is None:
        raise ValueError("dates sent to Exact must be tz-aware")
    if kind == CODE:
        return str(value).strip()
    return value


R = TypeVar("R", bound="Record")


class Record:
    """Mixin: field mapping to and from Exact's JSON."""

    MAP: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    READ_ONLY: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def select(cls) -> str:
        return ",".join(exact for _, exact, _ in cls.MAP)

    @classmethod
    def from_exact(cls: type[R], row: dict[str, Any]) -> R:
        values = {attr: _from(kind, row.get(exact)) for attr, exact, kind in cls.MAP if exact in row}
        return cls(**values)  # type: ignore[call-arg]

    def to_exact(self, *, include_empty: bool = False, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
        """Body for POST/PUT: set attributes only (None / "" left out unless `include_empty`)."""
        body: dict[str, Any] = {}
        for attr, exact, kind in self.MAP:
            if exact in self.READ_ONLY or exact in exclude:
                continue
            value = getattr(self, attr)
            if value is None or (value == "" and not include_empty):
                continue
            body[exact] = _to(kind, value)
        return body


@dataclass(slots=True)
class Me(Record):
    user_id: str = ""
    user_name: str = ""
    full_name: str = ""
    email: str = ""
    current_division: int | None = None
    language: str = ""
    MAP = (("user_id", "UserID", GUID), ("user_name", "UserName", STR), ("full_name", "FullName", STR),
           ("email", "Email", STR), ("current_division", "CurrentDivision", INT), ("language", "LanguageCode", STR))


@dataclass(slots=True)
class Division(Record):
    code: int
    description: str = ""
    customer: str | None = None
    blocked: bool = False
    # Exact names it BlockingStatus (0 = not blocked; 1 backup … 101 deleted): any non-zero status blocks
    MAP = (("code", "Code", INT), ("description", "Description", STR), ("customer", "Customer", GUID),
           ("blocked", "BlockingStatus", BOOL))


@dataclass(slots=True)
class Account(Record):
    name: str = ""
    id: str | None = None
    code: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    phone: str = ""
    email: str = ""
    vat: str = ""
    coc: str = ""
    website: str = ""
    status: str = ""  # C customer, P prospect, S suspect, A none
    is_supplier: bool | None = None
    payment_condition: str = ""
    blocked: bool | None = None
    modified: dt.datetime | None = None
    timestamp: int | None = None
    MAP = (("id", "ID", GUID), ("code", "Code", CODE), ("name", "Name", STR), ("address", "AddressLine1", STR),
           ("postcode", "Postcode", STR), ("city", "City", STR), ("country", "Country", STR), ("phone", "Phone", STR),
           ("email", "Email", STR), ("vat", "VATNumber", STR), ("coc", "ChamberOfCommerce", STR),
           ("website", "Website", STR), ("status", "Status", STR), ("is_supplier", "IsSupplier", BOOL),
           ("payment_condition", "PaymentConditionSales", STR), ("blocked", "Blocked", BOOL),
           ("modified", "Modified", DATE))
    READ_ONLY = frozenset({"ID", "Modified"})


@dataclass(slots=True)
class Contact(Record):
    account: str | None = None
    id: str | None = None
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    MAP = (("id", "ID", GUID), ("account", "Account", GUID), ("first_name", "FirstName", STR),
           ("last_name", "LastName", STR), ("email", "Email", STR), ("phone", "Phone", STR))
    READ_ONLY = frozenset({"ID"})


@dataclass(slots=True)
class Item(Record):
    id: str | None = None
    code: str = ""
    description: str = ""
    is_sales_item: bool | None = None
    is_time: bool | None = None
    divisible: bool | None = None
    gl_revenue: str | None = None
    gl_revenue_code: str = ""
    sales_vat_code: str = ""
    start_date: dt.datetime | None = None
    end_date: dt.datetime | None = None
    MAP = (("id", "ID", GUID), ("code", "Code", CODE), ("description", "Description", STR),
           ("is_sales_item", "IsSalesItem", BOOL), ("is_time", "IsTime", BOOL),
           ("divisible", "IsFractionAllowedItem", BOOL), ("gl_revenue", "GLRevenue", GUID),
           ("gl_revenue_code", "GLRevenueCode", CODE), ("sales_vat_code", "SalesVatCode", CODE),
           ("start_date", "StartDate", DATE), ("end_date", "EndDate", DATE))

    def active(self, at: dt.datetime) -> bool:
        return (self.start_date is None or self.start_date <= at) and (self.end_date is None or at < self.end_date)


@dataclass(slots=True)
class Journal(Record):
    code: str = ""
    description: str = ""
    type: int | None = None
    currency: str = ""
    allow_variable_currency: bool | None = None
    allow_variable_exchange_rate: bool | None = None
    allow_vat: bool | None = None
    id: str | None = None
    MAP = (("id", "ID", GUID), ("code", "Code", CODE), ("description", "Description", STR), ("type", "Type", INT),
           ("currency", "Currency", STR), ("allow_variable_currency", "AllowVariableCurrency", BOOL),
           ("allow_variable_exchange_rate", "AllowVariableExchangeRate", BOOL), ("allow_vat", "AllowVAT", BOOL))
    SALES = 20

    @property
    def is_sales(self) -> bool:
        return self.type == self.SALES


@dataclass(slots=True)
class GLAccount(Record):
    id: str | None = None
    code: str = ""
    description: str = ""
    type: int | None = None
    balance_type: str = ""
    blocked: bool | None = None
    MAP = (("id", "ID", GUID), ("code", "Code", CODE), ("description", "Description", STR), ("type", "Type", INT),
           ("balance_type", "BalanceType", STR), ("blocked", "IsBlocked", BOOL))


@dataclass(slots=True)
class VATCode(Record):
    code: str = ""
    description: str = ""
    percentage: Decimal | None = None
    type: str = ""  # E exclusive, I inclusive
    MAP = (("code", "Code", CODE), ("description", "Description", STR), ("percentage", "Percentage", DEC),
           ("type", "Type", STR))

    @property
    def exclusive(self) -> bool:
        return self.type == "E"


@dataclass(slots=True)
class FinancialPeriod(Record):
    """One period of Exact's period-date table: invoices dated in it post there (unless it is closed).

    FinancialPeriods has no "closed" property; `closed` is filled from `read/financial/JournalStatusList`
    for one journal (`ExactClient.financial_periods(journal=…)`), and stays None when not asked."""

    year: int = 0
    period: int = 0
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    closed: bool | None = None
    MAP = (("year", "FinYear", INT), ("period", "FinPeriod", INT), ("start_date", "StartDate", DATE),
           ("end_date", "EndDate", DATE))

    @classmethod
    def from_exact(cls, row: dict[str, Any]) -> "FinancialPeriod":
        made = Record.from_exact.__func__(cls, row)  # type: ignore[attr-defined]  # slots: no zero-arg super
        for name in ("start_date", "end_date"):  # compared with invoice dates, which are plain dates
            value = getattr(made, name)
            if isinstance(value, dt.datetime):
                setattr(made, name, value.date())
        return made

    def contains(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or day <= self.end_date)


@dataclass(slots=True)
class JournalStatus(Record):
    """`read/financial/JournalStatusList`: a journal's status in one period (0 open, 1 closed)."""

    year: int = 0
    period: int = 0
    journal: str = ""
    status: int | None = None
    MAP = (("year", "Year", INT), ("period", "Period", INT), ("journal", "Journal", CODE), ("status", "Status", INT))

    @property
    def closed(self) -> bool:
        return self.status == 1


@dataclass(slots=True)
class PaymentCondition(Record):
    code: str = ""
    description: str = ""
    payment_days: int | None = None
    MAP = (("code", "Code", CODE), ("description", "Description", STR), ("payment_days", "PaymentDays", INT))


@dataclass(slots=True)
class SalesInvoiceLine(Record):
    item: str | None = None
    quantity: Decimal | None = None
    net_price: Decimal | None = None
    description: str = ""
    vat_code: str = ""
    id: str | None = None
    MAP = (("id", "ID", GUID), ("item", "Item", GUID), ("quantity", "Quantity", DEC), ("net_price", "NetPrice", DEC),
           ("description", "Description", STR), ("vat_code", "VATCode", CODE))
    READ_ONLY = frozenset({"ID"})


@dataclass(slots=True)
class SalesInvoice(Record):
    ordered_by: str | None = None
    journal: str = ""
    invoice_date: dt.datetime | dt.date | None = None
    currency: str = ""
    your_ref: str = ""
    description: str = ""
    invoice_to: str | None = None
    payment_condition: str = ""
    invoice_id: str | None = None
    invoice_number: int | None = None
    status: int | None = None
    amount_dc: Decimal | None = None
    lines: list[SalesInvoiceLine] = field(default_factory=list)
    MAP = (("invoice_id", "InvoiceID", GUID), ("ordered_by", "OrderedBy", GUID), ("invoice_to", "InvoiceTo", GUID),
           ("journal", "Journal", CODE), ("invoice_date", "InvoiceDate", DATE), ("currency", "Currency", STR),
           ("your_ref", "YourRef", STR), ("description", "Description", STR),
           ("payment_condition", "PaymentCondition", CODE), ("invoice_number", "InvoiceNumber", INT),
           ("status", "Status", INT), ("amount_dc", "AmountDC", DEC))
    READ_ONLY = frozenset({"InvoiceID", "InvoiceNumber", "Status", "AmountDC"})
    DRAFT, OPEN, PROCESSED = 10, 20, 50

    @classmethod
    def from_exact(cls, row: dict[str, Any]) -> "SalesInvoice":
        invoice = Record.from_exact.__func__(cls, row)  # type: ignore[attr-defined]
        invoice.lines = [SalesInvoiceLine.from_exact(r) for r in _nested(row.get("SalesInvoiceLines"))]
        return invoice

    def to_exact(self, **kw: Any) -> dict[str, Any]:
        body = Record.to_exact(self, **kw)
        body["SalesInvoiceLines"] = [line.to_exact() for line in self.lines]
        return body


@dataclass(slots=True)
class SalesEntryLine(Record):
    gl_account: str | None = None
    amount_fc: Decimal | None = None
    vat_code: str = ""
    description: str = ""
    id: str | None = None
    MAP = (("id", "ID", GUID), ("gl_account", "GLAccount", GUID), ("amount_fc", "AmountFC", DEC),
           ("vat_code", "VATCode", CODE), ("description", "Description", STR))
    READ_ONLY = frozenset({"ID"})


@dataclass(slots=True)
class SalesEntry(Record):
    journal: str = ""
    customer: str | None = None
    entry_date: dt.datetime | dt.date | None = None
    entry_number: int | None = None
    your_ref: str = ""
    description: str = ""
    currency: str = ""
    payment_condition: str = ""
    invoice_number: int | None = None
    entry_id: str | None = None
    amount_dc: Decimal | None = None
    amount_fc: Decimal | None = None
    status: int | None = None
    type: int | None = None
    lines: list[SalesEntryLine] = field(default_factory=list)
    MAP = (("entry_id", "EntryID", GUID), ("journal", "Journal", CODE), ("customer", "Customer", GUID),
           ("entry_date", "EntryDate", DATE), ("entry_number", "EntryNumber", INT),
           ("invoice_number", "InvoiceNumber", INT), ("your_ref", "YourRef", STR),
           ("description", "Description", STR), ("currency", "Currency", STR),
           ("payment_condition", "PaymentCondition", CODE), ("amount_dc", "AmountDC", DEC),
           ("amount_fc", "AmountFC", DEC), ("status", "Status", INT), ("type", "Type", INT))
    READ_ONLY = frozenset({"EntryID", "AmountDC", "AmountFC", "Status", "Type"})

    @classmethod
    def from_exact(cls, row: dict[str, Any]) -> "SalesEntry":
        entry = Record.from_exact.__func__(cls, row)  # type: ignore[attr-defined]
        entry.lines = [SalesEntryLine.from_exact(r) for r in _nested(row.get("SalesEntryLines"))]
        return entry

    def to_exact(self, **kw: Any) -> dict[str, Any]:
        body = Record.to_exact(self, **kw)
        body["SalesEntryLines"] = [line.to_exact() for line in self.lines]
        return body


@dataclass(slots=True)
class Receivable(Record):
    id: str | None = None
    account: str | None = None
    account_code: str = ""
    invoice_number: int | None = None
    entry_number: int | None = None
    your_ref: str = ""
    amount_dc: Decimal | None = None
    amount_fc: Decimal | None = None
    currency: str = ""
    due_date: dt.datetime | None = None
    is_fully_paid: bool | None = None
    last_payment_date: dt.datetime | None = None
    status: int | None = None
    entry_id: str | None = None
    MAP = (("id", "ID", GUID), ("account", "Account", GUID), ("account_code", "AccountCode", CODE),
           ("invoice_number", "InvoiceNumber", INT), ("entry_number", "EntryNumber", INT), ("your_ref", "YourRef", STR),
           ("amount_dc", "AmountDC", DEC), ("amount_fc", "AmountFC", DEC), ("currency", "Currency", STR),
           ("due_date", "DueDate", DATE), ("is_fully_paid", "IsFullyPaid", BOOL),
           ("last_payment_date", "LastPaymentDate", DATE), ("status", "Status", INT),
           ("entry_id", "TransactionEntryID", GUID))


@dataclass(slots=True)
class OpenReceivable(Record):
    """A row of `read/financial/ReceivablesList`: open items only — an exported invoice absent from it is paid."""

    id: str | None = None
    account: str | None = None
    account_code: str = ""
    account_name: str = ""
    amount: Decimal | None = None
    currency: str = ""
    due_date: dt.datetime | None = None
    entry_number: int | None = None
    invoice_number: int | None = None
    journal: str = ""
    your_ref: str = ""
    MAP = (("id", "Id", GUID), ("account", "AccountId", GUID), ("account_code", "AccountCode", CODE),
           ("account_name", "AccountName", STR), ("amount", "Amount", DEC), ("currency", "CurrencyCode", STR),
           ("due_date", "DueDate", DATE), ("entry_number", "EntryNumber", INT), ("invoice_number", "InvoiceNumber", INT),
           ("journal", "JournalCode", CODE), ("your_ref", "YourRef", STR))


@dataclass(slots=True)
class DeletedRecord(Record):
    """A row of `sync/Deleted`: what was deleted in Exact (kept about two months)."""

    entity_key: str | None = None
    entity_type: int | None = None
    deleted_date: dt.datetime | None = None
    timestamp: int | None = None
    MAP = (("entity_key", "EntityKey", GUID), ("entity_type", "EntityType", INT), ("deleted_date", "DeletedDate", DATE))
    # EntityType as Exact documents it. There is none for SalesEntries: a deleted sales entry shows
    # as deleted TransactionLines, keyed by line (not by EntryID) — ask for the entry itself instead.
    TRANSACTION_LINE, ACCOUNT, ADDRESS, CONTACT, GL_ACCOUNT, ITEM_PRICE, ITEM, PAYMENT_TERM, SALES_INVOICE = \
        1, 2, 3, 5, 7, 8, 9, 10, 13


T = TypeVar("T")


@dataclass(slots=True)
class SyncResult(Generic[T]):
    """Rows from a `sync/` endpoint and the highest `Timestamp` seen: store it, pass it next time."""

    rows: list[T]
    timestamp: int | None


def _nested(value: Any) -> list[dict[str, Any]]:
    """Nested lines come as a list, `{"results": [...]}` or a deferred link (not loaded)."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and isinstance(value.get("results"), list):
        return value["results"]
    return []


def record_fields(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]

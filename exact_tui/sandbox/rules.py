"""Exact's business rules for the records an integration writes, producing the catalogue's errors:
the context, the lookups every rule shares (account, journal, currency, payment condition, period,
VAT code, G/L account, sales item), and the rules of accounts, contacts and webhooks. Sales entries
are in entries.py, sales invoices in invoices.py, the path → rule tables in writes.py.

Each `create_*`/`update_*`/`delete_*` takes a `Ctx` (division, user, runtime) and a body whose
values are already typed (GUIDs, datetimes, Decimal). A broken rule raises `fail(500, …)`, Exact's
status for business-rule failures; texts come from messages.py in the user's language.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from exact_tui.domain.customer import pad_account_code

from .messages import fail
from .periods import journal_closed
from .world import Row, User, World

if TYPE_CHECKING:
    from .app import Runtime

ACCOUNTS, CONTACTS, ITEMS = "crm/Accounts", "crm/Contacts", "logistics/Items"
JOURNALS, GLS, VATS, PAYCONDS, PERIODS = (
    "financial/Journals", "financial/GLAccounts", "vat/VATCodes", "cashflow/PaymentConditions",
    "financial/FinancialPeriods",
)
INVOICES, INVOICE_LINES = "salesinvoice/SalesInvoices", "salesinvoice/SalesInvoiceLines"
ENTRIES, ENTRY_LINES, RECEIVABLES = "salesentry/SalesEntries", "salesentry/SalesEntryLines", "cashflow/Receivables"
SALES_JOURNAL_TYPES = {20, 21}
CENT = Decimal("0.01")


@dataclass
class Ctx:
    rt: "Runtime"
    division: int
    user: User

    @property
    def world(self) -> World:
        return self.rt.world

    def table(self, name: str):
        return self.world.table(self.division, name)


def _new_id() -> str:
    return str(uuid.uuid4())


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def _day(value: dt.date) -> dt.datetime:
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)


# ------------------------------------------------------------------ lookups shared by the rules

def account(ctx: Ctx, account_id: Any, required_key: str, *, customer: bool = True) -> Row:
    if not account_id:
        raise fail(500, required_key)
    row = ctx.table(ACCOUNTS).get(account_id)
    if row is None:
        raise fail(500, "customer_unknown" if customer else "account_unknown")
    if customer:
        if row.get("Status") != "C":
            raise fail(500, "customer_type")
        if row.get("Blocked"):
            raise fail(500, "customer_blocked")
    return row


def journal(ctx: Ctx, code: Any) -> Row:
    if code in (None, ""):
        raise fail(500, "journal_required")
    wanted = str(code).strip()
    row = next((j for j in ctx.table(JOURNALS).rows.values() if str(j.get("Code", "")).strip() == wanted), None)
    if row is None:
        raise fail(500, "journal_unknown")
    if int(row.get("Type") or 0) not in SALES_JOURNAL_TYPES:
        raise fail(500, "journal_type")
    return row


def currency(ctx: Ctx, journal_row: Row, wanted: Any) -> str:
    home = ctx.world.settings.get(ctx.division, {}).get("Currency") or "EUR"
    journal_currency = journal_row.get("Currency") or home
    value = (wanted or journal_currency).upper()
    if value != journal_currency and not journal_row.get("AllowVariableCurrency"):
        raise fail(500, "currency_not_allowed", journal=str(journal_row.get("Code", "")).strip())
    return value


def payment_condition(ctx: Ctx, wanted: Any, account_row: Row) -> Row:
    code = wanted or account_row.get("PaymentConditionSales") or \
        ctx.world.settings.get(ctx.division, {}).get("DefaultPaymentConditionSales")
    if not code:
        raise fail(500, "payment_condition_required")
    row = _by_code(ctx, PAYCONDS, code)
    if row is None:
        raise fail(500, "payment_condition_unknown")
    return row


def _by_code(ctx: Ctx, table: str, code: Any) -> Row | None:
    wanted = str(code).strip()
    return next((r for r in ctx.table(table).rows.values() if str(r.get("Code", "")).strip() == wanted), None)


def open_period(ctx: Ctx, when: dt.date, journal_code: Any) -> Row:
    """The financial period holding `when`; an unknown fiscal year, or a period closed for the journal
    the booking goes to (Exact closes periods per journal: periods.py), is refused."""
    for row in ctx.table(PERIODS).rows.values():
        start, end = _as_date(row.get("StartDate")), _as_date(row.get("EndDate"))
        if start and end and start <= when <= end:
            if journal_closed(row, journal_code):
                raise fail(500, "period_closed", year=row.get("FinYear"), period=row.get("FinPeriod"))
            return row
    raise fail(500, "fiscal_year_unknown")


def vat_code(ctx: Ctx, code: Any) -> Row | None:
    if code in (None, ""):
        return None
    row = _by_code(ctx, VATS, code)
    if row is None:
        raise fail(500, "vat_unknown")
    if str(row.get("Type", "E")).upper() == "I":
        raise fail(500, "vat_inclusive", code=str(row.get("Code")).strip())
    return row


def vat_rate(row: Row | None) -> Decimal:
    if row is None:
        return Decimal(0)
    pct = Decimal(str(row.get("Percentage") or 0))
    return pct / 100 if pct > 1 else pct


def gl_account(ctx: Ctx, gl_id: Any) -> Row:
    if not gl_id:
        raise fail(500, "gl_required")
    row = ctx.table(GLS).get(gl_id)
    if row is None:
        raise fail(500, "gl_unknown")
    if row.get("IsBlocked"):
        raise fail(500, "gl_blocked", gl=gl_label(row))
    return row


def gl_label(row: Row) -> str:
    """`8999 - Oude omzet`: how Exact names a G/L account in its messages (catalogue #42)."""
    return " - ".join(str(v).strip() for v in (row.get("Code"), row.get("Description")) if v)


def sales_item(ctx: Ctx, item_id: Any) -> Row:
    """An item a sales line may use: known, a sales item, active today (`StartDate`/`EndDate` on the
    sandbox clock, as Exact marks an item inactive once its end date has passed), and with a revenue
    G/L account that exists and is not blocked — reached through the item, as on a real invoice."""
    if not item_id:
        raise fail(500, "item_required")
    item = ctx.table(ITEMS).get(item_id)
    if item is None:
        raise fail(500, "item_unknown")
    label = str(item.get("Code", "")).strip()
    if item.get("IsSalesItem") is False:
        raise fail(500, "item_not_sales", item=label)
    today = ctx.world.now().date()
    start, end = _as_date(item.get("StartDate")), _as_date(item.get("EndDate"))
    if end is not None and end < today:
        raise fail(500, "item_inactive", item=label, since=_phrase_end(ctx, end))
    if start is not None and start > today:
        raise fail(500, "item_inactive", item=label, since=_phrase_start(ctx, start))
    gl_account(ctx, item.get("GLRevenue"))
    return item


def _phrase_end(ctx: Ctx, end: dt.date) -> str:
    return f"einddatum {end:%d-%m-%Y}" if ctx.user.language == "nl" else f"end date {end:%Y-%m-%d}"


def _phrase_start(ctx: Ctx, start: dt.date) -> str:
    return f"begindatum {start:%d-%m-%Y}" if ctx.user.language == "nl" else f"start date {start:%Y-%m-%d}"


def _decimal(value: Any, default: str = "0") -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(default)


# ------------------------------------------------------------------ accounts and contacts

ACCOUNT_STATUSES = {"C", "P", "S", "A"}


def create_account(ctx: Ctx, body: Row) -> Row:
    if not str(body.get("Name") or "").strip():
        raise fail(500, "name_required")
    table = ctx.table(ACCOUNTS)
    code = str(body.get("Code") or "").strip()
    if code:
        padded = pad_account_code(code)
        if any(r.get("Code") == padded for r in table.rows.values()):
            raise fail(500, "code_exists", code=code)
    else:
        numbers = [int(c) for c in (str(r.get("Code") or "").strip() for r in table.rows.values()) if c.isdigit()]
        padded = pad_account_code(str(max(numbers, default=0) + 1))
    status = str(body.get("Status") or ctx.rt.behaviour.account_default_status).upper()
    if status not in ACCOUNT_STATUSES:
        raise fail(500, "status_invalid", value=status)
    if body.get("PaymentConditionSales") and _by_code(ctx, PAYCONDS, body["PaymentConditionSales"]) is None:
        raise fail(500, "payment_condition_unknown")
    row = {f: None for f in ctx.rt.field_names(ACCOUNTS)}
    row.update(body)
    row.update(ID=_new_id(), Code=padded, Status=status, IsSales=status == "C",
               IsSupplier=bool(body.get("IsSupplier")), Blocked=bool(body.get("Blocked")))
    if row.get("Country"):
        row["Country"] = str(row["Country"]).upper()
    return ctx.world.insert(ctx.division, ACCOUNTS, row)


def update_account(ctx: Ctx, row: Row, body: Row) -> None:
    if "Code" in body:
        raise fail(500, "code_in_put")
    if "Name" in body and not str(body.get("Name") or "").strip():
        raise fail(500, "name_required")
    changes = dict(body)
    if "Status" in changes:
        status = str(changes["Status"] or "").upper()
        if status not in ACCOUNT_STATUSES:
            raise fail(500, "status_invalid", value=status)
        changes.update(Status=status, IsSales=status == "C")
    if changes.get("PaymentConditionSales") and _by_code(ctx, PAYCONDS, changes["PaymentConditionSales"]) is None:
        raise fail(500, "payment_condition_unknown")
    ctx.world.update(ctx.division, ACCOUNTS, row, changes)


def create_contact(ctx: Ctx, body: Row) -> Row:
    account(ctx, body.get("Account"), "account_required", customer=False)
    if not any(str(body.get(name) or "").strip() for name in ("LastName", "FirstName")):  # one is enough
        raise fail(500, "field_required", field="Achternaam" if ctx.user.language == "nl" else "Last name")
    row = {f: None for f in ctx.rt.field_names(CONTACTS)}
    row.update(body)
    row["ID"] = _new_id()
    row["FullName"] = " ".join(p for p in (row.get("FirstName"), row.get("LastName")) if p)
    return ctx.world.insert(ctx.division, CONTACTS, row)


def update_contact(ctx: Ctx, row: Row, body: Row) -> None:
    if "Account" in body:
        account(ctx, body.get("Account"), "account_required", customer=False)
    merged = {**row, **body}
    body = {**body, "FullName": " ".join(p for p in (merged.get("FirstName"), merged.get("LastName")) if p)}
    ctx.world.update(ctx.division, CONTACTS, row, body)


# ------------------------------------------------------------------ webhooks

def create_webhook(ctx: Ctx, body: Row) -> Row:
    url = str(body.get("CallbackURL") or "")
    if not url:
        raise fail(500, "field_required", field="CallbackURL")
    if not url.lower().startswith("https://"):
        raise fail(500, "callback_https")
    if not body.get("Topic"):
        raise fail(500, "field_required", field="Topic")
    row = {f: None for f in ctx.rt.field_names("webhooks/WebhookSubscriptions")}
    row.update(body)
    row["ID"] = _new_id()
    return ctx.world.insert(ctx.division, "webhooks/WebhookSubscriptions", row)


def receivables_list(ctx: Ctx) -> list[Row]:
    """`read/financial/ReceivablesList`: open items only (a paid invoice is absent)."""
    journals = {str(j.get("Code")).strip(): j for j in ctx.table(JOURNALS).rows.values()}
    rows = []
    for rec in ctx.table(RECEIVABLES).rows.values():
        if rec.get("IsFullyPaid") or rec.get("Status") == 50:
            continue
        j = journals.get(str(rec.get("Journal")), {})
        rows.append({
            "HID": uuid.UUID(rec["ID"]).int >> 65,  # a stable positive int64 per item
            "Id": rec["ID"], "AccountId": rec["Account"], "AccountCode": rec.get("AccountCode"),
            "AccountName": rec.get("AccountName"), "Amount": rec.get("AmountDC"), "CurrencyCode": rec.get("Currency"),
            "Description": rec.get("Description"), "DueDate": rec.get("DueDate"), "EntryNumber": rec.get("EntryNumber"),
            "InvoiceDate": rec.get("InvoiceDate"), "InvoiceNumber": rec.get("InvoiceNumber"),
            "JournalCode": rec.get("Journal"), "JournalDescription": j.get("Description"), "YourRef": rec.get("YourRef"),
        })
    return rows


def pay_receivable(ctx: Ctx, row: Row, matched: bool = True) -> None:
    """Admin helper: the customer paid (Status 50 matched) — what the payments screen polls for."""
    ctx.world.update(ctx.division, RECEIVABLES, row, {
        "IsFullyPaid": True, "LastPaymentDate": ctx.world.now(), "Status": 50 if matched else 40})

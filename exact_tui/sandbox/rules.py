"""Exact's business rules for the records an integration writes, producing the catalogue's errors.

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

from . import cashflow
from .messages import fail
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


def open_period(ctx: Ctx, when: dt.date) -> Row:
    """The financial period holding `when`; unknown fiscal year or a closed period is refused."""
    for row in ctx.table(PERIODS).rows.values():
        start, end = _as_date(row.get("StartDate")), _as_date(row.get("EndDate"))
        if start and end and start <= when <= end:
            if row.get("Closed"):
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


# ------------------------------------------------------------------ sales entries (no invoicing module)

def _entries_in_journal(ctx: Ctx, journal_code: str) -> list[Row]:
    return [e for e in ctx.table(ENTRIES).rows.values() if str(e.get("Journal")).strip() == journal_code]


def _next_entry_number(ctx: Ctx, journal_code: str) -> int:
    used = [int(e["EntryNumber"]) for e in _entries_in_journal(ctx, journal_code) if e.get("EntryNumber") is not None]
    base = int(journal_code) * 100_000 if journal_code.isdigit() else 0
    key = f"{ctx.division}/{journal_code}/entry"
    return ctx.world.next_number(key, max(used, default=base))


# Exact's G/L account types (GLAccounts.Type) a message may name: (Dutch, English).
GL_TYPES = {
    10: ("Kas", "Cash"), 12: ("Bank", "Bank"), 14: ("Creditcard", "Credit card"),
    16: ("Betaaldienst", "Payment service"), 20: ("Debiteuren", "Accounts receivable"),
    21: ("Vooruitbetaald debiteuren", "Prepayment accounts receivable"), 22: ("Crediteuren", "Accounts payable"),
    24: ("Btw", "VAT"), 90: ("Algemeen", "General"), 110: ("Omzet", "Revenue"),
    111: ("Kostprijs van de omzet", "Cost of goods"), 120: ("Overige kosten", "Other costs"),
    121: ("Verkoop-, algemene en administratiekosten", "Sales, general administrative expenses"),
    140: ("Bijzondere baten", "Exceptional income"),
}
CONTROL_GL_TYPES = {10, 12, 14, 16, 20, 21, 22, 24}  # cash, bank, receivable, payable, VAT: never on a sales line
REVENUE_GL_TYPE = 110


def sales_line_gl(ctx: Ctx, gl_id: Any) -> Row:
    """A G/L account a sales-entry line may book on: known, not blocked, and of a revenue type
    (`Behaviour.sales_line_gl`: "revenue" = type 110 only, "profit-loss" = any profit-and-loss
    account); a cash, bank, receivable, payable or VAT account never (catalogue #41)."""
    row = gl_account(ctx, gl_id)
    kind = row.get("Type")
    if kind is None:
        return row
    kind = int(kind)
    if ctx.rt.behaviour.sales_line_gl == "profit-loss":
        allowed = kind not in CONTROL_GL_TYPES and str(row.get("BalanceType") or "W").upper() == "W"
    else:
        allowed = kind == REVENUE_GL_TYPE
    if not allowed:
        nl, en = GL_TYPES.get(kind, (str(kind), str(kind)))
        raise fail(500, "gl_wrong_type", code=str(row.get("Code") or "").strip(),
                   type=f"{kind} - {nl if ctx.user.language == 'nl' else en}")
    return row


def _entry_line(ctx: Ctx, line: Row, entry_id: str, number: int, sign_hint: int = 1) -> Row:
    sales_line_gl(ctx, line.get("GLAccount"))
    vat = vat_code(ctx, line.get("VATCode"))
    amount = _decimal(line.get("AmountFC"))
    vat_amount = line.get("VATAmountFC")
    vat_amount = _decimal(vat_amount) if vat_amount is not None else (amount * vat_rate(vat)).quantize(CENT)
    row = {f: None for f in ctx.rt.field_names(ENTRY_LINES)}
    row.update(line)
    row.update(ID=_new_id(), EntryID=entry_id, LineNumber=number, AmountFC=amount, AmountDC=amount,
               VATAmountFC=vat_amount, VATPercentage=vat_rate(vat), Division=ctx.division)
    return row


def create_entry(ctx: Ctx, body: Row, *, lines_key: str = "SalesEntryLines", own_number: bool = False) -> Row:
    """POST salesentry/SalesEntries (and the entry a processed invoice books: `own_number`, Exact's
    own invoice number, which the `entry_number_hint` behaviour never drops)."""
    lines = body.get(lines_key)
    journal_row = journal(ctx, body.get("Journal"))
    journal_code = str(journal_row["Code"]).strip()
    customer = account(ctx, body.get("Customer"), "customer_required")
    cur = currency(ctx, journal_row, body.get("Currency"))
    condition = payment_condition(ctx, body.get("PaymentCondition"), customer)
    when = _as_date(body.get("EntryDate")) or ctx.world.now().date()
    period = open_period(ctx, when)
    if not isinstance(lines, list) or not lines:
        raise fail(500, "lines_required")
    number = _entry_number_hint(ctx, body, journal_code, honour=own_number)
    entry_id = _new_id()
    line_rows = [_entry_line(ctx, dict(line), entry_id, i + 1) for i, line in enumerate(lines)]
    if number is None:
        number = _next_entry_number(ctx, journal_code)
    due = _as_date(body.get("DueDate"))  # Exact computes the due date only when it is left out
    if due is None:
        due = when + dt.timedelta(days=int(condition.get("PaymentDays") or 0))
    entry = {f: None for f in ctx.rt.field_names(ENTRIES)}
    entry.update({k: v for k, v in body.items() if k != lines_key})
    entry.update(
        EntryID=entry_id, EntryNumber=number, InvoiceNumber=number,
        Journal=journal_code, Customer=customer["ID"], CustomerName=customer.get("Name"), Currency=cur,
        PaymentCondition=str(condition["Code"]).strip(), EntryDate=_day(when), DueDate=_day(due),
        ReportingYear=period.get("FinYear"), ReportingPeriod=period.get("FinPeriod"), Status=50,
    )
    _totals(entry, line_rows)
    cashflow.book_in_home_currency(ctx, entry, line_rows, when)  # AmountDC at the day's exchange rate
    if body.get("Type") in (20, 21):
        entry["Type"] = body["Type"]
    else:
        entry["Type"] = 21 if int(journal_row.get("Type") or 20) == 21 or entry["AmountFC"] < 0 else 20
    for line in line_rows:
        ctx.world.insert(ctx.division, ENTRY_LINES, line)
    ctx.world.insert(ctx.division, ENTRIES, entry)
    _receivable(ctx, entry, customer, journal_row)
    return entry


def _entry_number_hint(ctx: Ctx, body: Row, journal_code: str, *, honour: bool = False) -> int | None:
    """The number a new entry asks for. Exact keeps one number per entry (SalesEntries: "EntryNumber:
    for sales invoices this is the invoice number"), so `InvoiceNumber` is the same number and is taken
    as the hint when `EntryNumber` is left out. A number in use is refused; with the behaviour
    `entry_number_hint=ignore` the hint is dropped and Exact numbers the entry itself."""
    if ctx.rt.behaviour.entry_number_hint == "ignore" and not honour:
        return None
    key = "EntryNumber" if body.get("EntryNumber") is not None else "InvoiceNumber"
    number = body.get(key)
    if number is None:
        return None
    number = int(number)
    if any(e.get("EntryNumber") == number for e in _entries_in_journal(ctx, journal_code)):
        raise fail(500, "entry_number_in_use" if key == "EntryNumber" else "invoice_number_in_use")
    return number


def _totals(entry: Row, lines: list[Row]) -> None:
    net = sum((line["AmountFC"] for line in lines), Decimal("0"))
    vat = sum((line["VATAmountFC"] or Decimal(0) for line in lines), Decimal("0"))
    entry.update(AmountFC=net + vat, AmountDC=net + vat, VATAmountFC=vat, VATAmountDC=vat)


def _receivable(ctx: Ctx, entry: Row, customer: Row, journal_row: Row) -> Row:
    row = {f: None for f in ctx.rt.field_names(RECEIVABLES)}
    row.update(
        ID=_new_id(), Account=customer["ID"], AccountCode=customer.get("Code"), AccountName=customer.get("Name"),
        InvoiceNumber=entry["InvoiceNumber"], EntryNumber=entry["EntryNumber"], YourRef=entry.get("YourRef"),
        Description=entry.get("Description"), AmountDC=entry["AmountDC"], AmountFC=entry["AmountFC"],
        Currency=entry["Currency"], InvoiceDate=entry["EntryDate"], DueDate=entry["DueDate"], IsFullyPaid=False,
        LastPaymentDate=None, Status=20, TransactionEntryID=entry["EntryID"],
        Journal=str(journal_row.get("Code")).strip(), **cashflow.receipt_fields(entry),
    )
    return ctx.world.insert(ctx.division, RECEIVABLES, row)


def _receivable_of(ctx: Ctx, entry_id: str) -> Row | None:
    return next((r for r in ctx.table(RECEIVABLES).rows.values() if r.get("TransactionEntryID") == entry_id), None)


def _entry_period_open(ctx: Ctx, entry: Row) -> None:
    """An entry booked in a period that is closed now can be neither changed nor deleted."""
    when = _as_date(entry.get("EntryDate"))
    if when is not None:
        open_period(ctx, when)


def update_entry(ctx: Ctx, row: Row, body: Row) -> None:
    if "SalesEntryLines" in body:
        raise fail(500, "lines_on_put", lines="SalesEntryLines")
    _entry_period_open(ctx, row)
    changes = dict(body)
    if "InvoiceNumber" in changes and "EntryNumber" not in changes:
        changes["EntryNumber"] = changes["InvoiceNumber"]
    if changes.get("EntryNumber") is not None:
        changes["EntryNumber"] = changes["InvoiceNumber"] = int(changes["EntryNumber"])
    if "Journal" in body and str(body["Journal"]).strip() != row["Journal"]:
        changes["Journal"] = str(journal(ctx, body["Journal"])["Code"]).strip()
    if "Customer" in body:
        changes["CustomerName"] = account(ctx, body["Customer"], "customer_required").get("Name")
    if "EntryDate" in body and body["EntryDate"] is not None:
        period = open_period(ctx, _as_date(body["EntryDate"]))
        changes.update(ReportingYear=period.get("FinYear"), ReportingPeriod=period.get("FinPeriod"))
    if changes.get("EntryNumber") is not None and changes["EntryNumber"] != row.get("EntryNumber"):
        journal_code = changes.get("Journal", row["Journal"])
        if any(e.get("EntryNumber") == changes["EntryNumber"] for e in _entries_in_journal(ctx, journal_code)):
            raise fail(500, "entry_number_in_use")
    elif "EntryNumber" in changes and changes["EntryNumber"] is None:
        changes.pop("EntryNumber")
        changes.pop("InvoiceNumber", None)
    ctx.world.update(ctx.division, ENTRIES, row, changes)
    receivable = _receivable_of(ctx, row["EntryID"])
    if receivable is not None:
        ctx.world.update(ctx.division, RECEIVABLES, receivable, {
            "YourRef": row.get("YourRef"), "Description": row.get("Description"),
            "InvoiceNumber": row.get("InvoiceNumber"), "EntryNumber": row.get("EntryNumber"),
        })


def delete_entry(ctx: Ctx, row: Row) -> None:
    invoice = next((i for i in ctx.table(INVOICES).rows.values() if i.get("EntryID") == row["EntryID"]), None)
    if invoice is not None:  # the entry of a processed sales invoice goes only with a credit note
        raise fail(500, "entry_of_invoice", number=invoice.get("InvoiceNumber"))
    _entry_period_open(ctx, row)
    receivable = _receivable_of(ctx, row["EntryID"])
    if receivable is not None and (receivable.get("IsFullyPaid") or receivable.get("Status") == 50) \
            and not ctx.rt.behaviour.allow_delete_paid:
        raise fail(500, "delete_paid")
    for line in [line for line in ctx.table(ENTRY_LINES).rows.values() if line.get("EntryID") == row["EntryID"]]:
        ctx.world.delete(ctx.division, ENTRY_LINES, line["ID"], ctx.user.id)
    if receivable is not None:
        ctx.world.delete(ctx.division, RECEIVABLES, receivable["ID"], ctx.user.id)
    ctx.world.delete(ctx.division, ENTRIES, row["EntryID"], ctx.user.id)


def _refresh_entry(ctx: Ctx, entry: Row) -> None:
    lines = [line for line in ctx.table(ENTRY_LINES).rows.values() if line.get("EntryID") == entry["EntryID"]]
    changes: Row = {}
    _totals(changes, lines)
    cashflow.rebook(entry, changes, lines)
    ctx.world.update(ctx.division, ENTRIES, entry, changes)
    receivable = _receivable_of(ctx, entry["EntryID"])
    if receivable is not None:
        ctx.world.update(ctx.division, RECEIVABLES, receivable, cashflow.term_totals_changed(entry))


def _entry_for_line(ctx: Ctx, entry_id: Any) -> Row:
    entry = ctx.table(ENTRIES).get(entry_id) if entry_id else None
    if entry is None:
        raise fail(500, "field_required", field="EntryID")
    return entry


def create_entry_line(ctx: Ctx, body: Row) -> Row:
    entry = _entry_for_line(ctx, body.get("EntryID"))
    _entry_period_open(ctx, entry)
    existing = [line for line in ctx.table(ENTRY_LINES).rows.values() if line.get("EntryID") == entry["EntryID"]]
    line = _entry_line(ctx, dict(body), entry["EntryID"], len(existing) + 1)
    ctx.world.insert(ctx.division, ENTRY_LINES, line)
    _refresh_entry(ctx, entry)
    return line


def update_entry_line(ctx: Ctx, row: Row, body: Row) -> None:
    _entry_period_open(ctx, _entry_for_line(ctx, row["EntryID"]))
    merged = {**row, **body}
    checked = _entry_line(ctx, merged, row["EntryID"], row["LineNumber"])
    ctx.world.update(ctx.division, ENTRY_LINES, row, {k: checked[k] for k in body if k in checked} | {
        "AmountFC": checked["AmountFC"], "AmountDC": checked["AmountDC"], "VATAmountFC": checked["VATAmountFC"]})
    _refresh_entry(ctx, _entry_for_line(ctx, row["EntryID"]))


def delete_entry_line(ctx: Ctx, row: Row) -> None:
    entry = _entry_for_line(ctx, row["EntryID"])
    _entry_period_open(ctx, entry)
    remaining = [line for line in ctx.table(ENTRY_LINES).rows.values()
                 if line.get("EntryID") == entry["EntryID"] and line["ID"] != row["ID"]]
    if not remaining:
        delete_entry(ctx, entry)  # deleting the last line deletes the entry
        return
    ctx.world.delete(ctx.division, ENTRY_LINES, row["ID"], ctx.user.id)
    _refresh_entry(ctx, entry)


# ------------------------------------------------------------------ sales invoices (invoicing module)

def _invoice_line(ctx: Ctx, line: Row, invoice_id: str, number: int) -> Row:
    item = sales_item(ctx, line.get("Item"))
    quantity = _decimal(line.get("Quantity"), "1")
    if quantity != quantity.to_integral_value() and not item.get("IsFractionAllowedItem"):
        raise fail(500, "item_not_divisible", item=str(item.get("Code", "")).strip())
    vat = vat_code(ctx, line.get("VATCode") or item.get("SalesVatCode"))
    price = _decimal(line.get("NetPrice"))
    amount = (quantity * price).quantize(CENT)
    row = {f: None for f in ctx.rt.field_names(INVOICE_LINES)}
    row.update(line)
    row.update(ID=_new_id(), InvoiceID=invoice_id, LineNumber=number, Item=item["ID"], ItemCode=item.get("Code"),
               Quantity=quantity, NetPrice=price, AmountFC=amount, VATCode=vat and str(vat["Code"]).strip(),
               VATAmountFC=(amount * vat_rate(vat)).quantize(CENT), VATPercentage=vat_rate(vat),
               GLAccount=item.get("GLRevenue"), Division=ctx.division)
    return row


def _invoice_number_used(ctx: Ctx, journal_code: str, number: int) -> bool:
    return any(e.get("EntryNumber") == number or e.get("InvoiceNumber") == number
               for e in _entries_in_journal(ctx, journal_code)) or any(
        i.get("InvoiceNumber") == number and str(i.get("Journal")).strip() == journal_code
        for i in ctx.table(INVOICES).rows.values())


def create_invoice(ctx: Ctx, body: Row) -> Row:
    lines = body.get("SalesInvoiceLines")
    journal_row = journal(ctx, body.get("Journal"))
    journal_code = str(journal_row["Code"]).strip()
    customer = account(ctx, body.get("OrderedBy"), "ordered_by_required")
    if body.get("InvoiceTo") and body["InvoiceTo"] != customer["ID"]:
        account(ctx, body["InvoiceTo"], "customer_required")
    cur = currency(ctx, journal_row, body.get("Currency"))
    condition = payment_condition(ctx, body.get("PaymentCondition"), customer)
    if not isinstance(lines, list) or not lines:
        raise fail(500, "lines_required")
    number = body.get("InvoiceNumber")
    if number is not None and _invoice_number_used(ctx, journal_code, int(number)):
        raise fail(500, "entry_number_in_use")
    invoice_id = _new_id()
    line_rows = [_invoice_line(ctx, dict(line), invoice_id, i + 1) for i, line in enumerate(lines)]
    when = _as_date(body.get("InvoiceDate")) or ctx.world.now().date()
    invoice = {f: None for f in ctx.rt.field_names(INVOICES)}
    invoice.update({k: v for k, v in body.items() if k != "SalesInvoiceLines"})
    net = sum((line["AmountFC"] for line in line_rows), Decimal(0))
    vat = sum((line["VATAmountFC"] for line in line_rows), Decimal(0))
    invoice.update(
        InvoiceID=invoice_id, Journal=journal_code, OrderedBy=customer["ID"], OrderedByName=customer.get("Name"),
        InvoiceTo=body.get("InvoiceTo") or customer["ID"], Currency=cur, PaymentCondition=str(condition["Code"]).strip(),
        InvoiceDate=_day(when), DueDate=_day(when + dt.timedelta(days=int(condition.get("PaymentDays") or 0))),
        Status=20, Type=8021 if net < 0 else 8020, AmountFC=net + vat,
        AmountDC=cashflow.to_home(net + vat, cashflow.rate_to_home(ctx, cur, when)), VATAmountFC=vat,
        InvoiceNumber=int(number) if number is not None else None,
    )
    for line in line_rows:
        ctx.world.insert(ctx.division, INVOICE_LINES, line)
    return ctx.world.insert(ctx.division, INVOICES, invoice)


def _editable_invoice(ctx: Ctx, invoice_id: Any) -> Row:
    invoice = ctx.table(INVOICES).get(invoice_id) if invoice_id else None
    if invoice is None:
        raise fail(500, "invoice_unknown")
    if invoice.get("Status") == 50:
        raise fail(500, "processed_readonly")
    return invoice


def update_invoice(ctx: Ctx, row: Row, body: Row) -> None:
    _editable_invoice(ctx, row["InvoiceID"])
    if "SalesInvoiceLines" in body:
        raise fail(500, "lines_on_put", lines="SalesInvoiceLines")
    changes = dict(body)
    if "Journal" in body:
        changes["Journal"] = str(journal(ctx, body["Journal"])["Code"]).strip()
    if "OrderedBy" in body:
        changes["OrderedByName"] = account(ctx, body["OrderedBy"], "ordered_by_required").get("Name")
    ctx.world.update(ctx.division, INVOICES, row, changes)


def delete_invoice(ctx: Ctx, row: Row) -> None:
    _editable_invoice(ctx, row["InvoiceID"])
    for line in [line for line in ctx.table(INVOICE_LINES).rows.values() if line.get("InvoiceID") == row["InvoiceID"]]:
        ctx.world.delete(ctx.division, INVOICE_LINES, line["ID"], ctx.user.id)
    ctx.world.delete(ctx.division, INVOICES, row["InvoiceID"], ctx.user.id)


def _refresh_invoice(ctx: Ctx, invoice: Row) -> None:
    lines = [line for line in ctx.table(INVOICE_LINES).rows.values() if line.get("InvoiceID") == invoice["InvoiceID"]]
    net = sum((line["AmountFC"] for line in lines), Decimal(0))
    vat = sum((line["VATAmountFC"] or Decimal(0) for line in lines), Decimal(0))
    rate = cashflow.rate_to_home(ctx, invoice.get("Currency"), invoice.get("InvoiceDate"))
    ctx.world.update(ctx.division, INVOICES, invoice, {"AmountFC": net + vat, "AmountDC": cashflow.to_home(net + vat, rate),
                                                       "VATAmountFC": vat})


def create_invoice_line(ctx: Ctx, body: Row) -> Row:
    invoice = _editable_invoice(ctx, body.get("InvoiceID"))
    count = sum(1 for line in ctx.table(INVOICE_LINES).rows.values() if line.get("InvoiceID") == invoice["InvoiceID"])
    line = _invoice_line(ctx, dict(body), invoice["InvoiceID"], count + 1)
    ctx.world.insert(ctx.division, INVOICE_LINES, line)
    _refresh_invoice(ctx, invoice)
    return line


def update_invoice_line(ctx: Ctx, row: Row, body: Row) -> None:
    invoice = _editable_invoice(ctx, row["InvoiceID"])
    checked = _invoice_line(ctx, {**row, **body}, row["InvoiceID"], row["LineNumber"])
    checked["ID"] = row["ID"]
    ctx.world.update(ctx.division, INVOICE_LINES, row, checked)
    _refresh_invoice(ctx, invoice)


def delete_invoice_line(ctx: Ctx, row: Row) -> None:
    invoice = _editable_invoice(ctx, row["InvoiceID"])
    ctx.world.delete(ctx.division, INVOICE_LINES, row["ID"], ctx.user.id)
    _refresh_invoice(ctx, invoice)


def print_invoice(ctx: Ctx, body: Row) -> Row:
    """`PrintedSalesInvoices`: process 20 → 50, assign the number, book the entry and the receivable.

    Processing is when the invoice is booked, so the entry's rules apply here (a draft carries none):
    the period and fiscal year of the invoice date (or the print date sent), the customer, the journal,
    a number not yet used in the journal, and each line's G/L account as it stands now."""
    invoice = _editable_invoice(ctx, body.get("InvoiceID"))
    journal_row = journal(ctx, invoice["Journal"])
    journal_code = str(journal_row["Code"]).strip()
    customer = account(ctx, invoice["OrderedBy"], "ordered_by_required")
    when = _as_date(body.get("InvoiceDate") or invoice["InvoiceDate"])
    open_period(ctx, when)
    number = invoice.get("InvoiceNumber")
    auto = number is None
    if auto:  # the next free number, consumed only once the entry is booked (a refusal leaves no gap)
        key = f"{ctx.division}/{journal_code}/entry"
        used = [int(e["EntryNumber"]) for e in _entries_in_journal(ctx, journal_code) if e.get("EntryNumber") is not None]
        base = int(journal_code) * 100_000 if journal_code.isdigit() else 0
        number = max(ctx.world.counters.get(key, 0), max(used, default=base)) + 1
        while _invoice_number_used(ctx, journal_code, number):
            number += 1
    lines = [line for line in ctx.table(INVOICE_LINES).rows.values() if line.get("InvoiceID") == invoice["InvoiceID"]]
    for line in lines:  # an item may have ended (or lost its G/L) since the draft was made
        sales_item(ctx, line.get("Item"))
    entry = create_entry(ctx, {
        "Journal": journal_code, "Customer": customer["ID"], "EntryDate": _day(when), "EntryNumber": number,
        "Currency": invoice["Currency"], "PaymentCondition": invoice["PaymentCondition"],
        "YourRef": invoice.get("YourRef"), "Description": invoice.get("Description"),
        "SalesEntryLines": [{"GLAccount": line["GLAccount"], "AmountFC": line["AmountFC"], "VATCode": line["VATCode"],
                             "VATAmountFC": line["VATAmountFC"], "Description": line.get("Description"),
                             "Quantity": line["Quantity"]} for line in lines],
    }, own_number=True)
    if auto:
        ctx.world.counters[key] = max(ctx.world.counters.get(key, 0), number)
    ctx.world.update(ctx.division, INVOICES, invoice, {"Status": 50, "InvoiceNumber": number, "EntryID": entry["EntryID"]})
    printed = {"InvoiceID": invoice["InvoiceID"], "InvoiceDate": _day(when), "Division": ctx.division}
    for key in ("SendEmailToCustomer", "SendInvoiceToCustomerPostbox", "SendOutputBasedOnAccount"):
        printed[key] = bool(body.get(key))
    return printed


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


CREATE = {ACCOUNTS: create_account, CONTACTS: create_contact, ENTRIES: create_entry, ENTRY_LINES: create_entry_line,
          INVOICES: create_invoice, INVOICE_LINES: create_invoice_line,
          "salesinvoice/PrintedSalesInvoices": print_invoice, "webhooks/WebhookSubscriptions": create_webhook}
UPDATE = {ACCOUNTS: update_account, CONTACTS: update_contact, ENTRIES: update_entry, ENTRY_LINES: update_entry_line,
          INVOICES: update_invoice, INVOICE_LINES: update_invoice_line}
DELETE = {ENTRIES: delete_entry, ENTRY_LINES: delete_entry_line, INVOICES: delete_invoice,
          INVOICE_LINES: delete_invoice_line}

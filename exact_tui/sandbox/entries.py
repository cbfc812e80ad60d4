"""Exact's rules for sales entries (`salesentry/SalesEntries` and `SalesEntryLines`, the model without
the invoicing module): journal, customer, currency, payment condition, open period, one number per
entry, lines on revenue G/L accounts only, the receivable each entry books, and what a closed period
or a processed invoice forbids afterwards.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from . import cashflow
from .messages import fail
from .rules import (CENT, ENTRIES, ENTRY_LINES, INVOICES, RECEIVABLES, Ctx, _as_date, _day, _decimal, _new_id,
                    account, currency, gl_account, journal, open_period, payment_condition, vat_code, vat_rate)
from .world import Row

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
    period = open_period(ctx, when, journal_code)
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
    """An entry booked in a period that is closed now (for its journal) can be neither changed nor deleted."""
    when = _as_date(entry.get("EntryDate"))
    if when is not None:
        open_period(ctx, when, entry.get("Journal"))


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
    moved = "EntryDate" in body and body["EntryDate"] is not None
    if moved or "Journal" in changes:  # the period it moves to must be open for the journal it ends up in
        when = _as_date(body["EntryDate"]) if moved else _as_date(row.get("EntryDate"))
        if when is not None:
            period = open_period(ctx, when, changes.get("Journal", row["Journal"]))
            if moved:
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

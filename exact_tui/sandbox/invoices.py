"""Exact's rules for sales invoices (`salesinvoice/SalesInvoices`, `SalesInvoiceLines`,
`PrintedSalesInvoices`; the invoicing module): drafts with item lines, and processing, which assigns
the number and books the entry (entries.py) with the entry's rules as they stand at that moment.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from . import cashflow
from .entries import _entries_in_journal, create_entry
from .messages import fail
from .rules import (CENT, INVOICE_LINES, INVOICES, Ctx, _as_date, _day, _decimal, _new_id, account, currency,
                    journal, open_period, payment_condition, sales_item, vat_code, vat_rate)
from .world import Row

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
    open_period(ctx, when, journal_code)
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

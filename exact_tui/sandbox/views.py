"""Entities Exact derives from the records an integration writes, computed from the world on each read.

Exact keeps a visiting address with every account, a price with every item, a transaction line for
every line of a sales entry, a VAT percentage with every VAT code, and reports (aging, outstanding
invoices) over the open receivables. The sandbox does not store them a second time: each view builds
its rows from the stored ones, so they can never disagree. Keys are stable (a line's transaction
line has the line's ID, as in Exact; the others are UUIDv5 of their source row), and each row carries
its source row's `Timestamp`, so the `sync/` variants page the same way as stored tables.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .periods import journal_closed
from .schema import derived_key
from .rules import ACCOUNTS, ENTRIES, ENTRY_LINES, GLS, ITEMS, JOURNALS, PERIODS, RECEIVABLES, VATS, Ctx

Row = dict[str, Any]
_key = derived_key  # UUIDv5 of the source row (schema.py: deleting the source lists these in sync/Deleted)


def _stamped(row: Row, source: Row) -> Row:
    row.update(Timestamp=source.get("Timestamp", 0), Division=source.get("Division"),
               Created=source.get("Created"), Modified=source.get("Modified"))
    return row


def vat_percentages(ctx: Ctx) -> list[Row]:
    """`vat/VatPercentages`: the percentage of each VAT code (one period: no end date)."""
    return [_stamped({"ID": _key(v["ID"], "vat%"), "VATCodeID": v["ID"], "Percentage": v.get("Percentage"),
                      "LineNumber": 0, "Type": 0, "StartDate": None, "EndDate": None}, v)
            for v in ctx.table(VATS).rows.values()]


def addresses(ctx: Ctx) -> list[Row]:
    """`crm/Addresses`: each account's visiting address (Type 1, Main), as Exact keeps it."""
    out = []
    for a in ctx.table(ACCOUNTS).rows.values():
        if not any(a.get(f) for f in ("AddressLine1", "Postcode", "City")):
            continue
        out.append(_stamped({
            "ID": _key(a["ID"], "visit"), "Account": a["ID"], "AccountName": a.get("Name"),
            "AccountIsSupplier": bool(a.get("IsSupplier")), "AddressLine1": a.get("AddressLine1"),
            "AddressLine2": a.get("AddressLine2"), "AddressLine3": a.get("AddressLine3"), "City": a.get("City"),
            "Postcode": a.get("Postcode"), "Country": a.get("Country"), "Phone": a.get("Phone"), "Main": True,
            "Type": 1,
        }, a))
    return out


def sales_item_prices(ctx: Ctx) -> list[Row]:
    """`logistics/SalesItemPrices`: the standard sales price of each sales item."""
    currency = ctx.world.settings.get(ctx.division, {}).get("Currency") or "EUR"
    return [_stamped({
        "ID": _key(i["ID"], "price"), "Item": i["ID"], "ItemCode": i.get("Code"), "ItemDescription": i.get("Description"),
        "Price": i.get("SalesPrice", i.get("StandardSalesPrice")), "Currency": currency, "Unit": i.get("Unit"),
        "DefaultItemUnit": i.get("Unit"), "NumberOfItemsPerUnit": Decimal(1), "Quantity": Decimal(0),
        "StartDate": i.get("StartDate"), "EndDate": i.get("EndDate"),
    }, i) for i in ctx.table(ITEMS).rows.values() if i.get("IsSalesItem") is not False]


def transaction_lines(ctx: Ctx) -> list[Row]:
    """`financialtransaction/TransactionLines`: one line per sales-entry line, with the line's ID (so
    a deleted entry shows in `sync/Deleted` as its deleted lines, type 1). Revenue is a credit, so
    its amount is negative, as in Exact's ledger."""
    entries = ctx.table(ENTRIES).rows
    gls = ctx.table(GLS).rows
    out = []
    for line in ctx.table(ENTRY_LINES).rows.values():
        entry = entries.get(line.get("EntryID"))
        if entry is None:
            continue
        gl = gls.get(line.get("GLAccount")) or {}
        amount = -(line.get("AmountFC") or Decimal(0))
        out.append(_stamped({
            "ID": line["ID"], "EntryID": entry["EntryID"], "EntryNumber": entry.get("EntryNumber"),
            "InvoiceNumber": entry.get("InvoiceNumber"), "YourRef": entry.get("YourRef"), "Date": entry.get("EntryDate"),
            "DueDate": entry.get("DueDate"), "FinancialYear": entry.get("ReportingYear"),
            "FinancialPeriod": entry.get("ReportingPeriod"), "JournalCode": entry.get("Journal"),
            "Account": entry.get("Customer"), "AccountName": entry.get("CustomerName"), "GLAccount": line.get("GLAccount"),
            "GLAccountCode": gl.get("Code"), "GLAccountDescription": gl.get("Description"),
            "AmountFC": amount, "AmountDC": amount, "AmountVATFC": -(line.get("VATAmountFC") or Decimal(0)),
            "VATCode": line.get("VATCode"), "VATPercentage": line.get("VATPercentage"), "Currency": entry.get("Currency"),
            "Description": line.get("Description"), "Quantity": line.get("Quantity"), "LineNumber": line.get("LineNumber"),
            "Type": entry.get("Type"), "Status": entry.get("Status"),
        }, line))
    return out


def _open_receivables(ctx: Ctx) -> list[Row]:
    return [r for r in ctx.table(RECEIVABLES).rows.values() if not r.get("IsFullyPaid") and r.get("Status") != 50]


AGE_GROUPS = ((1, "0 - 30"), (2, "31 - 60"), (3, "61 - 90"), (4, "> 90"))


def aging_receivables(ctx: Ctx) -> list[Row]:
    """`read/financial/AgingReceivablesList`: open amounts per customer in four age groups by days
    past the invoice date (Exact's default groups: 0-30, 31-60, 61-90, over 90 days)."""
    today = ctx.world.now().date()
    per: dict[Any, Row] = {}
    for rec in _open_receivables(ctx):
        row = per.get(rec["Account"])
        if row is None:
            row = per[rec["Account"]] = {"AccountId": rec["Account"], "AccountCode": rec.get("AccountCode"),
                                         "AccountName": rec.get("AccountName"), "CurrencyCode": rec.get("Currency"),
                                         "TotalAmount": Decimal(0)}
            for n, label in AGE_GROUPS:
                row.update({f"AgeGroup{n}": n, f"AgeGroup{n}Amount": Decimal(0), f"AgeGroup{n}Description": label})
        when = rec.get("InvoiceDate")
        days = (today - (when.date() if isinstance(when, dt.datetime) else when or today)).days
        group = 1 if days <= 30 else 2 if days <= 60 else 3 if days <= 90 else 4
        amount = rec.get("AmountDC") or Decimal(0)
        row[f"AgeGroup{group}Amount"] += amount
        row["TotalAmount"] += amount
    return list(per.values())


def outstanding_invoices(ctx: Ctx) -> list[Row]:
    """`read/financial/OutstandingInvoicesOverview`: open and overdue receivables per currency (the
    sandbox holds no purchase invoices: payables are 0)."""
    today = ctx.world.now().date()
    per: dict[str, Row] = defaultdict(lambda: {name: Decimal(0) for name in (
        "OutstandingReceivableInvoiceAmount", "OutstandingReceivableInvoiceCount", "OverdueReceivableInvoiceAmount",
        "OverdueReceivableInvoiceCount", "OutstandingPayableInvoiceAmount", "OutstandingPayableInvoiceCount",
        "OverduePayableInvoiceAmount", "OverduePayableInvoiceCount")})
    for rec in _open_receivables(ctx):
        row = per[rec.get("Currency") or "EUR"]
        amount = rec.get("AmountFC") or Decimal(0)
        row["OutstandingReceivableInvoiceAmount"] += amount
        row["OutstandingReceivableInvoiceCount"] += 1
        due = rec.get("DueDate")
        if due is not None and (due.date() if isinstance(due, dt.datetime) else due) < today:
            row["OverdueReceivableInvoiceAmount"] += amount
            row["OverdueReceivableInvoiceCount"] += 1
    return [{"CurrencyCode": code, **values} for code, values in sorted(per.items())]


# Journal types as JournalStatusList describes them: (Dutch, English)
JOURNAL_TYPES = {10: ("Kas", "Cash"), 12: ("Bank", "Bank"), 16: ("Betaaldienst", "Payment service"),
                 20: ("Verkoop", "Sales"), 21: ("Retourfacturen", "Return invoice"), 22: ("Inkoop", "Purchase"),
                 23: ("Ontvangen retourfacturen", "Received return invoice"), 90: ("Memoriaal", "General journal")}
STATUS_TEXT = {0: ("Open", "Open"), 1: ("Afgesloten", "Closed")}


def journal_statuses(ctx: Ctx) -> list[Row]:
    """`read/financial/JournalStatusList`: every journal in every period of the period-date table,
    Status 0 open or 1 closed for that journal (periods.py: the period row's own state, never served)."""
    nl = ctx.user.language == "nl"
    rows = []
    for period in ctx.table(PERIODS).rows.values():
        year, number = int(period.get("FinYear") or 0), int(period.get("FinPeriod") or 0)
        for journal in ctx.table(JOURNALS).rows.values():
            code = str(journal.get("Code") or "").strip()
            status = 1 if journal_closed(period, code) else 0
            kind = int(journal.get("Type") or 0)
            names = JOURNAL_TYPES.get(kind, (str(kind), str(kind)))
            rows.append({"_key": f"{year:04d}/{number:03d}/{code}", "Year": year, "Period": number, "Journal": code,
                         "JournalDescription": journal.get("Description"), "JournalType": kind,
                         "JournalTypeDescription": names[0 if nl else 1], "Status": status,
                         "StatusDescription": STATUS_TEXT[status][0 if nl else 1]})
    return rows


VIEWS: dict[str, Callable[[Ctx], list[Row]]] = {
    "vat/VatPercentages": vat_percentages, "crm/Addresses": addresses, "logistics/SalesItemPrices": sales_item_prices,
    "financialtransaction/TransactionLines": transaction_lines,
    "read/financial/AgingReceivablesList": aging_receivables,
    "read/financial/OutstandingInvoicesOverview": outstanding_invoices,
    "read/financial/JournalStatusList": journal_statuses,
}

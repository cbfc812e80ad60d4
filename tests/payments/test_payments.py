"""Payments ← against the sandbox over HTTP: open / partly paid / paid / credited per transferred
invoice from sync/Cashflow/PaymentTerms, supplier lines never counted, one call per invoice on demand."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import httpx
import pytest

from exact_tui.exact.records import SalesEntry, SalesEntryLine
from exact_tui.sandbox import cashflow as sandbox_cashflow
from exact_tui.sandbox.testing import running_sandbox
from exact_tui.services.payments import PaymentsService, Transferred, describe, payment_fields

from exact.seedworld import DIV, gid, world


@pytest.fixture(scope="module")
def server():
    seed = world(20)
    tables = seed.tables[DIV]
    tables["financial/Journals"].append(
        {"ID": gid(71), "Code": "71", "Description": "Verkoop valuta", "Type": 20, "Currency": "EUR",
         "AllowVariableCurrency": True, "AllowVariableExchangeRate": True, "AllowVAT": True})
    tables["crm/Accounts"].append({"ID": gid(9001), "Code": "9001".rjust(18), "Name": "Leverancier BV", "Status": "A",
                                   "IsSales": False, "IsSupplier": True, "Blocked": False, "Country": "NL"})
    tables.update(sandbox_cashflow.seed_tables(DIV, dt.date.today(), tables["crm/Accounts"]))
    with running_sandbox(seed_data=seed, time_scale=60.0) as server:
        yield server


async def book(exact, customer: int, amount: str, *, journal="70", currency=None, number=None) -> tuple[Transferred, dict]:
    ref = number or f"F{uuid.uuid4().int % 10**8}"
    entry = await exact.create_sales_entry(SalesEntry(
        journal=journal, customer=gid(100_000 + customer), your_ref=ref, currency=currency or "",
        payment_condition="30", lines=[SalesEntryLine(gl_account=gid(8000), amount_fc=Decimal(amount))]))
    kind = "credit_note" if Decimal(amount) < 0 else "invoice"
    return Transferred(f"id-{ref}", ref, kind, "entries", entry.entry_id, str(entry.entry_number),
                       gid(100_000 + customer), journal), {"entry_id": entry.entry_id}


def term_ids(server, entry_id: str) -> list[str]:
    table = server.runtime.world.table(DIV, "cashflow/Receivables")
    return [r["ID"] for r in table.rows.values() if r["TransactionEntryID"] == entry_id]


def admin(server, path: str, **body) -> None:
    answer = httpx.post(f"{server.base_url}/sandbox/divisions/{DIV}/{path}", json=body)
    assert answer.status_code == 200, answer.text


async def test_each_state_from_the_payment_terms_and_supplier_lines_never_count(server, exact, store):
    paid, e1 = await book(exact, 1, "100")
    partly, e2 = await book(exact, 2, "1000")
    untouched, _ = await book(exact, 3, "50")
    invoice, e4 = await book(exact, 4, "200")
    credit, e5 = await book(exact, 4, "-200")
    credit = Transferred(credit.invoice_id, credit.number, "credit_note", "entries", credit.exact_id,
                         credit.exact_number, credit.customer_exact_id, "70", credits=invoice.number)
    admin(server, f"receivables/{term_ids(server, e1['entry_id'])[0]}/payments", date="2026-02-03")
    admin(server, f"receivables/{term_ids(server, e2['entry_id'])[0]}/payments", amount="400.00")
    admin(server, f"receivables/{term_ids(server, e4['entry_id'])[0]}/match",
          **{"with": term_ids(server, e5["entry_id"])[0]})
    # a supplier's purchase invoice with OUR numbers and reference, and the same amount: not ours
    admin(server, "payables", Account=gid(9001), AmountFC="121.00", InvoiceNumber=int(paid.exact_number),
          EntryNumber=int(paid.exact_number), YourRef=paid.number)
    invoices = [paid, partly, untouched, invoice, credit]
    service = PaymentsService(store, exact, invoices=invoices)
    report = await service.sync()
    states = store.payments.all()
    assert states[paid.invoice_id].status.value == "paid" and str(states[paid.invoice_id].paid_on) == "2026-02-03"
    assert states[partly.invoice_id].status.value == "partly_paid"
    assert states[partly.invoice_id].amount_open == Decimal("600.00")  # 1,000.00 (no VAT line) − 400.00
    assert states[untouched.invoice_id].status.value == "open" and states[untouched.invoice_id].amount_open == Decimal("50.00")
    assert states[invoice.invoice_id].status.value == "credited"
    assert report.supplier_or_foreign >= 1 and all(t["account"] != gid(9001) for t in store.payments.terms())
    assert payment_fields(states[partly.invoice_id]) == {"payment": "partly_paid", "amount_open": "600.00",
                                                        "paid_on": dt.date.today().isoformat()}  # of the part paid
    assert "600.00 EUR open" in describe(states[partly.invoice_id])
    # nothing changed in Exact: the re-sync is one call and changes nothing
    again = await PaymentsService(store, exact, invoices=invoices).sync()
    assert again.calls == 1 and again.changed == [] and again.terms_seen == 0
    # the rest of the partial payment arrives: only that change is pulled
    rest = next(t for t in term_ids(server, e2["entry_id"])
                if not server.runtime.world.table(DIV, "cashflow/Receivables").get(t)["IsFullyPaid"])
    later = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    admin(server, f"receivables/{rest}/payments", date=later)
    third = await PaymentsService(store, exact, invoices=invoices).sync()
    assert third.calls == 1 and third.changed == [partly.number]
    assert store.payments.get(partly.invoice_id).status.value == "paid"
    assert str(store.payments.get(partly.invoice_id).paid_on) == later  # the last payment's date


async def test_one_invoice_on_demand_in_one_call(server, exact, store):
    inv, entry = await book(exact, 5, "300")
    service = PaymentsService(store, exact, invoices=[inv])
    before = exact.calls
    state = await service.check(inv.number)
    assert exact.calls - before == 1 and state.status.value == "open" and state.amount_open == Decimal("300.00")
    admin(server, f"receivables/{term_ids(server, entry['entry_id'])[0]}/payments", amount="63.00")
    state = await service.check(inv.number)
    assert state.status.value == "partly_paid" and state.amount_open == Decimal("237.00") and state.terms == 2
    with pytest.raises(LookupError, match="not transferred"):
        await service.check("NOPE")


async def test_foreign_currency_amount_left_is_in_the_invoice_currency(server, exact, store):
    inv, entry = await book(exact, 6, "100", journal="71", currency="GBP")
    admin(server, f"receivables/{term_ids(server, entry['entry_id'])[0]}/payments", amount="21.00")
    await PaymentsService(store, exact, invoices=[inv]).sync()
    state = store.payments.get(inv.invoice_id)
    assert state.status.value == "partly_paid" and state.amount_open == Decimal("79.00") and state.currency == "GBP"
    term = server.runtime.world.table(DIV, "cashflow/Receivables").get(term_ids(server, entry["entry_id"])[0])
    assert term["AmountDC"] != term["AmountFC"]  # the division books it in EUR at the day's rate


async def test_the_schedule_is_every_four_hours_by_default_and_configurable(store):
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.timezone.utc)
    assert store.payments.due(now) and store.payments.interval_hours == 4
    store.payments.save(terms={}, invoices=[], ran_at=now)
    assert not store.payments.due(now + dt.timedelta(hours=3, minutes=59))
    assert store.payments.due(now + dt.timedelta(hours=4))
    store.payments.set_interval(1)
    assert store.payments.due(now + dt.timedelta(hours=1))
    with pytest.raises(ValueError):
        store.payments.set_interval(0)

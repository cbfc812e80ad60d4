"""Every pre-flight rule, each with an invoice that breaks it: blocked, named, nothing sent."""
from __future__ import annotations

import datetime as dt

import httpx
import pytest

from exact_tui.domain.invoice import InvoiceLine
from exact_tui.domain.products import DataType, DimensionKind
from exact_tui.domain.transfer import TransferStatus

from .conftest import DIVISION, TODAY, entries, exact_customers, hours


async def _run_one(profile, invoice):
    service = profile.service()
    await service.start()
    calls = service.client.calls
    report = await service.run([invoice])
    return service, report, service.client.calls - calls


def _blocked(profile, server, invoice, *words):
    state = profile.store.invoice_transfers.get(invoice.id)
    assert state.status is TransferStatus.BLOCKED, state
    for word in words:
        assert word in state.message, state.message
    assert entries(server, invoice.number) == []  # nothing reached Exact


async def test_a_line_without_product_number_blocks_the_invoice_with_the_line_named(profile, server):
    line = InvoiceLine("Reistijd", hours().quantity, hours().unit_price, "1", DataType.TIME_MATERIAL,
                       DimensionKind.HOURLY_RATE, "hr-2")
    invoice = profile.invoice(profile.customer(), hours(), line)
    _, _, calls = await _run_one(profile, invoice)
    _blocked(profile, server, invoice, "line 2", "no product number")
    state = profile.store.invoice_transfers.get(invoice.id)
    assert "step 7" in state.todo
    assert calls == 0  # the pre-flight costs nothing


async def test_the_dimension_mapping_then_the_default_principle_give_the_product_number(profile, server):
    by_rate = InvoiceLine("Senior uren", hours().quantity, hours().unit_price, "1", DataType.TIME_MATERIAL,
                          DimensionKind.HOURLY_RATE, "hr-1")  # hr-1 → CONS-SR
    fixed = InvoiceLine("Termijn 1", hours("1").quantity, hours().unit_price, "1", DataType.FIXED_PRICE)  # → FIX-PRJ
    invoice = profile.invoice(profile.customer(), by_rate, fixed)
    service, report, _ = await _run_one(profile, invoice)
    assert report.counts["transferred"] == 1, profile.store.invoice_transfers.get(invoice.id)
    pre = service.preflight(invoice)
    assert [l.item_code for l in pre.lines] == ["CONS-SR", "FIX-PRJ"]


@pytest.mark.parametrize("item,quantity,words", [
    ("HOSTING", "1", ("HOSTING", "no revenue G/L")),
    ("OUD-TARIEF", "1", ("OUD-TARIEF", "not active")),
    ("HW-INKOOP", "1", ("HW-INKOOP", "not a sales item")),
    ("CONS-DAG", "1.5", ("CONS-DAG", "not divisible")),
    ("OUD-OMZET", "1", ("OUD-OMZET", "blocked")),
    ("NOPE", "1", ("NOPE", "not a known product number")),
])
async def test_an_unusable_item_blocks_the_invoice(profile, server, item, quantity, words):
    invoice = profile.invoice(profile.customer(), hours(quantity, "100", item))
    await _run_one(profile, invoice)
    _blocked(profile, server, invoice, "line 1", *words)


async def test_an_item_not_activated_in_step_6_blocks(profile, server):
    profile.store.products.set_active(["CONS-JR"], False)
    invoice = profile.invoice(profile.customer(), hours("1", "100", "CONS-JR"))
    await _run_one(profile, invoice)
    _blocked(profile, server, invoice, "not activated")


async def test_a_foreign_currency_needs_a_journal_that_allows_it(profile, server):
    invoice = profile.invoice(profile.customer(), hours(), currency="USD")
    await _run_one(profile, invoice)
    _blocked(profile, server, invoice, "USD", "journal 70")
    profile.store.settings.update(journal="71")  # variable currency
    service, report, _ = await _run_one(profile, invoice)
    assert report.counts["transferred"] == 1


@pytest.mark.parametrize("vat,words", [("4", ("not exclusive",)), ("99", ("99", "does not exist"))])
async def test_vat_codes_must_exist_and_be_exclusive(profile, server, vat, words):
    invoice = profile.invoice(profile.customer(), hours(vat=vat))
    await _run_one(profile, invoice)
    _blocked(profile, server, invoice, *words)


async def test_a_date_without_fiscal_year_or_in_a_closed_period_blocks(profile, server):
    old = profile.invoice(profile.customer(), hours(), date=dt.date(TODAY.year - 3, 6, 1))
    await _run_one(profile, old)
    _blocked(profile, server, old, "No fiscal year")
    closed = profile.invoice(profile.customer(), hours(), date=dt.date(TODAY.year - 1, TODAY.month, 10))
    await _run_one(profile, closed)
    _blocked(profile, server, closed, "closed")


async def test_a_period_closed_for_another_journal_does_not_block_and_for_the_chosen_one_does(profile, server):
    """Exact closes a period per journal (read/financial/JournalStatusList): the pre-flight reads the status
    of the journal the invoices go to, not of any journal."""
    period = next(p for p in server.world.table(DIVISION, "financial/FinancialPeriods").rows.values()
                  if p["FinYear"] == TODAY.year and p["FinPeriod"] == TODAY.month)
    url = f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/financial/FinancialPeriods/{period['ID']}"
    httpx.post(url, json={"Closed": True, "Journal": "71"}).raise_for_status()
    try:
        profile.store.settings.update(journal="71")
        refused = profile.invoice(profile.customer(), hours())
        await _run_one(profile, refused)
        _blocked(profile, server, refused, "closed")
        profile.store.settings.update(journal="70")  # the same month is open in the sales journal 70
        booked = profile.invoice(profile.customer(), hours())
        _, report, _ = await _run_one(profile, booked)
        assert report.counts["transferred"] == 1, profile.store.invoice_transfers.get(booked.id)
        assert [e["Journal"] for e in entries(server, booked.number)] == ["70"]
    finally:
        httpx.post(url, json={"Closed": False}).raise_for_status()


async def test_dry_run_lists_the_problems_and_the_cost_and_sends_nothing(profile, server):
    good = profile.invoice(profile.customer(), hours())
    bad = profile.invoice(profile.customer(), hours(item="HOSTING"))
    service = profile.service()
    await service.start()
    checks, calls = service.dry_run([good, bad])
    assert [c.ok for c in checks] == [True, False]
    assert calls == 1
    problem = checks[1].problems[0]
    assert problem.what and problem.cause and problem.todo and problem.side
    assert entries(server, good.number) == []


def _posts(server) -> int:
    """POSTs the sandbox has answered (over HTTP, as a script would count them)."""
    calls = httpx.get(f"{server.base_url}/sandbox/stats").json()["calls"]
    return sum(n for key, n in calls.items() if key.startswith("POST "))


async def test_an_invoice_to_a_blocked_exact_account_is_blocked_without_a_post(profile, server):
    account = exact_customers(server)[0]
    customer = profile.customer(exact=account, number="4711")
    url = f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/crm/Accounts/{account['ID']}"
    httpx.post(url, json={"Blocked": True}).raise_for_status()  # blocked in Exact after it was linked
    try:
        invoice = profile.invoice(customer, hours())
        posts = _posts(server)
        _, _, calls = await _run_one(profile, invoice)  # start() pulls the accounts: the flag arrives
        code = account["Code"].strip()
        _blocked(profile, server, invoice, invoice.number, customer.name, code, "blocked in Exact")
        state = profile.store.invoice_transfers.get(invoice.id)
        assert f"Unblock account {code} in Exact" in state.todo and "another Exact account" in state.todo
        assert calls == 0 and _posts(server) == posts  # no POST spent on an invoice Exact must refuse
        assert profile.store.exact_accounts.get(account["ID"])["blocked"] is True  # the cache keeps the flag
    finally:
        httpx.post(url, json={"Blocked": False}).raise_for_status()
    again = profile.invoice(customer, hours())
    await _run_one(profile, again)  # unblocked in Exact: the next run re-reads it and sends
    assert profile.store.invoice_transfers.get(again.id).status is TransferStatus.TRANSFERRED

"""The doctor against the sandbox: each check passes on a healthy set-up and fails on the fault that breaks it."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import dataclass

import pytest

from exact_tui.cli import main
from exact_tui.exact.records import DATE, GUID, Record
from exact_tui.domain.transfer import TransferOutcome, TransferRecord
from exact_tui.services.doctor import FAILING, OK, SKIPPED, WARNING, run_doctor

from .conftest import MAIN, SECOND, admin, login


@dataclass(slots=True)
class FinancialPeriodRow(Record):
    id: str = ""
    start_date: dt.datetime | None = None
    end_date: dt.datetime | None = None
    MAP = (("id", "ID", GUID), ("start_date", "StartDate", DATE), ("end_date", "EndDate", DATE))


def _by_id(report):
    return {c.id: c for c in report.checks}


async def _doctor(session):
    return _by_id(await run_doctor(session))


async def _good_item(session) -> str:
    items = await session.client.items()
    gls = {g.code: g for g in await session.client.gl_accounts()}
    vats = {v.code: v for v in await session.client.vat_codes()}
    import datetime as dt

    now = dt.datetime.now(dt.timezone.utc)
    for item in items:
        gl = gls.get(item.gl_revenue_code)
        if (item.is_sales_item and item.divisible and gl is not None and not gl.blocked and item.active(now)
                and vats.get(item.sales_vat_code) is not None and vats[item.sales_vat_code].exclusive):
            return item.code
    raise AssertionError("the seed has no clean item")


def _map(session, code: str) -> None:
    dims = session.store.dimensions.all()
    for dim in dims:
        dim.product_number = code
    session.store.dimensions.put_many(dims)


def test_not_connected_fails_the_connection_and_skips_what_needs_exact(session):
    report = asyncio.run(run_doctor(session))
    checks = _by_id(report)
    assert checks["connection"].status == FAILING and "not connected" in checks["connection"].detail
    assert checks["journal"].status == SKIPPED and checks["items"].status == SKIPPED
    assert checks["pacing"].status == OK
    assert report.exit_code == 2


def test_healthy_set_up_and_the_json_cli(session, tmp_path, capsys):
    async def go():
        await login(session)
        _map(session, await _good_item(session))
        return await _doctor(session)

    checks = asyncio.run(go())
    for name in ("connection", "user", "division", "journal", "items", "budget", "pacing"):
        assert checks[name].status == OK, checks[name]
    assert "dedicated" in checks["user"].detail
    session.close_store()  # the CLI opens the profile read-only next to nothing
    code = main(["--data-dir", str(tmp_path), "--profile", "t", "doctor", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == {"ok": 0, "warning": 1, "failing": 2}[out["status"]]
    assert {c["id"] for c in out["checks"]} >= {"connection", "division", "journal", "items", "vat", "periods",
                                                "payment_condition", "links", "budget", "pacing", "customer_numbers"}
    assert all(c["status"] in ("ok", "warning", "failing", "skipped") for c in out["checks"])


def test_personal_user_is_a_warning_with_the_dedicated_user_advice(session):
    async def go():
        await login(session)
        session.me.full_name, session.me.user_name, session.me.email = "Jan Jansen", "j.jansen", "jan@brightwork.nl"
        return await _doctor(session)

    checks = asyncio.run(go())
    assert checks["user"].status == WARNING and "dedicated" in checks["user"].fix.lower()


@pytest.mark.parametrize("flag, words", [("LicenseExpired", "licence"), ("CustomerBlocked", "subscription"),
                                         ("Blocked", "blocked")])
def test_division_states_fail_the_division_check(sandbox, session, flag, words):
    async def go():
        await login(session)
        admin(sandbox, f"/sandbox/divisions/{MAIN}", {flag: True})
        try:
            return await _doctor(session)
        finally:
            admin(sandbox, f"/sandbox/divisions/{MAIN}", {flag: False})

    checks = asyncio.run(go())
    assert checks["division"].status == FAILING and words in (checks["division"].detail + checks["division"].fix).lower()


def test_a_journal_that_is_not_sales_fails(session):
    async def go():
        await login(session, journal="72")
        return await _doctor(session)

    assert asyncio.run(go())["journal"].status == FAILING


def test_fixed_currency_journal_with_foreign_invoices_waiting_fails(session):
    invoice = session.store.invoices.all()[0]
    invoice.currency = "USD"
    session.store.invoices.put(invoice)

    async def go():
        await login(session, journal="70")
        return await _doctor(session)

    check = asyncio.run(go())["journal"]
    assert check.status == FAILING and "variable currency" in check.fix


def test_items_that_exact_would_refuse_fail(session):
    async def go():
        await login(session)
        items = await session.client.items()
        bad = next(i for i in items if i.divisible is False)
        _map(session, bad.code)
        return bad.code, await _doctor(session)

    code, checks = asyncio.run(go())
    assert checks["items"].status == FAILING and code in checks["items"].detail and "divisible" in checks["items"].detail


def test_inclusive_vat_code_on_a_waiting_invoice_fails(session):
    async def go():
        await login(session)
        inclusive = next(v for v in await session.client.vat_codes() if v.type == "I")
        invoice = session.store.invoices.all()[0]
        invoice.lines[0].vat_code = inclusive.code
        session.store.invoices.put(invoice)
        return inclusive.code, await _doctor(session)

    code, checks = asyncio.run(go())
    assert checks["vat"].status == FAILING and code in checks["vat"].detail and "not exclusive" in checks["vat"].detail


def test_closed_period_under_a_waiting_invoice_fails(sandbox, session):
    async def go():
        await login(session)
        healthy = await _doctor(session)
        invoice = session.store.invoices.all()[0]
        rows = await session.client.list_records(FinancialPeriodRow, "financial/FinancialPeriods")
        covering = next(p for p in rows if p.start_date.date() <= invoice.date <= p.end_date.date())
        url = f"/sandbox/divisions/{MAIN}/rows/financial/FinancialPeriods/{covering.id}"
        try:
            admin(sandbox, url, {"Closed": True, "Journal": "71"})  # Exact closes per journal: not the chosen 70
            other = await _doctor(session)
            admin(sandbox, url, {"Closed": True, "Journal": "70"})
            return invoice, healthy, other, await _doctor(session)
        finally:
            admin(sandbox, url, {"Closed": False})

    invoice, healthy, other, checks = asyncio.run(go())
    assert other["periods"] == healthy["periods"] and invoice.number not in other["periods"].records
    assert checks["periods"].status == FAILING and "closed" in checks["periods"].detail
    assert invoice.number in checks["periods"].records
    assert "#26" in checks["periods"].fix


def test_refused_payment_condition_in_the_journal_fails(session):
    async def go():
        await login(session, division=SECOND)
        inv = session.store.invoices.all()[0]
        session.store.transfers.record(TransferRecord(inv.id, inv.number, outcome=TransferOutcome.FAILED,
                                                      message="refused", detail="Verplicht: Betalingsconditie"))
        return await _doctor(session)

    check = asyncio.run(go())["payment_condition"]
    assert check.status == FAILING and "#30" in check.fix


def test_deleted_linked_account_and_bad_customer_number_fail(sandbox, session):
    from exact_tui.domain.link import Link

    async def go():
        await login(session)
        accounts = (await session.client.sync_accounts()).rows
        customers = session.store.customers.all()
        a, b = accounts[0], accounts[1]
        session.store.links.link(Link(customers[0].id, a.id, exact_code=a.code))
        session.store.links.link(Link(customers[1].id, b.id, exact_code=b.code))
        admin(sandbox, f"/sandbox/divisions/{MAIN}/rows/crm/Accounts/{a.id}", method="DELETE")
        customers[1].number = "AB-12"
        session.store.customers.put(customers[1])
        return await _doctor(session)

    checks = asyncio.run(go())
    assert checks["links"].status == FAILING and "deleted" in checks["links"].detail
    assert checks["customer_numbers"].status == FAILING and "AB-12" in checks["customer_numbers"].detail


@pytest.mark.parametrize("profile", ["user-revoked", "refresh-expired"])
def test_fault_profiles_that_kill_the_connection_fail_and_say_reconnect(sandbox, session, profile):
    async def go():
        await login(session)
        await session.disconnect(quiet=True)
        admin(sandbox, "/sandbox/tokens/expire-access")
        with sandbox.faults(profile):
            return await _doctor(session)

    report = asyncio.run(go())
    bad = [c for c in report.values() if c.status == FAILING]
    assert bad and any("connect" in (c.fix + c.detail).lower() for c in bad)

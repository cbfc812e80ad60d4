"""Reconcile after real transfers over HTTP: amounts including VAT agree, then an amount changed in
Exact and an invoice edited locally after its transfer are each named with their fix."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import httpx

from exact_tui.services.reconcile import reconcile

from .conftest import DIVISION, hours, number


def receivable_of(server, entry_id: str) -> dict:
    rows = server.world.table(DIVISION, "cashflow/Receivables").rows.values()
    return next(r for r in rows if str(r.get("TransactionEntryID")).lower() == entry_id.lower())


async def test_amounts_and_local_edits(profile, server):
    store = profile.store
    a, b, c = (profile.customer() for _ in range(3))

    first = int(number())  # a series without holes: a gap would be drift too
    one = profile.invoice(a, hours("2.5", "100"), hours("1", "80", vat="2"), num=str(first + 100))
    two = profile.invoice(b, hours("3", "95"), num=str(first + 101))
    profile.invoice(c, hours(), num=str(first + 102))  # booked locally, not transferred yet: no hole in the series
    three = profile.invoice(c, hours("1", "60", item="CONS-SR"), num=str(first + 103))
    service = profile.service()
    await service.start()
    outcome = await service.run([one, two, three])
    assert outcome.counts.get("transferred") == 3, outcome.results
    report = await reconcile(store, profile.session.client)
    assert report.checked == 3 and report.agree, report.items  # VAT per line's code (or its item's) as Exact books it
    assert report.calls == 3  # payment terms, sync/Deleted, VAT codes
    # in Exact, someone changes invoice two's amount; locally invoice three is edited after its transfer
    term = receivable_of(server, service.states.get(two).exact_id)
    answer = httpx.post(f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/cashflow/Receivables/{term['ID']}",
                        json={"TransactionAmountFC": "999.00", "AmountFC": "999.00"})
    assert answer.status_code == 200, answer.text
    store.invoices.put(dataclasses.replace(three, lines=[hours("2", "60", item="CONS-SR")]))
    report = await reconcile(store, profile.session.client)
    kinds = {(item.number, item.kind): item for item in report.items}
    assert set(kinds) == {(two.number, "amount"), (three.number, "edited")}, report.items
    amount = kinds[(two.number, "amount")]
    assert "999.00" in amount.what and f"{Decimal('3') * 95 * Decimal('1.21'):,.2f}" in amount.what
    assert "credit" in kinds[(three.number, "edited")].fix


async def test_the_reconcile_screen_lists_drift_with_its_fix_at_80x24(profile, server):
    import time

    from exact_tui.ui.app import ExactApp
    from exact_tui.ui.reconcile import ReconcileScreen
    from exact_tui.ui.transfers import TransfersScreen

    first = int(number())
    a = profile.invoice(profile.customer(), hours(), num=str(first + 200))
    b = profile.invoice(profile.customer(), hours(), num=str(first + 201))
    service = profile.service()
    await service.start()
    await service.run([a, b])
    assert (await reconcile(profile.store, profile.session.client)).agree  # the terms are known from here on
    httpx.delete(f"{server.base_url}/sandbox/divisions/{DIVISION}/rows/salesentry/SalesEntries/"
                 f"{service.states.get(b).exact_id}").raise_for_status()
    app = ExactApp(profile.session, resume=False, deterministic=True)

    async def until(pilot, test, what):
        deadline = time.monotonic() + 30
        while not test():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            await pilot.pause(0.05)

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, ReconcileScreen) and app.screen.report is not None, "check")
        screen = app.screen
        assert [(i.number, i.kind) for i in screen.report.items] == [(b.number, "deleted_in_exact")]
        detail = str(screen.query_one("#reconcile-detail").render())
        assert "deleted in Exact" in detail and "Fix:" in detail and "undo the export" in detail
        assert "1 to look at" in str(screen.query_one("#reconcile-title").render())
        await pilot.press("g")  # the invoice in the Transfers screen, where undo is
        await until(pilot, lambda: isinstance(app.screen, TransfersScreen), "transfers")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReconcileScreen), "back")

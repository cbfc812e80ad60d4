"""The log screen (F5 from anywhere): wrapped lines, filters, Enter explains a line, g jumps to the record."""
from __future__ import annotations

import asyncio

from exact_tui.services.events import Event, Level, Side
from exact_tui.ui.app import ExactApp
from exact_tui.ui.screens.log import LogDetail, LogFilter, LogScreen


def _fill(session) -> None:
    session.store.log.extend([
        Event("GET /api/v1/786431/crm/Accounts → 200 in 40 ms", side=Side.EXACT, topic="api"),
        Event("Invoice refused by Exact", side=Side.EXACT, level=Level.ERROR, record="invoice 2026-0012",
              topic="transfer", detail="Error 500: Verplicht: Betalingsconditie"),
        Event("customer pushed " + "with a very long explanation " * 6, side=Side.LOCAL, record="customer 1042"),
        Event("Could not reach Exact", side=Side.NETWORK, level=Level.WARNING, record="customer 1042",
              detail="Connection refused"),
    ])


def test_filter_syntax():
    f = LogFilter.parse("level:error side:exact record:1042 betaling")
    assert (f.level, f.side, f.record, f.words) == ("error", "exact", "1042", ("betaling",))
    assert LogFilter.parse(f.text()) == f


def test_log_screen_from_the_customer_card_filters_explains_and_jumps(session, tmp_path):
    _fill(session)

    async def go():
        app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f3")  # the customer card …
            await pilot.pause()
            await pilot.press("f5")  # … and the log is one key away from it, as from every screen
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LogScreen) and len(screen.shown) >= 4
            await pilot.press("l")  # level: error
            await pilot.pause()
            assert [e.message for e in screen.shown] == ["Invoice refused by Exact"]
            await pilot.press("enter")
            await pilot.pause()
            detail = app.screen
            assert isinstance(detail, LogDetail)
            text = " ".join(str(w.render()) for w in detail.query("Static"))
            assert "Verplicht: Betalingsconditie" in text and "#30" in text and "invoice 2026-0012" in text
            await pilot.press("r")  # only this record's lines
            await pilot.pause()
            assert app.screen is screen and screen.filter.record == "invoice 2026-0012"
            await pilot.press("x", "s", "s", "s")  # side: network
            await pilot.pause()
            assert [e.side for e in screen.shown] == ["network"]
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("g")  # customer 1042 → the customer card, searched for it
            await pilot.pause(0.3)
            from exact_tui.ui.screens.customers import CustomerCardScreen

            assert isinstance(app.screen, CustomerCardScreen)
            assert app.screen.query_one("#search").value == "1042"

    asyncio.run(go())


def test_g_on_an_invoice_line_opens_transfers_on_that_invoice(session, tmp_path):
    """#13: `g` on a line about an invoice (in the list, or in its detail) opens the Transfers screen with
    the cursor on that invoice — not on the first row — even when it is far down the list."""
    from exact_tui.ui.transfers import TransfersScreen

    invoices = sorted(session.store.invoices.all(), key=lambda i: (i.date, i.number))
    assert len(invoices) > 3
    target = invoices[-2].number  # not the first row, so a cursor left at 0 fails
    session.store.log.extend([
        Event("Invoice refused by Exact", side=Side.EXACT, level=Level.ERROR, record=f"invoice {target}",
              topic="transfer", detail="Error 500: Verplicht: Betalingsconditie"),
        Event("GET /api/v1/786431/crm/Accounts → 200 in 40 ms", side=Side.EXACT, topic="api"),
    ])

    async def go():
        app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
        async with app.run_test(size=(80, 24)) as pilot:
            for route in (("g",), ("enter", "g")):  # from the list, and from the line's detail
                await pilot.press("f5")
                await pilot.pause()
                log = app.screen
                assert isinstance(log, LogScreen)
                log.query_one("#log-lines").highlighted = next(
                    n for n, e in enumerate(log.shown) if e.record == f"invoice {target}")
                await pilot.press(*route)
                for _ in range(200):
                    await pilot.pause(0.05)
                    screen = app.screen
                    if isinstance(screen, TransfersScreen) and screen.table.rows and screen.go_to is None:
                        break
                screen = app.screen
                assert isinstance(screen, TransfersScreen), route
                assert screen.table.current_row.invoice.number == target, route
                await pilot.press("escape", "escape")  # Transfers, then the log
                await pilot.pause()

    asyncio.run(go())


def test_health_screen_shows_every_check(session, tmp_path):
    async def go():
        app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f6")
            for _ in range(100):
                await pilot.pause(0.05)
                if getattr(app.screen, "report", None) is not None:
                    break
            report = app.screen.report
            assert report is not None and report.checks
            shown = app.screen.query(".check")
            assert len(shown) == len(report.checks)
            assert "failing" in str(app.screen.query_one("#health-title").render())

    asyncio.run(go())

"""The Transfers screen from the keyboard at 80×24: run, counts, filter, timeline, ignore, undo."""
from __future__ import annotations

import time

from textual.app import App

from exact_tui.domain.transfer import TransferStatus
from exact_tui.ui.transfers import TransfersScreen
from exact_tui.ui.transfers.timeline import TimelineScreen

from .conftest import entries, hours


class Host(App):
    def __init__(self, session) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        self.push_screen(TransfersScreen(self.session))


async def until(pilot, test, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


async def test_transfer_all_from_the_keyboard_then_filter_timeline_ignore_and_undo(profile, server):
    good = profile.invoice(profile.customer(), hours())
    bad = profile.invoice(profile.customer(), hours(item="HOSTING"))
    later = profile.invoice(profile.customer(), hours())
    app = Host(profile.session)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, TransfersScreen)
        await until(pilot, lambda: len(screen.table.rows) >= 3, "rows")
        assert {r.status for r in screen.table.rows} == {TransferStatus.PENDING}
        # ignore one (x on the cursor row), then transfer all the rest (T, confirm with y)
        screen.table.set_cursor(next(n for n, i in enumerate(screen.table.view)
                                     if screen.table.rows[i].id == later.id))
        await pilot.press("x")
        await until(pilot, lambda: screen.by_id.get(later.id) and screen.by_id[later.id].status is TransferStatus.IGNORED,
                    "ignored")
        await pilot.press("T")
        await pilot.pause()
        body = str(pilot.app.screen.body)  # the confirmation says the run's cost before anything is sent
        assert "API budget: about" in body and "API call" in body, body
        await pilot.press("y")
        await until(pilot, lambda: not screen.running and screen.by_id[good.id].status is TransferStatus.TRANSFERRED,
                    "the run")
        assert len(entries(server, good.number)) == 1 and entries(server, later.number) == []
        assert screen.by_id[bad.id].status is TransferStatus.BLOCKED
        title = str(screen.query_one("#transfers-title").render())
        assert "blocked" in title and "transferred" in title and "ignored" in title
        # filter as you type
        await pilot.press("slash")
        await pilot.press(*"blocked")
        await until(pilot, lambda: [r.id for r in screen.table.visible_rows] == [bad.id], "filtered")
        await pilot.press("enter")  # back to the table
        await pilot.press("enter")  # the timeline of the blocked invoice
        await until(pilot, lambda: isinstance(app.screen, TimelineScreen), "timeline")
        text = str(app.screen.query_one("#timeline").render())
        assert "HOSTING" in text and "What to do" in text
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back from the timeline")
        # undo the transferred one (u, confirm)
        screen.query_one("#transfers-filter").value = good.number
        await until(pilot, lambda: [r.id for r in screen.table.visible_rows] == [good.id], "filtered to the good one")
        screen.table.focus()
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: not screen.running and screen.by_id[good.id].status is TransferStatus.PENDING,
                    "undo")
        assert entries(server, good.number) == []


async def test_the_payment_column_at_80x24(profile, server):
    from exact_tui.services.payments import PaymentsService

    paid = profile.invoice(profile.customer(), hours())
    waiting = profile.invoice(profile.customer(), hours())
    service = profile.service()
    await service.start()
    await service.run([paid])
    await PaymentsService(profile.store, profile.session.client).sync()
    app = Host(profile.session)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await until(pilot, lambda: paid.id in getattr(screen, "by_id", {}), "rows")
        assert screen.by_id[paid.id].payment == "open" and screen.by_id[waiting.id].payment == ""
        svg = app.export_screenshot()
        # at 80 columns the customer's name gets the room: Exact's number moves to the line under the table
        shown = {column.key: width for column, width in screen.table.layout(screen.table.scrollable_content_region.width)}
        assert "payment" in shown and "exact" not in shown and "Payment" in svg
        assert shown["customer"] >= 20  # was 10: names were cut to 'Rivium Rec'
        screen.table.set_cursor(next(n for n, i in enumerate(screen.table.view) if screen.table.rows[i].id == paid.id))
        await until(pilot, lambda: "payment: open" in str(screen.query_one("#transfers-detail").render()), "detail")
        row = screen.by_id[paid.id]
        under = str(screen.query_one("#transfers-customer").render())
        assert f"Exact no. {row.exact_number}" in under and row.customer in under  # number and name in full
        screen.query_one("#transfers-filter").value = "open"
        await until(pilot, lambda: paid.id in [r.id for r in screen.table.visible_rows]
                    and waiting.id not in [r.id for r in screen.table.visible_rows], "filter on the payment")

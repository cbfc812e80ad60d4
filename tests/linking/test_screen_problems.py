"""The Link screen shows a failure the console's one way: what, cause, side and what to do, seen at 80×24."""
from __future__ import annotations

from .app import LinkApp, make_session
from .helpers import ACCOUNTS, open_store


async def test_link_screen_shows_a_failure_with_side_and_remedy(tmp_path):
    from exact_tui.exact.errors import NetworkError
    from exact_tui.services.linking import LinkingService

    store = open_store(tmp_path)
    session = make_session(store, tmp_path / "profile")
    service = LinkingService(store, session.events)
    service.use_accounts(ACCOUNTS)

    def broken():
        raise NetworkError("connection reset by peer")

    service.rebuild = broken
    app = LinkApp(session, service)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.3)
            box = app.link.query_one("#link-problem")
            text = str(box.render())
            assert box.has_class("-shown") and box.region.height > 3  # seen at 80×24
            assert "Exact Online could not be reached" in text
            assert "Side: network" in text and "What to do: Check the network" in text
            assert not app.link.query_one("#link-detail").display
            await pilot.press("escape")  # Esc puts the detail panel back first
            assert not box.has_class("-shown") and app.link.is_current
    finally:
        store.close()

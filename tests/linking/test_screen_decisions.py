"""Pilot tests: N (not this pair) and P (linked accounts deleted in Exact or with a changed code)."""
from __future__ import annotations

import dataclasses

from exact_tui.domain.link import Link
from exact_tui.services.linking import LinkingService
from exact_tui.ui.screens.pick import PickScreen

from .app import LinkApp, make_session
from .helpers import ACCOUNTS, open_store
from .test_screen import SIZE, settle, wait_idle


async def test_not_this_pair_key_stores_the_rejection_and_u_takes_it_back(world):
    app, service, store, _ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.link
        row = screen.table.current_row
        exact_id, local_id = row.id, row.local_id
        await pilot.press("N")
        await wait_idle(app, pilot)
        assert store.rejected.pairs() == {(exact_id, local_id)}
        assert service.rows[exact_id].tab == "none" and store.links.all() == []
        assert "One match (2)" in [str(t.label) for t in screen.query("Tab")]
        assert "u undoes" in str(screen.query_one("#link-message").render())
        await pilot.press("r")  # re-match: the rejection holds
        await wait_idle(app, pilot)
        assert service.rows[exact_id].local_id is None
        await pilot.press("1", "u")
        await settle(pilot)
        assert store.rejected.pairs() == set() and service.rows[exact_id].local_id == local_id


async def test_palette_offers_not_this_pair_and_problems(world):
    app, *_ = world
    from exact_tui.ui.commands import palette_entries

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [name for name, _, _ in palette_entries(app)]
        assert "Link customers: Not this pair" in names and "Link customers: Linked-account problems" in names


async def test_problems_are_shown_and_fixed_from_the_keyboard(tmp_path):
    store = open_store(tmp_path)
    store.links.link_many([Link("l1", "e1", "1001"), Link("l6", "e6", "1006")])
    session = make_session(store, tmp_path / "profile")
    service = LinkingService(store, session.events)
    accounts = [dataclasses.replace(a, code="4242") if a.id == "e6" else a for a in ACCOUNTS if a.id != "e1"]
    service.use_accounts(accounts, complete=True)  # e1 deleted in Exact, e6's code changed
    service.rebuild()
    app = LinkApp(session, service)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = str(app.link.query_one("#link-title").render())
        assert "2 linked accounts need you (P)" in title
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        text = " ".join(str(app.screen.query_one("#pick-list").get_option_at_index(i).prompt) for i in range(2))
        assert "linked Exact account deleted in Exact" in text and "its code is now 4242" in text
        await pilot.press("escape")  # nothing changes
        await settle(pilot)
        assert store.links.get("l1") is not None
        await pilot.press("P", "a")
        await settle(pilot)
        assert store.links.get("l1") is None and store.links.get("l6").exact_code == "4242"
        assert "need you" not in str(app.link.query_one("#link-title").render())
        await pilot.press("u")
        await settle(pilot)
        assert store.links.get("l1").exact_id == "e1" and store.links.get("l6").exact_code == "1006"
        assert "2 linked accounts need you" in str(app.link.query_one("#link-title").render())
    store.close()

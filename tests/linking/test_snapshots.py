"""Screenshots of each tab at 80×24 and at 140×40 (baselines committed under __snapshots__)."""
from __future__ import annotations

import pytest

from exact_tui.services.linking import LinkingService

from .app import LinkApp, make_session
from .helpers import ACCOUNTS, open_store

TABS = {"one": "1", "more": "2", "none": "3", "ignored": "4"}


@pytest.mark.parametrize("size", [(80, 24), (140, 40)], ids=["80x24", "140x40"])
@pytest.mark.parametrize("tab", list(TABS))
def test_tab_snapshot(snap_compare, tmp_path, tab, size):
    store = open_store(tmp_path)
    session = make_session(store, tmp_path / "profile")
    service = LinkingService(store, session.events, None)
    service.use_accounts(ACCOUNTS)
    from exact_tui.domain.ignored import IgnoredAccount

    store.ignored.ignore_many([IgnoredAccount("e4", "Pietersen Adviesgroep", "1004")])
    service.rebuild()
    service.rows["e2"].problem = "refused: customer number 'C-77' must contain digits only"
    app = LinkApp(session, service)

    async def before(pilot):
        await pilot.pause()
        await pilot.press(TABS[tab])
        await pilot.press("space")
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=size, run_before=before)
    finally:
        store.close()


def _refused_world(tmp_path):
    store = open_store(tmp_path)
    session = make_session(store, tmp_path / "profile")
    service = LinkingService(store, session.events, None)
    service.use_accounts(ACCOUNTS)
    service.rebuild()
    service.rows["e2"].problem = ("refused: customer number 'C-77' must contain digits only — Change local customer "
                                  "'Jansen Installatietechniek B.V.''s number to digits only (at most 9), e.g. its "
                                  "Exact code, or use 'Link and use data from Exact'")
    return store, LinkApp(session, service)


def test_refused_row_under_the_cursor_80x24(snap_compare, tmp_path):
    """The refusal and its fix are read on the Link screen itself at 80×24."""
    store, app = _refused_world(tmp_path)

    async def before(pilot):
        await pilot.pause()
        table = app.link.table
        table.set_cursor(next(n for n, i in enumerate(table.view) if table.rows[i].id == "e2"))
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=before)
    finally:
        store.close()


def test_link_help_80x24(snap_compare, tmp_path):
    store, app = _refused_world(tmp_path)

    async def before(pilot):
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=before)
    finally:
        store.close()

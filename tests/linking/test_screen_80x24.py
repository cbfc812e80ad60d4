"""The Link screen at 80×24 over SSH: a refused row says why and how to fix it, ←/→ switch candidates,
the cursor row is not error-red, cut cells end in …, nothing in the title is cut mid-word."""
from __future__ import annotations

import pytest

from exact_tui.matching import Candidate
from exact_tui.services.linking import LinkingService
from exact_tui.ui.linking.table import fit

from .app import LinkApp, make_session
from .helpers import ACCOUNTS, open_store

SIZE = (80, 24)


@pytest.fixture
def app(tmp_path):
    store = open_store(tmp_path)
    session = make_session(store, tmp_path / "profile")
    service = LinkingService(store, session.events, None)
    service.use_accounts(ACCOUNTS)
    service.rebuild()
    yield LinkApp(session, service)
    store.close()


async def test_a_refused_row_says_why_and_the_fix_at_80x24(app):
    service = app.service
    row = service.rows["e2"]
    row.problem = ("refused: customer number 'C-77' must contain digits only — Change local customer "
                   "'Jansen Installatietechniek B.V.''s number to digits only (at most 9)")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.link.table
        table.set_cursor(next(n for n, i in enumerate(table.view) if table.rows[i] is row))
        await pilot.pause()
        detail = app.link.query_one("#link-detail")
        lines = ["".join(s.text for s in detail.render_line(y)) for y in range(detail.size.height)]
        text = " ".join(line.strip() for line in lines)
        assert "must contain digits only" in text and "digits only (at most 9)" in text, lines


async def test_left_and_right_switch_candidates_at_80_columns(app):
    row = app.service.rows["e3"]
    row.candidates.append(Candidate("e3", "l6", 50.0, {}, ("test",), rank=2))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        table = app.link.table
        table.set_cursor(next(n for n, i in enumerate(table.view) if table.rows[i] is row))
        await pilot.press("right")
        assert row.local_id == "l6"
        assert table.scroll_offset.x == 0  # the table did not scroll sideways instead
        await pilot.press("left")
        assert row.local_id == "l3"


async def test_cursor_row_is_not_drawn_in_the_error_colour(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.link.table
        cursor = table.get_component_rich_style("pairs-table--cursor", partial=True)
        problem = table.get_component_rich_style("pairs-table--problem", partial=True)
        assert cursor.bgcolor != problem.color and cursor.bold  # bold too: a shape, not only a colour


def test_cut_cells_end_in_an_ellipsis():
    assert fit("NL001234567B01", 10) == "NL0012345…"
    assert fit("NL001234567B02", 10) == "NL0012345…"  # cut, but visibly so
    assert fit("NL00", 10) == "NL00      "


async def test_title_fits_80_columns(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        title = str(app.link.query_one("#link-title").render())
        assert len(title) <= 78 and title.rstrip().endswith("linked"), title

"""Keys that must work where the user is: in the paste box, in the filter box; and what a cut-off row hides."""
from __future__ import annotations

from textual.widgets import SelectionList, Static

from exact_tui.ui.app import ExactApp

from .conftest import connect, wait_for
from .world import DIV


async def test_login_link_is_copied_and_shown_whole_at_80x24(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        step = app.step("connection")
        await wait_for(pilot, lambda: step.attempt is not None, what="login link")
        await wait_for(pilot, lambda: app.focused is app.query_one("#paste"), what="paste box focused")
        await pilot.press("ctrl+l")  # from the paste box
        await pilot.pause()
        assert app.clipboard == step.attempt.url
        box = app.query_one("#login-url")
        assert box.wrapped_document.height <= box.content_region.height  # nothing of the link scrolled away


async def test_demo_approve_works_from_the_paste_box(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        app.step("connection")
        await wait_for(pilot, lambda: app.focused is app.query_one("#paste"), what="paste box focused")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: session.me is not None, what="demo login")


async def test_activate_shown_works_while_typing_the_filter(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await connect(pilot, app)
        session.store.settings.update(division=DIV)
        await pilot.press("6", "ctrl+r")
        items = app.query_one("#items", SelectionList)
        await wait_for(pilot, lambda: items.option_count == 4, what="import")
        await pilot.press("ctrl+f", *"hour")
        await wait_for(pilot, lambda: items.option_count == 1, what="filtered")
        assert app.focused is app.query_one("#filter")
        await pilot.press("ctrl+a")
        await wait_for(pilot, lambda: session.store.products.get("HOUR").active, what="HOUR active")
        assert app.query_one("#filter").value == "hour"
        assert [p.code for p in session.store.products.all() if p.active] == ["HOUR"]


async def test_highlighted_item_shows_its_warning_in_full(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await connect(pilot, app)
        session.store.settings.update(division=DIV)
        await pilot.press("6", "ctrl+r")
        items = app.query_one("#items", SelectionList)
        await wait_for(pilot, lambda: items.option_count == 4, what="import")
        risky = next(p for p in session.store.products.all() if p.problems())
        items.focus()
        items.highlighted = next(i for i in range(items.option_count)
                                 if items.get_option_at_index(i).value == risky.code)
        await pilot.pause()
        current = str(app.query_one("#current", Static).content)
        assert risky.code in current and risky.problems()[0] in current


async def test_step_8_counts_unlinked_customers_even_when_step_4_was_skipped(session, tmp_path):
    from exact_tui.services import division

    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await connect(pilot, app)
        division.choose_division(session, DIV, "Client Test BV")
        assert session.cache.link_counts is None
        await pilot.press("8")
        summary = app.query_one("#summary", Static)
        await wait_for(pilot, lambda: "may create duplicates" in str(summary.content), what="link warning")
        assert "not checked yet" not in str(summary.content)

"""Pilot tests: every key and action of the Link customers screen."""
from __future__ import annotations

import csv

from textual.widgets import Input, Tab

from exact_tui.ui.screens.ask import AskValue
from exact_tui.ui.screens.confirm import ConfirmScreen
from exact_tui.ui.screens.pick import PickScreen

SIZE = (120, 34)


async def settle(pilot, n: int = 3) -> None:
    for _ in range(n):
        await pilot.pause()


async def wait_idle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await settle(pilot)


async def test_tabs_show_live_counts_and_switch(world):
    app, service, store, _ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.link
        labels = [str(t.label) for t in screen.query(Tab)]
        assert labels == ["One match (3)", "More matches (2)", "No match (1)", "Ignored (0)"]
        for key, tab, rows in (("2", "more", 2), ("3", "none", 1), ("4", "ignored", 0), ("1", "one", 3)):
            await pilot.press(key)
            assert screen.tab == tab and len(screen.table.rows) == rows
        await pilot.press("x")  # ignore the row under the cursor
        await wait_idle(app, pilot)
        labels = [str(t.label) for t in screen.query(Tab)]
        assert labels[0] == "One match (2)" and labels[3] == "Ignored (1)"


async def test_selection_keys(world):
    app, *_ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.link.table
        await pilot.press("space")
        assert len(table.selected) == 1 and table.cursor == 1
        await pilot.press("space")
        assert len(table.selected) == 2
        await pilot.press("n")
        assert not table.selected
        await pilot.press("home", "shift+down", "shift+down")
        assert len(table.selected) == 3 and table.cursor == 2
        await pilot.press("shift+up")
        assert len(table.selected) == 3  # extending back never drops what was selected
        await pilot.press("n", "a")
        assert len(table.selected) == 3
        await pilot.press("n", "home", "space", "i")
        assert len(table.selected) == 2 and table.rows[table.view[0]].id not in table.selected
        await settle(pilot)
        assert "2 selected" in str(app.link.query_one("#link-selection").render())


async def test_select_by_score_threshold(world):
    app, *_ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert isinstance(app.screen, AskValue)
        app.screen.query_one(Input).value = "96"
        await pilot.press("enter")
        await settle(pilot)
        table = app.link.table
        assert {table.rows[i].score >= 96 for i in range(len(table.rows)) if table.rows[i].id in table.selected} == {True}
        assert len(table.selected) == 1  # only the 99.9 pair


async def test_bad_threshold_is_explained(world):
    app, *_ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        app.screen.query_one(Input).value = "lots"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AskValue)
        assert "number" in str(app.screen.query_one("#ask-hint").render())


async def test_filter_as_you_type_and_score_ranges(world):
    app, service, store, _ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.link.table
        await pilot.press("slash")
        assert app.link.query_one("#link-filter", Input).has_focus
        await pilot.press(*"utrecht")
        assert [table.rows[i].id for i in table.view] == ["e2"]
        await pilot.press("backspace", *"x1e2l")  # action keys typed into the filter stay text
        await app.workers.wait_for_complete()
        assert store.links.all() == [] and store.ignored.all() == [] and table.view == []
        app.link.query_one("#link-filter", Input).value = "utrecht"
        await settle(pilot)
        app.link.query_one("#link-filter", Input).value = ">=96"
        await settle(pilot)
        assert [table.rows[i].id for i in table.view] == ["e1"]
        app.link.query_one("#link-filter", Input).value = "90..96 code:100"
        await settle(pilot)
        assert {table.rows[i].id for i in table.view} == {"e2", "e6"}
        await pilot.press("enter")  # back to the table
        assert table.has_focus
        await pilot.press("a")
        assert table.selected == {"e2", "e6"}  # a = all VISIBLE rows


async def test_sort_by_any_column(world):
    app, *_ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.link.table
        await pilot.press("s")
        assert table.sort_key == "code"
        assert [table.rows[i].exact.code for i in table.view] == ["1001", "1002", "1006"]
        await pilot.press("S")
        assert [table.rows[i].exact.code for i in table.view] == ["1006", "1002", "1001"]
        await pilot.press("s")
        assert table.sort_key == "exact"
        table.sort_by("score", reverse=False)
        assert [table.rows[i].score for i in table.view] == sorted(table.rows[i].score for i in table.view)
        await pilot.click("PairsTable", offset=(12, 0))  # header click sorts by that column
        assert table.sort_key == "exact"


async def test_page_and_jump_keys(world):
    app, service, *_ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.link.table
        await pilot.press("end")
        assert table.cursor == 2
        await pilot.press("home")
        assert table.cursor == 0
        await pilot.press("pagedown")
        assert table.cursor == 2
        await pilot.press("pageup", "down")
        assert table.cursor == 1
        service.rows["e2"].problem = "refused: test"
        await pilot.press("home", "j")
        assert table.current_row.id == "e2"


async def test_choose_candidate_with_arrows_and_picker(world):
    app, service, *_ = world
    from exact_tui.matching import Candidate

    row = service.rows["e3"]
    row.candidates.append(Candidate("e3", "l6", 50.0, {}, ("test",), rank=2))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        app.link.table.set_cursor(next(n for n, i in enumerate(app.link.table.view) if app.link.table.rows[i] is row))
        await pilot.press("right")
        assert row.local_id == "l6"
        await pilot.press("left")
        assert row.local_id == "l3"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert row.local_id == "l6"


async def test_link_with_exact_data_and_undo(world):
    app, service, store, _ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "e")
        await wait_idle(app, pilot)
        assert {link.exact_id for link in store.links.all()} == {"e1", "e2", "e6"}
        assert not app.link.table.rows and service.counts()["one"] == 0
        await pilot.press("u")
        await settle(pilot)
        assert store.links.all() == [] and len(app.link.table.rows) == 3


async def test_link_with_local_data_confirms_and_refuses_bad_numbers(world):
    app, service, store, client = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "l")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        body = str(app.screen.query_one("#dialog-body").render())
        assert "2 Exact accounts change" in body and "2 API calls" in body and "refused" in body
        await pilot.press("y")
        await wait_idle(app, pilot)
        assert {a for a, _ in client.puts} == {"e1", "e6"}
        assert all("Code" not in changes for _, changes in client.puts)
        assert {link.exact_id for link in store.links.all()} == {"e1", "e6"}
        table = app.link.table
        assert table.selected == {"e2"}  # the failure stays selected, with the reason
        assert "digits only" in service.rows["e2"].problem
        await pilot.press("u")  # Exact changed: nothing to undo
        await settle(pilot)
        assert len(store.links.all()) == 2


async def test_link_local_can_be_declined(world):
    app, service, store, client = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "l")
        await settle(pilot)
        await pilot.press("n")
        await wait_idle(app, pilot)
        assert client.puts == [] and store.links.all() == []


async def test_import_and_ignore_from_tabs(world):
    app, service, store, _ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "m")
        await wait_idle(app, pilot)
        assert any(c.name == "Zonnehuis Solar Ltd" for c in store.customers.all())
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("3", "x")
        await wait_idle(app, pilot)
        assert store.ignored.get("e5") is not None
        await pilot.press("4")
        assert [r.id for r in app.link.table.rows] == ["e5"]
        await pilot.press("x")  # in Ignored, x un-ignores
        await wait_idle(app, pilot)
        assert store.ignored.all() == [] and service.rows["e5"].tab == "none"


async def test_cancel_a_running_bulk_action(world):
    app, service, store, client = world
    client.hold_after = 1  # the second PUT waits until Esc is pressed, however slow the machine
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for row in service.tab_rows("one"):
            service.customers[row.local_id].number = "42" + row.local_id[-1]
            service.customers[row.local_id].email = "changed@example.nl"
        await pilot.press("a", "l")
        await settle(pilot)
        await pilot.press("y")
        for _ in range(500):
            if client.puts:
                break
            await pilot.pause(0.01)
        assert app.link.running is not None and len(client.puts) == 1
        await pilot.press("escape")
        await settle(pilot)
        client.release.set()
        await wait_idle(app, pilot)
        assert 1 <= len(client.puts) < 3
        assert app.link.running is None and app.link.is_current  # escape cancelled, did not leave


async def test_export_and_import_decisions(world, tmp_path):
    app, service, store, _ = world
    path = tmp_path / "review.csv"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "E")
        await settle(pilot)
        assert isinstance(app.screen, AskValue)
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await settle(pilot)
        lines = list(csv.DictReader(path.open(encoding="utf-8-sig")))
        assert {line["exact_id"] for line in lines} == {"e3", "e4"}
        for line in lines:
            line["decision"] = "link-exact" if line["exact_id"] == "e3" else "ignore"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(lines[0]))
            writer.writeheader()
            writer.writerows(lines)
        await pilot.press("I")
        await settle(pilot)
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_idle(app, pilot)
        assert store.links.get("l3").exact_id == "e3" and store.ignored.get("e4") is not None


async def test_escape_leaves_filter_then_screen(world):
    app, *_ = world
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "escape")
        assert app.link.table.has_focus and app.link.is_current
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.screen_stack) == 1


async def test_palette_lists_every_action(world):
    app, *_ = world
    from exact_tui.ui.commands import palette_entries

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [name for name, _, _ in palette_entries(app)]
        for wanted in ("Link (Exact data)", "Link (local data)", "Import", "Ignore/un-ignore", "Undo", "Export CSV",
                       "Import decisions", "Select", "Invert"):
            assert any(name.endswith(wanted) for name in names), wanted


async def test_keys_help_and_detail_toggle(world):
    app, *_ = world
    from exact_tui.ui.screens.help import HelpScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.link.is_current
        detail = app.link.query_one("#link-detail")
        await pilot.press("d")
        assert not detail.display
        await pilot.press("d")
        assert detail.display

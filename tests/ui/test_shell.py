"""The frame around the steps: help, palette, log pane, themes, remappable keys, customer card."""
from __future__ import annotations

import json

from textual.widgets import DataTable

from exact_tui.paths import config_dir
from exact_tui.services.events import Event, Level, Side
from exact_tui.ui.app import ExactApp
from exact_tui.ui.commands import palette_entries
from exact_tui.ui.screens.help import HelpScreen, key_table
from exact_tui.ui.steps import STEPS
from exact_tui.ui.widgets.log_pane import LogPane

from .conftest import connect, wait_for


def plain(renderable) -> str:
    from rich.console import Console

    console = Console(width=220, record=True, file=open("/dev/null", "w"))
    console.print(renderable)
    return console.export_text()


async def test_help_lists_every_key_of_every_step(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = plain(key_table(app))
        for step in STEPS:
            for binding in step.BINDINGS:
                assert binding.id in text, binding.id
        for binding in app.BINDINGS:
            if not binding.id.startswith("app.step_"):
                assert binding.id in text
        assert "app.step_1 … app.step_8" in text
        assert "link.link_exact" in text  # the Link customers screen's keys too
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_palette_offers_every_action_of_every_screen(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        names = [name for name, _, _ in palette_entries(app)]
        for step in STEPS:
            assert f"Go to step {step.NUMBER}: {step.TITLE}" in names
            for binding in step.BINDINGS:
                assert f"{step.TITLE}: {binding.description}" in names
        assert "Customer card: Push to Exact" in names
        assert any(n.startswith("Link customers: ") for n in names)
        assert "Theme: exact-high-contrast" in names
        # run one from the palette: go to step 6 by typing part of its name
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"step 6", "enter")
        await wait_for(pilot, lambda: app.current_step == "products", what="palette command")


async def test_log_pane_shows_time_side_level_record_and_is_bounded(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        log = app.query_one(LogPane)
        log.max_lines = 50
        for n in range(120):
            session.events.emit(Event(f"message {n}", side=Side.EXACT, level=Level.WARNING, record=f"invoice {n}"))
        await pilot.pause()
        assert len(log.lines) == 50
        last = log.lines[-1].text
        assert "12:00:00" in last and "exact" in last and "[invoice 119]" in last and "message 119" in last
        assert "warnings" in log.border_subtitle
        # toggle and resize from the keyboard; remembered in the preferences
        await pilot.press("f2")
        assert not log.display and app.prefs.log_visible is False
        await pilot.press("ctrl+up")
        assert log.display and app.prefs.log_height == 8
        await pilot.press("ctrl+down", "ctrl+down")
        assert app.prefs.log_height == 4


async def test_long_exact_messages_wrap_in_the_log_pane_at_80x24(session, tmp_path):
    """#13: a long Exact message is read whole at 80 columns, wrapped under itself, and wraps again
    when the terminal is resized (nothing cut at the border, no sideways scrolling)."""
    words = [f"word{n:02d}" for n in range(40)]
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        log = app.query_one(LogPane)
        session.events.emit(Event("Exact: " + " ".join(words), side=Side.EXACT, level=Level.ERROR, record="invoice 7"))
        await wait_for(pilot, lambda: any("word39" in line.text for line in log.lines), what="event")

        def shown() -> list[str]:
            start = next(i for i, line in enumerate(log.lines) if "[invoice 7]" in line.text)
            return [line.text.rstrip() for line in log.lines[start:]]

        for width in (80, 60, 160):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            lines = shown()
            usable = log.scrollable_content_region.width
            assert len(lines) > 1 and all(len(line) <= usable for line in lines), lines
            assert len(lines[0]) > usable - 10, lines  # wrapped at the pane's width, not narrower
            assert " ".join(" ".join(lines).split()).endswith(" ".join(words))  # every word, in order
            indent = lines[0].index("[invoice 7]")
            assert all(line.startswith(" " * indent) for line in lines[1:])  # wrapped under the message
            assert log.virtual_size.width <= usable  # no sideways scrolling


async def test_events_from_a_worker_thread_reach_the_log(session, tmp_path):
    import threading

    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        thread = threading.Thread(target=lambda: session.events.info("from a thread", side=Side.LOCAL))
        thread.start()
        thread.join()
        log = app.query_one(LogPane)
        await wait_for(pilot, lambda: any("from a thread" in line.text for line in log.lines), what="event")


async def test_theme_chosen_in_settings_is_remembered(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert {"exact-dark", "exact-light", "exact-high-contrast", "ansi-dark"} <= set(app.available_themes)
        await pilot.press("f4")
        await pilot.pause()
        names = sorted(app.available_themes)
        target = names.index("exact-light")
        current = names.index(app.theme)
        await pilot.press(*(["down"] * (target - current) if target > current else ["up"] * (current - target)))
        await pilot.press("enter", "escape")
        assert app.theme == "exact-light"
    saved = json.loads((config_dir(tmp_path) / "console.json").read_text())
    assert saved["theme"] == "exact-light"
    again = ExactApp(session, data_dir=tmp_path, resume=False)
    assert again.theme == "exact-light"


async def test_user_theme_files_are_loaded_and_bad_ones_reported(session, tmp_path):
    folder = config_dir(tmp_path) / "themes"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('name = "mine"\nprimary = "#ff00ff"\ndark = true\n')
    (folder / "broken.toml").write_text('name = "broken"\nprimary = "#fff"\ncolour = "typo"\n')
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    assert "mine" in app.available_themes
    assert any("broken.toml" in p and "colour" in p for p in app.theme_problems)


async def test_keys_are_remappable_from_keymap_toml(session, tmp_path):
    (config_dir(tmp_path) / "keymap.toml").write_text('[keys]\n"app.toggle_log" = "f9"\n"app.help" = "f10"\n')
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        log = app.query_one(LogPane)
        await pilot.press("f2")
        assert log.display  # f2 no longer toggles
        await pilot.press("f9")
        assert not log.display
        await pilot.press("f10")
        assert isinstance(app.screen, HelpScreen)
        assert "f9" in plain(key_table(app))


async def test_a_broken_keymap_is_reported_not_fatal(session, tmp_path):
    (config_dir(tmp_path) / "keymap.toml").write_text('[keys\n')
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any("keymap.toml" in line.text for line in app.query_one(LogPane).lines)


async def test_usable_at_80x24(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for n in range(1, 9):
            await pilot.press(str(n))
            await pilot.pause()
            step = app.step(app.current_step)
            assert step.region.width >= 50 and step.region.height >= 8
        assert app.query_one("#rail").region.width == 24


async def test_customer_card_search_link_side_by_side_push_unlink(session, sandbox, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(140, 44)) as pilot:
        await connect(pilot, app)
        session.store.settings.update(division=301)
        await pilot.press("f3")
        table = app.screen.query_one("#customers", DataTable)
        assert table.row_count == 9
        await pilot.press(*"mulder")
        await wait_for(pilot, lambda: table.row_count == 1, what="search as you type")
        await pilot.press("enter", "ctrl+l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PickScreen", what="account picker")
        await pilot.press("enter")  # best name match first: Mulder ICT B.V.
        await wait_for(pilot, lambda: session.store.links.get("L6") is not None, what="link stored")
        link = session.store.links.get("L6")
        assert link.exact_code == "1006"
        pairs = app.screen.query_one("#pairs", DataTable)
        await wait_for(pilot, lambda: pairs.row_count == 11 and "Mulder ICT B.V." in str(pairs.get_row_at(1)[2]),
                       what="Exact side shown")
        # contacts side by side: L6 has no local contacts in the world; Exact has none either
        contacts = app.screen.query_one("#contacts", DataTable)
        assert contacts.row_count == 0
        # push the local name to Exact (confirmed), then unlink
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        row = sandbox.world.table(301, "crm/Accounts").get(link.exact_id.lower())
        await wait_for(pilot, lambda: row["Name"] == "Mulder ICT BV", what="Exact updated")
        await pilot.press("ctrl+u")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: session.store.links.get("L6") is None, what="unlinked")
        await pilot.press("escape")
        assert len(app.screen_stack) == 1


async def test_customer_card_contacts_side_by_side_and_created_in_exact(session, sandbox, tmp_path):
    from exact_tui.domain.link import Link

    session.store.settings.update(division=301)
    from .world import gid

    session.store.links.link(Link(local_id="L3", exact_id=gid(100_003), exact_code="1003"))
    session.store.contacts.put_many([
        session.store.contacts.get("C3"),
        __import__("exact_tui.domain.customer", fromlist=["LocalContact"]).LocalContact(
            id="C3b", customer_id="L3", first_name="Els", last_name="Nieuw", email="els@klant3.nl")])
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(140, 44)) as pilot:
        await connect(pilot, app)
        await pilot.press("f3")
        await pilot.press(*"van dijk", "enter")
        contacts = app.screen.query_one("#contacts", DataTable)
        await wait_for(pilot, lambda: contacts.row_count == 2, what="contacts paired")
        cells = [str(contacts.get_row_at(i)[2]) for i in range(2)]
        assert "✓ same person (same name; ctrl+t to link)" in cells  # Jan Jansen 3 is in Exact too: a suggestion
        missing = cells.index("missing: ctrl+k creates it, ctrl+t links by hand")
        same = 1 - missing
        contacts.focus()
        contacts.move_cursor(row=same)
        await pilot.press("ctrl+o")  # a suggestion is not stored: nothing to unlink, said so
        await pilot.pause()
        box = app.screen.query_one("ProblemBox")
        assert box.has_class("-shown") and "only a suggestion" in str(box.render())
        contacts.move_cursor(row=missing)
        await pilot.press("ctrl+k")
        rows = sandbox.world.table(301, "crm/Contacts")
        await wait_for(pilot, lambda: any(r.get("LastName") == "Nieuw" for r in rows.by_key()), what="created")
        await wait_for(pilot, lambda: contacts.row_count == 2
                       and all("same person" in str(contacts.get_row_at(i)[2]) for i in range(2)), what="paired")
        created = session.store.contact_links.get("C3b")  # the created contact's pair is stored
        nieuw = next(r for r in rows.by_key() if r.get("LastName") == "Nieuw")
        assert created.how == "created" and created.exact_id.lower() == str(nieuw["ID"]).lower()
        assert created.customer_id == "L3" and created.account_id.lower() == gid(100_003).lower()
        # link Jan Jansen 3 by hand (stored), then unlink it again
        contacts.move_cursor(row=[str(contacts.get_row_at(i)[0]) for i in range(2)].index(
            session.store.contacts.get("C3").full_name))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PickScreen", what="contact picker")
        await pilot.press("enter")  # the first Exact contact: the suggested one, Jan Jansen 3
        await wait_for(pilot, lambda: session.store.contact_links.get("C3") is not None, what="contact link stored")
        hand = session.store.contact_links.get("C3")
        assert hand.how == "hand" and hand.exact_id.lower() != created.exact_id.lower()
        await wait_for(pilot, lambda: contacts.border_title == "Contacts (2, 2 linked)", what="both linked")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: session.store.contact_links.get("C3") is None, what="contact unlinked")
        assert session.store.contact_links.get("C3b") is not None

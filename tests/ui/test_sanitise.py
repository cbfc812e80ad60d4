"""#15 item 2: text from files and from Exact is shown, never obeyed, in the console's log pane and tables."""
from __future__ import annotations

from textual.app import App, ComposeResult

from exact_tui.services.events import Event, Level, Side
from exact_tui.ui.linking.table import set_cell_size
from exact_tui.ui.widgets.log_pane import LogPane

HOSTILE = "L1\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202e"


class _LogApp(App):
    def compose(self) -> ComposeResult:
        yield LogPane(fixed_time="12:00:00")


async def test_log_pane_shows_control_characters_escaped():
    app = _LogApp()
    async with app.run_test(size=(120, 10)) as pilot:
        pane = app.query_one(LogPane)
        pane.add(Event("name is " + HOSTILE, side=Side.LOCAL, level=Level.ERROR, record=f"customers {HOSTILE}",
                       detail="Exact said: " + HOSTILE))
        await pilot.pause()
        text = "".join(segment.text for strip in pane.lines for segment in strip)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b]52;c;ZXZpbA==\\x07" in text


def test_link_table_cells_are_escaped():
    cell = set_cell_size("Bakker\x1b[2J B.V.", 30)
    assert "\x1b" not in cell and cell.startswith("Bakker\\x1b[2J B.V.")


# -- every label that shows Exact's or the import's words, on the real screens ----------------------
import asyncio  # noqa: E402

import pytest  # noqa: E402

from exact_tui.domain.products import DataType, DimensionKind, Principle, ProductPrinciple  # noqa: E402
from exact_tui.sandbox import SandboxConfig, SandboxServer  # noqa: E402
from exact_tui.services import defaults, division, journal, products  # noqa: E402
from exact_tui.services.problems import explain  # noqa: E402
from exact_tui.ui.app import ExactApp  # noqa: E402

from .conftest import connect, open_session, wait_for  # noqa: E402
from .world import DIV, world  # noqa: E402

MARKUP = "[bold red]x"
EVIL = "\x1b]0;pwned\x07\x1b[2J\u202e\x9b31m" + MARKUP  # title change, screen clear, bidi override, C1 CSI, markup
UNSAFE = ("\x1b", "\x07", "\u202e", "\x9b")


def hostile_world():
    """The UI test world with an attack in every field the console shows from Exact or from the import."""
    w = world()
    w.users[0].full_name = "Demo " + EVIL
    for d in w.divisions:
        d["Description"] = f"Div {d['Code']} " + EVIL
    for tables in w.tables.values():
        tables["financial/Journals"][0]["Description"] = "Verkoop " + EVIL
        item = tables["logistics/Items"][0]
        item["Description"] = "Hours " + EVIL
        tables["logistics/Items"][3]["Code"] = "MI\x1b[5mSC"
        account = tables["crm/Accounts"][0]
        account["Name"], account["City"] = "Bakkerij " + EVIL, "Utrecht\u202e"
        contact = tables["crm/Contacts"][0]
        contact["FirstName"], contact["LastName"], contact["Email"] = "Jan\x1b[8m", "Jansen " + EVIL, "jan\x07@klant1.nl"
    first = w.local.customers[0]
    first.name, first.city = "Bakkerij " + EVIL, "Utrecht\x1b[1A"
    w.local.contacts[0].first_name, w.local.contacts[0].last_name = "Jan\x1b[8m", "Jansen " + EVIL
    w.local.dimensions[0].name = "Senior " + EVIL
    return w


@pytest.fixture(scope="module")
def hostile_sandbox():
    server = SandboxServer(SandboxConfig(port=0), seed=hostile_world())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def screen_text(app) -> str:
    """What the terminal gets for the current screen, as text (the compositor's lines)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_shown_as_data(app, where: str, *, literal: bool = True) -> str:
    text = screen_text(app)
    raw = [repr(ch) for ch in UNSAFE if ch in text]
    assert not raw, f"{where}: {raw} reached the screen:\n{text}"
    if literal:
        assert MARKUP in text, f"{where}: the name's '[bold red]x' was read as markup or not shown:\n{text}"
    return text


def test_every_screen_shows_exact_and_import_text_as_data(hostile_sandbox, tmp_path):
    session = open_session(hostile_sandbox, tmp_path)

    async def go():
        app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
        async with app.run_test(size=(200, 50)) as pilot:
            await connect(pilot, app)
            assert_shown_as_data(app, "step 1 and the header (the user's name)")
            app.goto("division")
            await wait_for(pilot, lambda: app.query_one("#divisions").option_count == 2, what="divisions")
            division.choose_division(session, DIV, "Div 301 " + EVIL)
            app.step("division").on_step_shown()
            await wait_for(pilot, lambda: "is used" in screen_text(app), what="division chosen")
            assert_shown_as_data(app, "step 2: divisions")
            journals = await journal.load_journals(session)
            journal.choose_journal(session, next(j for j in journals if j.code == "70"))
            app.goto("journal")
            await wait_for(pilot, lambda: app.query_one("#journals").option_count == 2, what="journals")
            assert_shown_as_data(app, "step 3: journals")
            await products.import_items(session)
            products.set_active(session, {"HOUR", "FIXED"})
            app.goto("products")
            await wait_for(pilot, lambda: app.query_one("#items").option_count == 4, what="items")
            text = assert_shown_as_data(app, "step 6: items")
            assert "\\x1b[5m" in text  # the item code, escaped
            defaults.set_principle(session, ProductPrinciple(DataType.TIME_MATERIAL, Principle.BY_DIMENSION,
                                                             DimensionKind.HOURLY_RATE))
            app.goto("defaults")
            await wait_for(pilot, lambda: "Senior" in screen_text(app), what="mapping")
            assert_shown_as_data(app, "step 7: the mapping's dimension names")
            app.step("division").show_problem(explain(ValueError("Exact said: " + EVIL)))
            app.goto("division")
            await pilot.pause()
            assert_shown_as_data(app, "the problem box and its notice")
            app.clear_notifications()
            # the customer card: list, title, fields, the picker of Exact accounts, then the contacts table
            await pilot.press("f3")
            await pilot.pause()
            await pilot.press(*"Bakkerij")
            await wait_for(pilot, lambda: "Bakkerij" in screen_text(app), what="card search")
            await pilot.pause(0.3)
            assert_shown_as_data(app, "customer card")
            await pilot.press("ctrl+l")
            from exact_tui.ui.screens.pick import PickScreen

            await wait_for(pilot, lambda: isinstance(app.screen, PickScreen), what="the picker")
            await pilot.pause(0.3)
            assert_shown_as_data(app, "the picker of Exact accounts")
            await pilot.press("down", "enter")
            await wait_for(pilot, lambda: app.screen.query_one("#contacts").row_count > 0, what="contacts", timeout=30)
            await pilot.pause(0.3)
            text = assert_shown_as_data(app, "customer card's contacts")
            assert "Jansen" in text and "\\x1b[8m" in text
            app.notify("Exact updated: " + EVIL)
            await pilot.pause(0.3)
            assert_shown_as_data(app, "a notice")
            await pilot.press("escape")
            # the Transfers screen: the customer column and the row's detail
            await pilot.press("f7")
            from exact_tui.ui.transfers import TransfersScreen

            await wait_for(pilot, lambda: isinstance(app.screen, TransfersScreen) and app.screen.table.rows,
                           what="transfers")
            await pilot.pause(0.3)
            assert_shown_as_data(app, "Transfers", literal=False)
            await pilot.press("enter")  # the invoice's timeline
            await pilot.pause(0.3)
            assert_shown_as_data(app, "the timeline", literal=False)
            await pilot.press("escape", "escape")
            # the Link screen: the pairs table and the detail panel (after the card linked one; the rest wait)
            app.goto("link")
            await pilot.pause()
            await pilot.press("ctrl+o")
            from exact_tui.ui.linking.screen import LinkCustomersScreen

            await wait_for(pilot, lambda: isinstance(app.screen, LinkCustomersScreen) and app.screen.table.rows,
                           what="Link screen", timeout=30)
            await pilot.pause(0.5)
            assert_shown_as_data(app, "Link customers", literal=False)

    asyncio.run(go())

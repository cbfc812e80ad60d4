"""Walk the whole set-up checklist from the keyboard against the sandbox, then check the store."""
from __future__ import annotations

from textual.widgets import OptionList, SelectionList, Static

from exact_tui.domain.link import MaintenanceMode
from exact_tui.domain.products import DataType, DimensionKind, Principle
from exact_tui.ui.app import ExactApp

from .conftest import connect, wait_for
from .world import DIV


def text_of(app, selector: str) -> str:
    """The plain text a Static shows (Rich tables included)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    console.print(app.query_one(selector, Static).content)
    return console.export_text()


async def test_whole_checklist_from_the_keyboard(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    store = session.store
    async with app.run_test(size=(120, 40)) as pilot:
        # 1. connection: URL shown, address pasted back, "Connection established" with the user's name
        await connect(pilot, app)
        established = text_of(app, "#established")
        assert "Connection established" in established and "Demo Consultant" in established
        assert "looks like a personal account" in established  # demo is a person, not an integration user
        assert app.focused is app.query_one("#next-step")  # what comes next: Enter opens step 2

        # 2. division: the user's divisions, Enter saves the highlighted (current) one
        await pilot.press("2")
        divisions = app.query_one("#divisions", OptionList)
        await wait_for(pilot, lambda: divisions.option_count == 2, what="divisions")
        await pilot.press("enter")
        await wait_for(pilot, lambda: store.settings.get().division == DIV, what="division saved")
        assert store.settings.get().division_name == "Client Test BV"

        # 3. journal: sales journals only; the fixed-currency one warns about the USD invoices
        await pilot.press("3")
        journals = app.query_one("#journals", OptionList)
        await wait_for(pilot, lambda: journals.option_count == 2, what="sales journals")  # type 90 left out
        await pilot.press("enter")
        await wait_for(pilot, lambda: store.settings.get().journal == "70", what="journal 70 saved")
        await wait_for(pilot, lambda: "variable currency" in text_of(app, "#journal-warning"), what="warning")
        assert "2 in USD" in text_of(app, "#journal-warning")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: store.settings.get().journal == "71", what="journal 71 saved")
        await wait_for(pilot, lambda: text_of(app, "#journal-warning").strip() == "", what="warning gone")

        # 4. link customers: counts per tab from the matcher
        await pilot.press("4")

        await wait_for(pilot, lambda: "One match" in text_of(app, "#counts"), what="link counts")
        counts = session.cache.link_counts
        assert counts.exact_total == 10 and counts.local_total == 9 and counts.linked == 0
        assert counts.one + counts.more + counts.none == 10
        await pilot.press("ctrl+o")  # the Link customers screen itself (issue 7), and back
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LinkCustomersScreen", what="linking screen")
        await pilot.pause(0.5)
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(app.screen_stack) == 1, what="back from linking")

        # 5. maintenance: pick manual, then the recommended automatic mode; each saved at once
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("up", "enter")  # the highlight starts on the mode in force (automatic)
        await wait_for(pilot, lambda: store.settings.get().maintenance_mode == MaintenanceMode.MANUAL, what="manual")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: store.settings.get().maintenance_mode == MaintenanceMode.AUTO_CREATE,
                       what="auto create")

        # 6. product numbers: import, then activate FIXED and HOUR with space (sorted: FIXED, HOUR, MISC, TRAVEL)
        await pilot.press("6", "ctrl+r")
        items = app.query_one("#items", SelectionList)
        await wait_for(pilot, lambda: items.option_count == 4, what="items imported")
        assert "4 items imported" in text_of(app, "#changes")
        await pilot.press("space", "down", "space")
        await wait_for(pilot, lambda: {p.code for p in store.products.all() if p.active} == {"FIXED", "HOUR"},
                       what="activation saved")
        # filter, and the warnings for risky items
        await pilot.press("ctrl+f", *"trav")
        await wait_for(pilot, lambda: items.option_count == 1, what="filter")
        assert "not divisible" in str(items.get_option_at_index(0).prompt)
        await pilot.press("enter", "space")
        await wait_for(pilot, lambda: store.products.get("TRAVEL").active, what="TRAVEL active")
        assert "TRAVEL: not divisible" in text_of(app, "#risky")
        await pilot.press("space")
        await wait_for(pilot, lambda: not store.products.get("TRAVEL").active, what="TRAVEL inactive")

        # 7. defaults: time & material by hourly rate; map the three rates to HOUR from the keyboard
        await pilot.press("7")
        await pilot.pause()
        await pilot.press("p")
        await wait_for(pilot, lambda: store.settings.get().principles.get("time_material") is not None
                       and store.settings.get().principles["time_material"].principle == Principle.BY_DIMENSION,
                       what="principle saved")
        principle = store.settings.get().principles[DataType.TIME_MATERIAL.value]
        assert principle.dimension_kind == DimensionKind.HOURLY_RATE
        assert "3 hourly rates without a product number" in text_of(app, "#unmapped")
        await pilot.press("tab")
        for _ in range(3):
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen.id != "_default" and len(app.screen_stack) > 1, what="picker")
            await pilot.press(*"hour", "enter")
            await pilot.pause(0.2)
        await wait_for(pilot, lambda: all(d.product_number == "HOUR" for d in store.dimensions.of_kind("hourly_rate")),
                       what="rates mapped")
        assert "Everything that needs a product number has one" in text_of(app, "#unmapped")

        # 8. confirm and activate: the missing list, then an explicit confirmation
        await pilot.press("8")
        await wait_for(pilot, lambda: "Exact customers not linked" in text_of(app, "#summary"), what="checklist")
        assert "may create duplicates" in text_of(app, "#summary")
        await pilot.press("ctrl+y")
        await pilot.pause()
        await pilot.press("n")  # not yet
        await pilot.pause()
        assert store.settings.get().active is False
        await pilot.press("ctrl+y")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: store.settings.get().active is True, what="activated")
        assert store.settings.get().activated_at is not None
        assert "ACTIVE" in text_of(app, "#summary")
    log = [e.message for e in store.log.tail(500)]
    assert any("Connection established" in m for m in log)
    assert any("Integration activated" in m for m in log)

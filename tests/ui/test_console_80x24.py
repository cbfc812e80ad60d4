"""What a consultant at 80×24 over SSH could not see or do (issue 16), each checked from the keyboard."""
from __future__ import annotations

import datetime as dt
import io

from textual.widgets import DataTable, Input, TextArea

from exact_tui.ui.steps import STEPS
from exact_tui.ui.app import ExactApp
from exact_tui.ui.steps import connection as connection_step
from exact_tui.ui.widgets.header import StatusHeader
from exact_tui.ui.widgets.toggles import ShapedCheckbox, ShapedRadioButton

from .conftest import connect, wait_for
from .world import DIV


async def test_keys_that_inputs_also_use_are_priority_so_they_work_while_typing(session, tmp_path):
    """Where a step or the card has a text box, its own ctrl+ keys must beat the box's editing keys."""
    typing_keys = {k.strip() for w in (Input, TextArea) for b in w.BINDINGS
                   for k in (b.key if hasattr(b, "key") else b[0]).split(",") if "ctrl+" in k}
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        holders = [app.step(s.KEY) for s in STEPS] + [app.screen]
        checked = 0
        for holder in holders:
            if not holder.query("Input, TextArea"):
                continue
            for binding in type(holder).BINDINGS:
                for key in binding.key.split(","):
                    if key.strip() in typing_keys:
                        checked += 1
                        assert binding.priority, f"{binding.id} ({key}) would be taken by a text box"
        assert checked >= 4  # ctrl+x/ctrl+e in step 1, ctrl+a/ctrl+u in step 6, ctrl+u/ctrl+k on the card


async def test_card_unlink_works_from_the_search_box_and_the_footer_shows_it(session, tmp_path):
    from exact_tui.domain.link import Link

    from .world import gid

    session.store.settings.update(division=DIV)
    session.store.links.link(Link(local_id="L3", exact_id=gid(100_003), exact_code="1003"))
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"van dijk")
        search = app.screen.query_one("#search", Input)
        await wait_for(pilot, lambda: app.screen.query_one("#customers", DataTable).row_count == 1, what="found")
        assert app.focused is search
        assert "unlink" in {b.binding.action for b in app.screen.active_bindings.values()}  # the footer shows ^u
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"  # unlink asks; the search text is untouched
        await pilot.press("n")
        assert search.value == "van dijk"


async def test_card_at_80x24_shows_local_and_exact_and_edits_a_refused_number(session, tmp_path):
    import dataclasses

    customer = session.store.customers.get("L3")
    session.store.customers.put_many([dataclasses.replace(customer, number="C-3")])
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"van dijk", "enter")
        await pilot.pause()
        screen = app.screen
        pairs = screen.query_one("#pairs", DataTable)
        assert pairs.region.right <= 80 and pairs.region.width >= 60  # Local and Exact both fit on screen
        warnings = str(screen.query_one("#account-warnings").render())
        assert "must contain digits only" in warnings and "ctrl+n" in warnings
        await pilot.press("ctrl+n")
        await pilot.pause()
        ask = app.screen.query_one("#ask", Input)
        ask.value = "12x"
        await pilot.press("enter")
        await pilot.pause()
        assert "digits only" in str(app.screen.query_one("#ask-hint").render())  # refused where it is typed
        ask.value = "3003"
        await pilot.press("enter")
        await wait_for(pilot, lambda: session.store.customers.get("L3").number == "3003", what="number saved")


def test_hand_link_warns_about_different_vat_or_coc():
    from exact_tui.domain.customer import LocalCustomer
    from exact_tui.exact.records import Account
    from exact_tui.services.customers import link_warnings

    mine = LocalCustomer("l1", "Acme", "1", vat="NL001234567B01", coc="12345678")
    same = Account(name="Acme BV", code="1", vat="nl 0012.34.567.b01", coc="12345678", status="C")
    other = Account(name="Acme BV", code="2", vat="NL009999999B01", coc="87654321", status="C", blocked=True)
    assert link_warnings(mine, same) == []
    warnings = link_warnings(mine, other)
    assert any("VAT number differs" in w for w in warnings) and any("Chamber of Commerce" in w for w in warnings)
    assert any("blocked in Exact" in w for w in warnings)


async def test_header_says_set_up_or_active_first_at_80_columns(session, tmp_path):
    session.store.settings.update(active=True)
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.query_one(StatusHeader)
        text = str(header.render_status())
        assert text.index("ACTIVE") < 20, text
        assert "div" not in text  # no division chosen yet: none shown (not the user's current one)
        rail = app.query_one("#rail")
        eighth = str(rail.get_option_at_index(7).prompt)
        assert "✓" in eighth, eighth  # the integration is active: step 8 ticks


async def test_step_1_after_connecting_shows_the_established_box_and_ticks(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await connect(pilot, app)
        step = app.step("connection")
        box = step.query_one("#established")
        await wait_for(pilot, lambda: box.has_class("-shown"), what="established")
        await pilot.pause(0.2)
        assert step.scroll_offset.y == 0 and box.region.y < step.region.bottom  # in view, title too
        first = str(app.query_one("#rail").get_option_at_index(0).prompt)
        assert "✓" in first, first  # not ● while still on step 1
        # the focus is on what comes next, in view: Enter opens step 2
        following = step.query_one("#next-step")
        assert app.focused is following and following.region.bottom <= step.region.bottom
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_step == "division", what="step 2")


async def test_plain_link_is_shown_alone_on_the_normal_screen(session, tmp_path, monkeypatch):
    import contextlib

    out, inp = io.StringIO(), io.StringIO("\n")
    monkeypatch.setattr(connection_step, "plain_streams", lambda: (out, inp))
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    suspended = []

    @contextlib.contextmanager
    def suspend():
        suspended.append(True)
        yield

    monkeypatch.setattr(app, "suspend", suspend)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        step = app.step("connection")
        await wait_for(pilot, lambda: step.attempt is not None, what="login link")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert suspended
        lines = out.getvalue().splitlines()
        assert step.attempt.url in lines  # one line of its own, nothing around it
        assert inp.read() == ""  # Enter was read: back in the console


async def test_theme_preview_is_not_remembered_until_chosen(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.prefs.theme
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert app.theme != before and app.prefs.theme == before  # previewed, not remembered
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == before and app.prefs.theme == before


async def test_radio_and_checkbox_state_is_a_shape_not_only_a_colour(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        radios = list(app.query(ShapedRadioButton))
        shapes = {r.value: r._button.plain[1] for r in radios}
        assert shapes[True] != shapes[False]
        box = app.query_one(ShapedCheckbox)
        assert box._button.plain[1] == (" " if not box.value else "✓")


async def test_rail_shows_step_1_needs_attention_after_reconnect_required(session, sandbox, tmp_path):
    import httpx

    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await connect(pilot, app)
        session.store.settings.update(division=DIV)
        rail = app.query_one("#rail")
        await wait_for(pilot, lambda: "✓" in str(rail.get_option_at_index(0).prompt), what="✓ 1")
        httpx.post(f"{sandbox.base_url}/sandbox/tokens/revoke", timeout=10)
        await pilot.press("2", "ctrl+r")  # the next call finds the login gone
        await wait_for(pilot, lambda: "✗" in str(rail.get_option_at_index(0).prompt), what="✗ 1", timeout=20)
        assert "reconnect required" in str(app.query_one(StatusHeader).render_status())


async def test_step_7_flags_a_mapping_to_an_item_exact_does_not_have_or_ended(session, tmp_path):
    """#16 item 11: step 7 showed 'OUD-TARIEF ✓' for an item Exact does not have, and inactive items looked fine."""
    import dataclasses

    from exact_tui.domain.products import DataType, DimensionKind, Principle, ProductNumber, ProductPrinciple
    from exact_tui.services import activation, defaults

    store = session.store
    store.products.put_many([ProductNumber("HOUR", "Uren", revenue_gl="8000", active=True),
                             ProductNumber("OLD", "Oud uurtarief", revenue_gl="8000", active=True,
                                           ends_at=dt.datetime(2020, 12, 31, tzinfo=dt.timezone.utc))])
    defaults.set_principle(session, ProductPrinciple(DataType.TIME_MATERIAL, Principle.BY_DIMENSION,
                                                     DimensionKind.HOURLY_RATE))
    rates = list(store.dimensions.of_kind("hourly_rate"))
    assert len(rates) >= 3
    store.dimensions.put_many([dataclasses.replace(rates[0], product_number="HOUR"),
                               dataclasses.replace(rates[1], product_number="OUD-TARIEF"),  # not in Exact's list
                               dataclasses.replace(rates[2], product_number="OLD")])  # ended in Exact
    status = defaults.defaults_status(session)
    assert set(status.flags) == {"OUD-TARIEF", "OLD"} and "HOUR" not in status.flags
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one("#mapping", DataTable)
        marks = {str(table.get_row(key)[2]): str(table.get_row(key)[3]) for key in table.rows}
        assert marks["HOUR"] == "✓"
        assert marks["OUD-TARIEF"].startswith("⚠") and "not in Exact" in marks["OUD-TARIEF"]
        assert marks["OLD"].startswith("⚠") and "ended" in marks["OLD"]
        said = str(app.query_one("#unmapped").content)
        assert "OUD-TARIEF" in said and "OLD" in said
    steps = {s.key: s for s in activation.checklist(session)}
    assert steps["defaults"].state is activation.StepState.ATTENTION
    assert any("OUD-TARIEF" in m for m in steps["defaults"].missing)  # step 8 lists what every step misses

"""Step details the walk-through does not cover: the division lock, re-import changes, a locked profile."""
from __future__ import annotations

import argparse
import datetime as dt

from textual.widgets import OptionList, SelectionList, Static

from exact_tui.cli import _console
from exact_tui.services.session import ConsoleSession
from exact_tui.ui.app import ExactApp

from .conftest import connect, wait_for
from .world import DIV, gid


async def test_division_is_locked_after_the_first_transfer(session, tmp_path):
    session.store.settings.update(division=DIV, division_name="Client Test BV",
                                  first_transfer_at=dt.datetime(2026, 2, 1, tzinfo=dt.timezone.utc))
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await connect(pilot, app)
        await pilot.press("2")
        divisions = app.query_one("#divisions", OptionList)
        await wait_for(pilot, lambda: divisions.option_count == 2, what="divisions")
        lock = str(app.query_one("#lock", Static).content)
        assert "Locked" in lock and "2026-02-01" in lock and "new profile" in lock
        assert divisions.disabled
        await pilot.press("down", "enter")
        await pilot.pause()
        assert session.store.settings.get().division == DIV


async def test_reimport_shows_what_changed_in_exact(session, sandbox, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await connect(pilot, app)
        session.store.settings.update(division=DIV)
        await pilot.press("6", "ctrl+r")
        items = app.query_one("#items", SelectionList)
        await wait_for(pilot, lambda: items.option_count == 4, what="first import")
        table = sandbox.world.table(DIV, "logistics/Items")
        row = table.get(gid(7001).lower()) or table.get(gid(7001))
        sandbox.world.update(DIV, "logistics/Items", row, {"IsFractionAllowedItem": False})
        try:
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: "changed" in str(app.query_one("#changes", Static).content), what="re-import")
            changes = str(app.query_one("#changes", Static).content)
            assert "1 changed" in changes and "HOUR: divisible: yes → no" in changes
            assert session.store.products.get("HOUR").divisible is False
        finally:
            sandbox.world.update(DIV, "logistics/Items", row, {"IsFractionAllowedItem": True})


def test_second_console_on_a_profile_is_refused_with_the_holder(sandbox, tmp_path, capsys):
    first = ConsoleSession.open("acme", tmp_path)
    try:
        code = _console.run(argparse.Namespace(profile="acme", data_dir=str(tmp_path)))
    finally:
        first.close_store()
    assert code == 2
    err = capsys.readouterr().err
    assert "side: local" in err and "what to do" in err


async def test_stored_tokens_reconnect_on_start_without_a_login(sandbox, tmp_path):
    from .conftest import open_session

    first = open_session(sandbox, tmp_path, profile="again")
    app = ExactApp(first, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await connect(pilot, app)
    first.close_store()
    second = open_session(sandbox, tmp_path, profile="again", local=False)
    app = ExactApp(second, data_dir=tmp_path, deterministic=True)  # resume=True: the stored tokens are used
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            await wait_for(pilot, lambda: second.me is not None, what="resumed connection")
            assert "Connection established" in str(app.query_one("#established", Static).content)
    finally:
        second.close_store()


def test_personal_users_are_told_to_use_an_integration_user():
    from exact_tui.services.connection import personal_user_warning

    assert personal_user_warning("demo", "Demo Consultant", "demo@example.nl")
    assert personal_user_warning("api", "API Integration", "api@example.com") is None
    assert personal_user_warning("koppeling", "Koppeling Urenregistratie", "k@bedrijf.nl") is None


async def test_local_listener_catches_the_browser_redirect(session, tmp_path):
    """When the browser runs on this machine: ctrl+t listens on the loopback redirect URI."""
    import asyncio

    import httpx

    from exact_tui.sandbox.testing import approve

    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+g")
        step = app.step("connection")
        await wait_for(pilot, lambda: step.attempt is not None, what="login link")
        assert step.attempt.listen_possible
        await pilot.press("ctrl+t")
        await pilot.pause(0.3)
        redirect = await asyncio.to_thread(approve, step.attempt.url)

        def browser() -> int:  # the browser following Exact's redirect to 127.0.0.1
            return httpx.get(redirect, timeout=10).status_code

        assert await asyncio.to_thread(browser) == 200
        await wait_for(pilot, lambda: session.me is not None, what="connected through the listener")

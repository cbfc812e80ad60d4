"""Closing and reopening a profile: same step, the log of last time, and the Exact connection back by itself."""
from __future__ import annotations

from exact_tui.exact.appconfig import save_app_config
from exact_tui.services.events import Side
from exact_tui.services.session import ConsoleSession
from exact_tui.ui.app import ExactApp
from exact_tui.ui.widgets.log_pane import LogPane

from .conftest import connect, open_session, wait_for


def log_text(app) -> str:
    return "\n".join("".join(segment.text for segment in strip) for strip in app.query_one(LogPane).lines)


def reopen(session: ConsoleSession) -> ConsoleSession:
    """What `exact-tui --profile …` does on the next start: same folder, no demo values."""
    session.close_store()
    return ConsoleSession.open(session.profile, session.profile_dir.parent.parent)


async def test_reopened_profile_shows_last_step_and_stored_log(sandbox, tmp_path):
    session = open_session(sandbox, tmp_path, profile="acme")
    session.demo = None
    app = ExactApp(session, data_dir=tmp_path, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        session.events.info("Imported 12 customers from the old system", side=Side.LOCAL, topic="import")
        await pilot.press("ctrl+n", "ctrl+n")  # not "3": with an empty form the client-id box has focus and takes it
        await wait_for(pilot, lambda: app.current_step == "journal", what="step 3 shown")
    session = reopen(session)
    try:
        app = ExactApp(session, data_dir=tmp_path, resume=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: "Imported 12 customers" in log_text(app), what="the stored log shown")
            assert app.current_step == "journal"
            assert "Imported 12 customers from the old system" in log_text(app)
            assert sum(app.query_one(LogPane).counts.values()) == 0  # history is not counted as new errors
    finally:
        session.close_store()


async def test_a_long_stored_log_is_all_there_in_order_and_ends_in_view(sandbox, tmp_path):
    """The first frame draws only the newest stored lines; the older ones follow right after it."""
    session = open_session(sandbox, tmp_path, profile="acme")
    session.demo = None
    for n in range(150):
        session.events.info(f"stored line {n:03}", side=Side.LOCAL, topic="import")
    session = reopen(session)
    try:
        app = ExactApp(session, data_dir=tmp_path, resume=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: "stored line 000" in log_text(app), what="the oldest stored line drawn")
            text = log_text(app)
            places = [text.find(f"stored line {n:03}") for n in range(150)]
            assert -1 not in places and places == sorted(places)
            pane = app.query_one(LogPane)
            assert pane.is_vertical_scroll_end and pane.max_scroll_y > 0
    finally:
        session.close_store()


async def test_kept_demo_profile_reconnects_by_itself(sandbox, tmp_path):
    session = open_session(sandbox, tmp_path, profile="demo")
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await connect(pilot, app)
    session = reopen(session)
    try:
        app = ExactApp(session, data_dir=tmp_path, deterministic=True)
        async with app.run_test(size=(100, 40)) as pilot:
            await wait_for(pilot, lambda: session.me is not None, what="reconnected from the stored login")
            assert session.client is not None
    finally:
        session.close_store()


async def test_stored_login_without_secret_says_what_to_do(sandbox, tmp_path):
    session = open_session(sandbox, tmp_path, profile="acme")
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await connect(pilot, app)
        save_app_config(session.profile_dir, session.client.config, keep_secret=False)
    session = reopen(session)
    try:
        app = ExactApp(session, data_dir=tmp_path, deterministic=True)
        async with app.run_test(size=(100, 40)) as pilot:
            await wait_for(pilot, lambda: "client secret is not kept" in log_text(app), what="the reason shown")
            assert session.client is None
    finally:
        session.close_store()


async def test_unreachable_stored_connection_is_shown_in_step_1(sandbox, tmp_path):
    session = open_session(sandbox, tmp_path, profile="acme")
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await connect(pilot, app)
        config = session.client.config
    config.base_url = "http://127.0.0.1:9"  # Exact unreachable next time (discard port)
    save_app_config(session.profile_dir, config, keep_secret=True)
    session = reopen(session)
    try:
        app = ExactApp(session, data_dir=tmp_path, deterministic=True, start_step="connection")
        async with app.run_test(size=(100, 40)) as pilot:
            step = app.step("connection")
            await wait_for(pilot, lambda: step.last_problem is not None, what="problem in step 1")
            assert step.last_problem.side in (Side.NETWORK, Side.EXACT)
    finally:
        session.close_store()


async def test_theme_from_textuals_own_theme_command_is_remembered(session, tmp_path):
    import json

    from exact_tui.paths import config_dir

    app = ExactApp(session, data_dir=tmp_path, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"  # what "Change the current theme" in the palette does
        await pilot.pause()
    saved = json.loads((config_dir(tmp_path) / "console.json").read_text())
    assert saved["theme"] == "nord"
    assert ExactApp(session, data_dir=tmp_path, resume=False).theme == "nord"

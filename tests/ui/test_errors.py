"""Every failure says what happened, on which side (local / Exact / network) and what to do."""
from __future__ import annotations

import asyncio

from textual import events

from exact_tui.exact import errors as ex
from exact_tui.services.events import Side
from exact_tui.services.problems import explain
from exact_tui.services.session import DemoConnection
from exact_tui.ui.app import ExactApp
from exact_tui.ui.steps.base import ProblemBox

from .conftest import connect, open_session, wait_for


def problem_text(app, step: str) -> str:
    box = app.step(step).query_one(ProblemBox)
    return str(box.content) if box.has_class("-shown") else ""


async def test_network_side_when_exact_cannot_be_reached(sandbox, tmp_path):
    session = open_session(sandbox, tmp_path)
    dead = "http://127.0.0.1:9"  # discard port: nothing listens
    session.demo = DemoConnection(dead, sandbox.client_id, sandbox.client_secret, sandbox.redirect_uri)
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+g")
        step = app.step("connection")
        await wait_for(pilot, lambda: step.attempt is not None, what="login link")
        app.query_one("#paste").post_message(events.Paste(f"{sandbox.redirect_uri}?code=abc&state={step.attempt.state}"))
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: problem_text(app, "connection") != "", what="problem shown")
        text = problem_text(app, "connection")
        assert "could not be reached" in text and "network" in text and "What to do" in text
        assert step.last_problem.side is Side.NETWORK
    session.close_store()


async def test_exact_side_when_the_code_is_refused(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+g")
        step = app.step("connection")
        await wait_for(pilot, lambda: step.attempt is not None, what="login link")
        app.query_one("#paste").post_message(
            events.Paste(f"{session.demo.redirect_uri}?code=not-a-code&state={step.attempt.state}"))
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: problem_text(app, "connection") != "", what="problem shown")
        assert step.last_problem.side is Side.EXACT
        assert "log in again" in problem_text(app, "connection").lower()
        assert session.client is None


async def test_pasting_another_attempts_address_is_refused(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+g")
        step = app.step("connection")
        await wait_for(pilot, lambda: step.attempt is not None, what="login link")
        app.query_one("#paste").post_message(events.Paste(f"{session.demo.redirect_uri}?code=x&state=someone-else"))
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: problem_text(app, "connection") != "", what="problem shown")
        assert "another login attempt" in problem_text(app, "connection")


async def test_local_side_when_activating_too_early(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: problem_text(app, "activate") != "", what="problem shown")
        text = problem_text(app, "activate")
        assert "Cannot activate yet" in text and "not connected" in text and "local" in text
        assert len(app.screen_stack) == 1  # no confirmation offered
        assert session.store.settings.get().active is False


async def test_steps_that_need_exact_say_so_before_connecting(session, tmp_path):
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("6", "ctrl+r")
        await wait_for(pilot, lambda: problem_text(app, "products") != "", what="problem shown")
        assert "Not connected to Exact Online" in problem_text(app, "products")
        assert "Connect in step 1" in problem_text(app, "products")


async def test_inactive_user_after_connecting_asks_to_reconnect(sandbox, tmp_path):
    """The user is deactivated in Exact after connecting: the next refresh says 'connect again'."""
    session = open_session(sandbox, tmp_path)
    app = ExactApp(session, data_dir=tmp_path, deterministic=True, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await connect(pilot, app)
        problem = explain(ex.ReconnectRequired("The user is not active"))
        assert problem.reconnect and problem.side is Side.EXACT and "active user" in problem.todo
    session.close_store()


def test_every_client_error_maps_to_a_side_and_a_remedy():
    cases = [
        (ex.NetworkError("down"), Side.NETWORK),
        (ex.OutcomeUnknown("lost", entity="SalesEntry", lookup={"YourRef": "1"}), Side.NETWORK),
        (ex.ServerError("500", status=500), Side.EXACT),
        (ex.ForbiddenError("no", reason="NoDivisionAccess"), Side.EXACT),
        (ex.RateLimited("limit", scope="minute", reset_at=None), Side.EXACT),
        (ex.ValidationError("Verplicht: Grootboekrekening", status=400), Side.EXACT),
        (ex.NotFound("gone", status=404), Side.EXACT),
        (ex.AuthError("refused"), Side.EXACT),
        (OSError(28, "No space left on device"), Side.LOCAL),
        (ValueError("customer number 'A1' must contain digits only"), Side.LOCAL),
    ]
    for exc, side in cases:
        problem = explain(exc)
        assert problem.side is side, exc
        assert problem.what and problem.todo, exc
    assert explain(RuntimeError("boom")).side is Side.CONSOLE
    asyncio.run(asyncio.sleep(0))

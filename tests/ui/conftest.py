"""Fixtures for the console's tests: one sandbox per module on loopback, a fresh profile per test."""
from __future__ import annotations

import asyncio
import time

import pytest

from exact_tui.paths import profile_dir
from exact_tui.sandbox import SandboxConfig, SandboxServer
from exact_tui.sandbox.testing import approve
from exact_tui.services.demo import demo_connection, fill_local_side
from exact_tui.services.session import ConsoleSession
from exact_tui.store.profile import ProfileStore

from .world import world


@pytest.fixture(scope="module")
def sandbox():
    server = SandboxServer(SandboxConfig(), seed=world())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def open_session(server, data_dir, *, profile: str = "t", local: bool = True) -> ConsoleSession:
    folder = profile_dir(profile, data_dir)
    store = ProfileStore.open(folder)
    if local:
        fill_local_side(store, server.seed.local)
    return ConsoleSession(profile, folder, store, demo=demo_connection(server, approve))


@pytest.fixture
def session(sandbox, tmp_path):
    s = open_session(sandbox, tmp_path)
    try:
        yield s
    finally:
        s.close_store()


async def wait_for(pilot, predicate, *, timeout: float = 60.0, what: str = "condition") -> None:
    """Let the app run until `predicate()` holds (workers talk to the sandbox over real HTTP)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)
    await pilot.pause()


async def connect(pilot, app) -> None:
    """Step 1 from the keyboard: make the login link, approve it like a browser, paste the address back."""
    from textual import events

    from exact_tui.sandbox.testing import approve

    app.goto("connection")
    await pilot.pause()
    await pilot.press("ctrl+g")
    step = app.step("connection")
    await wait_for(pilot, lambda: step.attempt is not None, what="login link")
    redirect = await asyncio.to_thread(approve, step.attempt.url, "demo", "demo")
    paste = app.query_one("#paste")
    await wait_for(pilot, lambda: app.focused is paste, what="paste box focused")
    paste.post_message(events.Paste(redirect))  # what the terminal sends when the user pastes
    await pilot.pause()
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.session.me is not None, what="connection")

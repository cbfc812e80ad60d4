"""A sandbox per module and a connected profile per test, for the doctor, the bundle and the log."""
from __future__ import annotations

import asyncio

import httpx
import pytest

from exact_tui.paths import profile_dir
from exact_tui.sandbox.testing import approve, running_sandbox
from exact_tui.services import connection as conn
from exact_tui.services.demo import demo_connection, fill_local_side
from exact_tui.services.session import ConsoleSession
from exact_tui.store.profile import ProfileStore

MAIN, SECOND, NOT_GRANTED, BLOCKED = 786431, 786432, 786433, 786434


@pytest.fixture(scope="module")
def sandbox():
    with running_sandbox(customers=30) as server:
        yield server


def admin(server, path: str, body=None, method: str = "POST") -> dict:
    answer = httpx.request(method, server.base_url + path, json=body, timeout=10)
    answer.raise_for_status()
    return answer.json()


def new_session(server, data_dir, profile: str = "t") -> ConsoleSession:
    folder = profile_dir(profile, data_dir)
    store = ProfileStore.open(folder)
    fill_local_side(store, server.seed.local)
    return ConsoleSession(profile, folder, store, demo=demo_connection(server))


async def login(session: ConsoleSession, *, division: int = MAIN, journal: str = "70", user: str = "api") -> None:
    """Step 1 headless: login link, approve like a browser, paste back; then division and journal."""
    form = conn.load_form(session)
    attempt = conn.start_login(session, form)
    redirect = await asyncio.to_thread(approve, attempt.url, user, user)
    await conn.finish_login(session, attempt, redirect)
    settings = session.settings()
    settings.division, settings.journal = division, journal
    session.save_settings(settings)
    session.client.config.division = division


@pytest.fixture
def session(sandbox, tmp_path):
    s = new_session(sandbox, tmp_path)
    try:
        yield s
    finally:
        asyncio.run(s.disconnect(quiet=True)) if s.client else None
        s.close_store()

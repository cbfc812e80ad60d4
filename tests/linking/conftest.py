from __future__ import annotations

import asyncio

import pytest

from exact_tui.services.linking import LinkingService

from .app import LinkApp, make_session
from .helpers import ACCOUNTS, open_store


class FakeClient:
    """Stands in for ExactClient in screen tests: records PUTs, can be slow, has no budget yet."""

    budget = None

    def __init__(self, delay: float = 0.0) -> None:
        self.puts: list[tuple[str, dict]] = []
        self.delay = delay
        self.hold_after: int | None = None  # PUTs after this many wait for `release`: no race with load
        self.release = asyncio.Event()

    async def update_account(self, account_id, changes):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.hold_after is not None and len(self.puts) >= self.hold_after:
            await self.release.wait()
        self.puts.append((account_id, dict(changes)))


@pytest.fixture
def world(tmp_path):
    """(app, service, store, client) for a screen over the small known world."""
    store = open_store(tmp_path)
    session = make_session(store, tmp_path / "profile")
    client = FakeClient()
    service = LinkingService(store, session.events, client)
    service.use_accounts(ACCOUNTS)
    service.rebuild()
    yield LinkApp(session, service), service, store, client
    store.close()

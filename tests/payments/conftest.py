"""What the payments, reconcile and run tests share: a logged-in client of the module's sandbox
(each test module seeds its own `server`) and an empty profile store."""
from __future__ import annotations

import pytest

from exact_tui.store.profile import ProfileStore

from exact.conftest import client, login


@pytest.fixture
async def exact(server, tmp_path):
    config, tokens = await login(server, tmp_path, "api")
    async with client(server, config, tokens) as exact:
        yield exact


@pytest.fixture
def store(tmp_path):
    store = ProfileStore.open(tmp_path / "profile")
    yield store
    store.close()

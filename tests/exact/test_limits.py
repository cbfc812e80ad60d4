"""300 creates in a row under Exact's 60 calls/minute: no 429, throughput close to the limit.

Counted on the sandbox's scaled clock (the client and the server share it), never on the wall clock.
"""
from __future__ import annotations

import collections
import uuid

import pytest

from exact_tui.exact.records import Account
from exact_tui.sandbox.testing import running_sandbox

from .conftest import client, login
from .seedworld import world

SCALE = 24.0  # one simulated minute = 2.5 s of wall time: the client can outrun the limit, so pacing matters


@pytest.fixture(scope="module")
def server():
    with running_sandbox(seed_data=world(20), time_scale=SCALE) as server:
        yield server


async def test_three_hundred_creates_without_a_429(server, tmp_path):
    config, store = await login(server, tmp_path, "api")
    server.clock.advance(61)  # start in a fresh minute window
    seen = []
    prefix = uuid.uuid4().int % 1000
    async with client(server, config, store, observer=seen.append) as exact:
        started = server.clock.time()
        for n in range(300):
            await exact.create_account(Account(name=f"Pace {n}", code=f"7{prefix:03d}{n:05d}", status="C"))
        elapsed = server.clock.time() - started
        budget = exact.budget
    statuses = collections.Counter(c.status for c in seen)
    assert statuses == {201: 300}, statuses  # zero 429s, nothing retried
    assert all(c.budget.minute_remaining is None or c.budget.minute_remaining >= 0 for c in seen)
    # throughput: 300 calls need 5 windows of 60 s at the limit; allow a little pacing slack
    minutes = elapsed / 60
    assert 4.0 <= minutes <= 6.0, f"300 creates took {minutes:.2f} simulated minutes"
    per_minute = collections.Counter(int((c.at - started) // 60) for c in seen)
    full = [per_minute[m] for m in sorted(per_minute)][:-1]
    assert full and min(full) >= 45 and max(full) <= 65, per_minute
    assert any(c.waited > 0 for c in seen)  # the pacer did the waiting, not a 429
    assert budget.day_remaining is not None and budget.day_remaining <= 5000 - 300

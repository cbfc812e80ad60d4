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

SCALE = 12.0  # one simulated minute = 5 s of wall time: the client can still outrun the limit, so pacing
# matters, and a loaded machine still manages 60 creates a minute (at 24× it managed 42)


@pytest.fixture(scope="module")
def server():
    with running_sandbox(seed_data=world(20), time_scale=SCALE) as server:
        yield server


async def test_three_hundred_creates_without_a_429(server, tmp_path):
    config, store = await login(server, tmp_path, "api")
    # start at the top of a fresh minute: Exact's minutely window is the whole clock minute
    server.clock.advance(60 - server.clock.time() % 60)
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
    per_minute = collections.Counter(int(c.at // 60) for c in seen)  # per clock minute, as Exact counts
    full = [per_minute[m] for m in sorted(per_minute)][:-1]
    assert full and min(full) >= 45 and max(full) <= 65, per_minute
    assert any(c.waited > 0 for c in seen)  # the pacer did the waiting, not a 429
    assert budget.day_remaining is not None and budget.day_remaining <= 5000 - 300


class SkewedClock:
    """The sandbox's clock moved by `skew` seconds: a client machine whose clock is off."""

    def __init__(self, clock, skew: float) -> None:
        self.clock, self.skew = clock, skew

    def time(self) -> float:
        return self.clock.time() + self.skew

    def sleep(self, seconds: float) -> None:
        self.clock.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        await self.clock.asleep(seconds)


@pytest.mark.parametrize("skew", [90.0, -90.0])
async def test_a_client_clock_90_s_off_meets_no_429_and_keeps_full_speed(server, tmp_path, skew):
    """Before reading resets on Exact's clock, +90 s walked into 429s and -90 s waited 150 s per minute."""
    from exact_tui.exact import ExactClient, TokenStore, oauth
    from exact_tui.sandbox.testing import approve

    from .conftest import config_for, user

    clock = SkewedClock(server.clock, skew)
    config = config_for(server, user(server, "api").current_division)
    store = TokenStore(tmp_path / "tokens.json", clock=clock)  # the login happened on the skewed machine too
    state = oauth.new_state()
    await oauth.exchange_redirect(config, store, approve(oauth.authorize_url(config, state), "api", "api"), state)
    server.clock.advance(61)  # a fresh minute window
    server.runtime.reset_limits()
    seen = []
    async with ExactClient(config, store, clock=clock, observer=seen.append) as exact:
        started = server.clock.time()
        for _ in range(150):
            await exact.payment_conditions()
        elapsed = server.clock.time() - started
        assert exact.budget.clock_offset == pytest.approx(-skew, abs=2.0)
    statuses = collections.Counter(c.status for c in seen)
    assert statuses == {200: 150}, statuses
    # 150 calls at 60 a minute need two full waits: a little over 2 minutes; half speed would be 4+
    assert 2.0 <= elapsed / 60 <= 3.3, f"150 calls took {elapsed / 60:.2f} sandbox minutes"

"""Two processes sharing one connection refresh at the same time: one refresher, nobody loses."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from exact_tui.sandbox.testing import running_sandbox

from .conftest import client, login
from .seedworld import world

SCALE = 500.0  # a 600 s token lives 1.2 s: twelve seconds hold ten refresh cycles, and a loaded
# machine still fits a call and a refresh inside one lifetime (at 1500× it did not)

WORKER = textwrap.dedent("""
    import asyncio, json, sys, time
    from exact_tui.exact import ExactClient, ExactConfig, TokenStore, ReconnectRequired

    class MirrorClock:
        # the sandbox's scaled clock, rebuilt from one reading (both run on time.monotonic)
        def __init__(self, sim0, mono0, scale):
            self.sim0, self.mono0, self.scale = sim0, mono0, scale
        def time(self):
            return self.sim0 + (time.monotonic() - self.mono0) * self.scale
        def sleep(self, s):
            time.sleep(max(0.0, s) / self.scale)
        async def asleep(self, s):
            await asyncio.sleep(max(0.0, s) / self.scale)

    async def main(a):
        clock = MirrorClock(a["sim0"], a["mono0"], a["scale"])
        config = ExactConfig(a["base_url"], a["client_id"], a["client_secret"], a["redirect_uri"], a["division"])
        store = TokenStore(a["path"], clock=clock)
        await clock.asleep(a["start_at"] - clock.time())  # both start together, whatever their startup took
        end = a["start_at"] + a["seconds"]
        errors = []
        async with ExactClient(config, store, clock=clock) as exact:
            while clock.time() < end:
                try:
                    await exact.payment_conditions()
                except ReconnectRequired as exc:
                    errors.append(exc.reason)
                    break
            print(json.dumps({"calls": exact.calls, "refreshes": exact.auth.refreshes, "errors": errors}))

    asyncio.run(main(json.loads(sys.argv[1])))
""")


@pytest.fixture(scope="module")
def server():
    # ten token lifetimes of unpaced-looking traffic from two processes can pass Exact's 5,000 calls a
    # day; this test is about refreshing, so the daily quota is lifted out of its way
    with running_sandbox(seed_data=world(10), time_scale=SCALE, behaviour={"day_limit": 1_000_000}) as server:
        yield server


async def test_two_processes_refresh_at_once_without_losing_the_chain(server, tmp_path):
    config, store = await login(server, tmp_path, "demo")
    seconds = 10 * 600.0  # ten access-token lifetimes of sandbox time
    sim0 = server.clock.time()
    args = {"sim0": sim0, "mono0": time.monotonic(), "scale": SCALE, "base_url": server.base_url,
            "start_at": sim0 + 4.0 * SCALE,  # 4 s of wall time for the interpreters to start
            "client_id": server.client_id, "client_secret": server.client_secret,
            "redirect_uri": server.redirect_uri, "division": config.division, "path": str(store.path),
            "seconds": seconds}
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(args)], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=90)
        assert proc.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert [r["errors"] for r in results] == [[], []]  # nobody met "Old refresh token used"
    assert all(r["calls"] > 10 for r in results)
    refreshes = sum(r["refreshes"] for r in results)
    assert refreshes == store.load().refresh_count  # every refresh persisted, none lost
    # calls happen only inside [start_at, start_at + seconds]: one refresher per lifetime between both
    # processes gives about seconds/600 (+1 at the start); one each would give twice that
    assert 8 <= refreshes <= seconds / 570 + 2
    async with client(server, config, store) as exact:  # the surviving token chain still works
        assert await exact.payment_conditions()

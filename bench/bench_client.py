"""Calls per operation of the Exact client against the sandbox (loopback HTTP, scaled clock).

    /work/venv/bin/python bench/bench_client.py [--customers 10000] [--creates 300] [--scale 24]

Prints, per operation, the REST calls made, the 429s met, simulated minutes (the sandbox's clock,
what Exact's limits see) and wall seconds (noisy on a shared machine: read them as rough figures).
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path


async def run(args: argparse.Namespace) -> None:
    from exact_tui.exact import ExactClient, ExactConfig, TokenStore, oauth
    from exact_tui.exact.records import Account
    from exact_tui.sandbox.testing import approve, running_sandbox

    rows: list[tuple[str, int, int, int, float, float, str]] = []
    try:
        from exact_tui.sandbox import seed as seed_module

        world = seed_module.generate(customers=args.customers, seed=1)
        origin = "sandbox seed"
    except ImportError:  # the demo seed generator is not there: use the client tests' known world
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.exact.seedworld import world as build

        world = build(args.customers)
        origin = "client-test world"
    with running_sandbox(seed_data=world, time_scale=args.scale) as server, \
            tempfile.TemporaryDirectory() as folder:
        demo = next(u for u in server.seed.users if u.username == "api")
        config = ExactConfig(server.base_url, server.client_id, server.client_secret, server.redirect_uri,
                             demo.current_division)
        store = TokenStore(Path(folder) / "tokens.json", clock=server.clock)
        state = oauth.new_state()
        await oauth.exchange_redirect(config, store, approve(oauth.authorize_url(config, state), "api", "api"), state)
        seen: list = []
        async with ExactClient(config, store, clock=server.clock, observer=seen.append) as exact:

            async def measure(name: str, action, note: str = "") -> object:
                seen.clear()
                sim0, wall0 = server.clock.time(), time.perf_counter()
                result = await action()
                rest = [c for c in seen if c.endpoint.startswith("/api/v1/")]
                statuses = collections.Counter(c.status for c in rest)
                rows.append((name, len(rest), len(seen) - len(rest), statuses.get(429, 0),
                             (server.clock.time() - sim0) / 60, time.perf_counter() - wall0, note))
                return result

            accounts = await measure(f"pull {args.customers:,} accounts (bulk)", exact.accounts)
            rows[-1] = rows[-1][:6] + (f"{len(accounts):,} rows",)
            synced = await measure("sync accounts, first pull", exact.sync_accounts)
            await measure("sync accounts, nothing changed", lambda: exact.sync_accounts(synced.timestamp))
            server.clock.advance(61)
            prefix = uuid.uuid4().int % 1000

            async def creates() -> None:
                for n in range(args.creates):
                    await exact.create_account(Account(name=f"Bench {n}", code=f"8{prefix:03d}{n:05d}", status="C"))

            await measure(f"create {args.creates} accounts", creates, "limit 60/min")

            async def refresh_cycles() -> None:
                for _ in range(args.refreshes):
                    server.clock.advance(575)
                    await exact.payment_conditions()

            await measure(f"{args.refreshes} token refreshes (+1 call each)", refresh_cycles,
                          "sim time jumped 575 s per refresh")
    print(f"exact client bench — {origin}, sandbox time scale {args.scale:g}x, "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}, load average {os.getloadavg()[0]:.2f}")
    print(f"{'operation':40} {'REST':>5} {'token':>5} {'429s':>5} {'sim min':>8} {'wall s':>7}  note")
    for name, calls, token, r429, sim, wall, note in rows:
        print(f"{name:40} {calls:5d} {token:5d} {r429:5d} {sim:8.2f} {wall:7.2f}  {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--refreshes", type=int, default=20)
    parser.add_argument("--scale", type=float, default=24.0, help="sandbox time scale (default %(default)s)")
    asyncio.run(run(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

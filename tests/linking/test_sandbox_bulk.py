"""A bulk 'Link and use local data' of 5,000 pairs against the sandbox over loopback HTTP.

The sandbox runs with a scaled clock (shared with the client) so the 60 calls/minute limit is
lived through in seconds; the test checks the stored links and every Exact account afterwards.
"""
from __future__ import annotations

import pytest

from exact_tui.domain.link import DataSource
from exact_tui.exact import ExactClient, ExactConfig, TokenStore, oauth
from exact_tui.exact.errors import AuthError
from exact_tui.sandbox.testing import approve, running_sandbox
from exact_tui.services.events import EventBus
from exact_tui.services.linking import Action, LinkingService
from exact_tui.store import ProfileStore

from .world import DIV, gid, local_customers, seed

N = 5000
SCALE = 1200.0  # one simulated minute = 50 ms


@pytest.fixture(scope="module")
def server():
    with running_sandbox(seed_data=seed(N), time_scale=SCALE) as server:
        yield server


async def connect(server, folder) -> ExactClient:
    config = ExactConfig(server.base_url, server.client_id, server.client_secret, server.redirect_uri, DIV)
    tokens = TokenStore(folder / "tokens.json", clock=server.clock)
    for attempt in range(5):
        state = oauth.new_state()
        try:
            await oauth.exchange_redirect(config, tokens, approve(oauth.authorize_url(config, state)), state)
            break
        except AuthError as exc:
            # at this time scale a 3-minute code lives 0.15 s of wall time: on a busy machine it can
            # expire between approving and exchanging; a user would log in again too
            if "authorization code" not in str(exc) or attempt == 4:
                raise
    return ExactClient(config, tokens, clock=server.clock)


async def test_bulk_link_with_local_data(server, tmp_path):
    customers = local_customers(N)
    store = ProfileStore.open(tmp_path / "profile")
    store.customers.put_many(customers)
    events = EventBus()
    seen = []
    events.subscribe(seen.append)
    async with await connect(server, tmp_path) as client:
        svc = LinkingService(store, events, client, division=DIV, user="demo")
        pulled = await svc.pull()
        assert pulled == N and store.exact_accounts.timestamp is not None
        svc.rebuild()
        truth = [(gid(100_000 + i), f"L{i:05d}") for i in range(1, N + 1)]
        plan = svc.plan(Action.LINK_LOCAL, svc.rows_for(truth))
        refused = {r.exact_id for r in plan.refused}
        assert refused == {gid(100_000 + i) for i in range(50, N + 1, 50)}
        changing = {gid(100_000 + i) for i in range(1, N + 1) if i % 10 in (1, 3) and i % 50}
        assert set(plan.changes) == changing and plan.api_calls == len(changing)
        report = await svc.run(plan)
        assert len(report.ok) == N - len(refused) and report.calls == len(changing)
        # a second pull sees our own changes only (Timestamp continues): nothing is lost in the cache
        assert await svc.pull() == len(changing)

    links = {link.local_id: link for link in store.links.all()}
    assert len(links) == N - len(refused)
    assert all(link.source is DataSource.LOCAL for link in links.values())
    assert links["L00001"].exact_id == gid(100_001) and links["L00001"].exact_code == "1001"
    world = server.world.table(DIV, "crm/Accounts")
    for i in range(1, N + 1):
        row = world.get(gid(100_000 + i))
        assert row["Code"].strip() == str(1000 + i)  # never sent, never changed
        assert row["Phone"] == f"030{i:07d}"  # empty local phone never wiped Exact's
        assert row["AddressLine1"] == f"Straatweg {i}"  # empty local address never sent
        if i % 50 == 0:
            assert row["Email"] == f"info@klant{i}.nl" and row["City"] != "Den Haag"  # refused: untouched
        elif i % 10 == 1:
            assert row["Email"] == f"facturen@klant{i}.nl"
        elif i % 10 == 3:
            assert row["City"] == "Den Haag"
        else:
            assert row["Email"] == f"info@klant{i}.nl"
    # refused rows say how to fix them; the progress reached the end
    row = svc.rows[gid(100_050)]
    assert "digits only" in row.problem and "K-50" in row.problem
    assert any(e.progress == (N - len(refused), N - len(refused)) for e in seen)
    store.close()

"""Each sandbox fault profile, the error-cap breaker, and POSTs that must never be blindly retried."""
from __future__ import annotations

import collections
import uuid
from decimal import Decimal

import pytest

from exact_tui.exact import EndpointBlocked, NotFound, OutcomeUnknown, RateLimited
from exact_tui.exact.records import Account, SalesEntry, SalesEntryLine
from exact_tui.sandbox.testing import running_sandbox

from .conftest import client, login
from .seedworld import world
from .test_data import master


@pytest.fixture(scope="module")
def server():
    # 600x: a minute of rate-limit reset passes in 0.1 s, an hour of error cap in 6 s
    with running_sandbox(seed_data=world(30), time_scale=600.0) as server:
        yield server


@pytest.fixture
async def connected(server, tmp_path):
    config, store = await login(server, tmp_path, "demo")
    server.clock.advance(61)
    yield config, store
    server.set_faults(None)


async def test_latency_is_only_slower(server, connected):
    with server.faults("latency:ms=50"):
        async with client(server, *connected) as exact:
            assert await exact.journals()


async def test_flaky_5xx_reads_are_retried(server, connected):
    seen = []
    with server.faults("flaky-5xx"):
        async with client(server, *connected, observer=seen.append) as exact:
            for _ in range(12):
                assert await exact.journals()
    statuses = collections.Counter(c.status for c in seen if c.endpoint != "/api/oauth2/token")
    assert statuses[200] == 12 and (statuses[500] + statuses[503]) >= 3


async def test_burst_429_waits_for_the_reset_and_succeeds(server, connected):
    seen = []
    with server.faults("burst-429"):
        async with client(server, *connected, observer=seen.append) as exact:
            started = server.clock.time()
            for _ in range(12):
                assert await exact.payment_conditions()
    # REST answers only: at 600x a token lives a second of wall time, so a loaded machine may refresh
    statuses = collections.Counter(c.status for c in seen if c.endpoint != "/api/oauth2/token")
    assert statuses[200] == 12 and statuses[429] >= 2
    assert server.clock.time() - started >= 1  # it waited for the reset instead of hammering


async def test_drop_after_commit_gives_outcome_unknown_and_the_lookup_finds_it(server, connected):
    async with client(server, *connected) as exact:
        journal, customer, gl, vat, condition = await master(exact)
        ref = f"DROP-{uuid.uuid4().hex[:8]}"
        entry = SalesEntry(journal=journal.code, customer=customer.id, your_ref=ref, payment_condition=condition.code,
                           lines=[SalesEntryLine(gl_account=gl.id, amount_fc=Decimal("10.00"),
                                                 vat_code=vat.code if vat else "")])
        with server.faults("drop-after-commit"), pytest.raises(OutcomeUnknown) as lost:
            await exact.create_sales_entry(entry)
        assert lost.value.entity == "sales entry" and lost.value.lookup["YourRef"] == ref
        found = await exact.resolve(lost.value)
        assert found is not None and found.your_ref == ref
        assert len(await exact.find_sales_entries(journal=journal.code, your_ref=ref)) == 1  # no duplicate
        # an account create that lost its answer is found by its padded code
        code = str(600_000_000 + uuid.uuid4().int % 99_999_999)
        with server.faults("drop-after-commit"), pytest.raises(OutcomeUnknown) as lost_account:
            await exact.create_account(Account(name="Dropped BV", code=code, status="C"))
        assert (await exact.resolve(lost_account.value)).code == code
        # a write that never happened resolves to None: only then is sending it again safe
        ghost = OutcomeUnknown("x", entity="sales entry", lookup={"Journal": journal.code, "YourRef": "never-sent"})
        assert await exact.resolve(ghost) is None


async def test_drop_after_commit_on_delete_is_retried_safely(server, connected):
    async with client(server, *connected) as exact:
        journal, customer, gl, vat, condition = await master(exact)
        entry = await exact.create_sales_entry(SalesEntry(
            journal=journal.code, customer=customer.id, your_ref=f"DEL-{uuid.uuid4().hex[:8]}",
            payment_condition=condition.code, lines=[SalesEntryLine(gl_account=gl.id, amount_fc=Decimal("5"))]))
        with server.faults("drop-after-commit"):
            await exact.delete_sales_entry(entry.entry_id)  # the retry meets 404: the first attempt did it
        with pytest.raises(NotFound):
            await exact.sales_entry(entry.entry_id)


async def test_breaker_stops_before_exacts_error_cap(server, connected):
    seen = []
    async with client(server, *connected, observer=seen.append) as exact:
        missing = str(uuid.uuid4())
        for _ in range(8):
            with pytest.raises(NotFound):
                await exact.account(missing)
        with pytest.raises(EndpointBlocked) as blocked:
            await exact.account(missing)
        assert isinstance(blocked.value, RateLimited) and "failed 8 times" in str(blocked.value)
        assert len(seen) == 8  # the ninth call never left
        with pytest.raises(EndpointBlocked):  # Exact counts per endpoint: a $filter GET is the same endpoint
            await exact.find_accounts_by_code("1")
        assert await exact.journals()  # other endpoints are unaffected
        assert all(c.status != 429 for c in seen)
        server.clock.advance(3601)
        with pytest.raises(NotFound):
            await exact.account(missing)  # an hour later the endpoint may be tried again


async def test_exacts_own_error_cap_is_not_waited_out(server, connected):
    seen = []
    async with client(server, *connected, observer=seen.append, breaker_threshold=100) as exact:
        missing = str(uuid.uuid4())
        with pytest.raises(EndpointBlocked) as blocked:
            for _ in range(20):
                with pytest.raises(NotFound):
                    await exact.sales_entry(missing)
        assert "blocked" in str(blocked.value).lower()
    assert [c.status for c in seen].count(429) == 1  # raised at once, no retries into an escalating block

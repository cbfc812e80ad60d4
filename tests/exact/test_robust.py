"""The client's robustness rules with a scripted transport: token saves that fail, transient 5xx on
reads, Exact's error cap without any reason header, and pacing with the other processes of a profile."""
from __future__ import annotations

import json
import os
import stat

import httpx
import pytest

from exact_tui.exact import EndpointBlocked, NotFound, ServerError, TokenStore, ValidationError
from exact_tui.exact.shared import SharedLimits

from .test_transport import make, ok
from .test_units import FakeClock


def _refreshing_handler():
    """Answers the token endpoint with a new pair each time, REST calls with an empty list."""
    issued = []

    def handler(request, n):
        if request.url.path == "/api/oauth2/token":
            issued.append(len(issued) + 1)
            return httpx.Response(200, json={"access_token": f"acc{len(issued)}", "token_type": "bearer",
                                             "expires_in": "600", "refresh_token": f"ref{len(issued)}"})
        return ok()

    return handler, issued


async def test_a_refresh_whose_save_fails_keeps_the_new_token_and_saves_it_later(tmp_path, monkeypatch):
    handler, issued = _refreshing_handler()
    exact, sent, clock = make(tmp_path, handler)
    store: TokenStore = exact.tokens
    seen = []
    exact.observer = seen.append
    real_save = TokenStore.save
    failing = {"on": True}

    def save(self, tokens):
        if failing["on"]:
            raise OSError(28, "No space left on device")
        real_save(self, tokens)

    monkeypatch.setattr(TokenStore, "save", save)
    async with exact:
        clock.now += 590  # the access token's last 30 s: a refresh is due
        await exact.journals()
        assert issued == [1] and exact.auth.unsaved
        assert json.loads(store.path.read_text())["refresh_token"] == "ref"  # the file still has the old one
        # the new pair is used (the old refresh token is dead at Exact) and no second refresh happens
        await exact.journals()
        assert [r.headers.get("Authorization") for r in sent if r.url.path != "/api/oauth2/token"][-2:] == \
            ["Bearer acc1", "Bearer acc1"]
        assert issued == [1]
        assert any(c.method == "SAVE" and c.status is None and "No space left" in c.summary() for c in seen)
        failing["on"] = False  # the disk has room again: the next call saves first
        await exact.journals()
        assert not exact.auth.unsaved
    saved = json.loads(store.path.read_text())
    assert saved["refresh_token"] == "ref1" and saved["access_token"] == "acc1"
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert any(c.method == "SAVE" and c.status == 200 for c in seen)


async def test_a_pending_save_is_retried_when_the_client_closes(tmp_path, monkeypatch):
    handler, issued = _refreshing_handler()
    exact, _, clock = make(tmp_path, handler)
    real_save = TokenStore.save
    calls = {"n": 0}

    def save(self, tokens):
        calls["n"] += 1
        if calls["n"] <= 4:  # the four immediate attempts fail, the one at close succeeds
            raise OSError(13, "Permission denied")
        real_save(self, tokens)

    monkeypatch.setattr(TokenStore, "save", save)
    async with exact:
        clock.now += 590
        await exact.journals()
        assert exact.auth.unsaved
    assert json.loads(exact.tokens.path.read_text())["refresh_token"] == "ref1"


async def test_a_read_meeting_transient_5xx_backs_off_and_succeeds(tmp_path):
    answers = [httpx.Response(502, text="Bad Gateway"),
               httpx.Response(503, text="busy", headers={"Retry-After": "7"}),
               # a GET changes nothing: even a 500 in Exact's envelope is retried, never "refused"
               httpx.Response(500, json={"error": {"message": {"value": "Verplicht: Naam"}}})]

    def handler(request, n):
        return answers[n - 1] if n <= len(answers) else ok()

    exact, sent, clock = make(tmp_path, handler)
    started = clock.time()
    async with exact:
        assert await exact.journals() == []
    assert len(sent) == 4
    assert clock.time() - started >= 7 + 0.5 * 0.75  # the Retry-After was honoured, plus backoff


async def test_a_read_that_keeps_failing_is_a_server_error_after_bounded_retries(tmp_path):
    exact, sent, _ = make(tmp_path, lambda r, n: httpx.Response(503, text="Service Unavailable"))
    async with exact:
        with pytest.raises(ServerError):
            await exact.journals()
    assert len(sent) == 4


def _cap_429(request, n, *, failures=11):
    """Like Exact: 404s, then a bare 429 with only the daily set, calls left, no reason."""
    if n <= failures:
        return httpx.Response(404, json={"error": {"message": {"value": "Not found"}}})
    return httpx.Response(429, json={"error": {"message": {"value": "Too Many Requests"}}}, headers={
        "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4000",
        "X-RateLimit-Reset": str(int((1_700_000_000 + 40_000) * 1000))})


async def test_exacts_error_cap_is_recognised_without_a_reason_header(tmp_path):
    exact, sent, _ = make(tmp_path, _cap_429, breaker_threshold=100)
    async with exact:
        for _ in range(11):
            with pytest.raises(NotFound):
                await exact.account("00000000-0000-0000-0000-000000000001")
        with pytest.raises(EndpointBlocked) as blocked:
            await exact.account("00000000-0000-0000-0000-000000000001")
        assert "error cap" in str(blocked.value) and "crm/Accounts" in str(blocked.value)
        assert len(sent) == 12  # not retried into a longer block
        with pytest.raises(EndpointBlocked):  # nor tried again at all within the hour
            await exact.find_accounts_by_code("1")
        assert len(sent) == 12
    # the block is in the profile's shared file: another process on the profile stops too
    other, other_sent, _ = make(tmp_path, lambda r, n: ok())
    async with other:
        with pytest.raises(EndpointBlocked):
            await other.account("00000000-0000-0000-0000-000000000002")
        assert await other.journals() == []
    assert len(other_sent) == 1


async def test_failing_calls_add_up_per_endpoint_whatever_the_method(tmp_path):
    def handler(request, n):
        return httpx.Response(400, json={"error": {"message": {"value": "Ongeldig: Relatie"}}})

    exact, sent, _ = make(tmp_path, handler)
    async with exact:
        for n in range(8):
            with pytest.raises(ValidationError):
                if n % 2:
                    await exact.update_account("00000000-0000-0000-0000-000000000001", {"Name": "x"})
                else:
                    await exact.account("00000000-0000-0000-0000-000000000001")
        with pytest.raises(EndpointBlocked):
            await exact.update_account("00000000-0000-0000-0000-000000000001", {"Name": "x"})
    assert len(sent) == 8


async def test_two_clients_of_one_profile_share_sixty_calls_a_minute(tmp_path):
    clock = FakeClock()
    waits = []

    def handler(request, n):
        return ok()

    first, sent_a, _ = make(tmp_path, handler)
    second, sent_b, _ = make(tmp_path, handler)
    first.clock = second.clock = clock  # one clock, as two processes on one machine share one
    first.pacer.clock = second.pacer.clock = first.breaker.clock = second.breaker.clock = clock
    async with first, second:
        for n in range(90):
            before = clock.time()
            await (first if n % 2 else second).journals()
            waits.append(clock.time() - before)
    times = sorted(json.loads((tmp_path / "ratelimit.json").read_text())["pace"]["7"]["sent"])
    assert len(sent_a) + len(sent_b) == 90
    stamps = [t for t, _ in times]
    for i in range(len(stamps)):
        assert sum(1 for t in stamps if stamps[i] <= t < stamps[i] + 60) <= 60
    assert max(waits) > 50  # the 61st call of the two together waited for the minute


def test_limits_file_sits_beside_the_tokens(tmp_path):
    clock = FakeClock()
    store = TokenStore(tmp_path / "tokens.json", clock=clock)
    assert SharedLimits.beside(store.path).path == tmp_path / "ratelimit.json"

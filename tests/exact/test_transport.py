"""Transport rules with a scripted transport: which failures are retried, which become OutcomeUnknown."""
from __future__ import annotations

import json

import httpx
import pytest

from exact_tui.exact import (ExactClient, ExactConfig, ForbiddenError, NetworkError, OutcomeUnknown, RateLimited,
                             TokenSet, TokenStore)
from exact_tui.exact.records import Account

from .test_units import FakeClock

CONFIG = ExactConfig("http://exact.test", "cid", "secret", "http://127.0.0.1:1/cb", 7)


def make(tmp_path, handler, **kw):
    clock = FakeClock()
    store = TokenStore(tmp_path / "tokens.json", clock=clock)
    store.save(TokenSet("tok", "ref", clock.time() + 600, clock.time()))
    sent = []

    def recording(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return handler(request, len(sent))

    exact = ExactClient(CONFIG, store, clock=clock, transport=httpx.MockTransport(recording), **kw)
    return exact, sent, clock


def ok(body=None, status=200):
    return httpx.Response(status, json=body if body is not None else {"d": {"results": []}})


async def test_reads_retry_timeouts_and_5xx_then_succeed(tmp_path):
    def handler(request, n):
        if n == 1:
            raise httpx.ReadTimeout("slow", request=request)
        if n == 2:
            return httpx.Response(503, json={"error": {"message": {"value": "Service Unavailable"}}})
        return ok()

    exact, sent, _ = make(tmp_path, handler)
    async with exact:
        assert await exact.journals() == []
    assert len(sent) == 3 and sent[0].headers["Authorization"] == "Bearer tok"
    assert sent[0].headers["Accept"] == "application/json"


async def test_reads_give_up_after_bounded_retries(tmp_path):
    exact, sent, _ = make(tmp_path, lambda r, n: (_ for _ in ()).throw(httpx.ReadError("reset", request=r)))
    async with exact:
        with pytest.raises(NetworkError):
            await exact.journals()
    assert len(sent) == 4  # 1 + max_retries


async def test_a_post_that_timed_out_is_never_resent(tmp_path):
    def handler(request, n):
        raise httpx.ReadTimeout("no answer", request=request)

    exact, sent, _ = make(tmp_path, handler)
    async with exact:
        with pytest.raises(OutcomeUnknown) as lost:
            await exact.create_account(Account(name="A", code="1042", status="C"))
    assert len(sent) == 1
    assert lost.value.entity == "account" and lost.value.lookup == {"Code": "1042"}
    assert "tok" not in str(lost.value)


async def test_a_post_that_never_connected_is_retried(tmp_path):
    def handler(request, n):
        if n == 1:
            raise httpx.ConnectError("refused", request=request)
        return ok({"d": {"ID": "00000000-0000-0000-0000-000000000001", "Code": "              1042", "Name": "A"}}, 201)

    exact, sent, _ = make(tmp_path, handler)
    async with exact:
        created = await exact.create_account(Account(name="A", code="1042"))
    assert len(sent) == 2 and created.code == "1042" and sent[1].headers["Prefer"] == "return=representation"
    assert json.loads(sent[1].content) == {"Code": "1042", "Name": "A"}


async def test_a_plain_5xx_on_post_is_outcome_unknown_but_a_business_rule_is_validation(tmp_path):
    answers = iter([httpx.Response(502, text="Bad Gateway"),
                    httpx.Response(500, json={"error": {"message": {"value": "Verplicht: Naam"}}})])
    exact, sent, _ = make(tmp_path, lambda r, n: next(answers))
    async with exact:
        with pytest.raises(OutcomeUnknown):
            await exact.create_account(Account(name="A", code="1"))
        from exact_tui.exact import ValidationError
        with pytest.raises(ValidationError) as refused:
            await exact.create_account(Account(name="A", code="2"))
    assert refused.value.field == "Naam" and len(sent) == 2


async def test_forbidden_carries_exacts_reason(tmp_path):
    exact, _, _ = make(tmp_path, lambda r, n: httpx.Response(
        403, json={"error": {"message": {"value": "Forbidden"}}}, headers={"Reason": "DivisionBlocked"}))
    async with exact:
        with pytest.raises(ForbiddenError) as refused:
            await exact.journals()
    assert refused.value.reason == "DivisionBlocked"


async def test_daily_limit_is_raised_not_waited_out(tmp_path):
    def handler(request, n):
        return httpx.Response(429, json={"error": {"message": {"value": "Too Many Requests"}}}, headers={
            "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(int((1_700_000_000 + 40_000) * 1000))})

    exact, sent, clock = make(tmp_path, handler)
    async with exact:
        with pytest.raises(RateLimited) as limited:
            await exact.journals()
        assert limited.value.scope == "day" and len(sent) == 1
        with pytest.raises(RateLimited):  # and the next call does not even go out
            await exact.journals()
    assert len(sent) == 1


async def test_next_links_to_another_host_are_refused(tmp_path):
    exact, sent, _ = make(tmp_path, lambda r, n: ok({"d": {"results": [{"Code": "1"}], "__next": "http://evil.test/x"}}))
    async with exact:
        from exact_tui.exact import ExactError
        with pytest.raises(ExactError, match="another host"):
            await exact.journals()
    assert len(sent) == 1  # the bearer token never went to evil.test


async def test_tokens_of_another_app_or_host_are_never_sent(tmp_path):
    from exact_tui.exact import ReconnectRequired

    exact, sent, clock = make(tmp_path, lambda r, n: ok())
    exact.tokens.save(TokenSet("tok", "ref", clock.time() + 600, clock.time(), base_url="https://start.exactonline.nl",
                               client_id="other"))
    async with exact:
        with pytest.raises(ReconnectRequired, match="belongs to"):
            await exact.journals()
    assert sent == []


async def test_connection_state_for_the_ui(tmp_path):
    exact, _, clock = make(tmp_path, lambda r, n: ok())
    async with exact:
        assert exact.connection().refresh_warning(clock.time()) is None
        assert "expires in" in exact.connection().refresh_warning(clock.time() + 24 * 86400)
        assert not exact.budget.known


async def test_a_500_refusal_without_kind_is_still_a_refusal_not_an_unknown_outcome(tmp_path):
    from exact_tui.exact import ValidationError

    answers = iter([
        httpx.Response(500, json={"error": {"message": {"value": "Periode is afgesloten: 2026 – 3"}}}),
        httpx.Response(500, json={"error": {"message": {"value": "An unexpected error occurred."}}}),
    ])
    exact, sent, _ = make(tmp_path, lambda r, n: next(answers))
    async with exact:
        with pytest.raises(ValidationError) as refused:
            await exact.create_account(Account(name="A", code="1"))
        assert refused.value.kind is None and "afgesloten" in refused.value.text
        with pytest.raises(OutcomeUnknown):
            await exact.create_account(Account(name="A", code="2"))
    assert len(sent) == 2


async def test_observed_calls_make_safe_log_lines(tmp_path):
    seen = []
    exact, _, clock = make(tmp_path, lambda r, n: httpx.Response(200, json={"d": {"results": []}}, headers={
        "X-RateLimit-Minutely-Limit": "60", "X-RateLimit-Minutely-Remaining": "59",
        "X-RateLimit-Minutely-Reset": str(int((1_700_000_000 + 60) * 1000)),
        "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999",
        "X-RateLimit-Reset": str(int((1_700_000_000 + 80_000) * 1000))}), observer=seen.append)
    async with exact:
        await exact.find_accounts_by_code("1042")
    line = seen[0].summary()
    assert line.startswith("GET /api/v1/7/crm/Accounts → 200") and "59/60 this minute" in line
    assert "4,999/5,000 today" in line and "1042" not in line and "tok" not in line  # no query, no token
    assert exact.budget.minute_remaining == 59


async def test_many_refs_are_split_over_short_urls(tmp_path):
    exact, sent, _ = make(tmp_path, lambda r, n: ok())
    async with exact:
        assert await exact.receivables(your_refs=[f"INV-2026-{n:06d}" for n in range(400)]) == []
    assert len(sent) > 1 and all(len(str(r.url)) < 6000 for r in sent)
    assert sum(r.url.params["$filter"].count("YourRef eq") for r in sent) == 400


async def test_a_looping_next_link_stops_paging(tmp_path):
    from exact_tui.exact import ExactError

    page = {"d": {"results": [{"Code": "1"}], "__next": "http://exact.test/api/v1/7/financial/Journals?$skiptoken=1"}}
    exact, sent, _ = make(tmp_path, lambda r, n: ok(page))
    async with exact:
        with pytest.raises(ExactError, match="same next-page link"):
            await exact.journals()
    assert len(sent) == 2  # the first page, then the link once

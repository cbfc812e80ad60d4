"""Pure pieces of the client: OData values, the budget's pacing, the breaker, pasted redirects."""
import datetime as dt
from decimal import Decimal

import httpx
import pytest

from exact_tui.exact.breaker import ErrorBreaker, endpoint_key
from exact_tui.exact.budget import RateBudget
from exact_tui.exact.config import ExactConfig, host_for_country
from exact_tui.exact.errors import AuthError, EndpointBlocked, ReconnectRequired
from exact_tui.exact.oauth import (StateMismatch, TooEarlyToRefresh, authorize_url, classify_token_error,
                                   code_from_pasted)
from exact_tui.exact.odata import code_literal, dumps, guid_literal, loads, parse_date, string_literal
from exact_tui.exact.records import Account, SalesEntry, SalesEntryLine


class FakeClock:
    def __init__(self, now=1_700_000_000.0):
        self.now = now

    def time(self):
        return self.now

    def sleep(self, s):
        self.now += s

    async def asleep(self, s):
        self.now += s


def test_dates_codes_and_literals():
    assert parse_date("/Date(1672531200000)/") == dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
    assert parse_date("/Date(-62135596800000)/").year == 1
    assert parse_date("/Date(1672531200000+0100)/").tzinfo is not None
    assert parse_date(None) is None
    with pytest.raises(ValueError):
        parse_date("yesterday")
    assert code_literal("1042") == "'" + " " * 14 + "1042'"
    assert string_literal("O'Brien") == "'O''Brien'"
    with pytest.raises(ValueError):
        guid_literal("1' or 1 eq 1")
    assert Account.from_exact({"Code": "              1042", "Name": "X"}).code == "1042"


def test_money_never_passes_through_float_on_the_way_in():
    data = loads(b'{"AmountFC": 0.1, "n": 3}')
    assert data["AmountFC"] == Decimal("0.1") and isinstance(data["AmountFC"], Decimal)
    assert dumps({"a": Decimal("1234.56")}) == b'{"a": 1234.56}'


def test_entry_body_has_lines_and_no_read_only_fields():
    entry = SalesEntry(journal="70", customer="00000000-0000-0000-0000-000000000001", entry_number=5, status=50,
                       entry_date=dt.date(2026, 1, 2),
                       lines=[SalesEntryLine(gl_account="00000000-0000-0000-0000-000000000002", amount_fc=Decimal("10"))])
    body = entry.to_exact()
    assert "Status" not in body and body["SalesEntryLines"][0]["AmountFC"] == Decimal("10")
    assert body["EntryNumber"] == 5


def test_budget_reads_headers_and_paces():
    now = 1000.0
    budget = RateBudget().with_headers({
        "X-RateLimit-Minutely-Limit": "60", "X-RateLimit-Minutely-Remaining": "30",
        "X-RateLimit-Minutely-Reset": str(int((now + 40) * 1000)),
        "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4000", "X-RateLimit-Reset": str(int((now + 9000) * 1000)),
    }, now)
    assert budget.minute_left(now) == 30 and budget.day_remaining == 4000
    assert budget.pace_delay(now) == 0
    low = RateBudget(60, 3, now + 40, 5000, 10, now + 9000, now)
    assert low.pace_delay(now) == pytest.approx(10.0)  # 40 s spread over the 3 calls left (+1)
    empty = RateBudget(60, 0, now + 40, 5000, 10, now + 9000, now)
    assert empty.pace_delay(now) == pytest.approx(40.25)
    assert empty.pace_delay(now + 41) == 0  # the window has reset
    # a 429 carries only one set: the other is kept
    after = budget.with_headers({"X-RateLimit-Minutely-Remaining": "0", "X-RateLimit-Minutely-Limit": "60",
                                 "X-RateLimit-Minutely-Reset": str(int((now + 5) * 1000))}, now)
    assert after.day_remaining == 4000 and after.minute_remaining == 0
    assert RateBudget(day_limit=5000, day_remaining=0, day_reset=now + 10).day_exhausted(now)
    assert "today" in budget.describe(now)


def test_breaker_opens_before_exacts_cap_and_closes_after_an_hour():
    clock = FakeClock()
    breaker = ErrorBreaker(clock, threshold=8)
    key = endpoint_key("GET", "/api/v1/123/crm/Accounts(guid'00000000-0000-0000-0000-000000000001')")
    assert key == "GET /api/v1/{division}/crm/Accounts"
    for _ in range(7):
        breaker.record(key, 404, "Not found")
        breaker.check(key)
    breaker.record(key, 500, "business rule")  # not counted by Exact's cap
    breaker.check(key)
    breaker.record(key, 404, "Not found")
    with pytest.raises(EndpointBlocked) as blocked:
        breaker.check(key)
    assert blocked.value.scope == "errors" and "Not found" in str(blocked.value)
    breaker.check("GET /api/v1/{division}/crm/Contacts")  # other endpoints are unaffected
    clock.now += 3601
    breaker.check(key)


CONFIG = ExactConfig("http://127.0.0.1:9", "cid", "very-secret", "http://127.0.0.1:9/cb")


def test_config_hides_the_secret_and_knows_countries():
    assert "very-secret" not in repr(CONFIG)
    assert host_for_country("be") == "https://start.exactonline.be"
    with pytest.raises(ValueError):
        host_for_country("xx")


def test_pasted_redirects():
    url = authorize_url(CONFIG, "s1")
    assert "client_id=cid" in url and "state=s1" in url and "response_type=code" in url and "secret" not in url
    assert code_from_pasted("http://127.0.0.1:9/cb?code=abc%21&state=s1", "s1") == "abc!"
    assert code_from_pasted("  abc123  ", "s1") == "abc123"
    assert code_from_pasted("?code=xyz&state=s1", "s1") == "xyz"
    with pytest.raises(StateMismatch):
        code_from_pasted("http://127.0.0.1:9/cb?code=abc&state=other", "s1")
    with pytest.raises(AuthError, match="did not grant"):
        code_from_pasted("http://127.0.0.1:9/cb?error=access_denied&state=s1", "s1")
    with pytest.raises(AuthError):
        code_from_pasted("", "s1")


def _resp(status, body, headers=None):
    return httpx.Response(status, json=body, headers=headers or {})


def test_token_errors_are_classified():
    early = classify_token_error(_resp(400, {"error": "access_denied",
                                             "error_description": "Rate limit exceeded: access_token not expired"},
                                       {"Reason": "TooEarlyToRefreshTokens: wait"}))
    assert isinstance(early, TooEarlyToRefresh)
    assert isinstance(classify_token_error(_resp(401, {"error": "access_denied", "error_description": "x"},
                                                 {"Reason": "TooEarlyToRefreshTokens"})), TooEarlyToRefresh)
    for body in ({"error": "unauthorized_client", "error_description": "Old refresh token used."},
                 {"error": "invalid_grant", "error_description": "The user is not active"},
                 {"error": "invalid_request", "error_description": "The refresh token expired at 1/1/2026 and it is now"}):
        error = classify_token_error(_resp(400, body))
        assert isinstance(error, ReconnectRequired) and error.reason == body["error_description"]

"""Pure pieces of the client: OData values, the budget and shared pacing, the breaker, pasted redirects."""
import datetime as dt
import email.utils
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


def _headers(now, *, minute_left=30, minute_reset=40, day_left=4000, date=None):
    headers = {
        "X-RateLimit-Minutely-Limit": "60", "X-RateLimit-Minutely-Remaining": str(minute_left),
        "X-RateLimit-Minutely-Reset": str(int((now + minute_reset) * 1000)),
        "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": str(day_left),
        "X-RateLimit-Reset": str(int((now + 9000) * 1000)),
    }
    if date is not None:
        headers["Date"] = email.utils.formatdate(date, usegmt=True)
    return headers


def test_budget_reads_headers():
    now = 1_700_000_000.0
    budget = RateBudget().with_headers(_headers(now), now)
    assert budget.minute_left(now) == 30 and budget.day_remaining == 4000
    assert budget.minute_left(now + 41) is None  # the window has reset
    # a 429 carries only one set: the other is kept
    after = budget.with_headers({"X-RateLimit-Minutely-Remaining": "0", "X-RateLimit-Minutely-Limit": "60",
                                 "X-RateLimit-Minutely-Reset": str(int((now + 5) * 1000))}, now)
    assert after.day_remaining == 4000 and after.minute_remaining == 0
    assert RateBudget(day_limit=5000, day_remaining=0, day_reset=now + 10).day_exhausted(now)
    assert "today" in budget.describe(now)


@pytest.mark.parametrize("skew", [-90.0, 90.0, 0.0])
def test_resets_are_read_on_exacts_clock(skew):
    """A client clock `skew` s off Exact's: the reset lands at the same moment on the client's clock."""
    exact_now = 1_700_000_000.0
    ours = exact_now + skew
    budget = RateBudget().with_headers(_headers(exact_now, minute_reset=40, date=exact_now), ours)
    assert budget.clock_offset == pytest.approx(-skew)
    assert budget.minute_reset == pytest.approx(ours + 40)  # 40 s from now on OUR clock, whatever the skew
    assert budget.day_reset == pytest.approx(ours + 9000)
    assert budget.minute_left(ours + 39) == 30 and budget.minute_left(ours + 41) is None
    assert (budget.clock_note() is None) == (skew == 0)
    if skew > 0:
        assert "ahead of Exact's" in budget.clock_note()
    # Date has whole seconds: the offset kept is the lowest possible one, so a reset is never early
    later = budget.with_headers(_headers(exact_now + 10.7, date=exact_now + 10.7), ours + 10.7)
    assert later.clock_offset <= -skew + 1e-6 and later.clock_offset >= -skew - 1.0


def test_shared_pacer_counts_every_process_of_the_profile(tmp_path):
    from exact_tui.exact.pacer import SharedPacer
    from exact_tui.exact.shared import SharedLimits

    clock = FakeClock()
    console = SharedPacer(SharedLimits(tmp_path / "ratelimit.json"), clock)
    run = SharedPacer(SharedLimits(tmp_path / "ratelimit.json"), clock)  # another process, same file
    for n in range(60):
        assert (console if n % 2 else run).reserve("301").delay == 0
        clock.now += 0.5
    assert console.sent_last_minute("301") == 60
    wait = run.reserve("301").delay  # the 61st of the two together waits for the oldest to age out
    assert 30 < wait <= 32
    assert console.reserve("302").delay == 0  # another division has its own quota
    clock.now += wait
    assert console.reserve("301").delay == 0


def test_pacer_believes_exact_about_calls_made_before_it_knew(tmp_path):
    from exact_tui.exact.errors import RateLimited
    from exact_tui.exact.pacer import SharedPacer
    from exact_tui.exact.shared import SharedLimits

    clock = FakeClock()
    pacer = SharedPacer(SharedLimits(tmp_path / "ratelimit.json"), clock)
    slot = pacer.reserve("301")
    pacer.heard("301", RateBudget().with_headers(_headers(clock.now, minute_left=1, minute_reset=20), clock.now),
                slot)
    assert pacer.reserve("301").delay == 0  # the one call Exact said was left
    assert 19 < pacer.reserve("301").delay <= 21  # then the minute's reset
    slot = SharedPacer(SharedLimits(tmp_path / "ratelimit.json"), clock).reserve("302")
    pacer.heard("302", RateBudget().with_headers(_headers(clock.now, day_left=0), clock.now), slot)
    with pytest.raises(RateLimited) as day:
        pacer.reserve("302")
    assert day.value.scope == "day"


def test_a_corrupt_limits_file_only_costs_what_it_knew(tmp_path):
    from exact_tui.exact.pacer import SharedPacer
    from exact_tui.exact.shared import SharedLimits

    path = tmp_path / "ratelimit.json"
    path.write_bytes(b'{"pace": {"301": {"sent": [1, 2')  # killed mid-write
    assert SharedPacer(SharedLimits(path), FakeClock()).reserve("301").delay == 0


def test_breaker_opens_before_exacts_cap_and_closes_after_an_hour(tmp_path):
    from exact_tui.exact.shared import SharedLimits

    clock = FakeClock()
    breaker = ErrorBreaker(clock, threshold=8, limits=SharedLimits(tmp_path / "ratelimit.json"))
    key = endpoint_key("GET", "/api/v1/123/crm/Accounts(guid'00000000-0000-0000-0000-000000000001')")
    assert key == "/api/v1/123/crm/Accounts"
    assert endpoint_key("PUT", "/api/v1/123/crm/Accounts(guid'x')") == key  # Exact counts per endpoint, any method
    for _ in range(7):
        breaker.record(key, 404, "Not found")
        breaker.check(key)
    breaker.record(key, 500, "business rule")  # not counted by Exact's cap
    breaker.check(key)
    # the console's failures count for the `run` beside it: the same file
    ErrorBreaker(clock, threshold=8, limits=SharedLimits(tmp_path / "ratelimit.json")).record(key, 400, "Bad")
    with pytest.raises(EndpointBlocked) as blocked:
        breaker.check(key)
    assert blocked.value.scope == "errors" and "Bad" in str(blocked.value) and "division 123" in str(blocked.value)
    breaker.check("/api/v1/123/crm/Contacts")  # other endpoints are unaffected
    breaker.check("/api/v1/124/crm/Accounts")  # and other divisions
    clock.now += 3601
    breaker.check(key)
    breaker.block(key)  # Exact blocked it itself: an hour for every process
    with pytest.raises(EndpointBlocked):
        ErrorBreaker(clock, limits=SharedLimits(tmp_path / "ratelimit.json")).check(key)
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

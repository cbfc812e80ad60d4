"""Per-division call limits with Exact's six headers, 429s carrying one header set, the daily limit
and the hourly error cap — all on the sandbox clock."""
from __future__ import annotations

import pytest

from conftest import DIV, message

MINUTELY = {"X-RateLimit-Minutely-Limit", "X-RateLimit-Minutely-Remaining", "X-RateLimit-Minutely-Reset"}
DAILY = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}


def rate_headers(answer) -> set[str]:
    return {k for k in MINUTELY | DAILY if k in answer.headers}


def test_every_answer_carries_all_six_headers(server, nl):
    ok = nl.get(f"/{DIV}/system/Divisions")
    failed = nl.get(f"/{DIV}/crm/Accounts")  # mandatory filtering: 400
    for answer in (ok, failed):
        assert rate_headers(answer) == MINUTELY | DAILY
    assert ok.headers["X-RateLimit-Limit"] == "5000" and ok.headers["X-RateLimit-Minutely-Limit"] == "60"
    assert int(failed.headers["X-RateLimit-Minutely-Remaining"]) == int(ok.headers["X-RateLimit-Minutely-Remaining"]) - 1
    reset_ms = int(ok.headers["X-RateLimit-Minutely-Reset"])
    now_ms = server.clock.time() * 1000
    assert now_ms < reset_ms <= now_ms + 60_000  # epoch milliseconds on the sandbox clock
    assert int(ok.headers["X-RateLimit-Reset"]) % 86_400_000 == 0  # the daily window ends at midnight UTC


def test_the_61st_call_in_a_minute_is_429_with_only_the_minutely_set(server, nl):
    for n in range(60):
        answer = nl.get(f"/{DIV}/system/Divisions", params={"$select": "Code"})
        assert answer.status_code == 200, n
    assert answer.headers["X-RateLimit-Minutely-Remaining"] == "0"
    limited = nl.get(f"/{DIV}/system/Divisions")
    assert limited.status_code == 429 and rate_headers(limited) == MINUTELY
    server.clock.advance(60)
    assert nl.get(f"/{DIV}/system/Divisions").status_code == 200


def test_daily_limit(server, nl):
    server.runtime.apply_behaviour({"day_limit": 5})
    try:
        for _ in range(5):
            assert nl.get(f"/{DIV}/system/Divisions").status_code == 200
        limited = nl.get(f"/{DIV}/system/Divisions")
        assert limited.status_code == 429 and rate_headers(limited) == DAILY
        assert limited.headers["X-RateLimit-Remaining"] == "0"
        server.clock.advance(86_400)
        assert nl.get(f"/{DIV}/system/Divisions").status_code == 200
    finally:
        server.runtime.apply_behaviour({"day_limit": 5000})


def test_limits_are_per_division(server, nl):
    server.runtime.apply_behaviour({"minute_limit": 2})
    try:
        nl.get(f"/{DIV}/system/Divisions")
        nl.get(f"/{DIV}/system/Divisions")
        assert nl.get(f"/{DIV}/system/Divisions").status_code == 429
        assert nl.get("/103/system/Divisions").status_code == 403  # another division: its own quota
    finally:
        server.runtime.apply_behaviour({"minute_limit": 60})


@pytest.mark.parametrize("status", [429, 403])
def test_more_than_ten_failures_in_an_hour_block_the_endpoint(server, nl, status):
    server.runtime.apply_behaviour({"error_cap_status": status})
    try:
        for _ in range(11):
            assert nl.get(f"/{DIV}/crm/Accounts").status_code == 400
        server.clock.advance(61)  # keep clear of the minute limit
        blocked = nl.get(f"/{DIV}/crm/Accounts", params={"$filter": "Status eq 'C'", "$top": "1"})
        assert blocked.status_code == status
        # a 429 carries one header set (the daily one for the error cap); a 403 is ordinary: both
        assert rate_headers(blocked) == (DAILY if status == 429 else DAILY | MINUTELY)
        # no signal the real Exact does not send: no Reason, no Retry-After, no text naming the cap
        assert "Reason" not in blocked.headers and "Retry-After" not in blocked.headers
        assert message(blocked) in ("Too Many Requests", "Forbidden")
        assert int(blocked.headers["X-RateLimit-Remaining"]) > 0  # calls are left: only the cap explains it
        assert nl.get(f"/{DIV}/financial/Journals").status_code == 200  # other endpoints still work
        server.clock.advance(3601)
        assert nl.get(f"/{DIV}/crm/Accounts", params={"$filter": "Status eq 'C'", "$top": "1"}).status_code == 200
    finally:
        server.runtime.apply_behaviour({"error_cap_status": 429})


def test_ten_failures_do_not_block(server, nl):
    for _ in range(10):
        nl.get(f"/{DIV}/crm/Accounts")
    assert nl.get(f"/{DIV}/crm/Accounts", params={"$filter": "Status eq 'C'", "$top": "1"}).status_code == 200


def test_stats_count_calls_per_endpoint(server, nl):
    import httpx

    httpx.post(f"{server.base_url}/sandbox/stats/reset")
    nl.get(f"/{DIV}/financial/Journals")
    nl.get(f"/{DIV}/financial/Journals")
    stats = httpx.get(f"{server.base_url}/sandbox/stats").json()
    assert stats["calls"]["GET financial/Journals"] == 2 and stats["statuses"]["financial/Journals 200"] == 2


def test_every_answer_is_dated_on_the_sandbox_clock():
    """`Date` is on the same clock as the reset headers (clients read the resets against it)."""
    import email.utils

    from conftest import Api, start

    fast = start(time_scale=50)
    api = Api(fast, "api")
    try:
        fast.clock.advance(7 * 86400)  # a week ahead of the wall clock
        answer = api.get(f"/{DIV}/system/Divisions")
        dates = answer.headers.get_list("date")
        assert len(dates) == 1  # uvicorn's own (wall-clock) Date is not sent beside it
        stamp = email.utils.parsedate_to_datetime(dates[0]).timestamp()
        assert abs(stamp - fast.clock.time()) < 30
        assert int(answer.headers["X-RateLimit-Minutely-Reset"]) / 1000 - stamp <= 61
    finally:
        api.close()
        fast.stop()

"""Fault profiles, switched at start, scoped to a with-block by `server.faults(profile)` and through the admin endpoint."""
from __future__ import annotations

import httpx
import pytest

from conftest import DIV, JSON, Api, login, start, token_call
from exact_tui.sandbox.faults import parse_profile


def test_profile_strings_parse_and_refuse_unknown_names():
    assert parse_profile("latency:800,flaky-5xx:period=4:burst=2") == {
        "latency": {"ms": 800}, "flaky-5xx": {"period": 4, "burst": 2}}
    with pytest.raises(ValueError, match="unknown fault profile"):
        parse_profile("slowness")


def test_admin_endpoint_switches_profiles(server):
    answer = httpx.post(f"{server.base_url}/sandbox/faults", json={"profile": "burst-429"})
    assert answer.json()["profile"] == "burst-429" and server.runtime.faults.active("burst-429")
    assert httpx.post(f"{server.base_url}/sandbox/faults", json={"profile": "nope"}).status_code == 400
    httpx.post(f"{server.base_url}/sandbox/faults", json={"profile": None})
    assert server.runtime.faults.profile is None


def test_latency(server, nl):
    with server.faults("latency:400"), pytest.raises(httpx.ReadTimeout):
        nl.get(f"/{DIV}/system/Divisions", timeout=0.1)
    assert nl.get(f"/{DIV}/system/Divisions", timeout=5).status_code == 200


def test_flaky_5xx_bursts_commit_nothing(server, nl):
    with server.faults("flaky-5xx:period=4:burst=2"):
        statuses = [nl.get(f"/{DIV}/system/Divisions").status_code for _ in range(4)]
        assert statuses[:2] == [200, 200] and sorted(statuses[2:]) == [500, 503]
        nl.get(f"/{DIV}/system/Divisions")
        nl.get(f"/{DIV}/system/Divisions")
        before = len(server.world.table(DIV, "crm/Accounts"))
        failed = nl.post(f"/{DIV}/crm/Accounts", json={"Name": "Flaky BV", "Status": "C"})
    assert failed.status_code in (500, 503) and len(server.world.table(DIV, "crm/Accounts")) == before


def test_burst_429_says_calls_are_left(server, nl):
    with server.faults("burst-429:period=3:burst=1"):
        answers = [nl.get(f"/{DIV}/system/Divisions") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    limited = answers[2]
    assert "X-RateLimit-Limit" not in limited.headers and int(limited.headers["X-RateLimit-Minutely-Remaining"]) > 0


def test_drop_after_commit_cuts_the_answer_but_keeps_the_record(server, nl):
    with server.faults("drop-after-commit"), pytest.raises(httpx.RemoteProtocolError):
        nl.post(f"/{DIV}/crm/Accounts", json={"Name": "Half Answer BV", "Status": "C"})
    found = nl.get(f"/{DIV}/crm/Accounts", params={"$filter": "Name eq 'Half Answer BV'", "$select": "ID"})
    assert len(found.json()["d"]["results"]) == 1  # committed although the client saw no answer
    assert server.runtime.stats.faults["drop-after-commit"] == 1


def test_drop_after_commit_leaves_failed_writes_and_reads_alone(server, nl):
    with server.faults("drop-after-commit"):
        assert nl.post(f"/{DIV}/crm/Accounts", json={"Status": "C"}).status_code == 500
        assert nl.get(f"/{DIV}/system/Divisions").status_code == 200


def test_refresh_faults_and_user_revoked():
    srv = start(faults="refresh-expired")
    try:
        tokens = login(srv)
        srv.clock.advance(575)
        expired = token_call(srv, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert expired.status_code == 400 and expired.json()["error_description"].startswith("The refresh token expired at")
        with srv.faults("refresh-rotated"):
            rotated = token_call(srv, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert rotated.status_code == 401 and rotated.json()["error_description"] == "Old refresh token used."
        api = Api(srv, "api")
        with srv.faults("user-revoked"):
            assert api.get("/current/Me").status_code == 401
            code_login = token_call(srv, grant_type="refresh_token", refresh_token=api.tokens["refresh_token"])
        assert code_login.json() == {"error": "invalid_grant", "error_description": "The user is not active"}
        api.close()
    finally:
        srv.stop()


def test_faults_from_config_apply_at_start():
    srv = start(faults="burst-429:period=1:burst=1")
    try:
        tokens = login(srv)
        answer = httpx.get(f"{srv.base_url}/api/v1/current/Me", headers={**JSON, "Authorization": f"Bearer {tokens['access_token']}"})
        assert answer.status_code == 429
    finally:
        srv.stop()

"""OAuth as Exact runs it: login/consent page, codes, rotation, too-early refresh, expiry, users."""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from conftest import DIV, JSON, authorize_url, code_for, login, start, token_call
from exact_tui.sandbox.testing import approve


def refresh(server, token: str) -> httpx.Response:
    return token_call(server, grant_type="refresh_token", refresh_token=token)


def me(server, access: str) -> httpx.Response:
    return httpx.get(f"{server.base_url}/api/v1/current/Me", headers={**JSON, "Authorization": f"Bearer {access}"})


def test_login_page_shows_a_form_for_a_registered_app(server):
    page = httpx.get(authorize_url(server))
    assert page.status_code == 200
    assert "<form" in page.text and "name='password'" in page.text and "consent" in page.text


def test_unknown_client_and_wrong_redirect_uri_get_an_error_page_never_a_redirect(server):
    unknown = httpx.get(authorize_url(server).replace(server.client_id, "someone-else"))
    assert unknown.status_code == 400 and "Unknown application" in unknown.text
    slash = authorize_url(server).replace("callback", "callback%2F")  # one character more
    for answer in (httpx.get(slash), httpx.post(f"{server.base_url}/api/oauth2/auth", data={
            "client_id": server.client_id, "redirect_uri": server.redirect_uri + "/", "response_type": "code",
            "username": "demo", "password": "demo", "consent": "allow"})):
        assert answer.status_code == 400 and "Redirect URI mismatch" in answer.text
        assert "location" not in answer.headers


def test_approval_redirects_with_code_and_state(server):
    redirect = approve(authorize_url(server, state="abc123"))
    parts = urlsplit(redirect)
    assert redirect.startswith(server.redirect_uri + "?")
    query = parse_qs(parts.query)
    assert query["state"] == ["abc123"] and len(query["code"][0]) > 20


def test_wrong_password_and_deny(server):
    with pytest.raises(RuntimeError, match="401"):
        approve(authorize_url(server), "demo", "wrong")
    form = {"client_id": server.client_id, "redirect_uri": server.redirect_uri, "response_type": "code",
            "state": "s", "username": "demo", "password": "demo", "consent": "deny"}
    denied = httpx.post(f"{server.base_url}/api/oauth2/auth", data=form)
    assert denied.status_code == 302 and "error=access_denied" in denied.headers["location"]


def test_session_cookie_skips_login_unless_force_login(server):
    with httpx.Client() as browser:
        form = {"client_id": server.client_id, "redirect_uri": server.redirect_uri, "response_type": "code",
                "state": "s", "username": "demo", "password": "demo", "consent": "allow"}
        assert browser.post(f"{server.base_url}/api/oauth2/auth", data=form).status_code == 302
        again = browser.get(authorize_url(server))
        assert "Signed in as" in again.text and "name='password'" not in again.text
        forced = browser.get(authorize_url(server, force_login="1"))
        assert "name='password'" in forced.text


def test_code_exchange_answers_exact_token_shape_and_codes_are_single_use(server):
    code = code_for(server)
    first = token_call(server, grant_type="authorization_code", code=code, redirect_uri=server.redirect_uri)
    assert first.status_code == 200
    body = first.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == "600"  # a STRING, as Exact sends it
    assert body["access_token"] and body["refresh_token"]
    second = token_call(server, grant_type="authorization_code", code=code, redirect_uri=server.redirect_uri)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"


def test_code_expires_after_about_three_minutes(server):
    code = code_for(server)
    server.clock.advance(181)
    answer = token_call(server, grant_type="authorization_code", code=code, redirect_uri=server.redirect_uri)
    assert answer.status_code == 400 and "expired" in answer.json()["error_description"]


def test_client_secret_basic_is_accepted_by_default_and_refused_in_strict_mode(server):
    """Exact documents the form body (client_secret_post); widely used OAuth libraries send HTTP Basic
    (client_secret_basic, RFC 6749 §2.3.1) and log in to the real Exact that way."""
    def basic_login(code: str) -> httpx.Response:
        return httpx.post(f"{server.base_url}/api/oauth2/token", auth=(server.client_id, server.client_secret),
                          data={"grant_type": "authorization_code", "code": code, "redirect_uri": server.redirect_uri})
    accepted = basic_login(code_for(server))
    assert accepted.status_code == 200 and accepted.json()["token_type"] == "bearer"
    wrong = token_call(server, grant_type="authorization_code", code=code_for(server), redirect_uri=server.redirect_uri,
                       client_secret="nope")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    server.runtime.apply_behaviour({"accept_basic_auth": False})
    strict = basic_login(code_for(server))
    assert strict.status_code == 401 and "form body" in strict.json()["error_description"]
    non_ascii = token_call(server, grant_type="authorization_code", code=code_for(server),
                           redirect_uri=server.redirect_uri, client_secret="gehéim")
    assert non_ascii.status_code == 401  # not a 500 from compare_digest


def test_pkce_parameters_are_accepted_and_ignored(server):
    url = authorize_url(server, code_challenge="abc" * 15, code_challenge_method="S256")
    code = parse_qs(urlsplit(approve(url)).query)["code"][0]
    answer = token_call(server, grant_type="authorization_code", code=code, redirect_uri=server.redirect_uri,
                        code_verifier="x" * 50)
    assert answer.status_code == 200


def test_refresh_rotates_and_an_old_refresh_token_is_refused(server):
    tokens = login(server)
    server.clock.advance(575)
    new = refresh(server, tokens["refresh_token"])
    assert new.status_code == 200 and new.json()["refresh_token"] != tokens["refresh_token"]
    reused = refresh(server, tokens["refresh_token"])
    assert reused.status_code == 401
    assert reused.json() == {"error": "unauthorized_client", "error_description": "Old refresh token used."}


def test_grace_rotation_keeps_the_predecessor_until_the_successor_is_used(server):
    server.runtime.apply_behaviour({"refresh_rotation": "grace"})
    try:
        tokens = login(server)
        server.clock.advance(575)
        second = refresh(server, tokens["refresh_token"]).json()
        server.clock.advance(575)
        assert refresh(server, tokens["refresh_token"]).status_code == 200  # successor not used yet
        tokens2 = login(server)
        server.clock.advance(575)
        second = refresh(server, tokens2["refresh_token"]).json()
        server.clock.advance(575)
        assert refresh(server, second["refresh_token"]).status_code == 200  # successor used ...
        assert refresh(server, tokens2["refresh_token"]).status_code == 401  # ... predecessor dead
    finally:
        server.runtime.apply_behaviour({"refresh_rotation": "strict"})


def test_refresh_before_570_seconds_is_refused_with_reason_header(server):
    tokens = login(server)
    server.clock.advance(500)
    early = refresh(server, tokens["refresh_token"])
    assert early.status_code == 400
    assert early.json() == {"error": "access_denied", "error_description": "Rate limit exceeded: access_token not expired"}
    assert early.headers["Reason"].startswith("TooEarlyToRefreshTokens")
    server.clock.advance(71)  # now 571 s after the access token
    assert refresh(server, tokens["refresh_token"]).status_code == 200  # the early attempt did not burn the token


def test_too_early_status_is_configurable_to_401(server):
    server.runtime.apply_behaviour({"too_early_status": 401})
    try:
        tokens = login(server)
        assert refresh(server, tokens["refresh_token"]).status_code == 401
    finally:
        server.runtime.apply_behaviour({"too_early_status": 400})


def test_refresh_token_expires_after_30_days_with_both_dates(server):
    tokens = login(server)
    server.clock.advance(30 * 86400 + 5)
    answer = refresh(server, tokens["refresh_token"])
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"
    text = answer.json()["error_description"]
    assert text.startswith("The refresh token expired at ") and " and it is now " in text
    assert text.count("/") >= 4 and ("AM" in text or "PM" in text)


def test_inactive_user_gets_invalid_grant(server):
    code = code_for(server, "inactive")
    answer = token_call(server, grant_type="authorization_code", code=code, redirect_uri=server.redirect_uri)
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_grant", "error_description": "The user is not active"}


def test_deactivating_a_user_kills_refresh_and_rest(server):
    tokens = login(server, "api")
    httpx.post(f"{server.base_url}/sandbox/users/api/deactivate").raise_for_status()
    try:
        server.clock.advance(575)
        assert refresh(server, tokens["refresh_token"]).json()["error"] == "invalid_grant"
        rest = httpx.get(f"{server.base_url}/api/v1/{DIV}/system/Divisions",
                         headers={**JSON, "Authorization": f"Bearer {tokens['access_token']}"})
        assert rest.status_code in (401, 403)
    finally:
        httpx.post(f"{server.base_url}/sandbox/users/api/activate").raise_for_status()


def test_a_password_change_ends_the_link(server):
    """The link belongs to one Exact user: a password change kills their tokens; a new login works."""
    tokens = login(server, "api")
    answer = httpx.post(f"{server.base_url}/sandbox/users/api/password", json={"password": "nieuw"})
    assert answer.status_code == 200 and answer.json()["chains_ended"] >= 1
    try:
        assert me(server, tokens["access_token"]).status_code == 401
        server.clock.advance(575)
        refused = refresh(server, tokens["refresh_token"])
        assert refused.status_code == 400 and refused.json() == {
            "error": "invalid_grant", "error_description": "The refresh token is no longer valid: the user's password was changed."}
        assert httpx.post(f"{server.base_url}/sandbox/users/api/password", json={}).status_code == 400
        redirect = approve(authorize_url(server), "api", "nieuw")
        assert "code=" in redirect
    finally:
        httpx.post(f"{server.base_url}/sandbox/users/api/password", json={"password": "api"}).raise_for_status()


def test_second_consent_revokes_the_previous_chain(server):
    first = login(server)
    login(server)
    server.clock.advance(575)
    assert me(server, first["access_token"]).status_code == 401
    assert refresh(server, first["refresh_token"]).status_code == 400


def test_second_consent_can_keep_the_previous_chain(server):
    server.runtime.apply_behaviour({"consent_revokes_previous": False})
    try:
        first = login(server)
        login(server)
        assert me(server, first["access_token"]).status_code == 200
    finally:
        server.runtime.apply_behaviour({"consent_revokes_previous": True})


def test_rest_answers_401_to_unknown_and_expired_tokens(server):
    assert me(server, "not-a-token").status_code == 401
    tokens = login(server)
    assert me(server, tokens["access_token"]).status_code == 200
    server.clock.advance(601)
    assert me(server, tokens["access_token"]).status_code == 401


def test_token_endpoint_allows_200_calls_per_user_per_day(server):
    server.runtime.apply_behaviour({"token_calls_per_day": 3})
    try:
        for _ in range(3):
            login(server, "api")
        code = code_for(server, "api")
        answer = token_call(server, grant_type="authorization_code", code=code, redirect_uri=server.redirect_uri)
        assert answer.status_code == 400 and "Rate limit exceeded" in answer.json()["error_description"]
        server.clock.advance(86400)
        assert login(server, "api")["access_token"]
    finally:
        server.runtime.apply_behaviour({"token_calls_per_day": 200})


def test_time_scale_lets_a_test_live_through_a_token_lifetime():
    # 600 s of sandbox time in 3 s: slow enough that the ~3 min code outlives a loaded machine's
    # approve-and-exchange (0.9 s of wall time), fast enough to keep the suite lean
    fast = start(time_scale=200)
    try:
        tokens = login(fast)
        assert me(fast, tokens["access_token"]).status_code == 200
        fast.clock.sleep(601)
        assert me(fast, tokens["access_token"]).status_code == 401
        assert refresh(fast, tokens["refresh_token"]).status_code == 200
    finally:
        fast.stop()


def test_clock_is_shared_and_scaled():
    fast = start(time_scale=100)
    try:
        before = fast.clock.time()
        time.sleep(0.05)
        assert fast.clock.time() - before >= 4.9
    finally:
        fast.stop()


def test_a_braced_or_upper_case_guid_client_id_names_the_same_app():
    """Exact's client ids are GUIDs; `{…}` and upper case are spellings of the same id."""
    import dataclasses
    from conftest import fixture_seed
    guid = "3f6c2a9e-8b1d-4c57-a0e4-7d2b9f6e1c38"
    srv = start(seed_data=dataclasses.replace(fixture_seed(3), client_id=guid))
    try:
        for spelling in ("{" + guid.upper() + "}", guid.upper(), "{" + guid + "}"):
            url = authorize_url(srv).replace(f"client_id={guid}", f"client_id={spelling}")
            redirect = approve(url, "demo", "demo")
            code = parse_qs(urlsplit(redirect).query)["code"][0]
            answer = httpx.post(f"{srv.base_url}/api/oauth2/token", data={
                "client_id": spelling, "client_secret": srv.client_secret, "grant_type": "authorization_code",
                "code": code, "redirect_uri": srv.redirect_uri})
            assert answer.status_code == 200, (spelling, answer.text)
        other = httpx.post(f"{srv.base_url}/api/oauth2/token", data={
            "client_id": "{" + guid[:-1] + "9}", "client_secret": srv.client_secret, "grant_type": "refresh_token",
            "refresh_token": "x"})
        assert other.status_code == 401
    finally:
        srv.stop()

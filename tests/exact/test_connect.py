"""Login (pasted URL, bare code, state check), refresh rotation, reconnect errors and the CLI."""
from __future__ import annotations

import pytest

from exact_tui.exact import AuthError, ReconnectRequired, TokenStore, oauth
from exact_tui.exact.oauth import StateMismatch
from exact_tui.sandbox.testing import approve, running_sandbox

from .conftest import client, config_for, login, user
from .seedworld import world


@pytest.fixture(scope="module")
def server():
    with running_sandbox(seed_data=world(30), time_scale=1.0) as server:
        yield server


async def test_login_with_the_pasted_url(server, tmp_path):
    config, store = await login(server, tmp_path, "demo")
    tokens = store.load()
    assert tokens.refresh_count == 0 and tokens.expires_at - tokens.obtained_at == pytest.approx(600)
    async with client(server, config, store) as exact:
        me = await exact.me()
    demo = user(server, "demo")
    assert me.user_name == "demo" and me.full_name == demo.full_name
    assert store.load().owner.full_name == demo.full_name  # who the connection belongs to is remembered


async def test_login_with_the_bare_code_and_state_mismatch_refused(server, tmp_path):
    config = config_for(server)
    store = TokenStore(tmp_path / "tokens.json", clock=server.clock)
    redirect = approve(oauth.authorize_url(config, "state-1"), "api", "api")
    with pytest.raises(StateMismatch):
        await oauth.exchange_redirect(config, store, redirect, "state-2")
    assert store.load() is None
    code = redirect.split("code=", 1)[1].split("&", 1)[0]
    await oauth.exchange_redirect(config, store, code, "state-1")
    assert store.load() is not None
    with pytest.raises(AuthError, match="authorization code"):  # single-use
        await oauth.exchange_redirect(config, store, code, None)


async def test_inactive_user_cannot_connect(server, tmp_path):
    config = config_for(server)
    store = TokenStore(tmp_path / "tokens.json", clock=server.clock)
    redirect_or_error = None
    try:
        redirect_or_error = approve(oauth.authorize_url(config, "s"), "inactive", "inactive")
    except RuntimeError:
        return  # refused at the login page already
    with pytest.raises(AuthError):
        await oauth.exchange_redirect(config, store, redirect_or_error, "s")


async def test_hundred_refreshes_rotate_and_lose_nothing(server, tmp_path):
    config, store = await login(server, tmp_path, "demo")
    seen_refresh_tokens = {store.load().refresh_token}
    seen = []
    async with client(server, config, store, observer=seen.append) as exact:
        for n in range(1, 101):
            server.clock.advance(575)  # into the access token's last 30 s
            await exact.journals()  # any call: the client refreshes first
            tokens = store.load()
            assert tokens.refresh_count == n
            seen_refresh_tokens.add(tokens.refresh_token)
            await exact.journals()  # and the stored token works (a stale one would 401 and refresh again)
            assert store.load().refresh_count == n
        assert exact.auth.refreshes == 100
    assert len(seen_refresh_tokens) == 101  # rotated every time
    token_calls = [c for c in seen if c.endpoint == "/api/oauth2/token"]
    assert len(token_calls) == 100 and {c.status for c in token_calls} == {200}  # reported to the observer
    assert len(seen) - len(token_calls) == 200  # no REST call was spent on refreshing


async def test_no_refresh_before_the_last_30_seconds(server, tmp_path):
    config, store = await login(server, tmp_path, "demo")
    async with client(server, config, store) as exact:
        server.clock.advance(560)
        await exact.journals()
        assert store.load().refresh_count == 0
        server.clock.advance(12)
        await exact.journals()
        assert store.load().refresh_count == 1


async def test_a_second_client_reuses_the_token_the_first_one_refreshed(server, tmp_path):
    config, store = await login(server, tmp_path, "demo")
    other_store = TokenStore(store.path, clock=server.clock)
    async with client(server, config, store) as first, client(server, config, other_store) as second:
        await first.journals()
        await second.journals()
        server.clock.advance(580)
        await first.journals()
        await second.journals()  # must pick up first's token, not spend the rotated refresh token
        assert first.auth.refreshes + second.auth.refreshes == 1
        assert store.load().refresh_count == 1


@pytest.mark.parametrize("profile,reason", [
    ("refresh-expired", "refresh token expired"),
    ("refresh-rotated", "Old refresh token used"),
    ("user-revoked", "not active"),
])
async def test_dead_refresh_token_asks_for_reconnect_and_keeps_the_file(server, tmp_path, profile, reason):
    config, store = await login(server, tmp_path, "demo")
    async with client(server, config, store) as exact:
        await exact.journals()
        before = store.path.read_bytes()
        with server.faults(profile):
            server.clock.advance(590)
            with pytest.raises(ReconnectRequired) as error:
                await exact.journals()
    assert reason in error.value.reason
    assert store.path.read_bytes() == before  # nothing thrown away


def test_cli_connect_paste_and_status(server, tmp_path, monkeypatch, capsys):
    from exact_tui.cli import main

    monkeypatch.setenv("EXACT_CLIENT_SECRET", server.client_secret)
    base = ["--data-dir", str(tmp_path), "--profile", "acme", "connect", "--base-url", server.base_url,
            "--client-id", server.client_id, "--redirect-uri", server.redirect_uri]
    config = config_for(server)
    redirect = approve(oauth.authorize_url(config, "cli-state"), "api", "api")
    assert main([*base, "--paste", redirect, "--state", "cli-state"]) == 0
    out = capsys.readouterr().out
    api = user(server, "api")
    assert "Connection established" in out and api.full_name in out and str(api.current_division) in out
    assert server.client_secret not in out
    # wrong state is refused with a clear message
    redirect = approve(oauth.authorize_url(config, "cli-state"), "api", "api")
    assert main([*base, "--paste", redirect, "--state", "another"]) == 2
    assert "state" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path), "--profile", "acme", "connect", "--status"]) == 0
    status = capsys.readouterr().out
    assert api.full_name in status and "refresh token" in status and "WARNING" not in status
    secret_file = (tmp_path / "profiles" / "acme" / "exact-app.json").read_text()
    assert server.client_secret not in secret_file  # only with --keep-secret


async def test_local_listener_catches_the_redirect(server, tmp_path):
    import asyncio

    import httpx

    config = config_for(server)
    store = TokenStore(tmp_path / "tokens.json", clock=server.clock)
    state = oauth.new_state()
    ready = asyncio.get_running_loop().create_future()
    waiting = asyncio.create_task(oauth.listen_for_redirect(config.redirect_uri, timeout=20, ready=ready))
    await ready
    location = await asyncio.to_thread(approve, oauth.authorize_url(config, state), "demo", "demo")
    async with httpx.AsyncClient() as browser:  # the browser follows the 302 to the listener
        page = await browser.get(location)
    assert page.status_code == 200 and "close this tab" in page.text
    caught = await waiting
    assert caught == location
    await oauth.exchange_redirect(config, store, caught, state)
    assert store.load() is not None


def test_listener_refuses_a_non_loopback_redirect_uri():
    with pytest.raises(ValueError, match="paste-back"):
        oauth.listen_target("https://app.example.com/callback")


def test_cli_two_step_connect_checks_the_state_of_the_printed_url(server, tmp_path, monkeypatch, capsys):
    """SSH in two steps: print the URL in one session, paste the result in another."""
    from exact_tui.cli import main

    monkeypatch.setenv("EXACT_CLIENT_SECRET", server.client_secret)
    base = ["--data-dir", str(tmp_path), "connect"]
    assert main([*base, "--base-url", server.base_url, "--client-id", server.client_id,
                 "--redirect-uri", server.redirect_uri, "--url-only"]) == 0
    printed = capsys.readouterr()
    url = printed.out.strip()
    assert url.startswith(server.base_url) and "state=" in url
    # the finishing hint works pasted as it is: it names the data dir it was given (#16 item 13)
    assert f"exact-tui --data-dir {tmp_path} --profile default connect --paste" in printed.err, printed.err
    foreign = approve(oauth.authorize_url(config_for(server), "someone-elses"), "demo", "demo")
    assert main([*base, "--paste", foreign]) == 2  # settings were saved by --url-only; the state is checked
    assert "state" in capsys.readouterr().err
    assert main([*base, "--paste", approve(url, "demo", "demo")]) == 0
    assert "Connection established" in capsys.readouterr().out
    assert main([*base, "--disconnect"]) == 0 and "tokens removed" in capsys.readouterr().out
    assert main([*base, "--status"]) == 1 and "Not connected" in capsys.readouterr().out


async def test_revoked_user_with_a_young_token_gets_reconnect_after_the_401(server, tmp_path):
    config, store = await login(server, tmp_path, "demo")
    seen = []
    async with client(server, config, store, observer=seen.append) as exact:
        await exact.journals()
        before = store.path.read_bytes()
        with server.faults("user-revoked"), pytest.raises(ReconnectRequired, match="not active"):
            await exact.journals()  # REST 401 → one refresh attempt → invalid_grant
    assert [c.status for c in seen[1:]] == [401, 400]  # no retry loop into the error cap
    assert store.path.read_bytes() == before


def test_paste_keeps_the_secret_url_only_saved_and_status_says_what_is_missing(server, tmp_path, monkeypatch, capsys):
    """#15 item 10: `--paste` without --keep-secret must not remove the secret `--url-only --keep-secret` stored."""
    import io
    import json as _json

    from exact_tui.cli import main

    monkeypatch.setenv("EXACT_CLIENT_SECRET", server.client_secret)
    base = ["--data-dir", str(tmp_path), "connect"]
    assert main([*base, "--base-url", server.base_url, "--client-id", server.client_id,
                 "--redirect-uri", server.redirect_uri, "--url-only", "--keep-secret"]) == 0
    url = capsys.readouterr().out.strip()
    app = next(tmp_path.rglob("exact-app.json"))
    assert _json.loads(app.read_text())["client_secret"] == server.client_secret
    monkeypatch.delenv("EXACT_CLIENT_SECRET")  # the second SSH session has no environment: the file has it
    assert main([*base, "--paste", approve(url, "demo", "demo")]) == 0
    assert _json.loads(app.read_text())["client_secret"] == server.client_secret
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal
    assert main([*base, "--status", "--check"]) == 0, capsys.readouterr().err
    assert "Exact says" in capsys.readouterr().out
    app.write_text(_json.dumps({k: v for k, v in _json.loads(app.read_text()).items() if k != "client_secret"}))
    assert main([*base, "--status", "--check"]) == 2
    err = capsys.readouterr().err
    assert "no client secret stored" in err and "EXACT_CLIENT_SECRET" in err and "nothing was pasted" not in err

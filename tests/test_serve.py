"""`exact-tui serve` (#15 item 1): only the served origin and host, and only with the start's secret.

A real server process, a real WebSocket client (aiohttp's) sending foreign and right Origin/Host
headers, and a real browser (headless Chromium, Debian's package) that loads the page and sees the
console's step 1 arrive over the WebSocket.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import httpx
import pytest

from exact_tui.cli.serve import PASSWORD_ENV, TOKEN_ENV, Basic, Guard, secrets_of

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_guard_rules():
    guard = Guard("127.0.0.1", 8000, None, "s3cret")
    assert guard.host_ok("127.0.0.1:8000") and guard.host_ok("localhost:9000") and guard.host_ok("[::1]:8000")
    assert not guard.host_ok("evil.example:8000") and not guard.host_ok(None) and not guard.host_ok("")
    assert not guard.host_ok("192.168.1.5:8000")  # an IP literal only for a wildcard bind
    assert guard.origin_ok("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert not guard.origin_ok("http://evil.example", "127.0.0.1:8000")
    assert not guard.origin_ok("http://127.0.0.1:8001", "127.0.0.1:8000")  # another local service's page
    assert not guard.origin_ok(None, "127.0.0.1:8000") and not guard.origin_ok("null", "127.0.0.1:8000")
    assert guard.token_ok("s3cret") and not guard.token_ok("s3cre") and not guard.token_ok(None)
    wild = Guard("0.0.0.0", 8000, "https://console.example.com", "t")
    assert wild.host_ok("10.0.0.7:8000") and wild.host_ok("console.example.com") and not wild.host_ok("evil.example")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _serving(tmp_path, *options: str, env: dict[str, str] | None = None):
    """`exact-tui serve` as a user starts it; yields (port, the first line it printed)."""
    port = _free_port()
    env = dict(os.environ, EXACT_TUI_DATA_DIR=str(tmp_path / "data"), TERM="xterm-256color", **(env or {}))
    proc = subprocess.Popen([sys.executable, "-m", "exact_tui", "--profile", "acme", "serve", "--port", str(port),
                             *options], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield port, line
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def served(tmp_path):
    """`exact-tui serve` with its per-start token; yields (port, token)."""
    with _serving(tmp_path) as (port, line):
        match = re.search(rf"http://127\.0\.0\.1:{port}/\?token=([\w-]+)", line)
        assert match, line
        yield port, match.group(1)


PASSWORD = "correct horse battery"


@pytest.fixture
def served_basic(tmp_path):
    """`exact-tui serve --auth basic` with the user's own password; yields the port."""
    with _serving(tmp_path, "--auth", "basic", "--auth-user", "anna", env={PASSWORD_ENV: PASSWORD}) as (port, line):
        assert "token=" not in line  # nothing secret is printed: the user knows the password
        yield port


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_credentials_rules():
    basic = Basic("anna", PASSWORD)
    assert basic.ok(_basic("anna", PASSWORD)) and basic.ok("basic " + _basic("anna", PASSWORD).split()[1])
    assert not basic.ok(_basic("anna", PASSWORD + "x")) and not basic.ok(_basic("bob", PASSWORD))
    assert not basic.ok(_basic("anna", "")) and not basic.ok(None) and not basic.ok("")
    assert not basic.ok("Basic !!!not-base64") and not basic.ok("Bearer " + _basic("anna", PASSWORD).split()[1])
    assert not basic.ok("Basic " + base64.b64encode(b"anna" + PASSWORD.encode()).decode())  # no ':'
    guard = Guard("127.0.0.1", 8000, None, "cookie-secret", basic)
    assert guard.login_ok(_basic("anna", PASSWORD)) and not guard.login_ok(_basic("anna", "guess"))
    assert not Guard("127.0.0.1", 8000, None, "t").login_ok(_basic("anna", PASSWORD))  # token mode: no logins


def test_secrets_come_from_the_environment_and_bad_ones_are_refused(monkeypatch):
    def args(auth: str, user: str = "anna") -> argparse.Namespace:
        return argparse.Namespace(auth=auth, auth_user=user)

    token, chosen, basic = secrets_of(args("token"))
    assert len(token) >= 16 and not chosen and basic is None
    assert secrets_of(args("token"))[0] != token  # a new one at every start
    monkeypatch.setenv(TOKEN_ENV, "my-own-token-1234567")
    assert secrets_of(args("token")) == ("my-own-token-1234567", True, None)
    assert TOKEN_ENV not in os.environ  # the console processes of each tab do not inherit it
    for bad in ("short", "has spaces in it, long enough", "with&amp;in-a-url-0123"):
        monkeypatch.setenv(TOKEN_ENV, bad)
        with pytest.raises(ValueError, match=TOKEN_ENV):
            secrets_of(args("token"))
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    token, chosen, basic = secrets_of(args("basic"))
    assert basic == Basic("anna", PASSWORD) and PASSWORD not in token and PASSWORD_ENV not in os.environ
    monkeypatch.setenv(PASSWORD_ENV, "short")
    with pytest.raises(ValueError, match="at least 12"):
        secrets_of(args("basic"))
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with pytest.raises(ValueError, match="--auth-user"):
        secrets_of(args("basic", user="a:b"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal, no password: says what to set
    with pytest.raises(ValueError, match=PASSWORD_ENV):
        secrets_of(args("basic"))


def test_a_token_the_user_sets_is_the_one_in_the_address(tmp_path):
    with _serving(tmp_path, env={TOKEN_ENV: "bookmarkable-token-42"}) as (port, line):
        assert "/?token=bookmarkable-token-42" in line
        assert httpx.get(f"http://127.0.0.1:{port}/?token=bookmarkable-token-42").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/?token=bookmarkable-token-4").status_code == 403


def test_a_short_password_does_not_start_the_server(tmp_path):
    env = dict(os.environ, EXACT_TUI_DATA_DIR=str(tmp_path / "data"), **{PASSWORD_ENV: "2short"})
    done = subprocess.run([sys.executable, "-m", "exact_tui", "--profile", "acme", "serve", "--auth", "basic",
                           "--port", str(_free_port())], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 2 and "at least 12" in done.stderr and "Traceback" not in done.stderr


def test_basic_auth_asks_the_browser_to_log_in_and_lets_only_the_right_password_in(served_basic):
    port = served_basic
    base = f"http://127.0.0.1:{port}"
    asked = httpx.get(f"{base}/")
    assert asked.status_code == 401 and asked.headers["www-authenticate"].startswith('Basic realm="exact-tui"')
    assert httpx.get(f"{base}/", headers={"Authorization": _basic("anna", "wrong password!")}).status_code == 401
    assert httpx.get(f"{base}/", headers={"Authorization": _basic("bob", PASSWORD)}).status_code == 401
    rebound = httpx.get(f"{base}/", headers={"Authorization": _basic("anna", PASSWORD), "Host": f"evil.example:{port}"})
    assert rebound.status_code == 403  # the right password under a rebound host name: still refused
    page = httpx.get(f"{base}/", headers={"Authorization": _basic("anna", PASSWORD)})
    assert page.status_code == 200 and "textual-terminal" in page.text
    cookie = page.cookies[f"exact_tui_token_{port}"]
    assert cookie and PASSWORD not in cookie and "httponly" in page.headers["set-cookie"].lower()
    mine = f"http://127.0.0.1:{port}"
    assert asyncio.run(_ws(port, origin=mine))[0] == 401  # no login, no cookie
    assert asyncio.run(_ws(port, origin="http://evil.example", cookie=f"exact_tui_token_{port}={cookie}"))[0] == 403
    status, output = asyncio.run(_ws(port, origin=mine, cookie=f"exact_tui_token_{port}={cookie}"))
    assert status == 101 and output  # after logging in, the page's WebSocket gets the console


def test_page_needs_the_token_and_the_right_host(served):
    port, token = served
    base = f"http://127.0.0.1:{port}"
    assert httpx.get(f"{base}/").status_code == 403
    assert httpx.get(f"{base}/?token=wrong").status_code == 403
    page = httpx.get(f"{base}/?token={token}")
    assert page.status_code == 200 and "textual-terminal" in page.text
    assert f"exact_tui_token_{port}" in page.headers["set-cookie"] and "httponly" in page.headers["set-cookie"].lower()
    rebound = httpx.get(f"{base}/?token={token}", headers={"Host": f"evil.example:{port}"})
    assert rebound.status_code == 403 and "host name" in rebound.text


async def _ws(port: int, *, origin: str | None, host: str | None = None, token: str | None = None,
              cookie: str | None = None) -> tuple[int, bytes]:
    """Open the console's WebSocket; (101, first output) when accepted, (status, b'') when refused."""
    query = "?width=80&height=24" + (f"&token={token}" if token else "")
    headers = {}
    if host:
        headers["Host"] = host
    if cookie:
        headers["Cookie"] = cookie
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(f"ws://127.0.0.1:{port}/ws{query}", origin=origin, headers=headers,
                                          timeout=aiohttp.ClientWSTimeout(ws_receive=30)) as ws:
                received = b""
                while len(received) < 200:
                    message = await ws.receive(timeout=60)
                    if message.type == aiohttp.WSMsgType.BINARY:
                        received += message.data
                    elif message.type == aiohttp.WSMsgType.TEXT:
                        received += message.data.encode()
                    else:
                        break
                return 101, received
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status, b""


def test_websocket_refuses_foreign_origin_host_and_missing_token(served):
    port, token = served
    mine = f"http://127.0.0.1:{port}"
    assert asyncio.run(_ws(port, origin="http://evil.example", token=token))[0] == 403
    assert asyncio.run(_ws(port, origin=None, token=token))[0] == 403
    assert asyncio.run(_ws(port, origin=f"http://evil.example:{port}", host=f"evil.example:{port}",
                           token=token))[0] == 403  # DNS rebinding: the page and Host both say evil.example
    assert asyncio.run(_ws(port, origin=mine))[0] == 403  # the right page, but no secret
    assert asyncio.run(_ws(port, origin=mine, token="guess"))[0] == 403


def test_websocket_with_the_right_origin_and_secret_gets_the_console(served):
    port, token = served
    status, output = asyncio.run(_ws(port, origin=f"http://127.0.0.1:{port}", cookie=f"exact_tui_token_{port}={token}"))
    assert status == 101 and output  # the console process started and is drawing


def _in_chromium(url: str, login: tuple[str, str] | None = None) -> str:
    """Headless Chromium opens `url` (answering the login prompt with `login`); the console output it got."""
    with tempfile.TemporaryDirectory() as profile:
        browser = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                    "--no-first-run", f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                    "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            active = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 60
            while not (active.exists() and active.read_text().count("\n") >= 1) and time.monotonic() < deadline:
                time.sleep(0.1)
            debug_port = int(active.read_text().split()[0])
            return asyncio.run(_browse(debug_port, url, login))
        finally:
            browser.terminate()
            try:
                browser.wait(timeout=15)
            except subprocess.TimeoutExpired:
                browser.kill()
                browser.wait()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_a_real_browser_loads_the_page_and_sees_step_1(served):
    port, token = served
    screen = _in_chromium(f"http://127.0.0.1:{port}/?token={token}")
    assert "Connection" in screen, screen[-2000:]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_a_real_browser_logs_in_with_basic_auth_and_sees_step_1(served_basic):
    port = served_basic
    screen = _in_chromium(f"http://127.0.0.1:{port}/", ("anna", PASSWORD))
    assert "Connection" in screen, screen[-2000:]


async def _browse(debug_port: int, url: str, login: tuple[str, str] | None = None) -> str:
    """Drive the page over the DevTools protocol; return the console output the page's WebSocket received.
    With `login`, the browser's login prompt is answered with it (once: a second prompt is cancelled)."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{debug_port}/json/list") as answer:
            page = next(t for t in await answer.json() if t["type"] == "page")
        async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as cdp:
            ids = iter(range(1, 10_000))

            async def send(method: str, **params) -> None:
                await cdp.send_json({"id": next(ids), "method": method, "params": params})

            await send("Network.enable")
            if login is not None:
                await send("Fetch.enable", handleAuthRequests=True)
            await send("Page.navigate", url=url)
            answered = False
            screen = ""
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and not re.search(r"Connection", _plain(screen)):
                try:
                    message = await cdp.receive(timeout=max(1.0, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    break
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                event = json.loads(message.data)
                if event.get("method") == "Fetch.requestPaused":
                    await send("Fetch.continueRequest", requestId=event["params"]["requestId"])
                elif event.get("method") == "Fetch.authRequired" and login is not None:
                    answer = {"response": "CancelAuth"} if answered else \
                        {"response": "ProvideCredentials", "username": login[0], "password": login[1]}
                    answered = True
                    await send("Fetch.continueWithAuth", requestId=event["params"]["requestId"],
                               authChallengeResponse=answer)
                elif event.get("method") == "Network.webSocketFrameReceived":
                    frame = event["params"]["response"]
                    data = frame["payloadData"]
                    screen += base64.b64decode(data).decode("utf-8", "replace") if frame["opcode"] == 2 else data
            return _plain(screen)


def _plain(output: str) -> str:
    """Terminal output without its escape sequences: the words the user sees."""
    return re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]", "", output)

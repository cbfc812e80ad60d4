"""`exact-tui serve`: the console in a browser tab (textual-serve), for a colleague without a terminal.

textual-serve itself accepts a WebSocket from any page and any Host: a page on another site open in
the same browser (cross-site WebSocket), or one that rebinds its own name to 127.0.0.1 (DNS
rebinding), would get the live console with the profile's Exact connection. So the server here
is textual-serve's with a guard in front of every request:

- the `Host` header must name this server (its bind address, loopback names, `--public-url`'s
  host; for a wildcard bind also IP literals and this machine's names) — a rebound domain is refused;
- the WebSocket's `Origin` must be the page's own origin (same host and port as `Host`) — another
  site's page is refused, and so is a client that sends none;
- a secret must come with the page and with the WebSocket. `--auth token` (the default): a token
  made at each start (like Jupyter's), or the user's own from `EXACT_TUI_SERVE_TOKEN` so a bookmark
  survives a restart; it is in the printed address (`/?token=…`, printed once), then in the cookie
  the page sets. `--auth basic`: the browser's own login prompt (HTTP Basic) with a user name and a
  password the user sets (`EXACT_TUI_SERVE_PASSWORD` or typed at the prompt, never printed); after
  the login the page sets a cookie with this start's session secret, which the WebSocket brings.
  Every secret is compared in constant time; a wrong password costs the guesser a second.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import ipaddress
import os
import re
import secrets
import shlex
import socket
import sys
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

NAME = "serve"
PROFILE = lambda args: "none" if args.demo else "create"  # noqa: E731 - serves the console, which makes a new profile
JSON = False  # a server
HELP = "serve the console in a browser tab via textual-serve (loopback only unless --host says otherwise)"
DESCRIPTION = (
    "Runs the console behind textual-serve: every browser connection starts its own console process with this "
    "profile's Exact connection. Only a browser that opens the printed address (it carries a secret made at "
    "this start, or your own from EXACT_TUI_SERVE_TOKEN) gets in, or with --auth basic one that logs in with "
    "the user name and password you set (EXACT_TUI_SERVE_PASSWORD, or typed at the prompt); connections from "
    "other web pages (another Origin) or under another host name (DNS rebinding) are refused. Binds to "
    "127.0.0.1 unless you pass --host (prefer an SSH tunnel)."
)
ORDER = 90
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WILDCARD = {"0.0.0.0", "::", ""}
TOKEN_ENV, PASSWORD_ENV = "EXACT_TUI_SERVE_TOKEN", "EXACT_TUI_SERVE_PASSWORD"
MIN_TOKEN, MIN_PASSWORD = 16, 12  # a served console is its Exact connection: no short secrets
FAILED_LOGIN_DELAY = 1.0  # seconds a wrong password waits before its 401 (slows guessing, blocks no one)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    parser.add_argument("--demo", action="store_true", help="serve `exact-tui demo` instead of the profile's console")
    parser.add_argument("--public-url", default=None, help="URL the browser uses, when behind a proxy or tunnel")
    parser.add_argument("--auth", choices=("token", "basic"), default="token",
                        help=f"token: a secret in the printed address, made at each start or taken from "
                             f"${TOKEN_ENV} (at least {MIN_TOKEN} characters); basic: the browser's login prompt "
                             f"with --auth-user and a password from ${PASSWORD_ENV} or typed at the prompt "
                             f"(at least {MIN_PASSWORD} characters) (default: %(default)s)")
    parser.add_argument("--auth-user", default="exact-tui", help="user name for --auth basic (default: %(default)s)")


def command_line(args: argparse.Namespace) -> str:
    """The command each browser connection runs: this Python, this package, the same profile."""
    parts = [sys.executable, "-m", "exact_tui", "--profile", args.profile]
    if args.data_dir:
        parts += ["--data-dir", args.data_dir]
    if args.demo:
        parts.append("demo")
    return shlex.join(parts)


def _hostname(netloc: str) -> str:
    """`[::1]:8000` -> `::1`, `Localhost:8000` -> `localhost`; '' when it cannot be parsed."""
    try:
        return (urlsplit(f"//{netloc}").hostname or "").lower()
    except ValueError:
        return ""


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Basic:
    """`--auth basic`: the user name and password the user set."""

    user: str
    password: str

    def ok(self, header: str | None) -> bool:
        """An `Authorization: Basic …` header with this user and password (both compared in constant time)."""
        scheme, _, value = (header or "").partition(" ")
        if scheme.lower() != "basic" or not value.strip():
            return False
        try:
            user, sep, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        same_user = secrets.compare_digest(user.encode(), self.user.encode())
        same_password = secrets.compare_digest(password.encode(), self.password.encode())
        return bool(sep) and same_user and same_password


class Guard:
    """The checks in front of textual-serve, kept apart from aiohttp so they read (and test) plainly.

    `token` is what the cookie (and `?token=`) must carry; with `basic` the browser gets that cookie
    after logging in, and the token itself is never printed."""

    def __init__(self, host: str, port: int, public_url: str | None, token: str, basic: Basic | None = None) -> None:
        self.token = token
        self.basic = basic
        self.cookie = f"exact_tui_token_{port}"  # cookies ignore ports: one name per served port
        self.wildcard = host in WILDCARD
        names = {host.lower().strip("[]")} | LOOPBACK
        if public_url:
            names.add(_hostname(urlsplit(public_url).netloc))
        if self.wildcard:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        self.names = {n for n in names if n}

    def host_ok(self, host_header: str | None) -> bool:
        name = _hostname(host_header or "")
        return bool(name) and (name in self.names or (self.wildcard and _is_ip(name)))

    def origin_ok(self, origin: str | None, host_header: str | None) -> bool:
        """Same origin as the page: scheme http(s), host and port exactly those the browser used for it."""
        if not origin or not host_header:
            return False
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.lower() \
            and not parts.path.strip("/")

    def token_ok(self, offered: str | None) -> bool:
        return bool(offered) and secrets.compare_digest(str(offered).encode(), self.token.encode())

    def login_ok(self, authorization: str | None) -> bool:
        return self.basic is not None and self.basic.ok(authorization)


def make_server(command: str, *, host: str, port: int, public_url: str | None, token: str,
                basic: Basic | None = None, chosen_token: bool = False, title: str = "exact-tui") -> Any:
    """textual-serve's Server with the guard as an aiohttp middleware."""
    from aiohttp import web
    from textual_serve.server import Server

    guard = Guard(host, port, public_url, token, basic)

    class GuardedServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(self._guard)
            return app

        @web.middleware
        async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
            if not guard.host_ok(request.host):
                return _refuse(f"this server does not answer to the host name {request.host!r}")
            path = request.path
            if path.startswith("/static/"):
                return await handler(request)  # textual-serve's own scripts and fonts: nothing of the profile
            offered = request.query.get("token") or request.cookies.get(guard.cookie)
            if path == "/ws" and not guard.origin_ok(request.headers.get("Origin"), request.host):
                return _refuse("a connection from another web page (its Origin) is not accepted")
            by_token = guard.token_ok(offered)
            logged_in = not by_token and guard.login_ok(request.headers.get("Authorization"))
            if not (by_token or logged_in):
                if guard.basic is not None:
                    if request.headers.get("Authorization"):
                        await asyncio.sleep(FAILED_LOGIN_DELAY)
                    return _ask_login()
                return _refuse("open the address `exact-tui serve` printed when it started (it carries a secret)")
            response = await handler(request)
            if path == "/" and (request.query.get("token") or logged_in):
                response.set_cookie(guard.cookie, guard.token, httponly=True, samesite="Strict", path="/")
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("Referrer-Policy", "no-referrer")  # the token stays out of Referer
            return response

        async def on_startup(self, app: web.Application) -> None:
            if guard.basic is not None:
                print(f"exact-tui serve: open {self.public_url}/", flush=True)
                print(f"  (log in as {guard.basic.user!r} with the password you set. Ctrl+C stops serving.)",
                      flush=True)
                return
            url = f"{self.public_url}/?token={guard.token}"
            print(f"exact-tui serve: open {url}", flush=True)
            print("  (only this address gets in" + (f"; the token is ${TOKEN_ENV}'s" if chosen_token else
                  "; it changes at every start") + ". Ctrl+C stops serving.)", flush=True)

    return GuardedServer(command, host=host, port=port, title=title, public_url=public_url)


def _ask_login() -> Any:
    """401 with the challenge that makes a browser show its login prompt."""
    from aiohttp import web

    return web.Response(status=401, text="exact-tui serve: log in with the user name and password set for it\n",
                        content_type="text/plain",
                        headers={"WWW-Authenticate": 'Basic realm="exact-tui", charset="UTF-8"'})


def _refuse(reason: str) -> Any:
    from aiohttp import web

    return web.Response(status=403, text=f"exact-tui serve: {reason}\n", content_type="text/plain")


def run(args: argparse.Namespace) -> int:
    if not (0 < args.port < 65536):
        print(f"--port {args.port} is not a port number", file=sys.stderr)
        return 2
    try:
        token, chosen, basic = secrets_of(args)
    except ValueError as exc:
        print(f"exact-tui serve: {exc}", file=sys.stderr)
        return 2
    secret = "the password" if basic is not None else "the printed address"
    if args.host not in LOOPBACK:
        print(f"WARNING: serving on {args.host}: anyone who reaches port {args.port} AND has {secret} uses this "
              f"console and its Exact connection, over plain HTTP (it travels unencrypted). "
              f"Prefer 127.0.0.1 + an SSH tunnel.", file=sys.stderr)
    else:
        print(f"Note: bound to loopback. From another machine use `ssh -L {args.port}:127.0.0.1:{args.port} "
              f"this-host` and open the address below there.", file=sys.stderr)
    server = make_server(command_line(args), host=args.host, port=args.port, public_url=args.public_url,
                         token=token, basic=basic, chosen_token=chosen)
    server.serve()
    return 0


def secrets_of(args: argparse.Namespace) -> tuple[str, bool, Basic | None]:
    """(cookie token, whether the user chose it, basic credentials or None), from the environment or the
    prompt. The variables are removed from this process's environment, so the console processes that
    textual-serve starts for each tab do not inherit them. ValueError says what is wrong."""
    chosen_token = os.environ.pop(TOKEN_ENV, "")
    password = os.environ.pop(PASSWORD_ENV, "")
    if args.auth == "token":
        if chosen_token and len(chosen_token) < MIN_TOKEN:
            raise ValueError(f"${TOKEN_ENV} is {len(chosen_token)} characters; use at least {MIN_TOKEN}")
        if chosen_token and not re.fullmatch(r"[A-Za-z0-9._~-]+", chosen_token):
            raise ValueError(f"${TOKEN_ENV} may hold only letters, digits, '-', '_', '.' and '~' (it goes in a URL)")
        return (chosen_token or secrets.token_urlsafe(24)), bool(chosen_token), None
    user = args.auth_user
    if not user or ":" in user or not user.isprintable():
        raise ValueError(f"--auth-user {user!r}: a user name without ':' or control characters")
    if not password:
        if not sys.stdin.isatty():
            raise ValueError(f"--auth basic needs a password: set ${PASSWORD_ENV}, or start it in a terminal to type one")
        import getpass

        password = getpass.getpass(f"Password for {user!r} (not shown): ")
        if getpass.getpass("Same password again: ") != password:
            raise ValueError("the two passwords differ; nothing was started")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password is {len(password)} characters; use at least {MIN_PASSWORD}")
    return secrets.token_urlsafe(24), False, Basic(user, password)

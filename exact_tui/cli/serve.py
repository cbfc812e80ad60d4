"""`exact-tui serve`: the console in a browser tab (textual-serve), for a colleague without a terminal.

textual-serve itself accepts a WebSocket from any page and any Host: a page on another site open in
the same browser (cross-site WebSocket), or one that rebinds its own name to 127.0.0.1 (DNS
rebinding), would get the live console with the profile's Exact connection. So the server here
is textual-serve's with a guard in front of every request:

- the `Host` header must name this server (its bind address, loopback names, `--public-url`'s
  host; for a wildcard bind also IP literals and this machine's names) — a rebound domain is refused;
- the WebSocket's `Origin` must be the page's own origin (same host and port as `Host`) — another
  site's page is refused, and so is a client that sends none;
- a secret made at each start (like Jupyter's token) must come with the page (`/?token=…`, printed
  once) and with the WebSocket (the cookie the page sets, or `?token=`).
"""
from __future__ import annotations

import argparse
import ipaddress
import secrets
import shlex
import socket
import sys
from typing import Any
from urllib.parse import urlsplit

NAME = "serve"
HELP = "serve the console in a browser tab via textual-serve (loopback only unless --host says otherwise)"
DESCRIPTION = (
    "Runs the console behind textual-serve: every browser connection starts its own console process with this "
    "profile's Exact connection. Only a browser that opens the printed address (it carries a secret made at "
    "this start) gets in; connections from other web pages (another Origin) or under another host name (DNS "
    "rebinding) are refused. Binds to 127.0.0.1 unless you pass --host (prefer an SSH tunnel)."
)
ORDER = 90
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WILDCARD = {"0.0.0.0", "::", ""}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    parser.add_argument("--demo", action="store_true", help="serve `exact-tui demo` instead of the profile's console")
    parser.add_argument("--public-url", default=None, help="URL the browser uses, when behind a proxy or tunnel")


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


class Guard:
    """The checks in front of textual-serve, kept apart from aiohttp so they read (and test) plainly."""

    def __init__(self, host: str, port: int, public_url: str | None, token: str) -> None:
        self.token = token
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


def make_server(command: str, *, host: str, port: int, public_url: str | None, token: str,
                title: str = "exact-tui") -> Any:
    """textual-serve's Server with the guard as an aiohttp middleware."""
    from aiohttp import web
    from textual_serve.server import Server

    guard = Guard(host, port, public_url, token)

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
            if not guard.token_ok(offered):
                return _refuse("open the address `exact-tui serve` printed when it started (it carries a secret)")
            response = await handler(request)
            if path == "/" and request.query.get("token"):
                response.set_cookie(guard.cookie, guard.token, httponly=True, samesite="Strict", path="/")
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("Referrer-Policy", "no-referrer")  # the token stays out of Referer
            return response

        async def on_startup(self, app: web.Application) -> None:
            url = f"{self.public_url}/?token={guard.token}"
            print(f"exact-tui serve: open {url}", flush=True)
            print("  (only this address gets in; it changes at every start. Ctrl+C stops serving.)", flush=True)

    return GuardedServer(command, host=host, port=port, title=title, public_url=public_url)


def _refuse(reason: str) -> Any:
    from aiohttp import web

    return web.Response(status=403, text=f"exact-tui serve: {reason}\n", content_type="text/plain")


def run(args: argparse.Namespace) -> int:
    if not (0 < args.port < 65536):
        print(f"--port {args.port} is not a port number", file=sys.stderr)
        return 2
    if args.host not in LOOPBACK:
        print(f"WARNING: serving on {args.host}: anyone who reaches port {args.port} AND has the printed address "
              f"uses this console and its Exact connection, over plain HTTP (the secret travels unencrypted). "
              f"Prefer 127.0.0.1 + an SSH tunnel.", file=sys.stderr)
    else:
        print(f"Note: bound to loopback. From another machine use `ssh -L {args.port}:127.0.0.1:{args.port} "
              f"this-host` and open the address below there.", file=sys.stderr)
    server = make_server(command_line(args), host=args.host, port=args.port, public_url=args.public_url,
                         token=secrets.token_urlsafe(24))
    server.serve()
    return 0

"""The ASGI application: one `Runtime` (world, clock, limits, faults, behaviour) behind Starlette
routes for OAuth, the REST API and the admin endpoints, wrapped in the fault middleware."""
from __future__ import annotations

import email.utils
import html
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from . import cashflow, oauth, rest, state
from .admin import ROUTES_ADMIN
from .clock import ScaledClock
from .config import SandboxConfig
from .faults import FaultMiddleware, Faults
from .limits import ErrorCap, RateLimiter, Stats, TokenCalls
from .schema import TABLES, Scopes
from .world import World


class Runtime:
    """Everything a request handler needs, built once per server."""

    def __init__(self, config: SandboxConfig, seed: Any) -> None:
        self.config = config
        self.behaviour = config.behaviour
        self.seed = seed
        self.clock = ScaledClock(config.time_scale)
        self.world = World.from_seed(seed, self.clock)
        if config.state_file:
            from pathlib import Path

            if Path(config.state_file).exists():
                saved = state.load(self.world, config.state_file)
                self.clock.advance(max(0.0, saved - self.clock.time()))  # never run time backwards
        self.extra_fields = _extra_fields(seed)
        self.limiter = RateLimiter(self.clock, self.behaviour.minute_limit, self.behaviour.day_limit)
        self.error_cap = ErrorCap(self.clock, self.behaviour.error_cap, self.behaviour.error_cap_escalates)
        self.token_calls = TokenCalls(self.clock)
        self.stats = Stats()
        self.faults = Faults()
        self.faults.set(config.faults, self.behaviour.latency_ms)
        self.scopes = Scopes(set(config.scopes) if config.scopes is not None else None)

    def field_names(self, table: str) -> list[str]:
        """Every field a row of `table` may hold: the served ones, seed extras, and the sandbox's own
        state (e.g. a period's `Closed`), which is stored but never served."""
        spec = TABLES[table]
        return [*spec.fields, *self.extra_fields.get(table, ()), *spec.internal]

    def set_faults(self, profile: str | None) -> None:
        self.faults.set(profile, self.behaviour.latency_ms)

    def apply_behaviour(self, values: dict[str, Any]) -> None:
        self.behaviour.update(values)
        self.limiter.minute_limit, self.limiter.day_limit = self.behaviour.minute_limit, self.behaviour.day_limit
        self.error_cap.limit, self.error_cap.escalates = self.behaviour.error_cap, self.behaviour.error_cap_escalates

    def reset_limits(self) -> None:
        self.limiter.reset()
        self.error_cap.reset()
        self.token_calls.reset()

    def save_state(self) -> None:
        if self.config.state_file:
            state.save(self.world, self.config.state_file)


def _extra_fields(seed: Any) -> dict[str, list[str]]:
    """Fields the seed rows carry beyond the schema (kept so nothing the seed sets is hidden)."""
    extras: dict[str, list[str]] = {}
    for tables in seed.tables.values():
        for name, rows in tables.items():
            if name not in TABLES:
                continue
            if TABLES[name].properties:  # a documented entity serves its documented properties only
                continue
            known = set(TABLES[name].fields) | {"Timestamp"} | set(extras.get(name, ()))
            for row in rows[:50]:
                for key in row:
                    if key not in known and not key.startswith("_"):
                        extras.setdefault(name, []).append(key)
                        known.add(key)
    return extras


async def index(request: Request) -> HTMLResponse:
    rt: Runtime = request.app.state.runtime
    users = "".join(f"<li><code>{html.escape(u.username)}</code> / <code>{html.escape(u.password)}</code> — "
                    f"{html.escape(u.full_name)} ({u.language}{'' if u.active else ', inactive'})</li>"
                    for u in rt.world.users.values())
    base = str(request.base_url).rstrip("/")
    return HTMLResponse(
        "<!doctype html><meta charset='utf-8'><title>Exact Online sandbox</title>"
        "<h1>Exact Online sandbox</h1><p>A local stand-in for Exact Online (OAuth + REST API).</p>"
        f"<ul><li>Base URL: <code>{html.escape(base)}</code></li>"
        f"<li>Client id: <code>{html.escape(rt.world.client_id)}</code></li>"
        f"<li>Redirect URI: <code>{html.escape(rt.world.redirect_uri)}</code></li></ul>"
        f"<h2>Users</h2><ul>{users}</ul><p>Admin: <a href='/sandbox'>/sandbox</a></p>"
    )


def build_app(runtime: Runtime) -> Any:
    routes = [
        Route("/", index, methods=["GET"]),
        Route("/api/oauth2/auth", oauth.authorize_get, methods=["GET"]),
        Route("/api/oauth2/auth", oauth.authorize_post, methods=["POST"]),
        Route("/api/oauth2/token", oauth.token, methods=["POST"]),
        Route("/api/v1/{rest:path}", rest.handle, methods=["GET", "POST", "PUT", "DELETE", "PATCH", "MERGE"]),
        *ROUTES_ADMIN,
        *cashflow.ROUTES,
    ]
    app = Starlette(routes=routes)
    app.state.runtime = runtime
    return DateHeader(FaultMiddleware(app, runtime), runtime.clock)


class DateHeader:
    """Every answer's `Date` on the sandbox clock, as Exact's is on Exact's.

    Clients read Exact's reset times against this header (their own clock may be off), so it must
    be on the same clock as the `X-RateLimit-*-Reset` values; uvicorn's own (wall clock) is off.
    """

    def __init__(self, app: Any, clock: ScaledClock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_dated(message: Any) -> None:
            if message["type"] == "http.response.start":
                stamp = email.utils.formatdate(self.clock.time(), usegmt=True).encode()
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                message = {**message, "headers": [*headers, (b"date", stamp)]}
            await send(message)

        await self.app(scope, receive, send_dated)

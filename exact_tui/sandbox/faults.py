"""Fault profiles: the failures integrations meet in production, on demand.

A profile string is one or more comma-separated names, each with optional `:key=value` parameters
(`latency:ms=800`, `flaky-5xx:period=10:burst=3`; `latency:800` is short for `latency:ms=800`).

| profile | effect |
|---|---|
| `latency` | every `/api/` call waits `ms` (default 300) before it is handled |
| `flaky-5xx` | REST calls fail in bursts: of every `period` calls (10) the last `burst` (3) answer 500/503 alternately; nothing is committed |
| `burst-429` | of every `period` calls (10) the last `burst` (2) answer 429 with only the minutely headers, which still show calls left (Exact does this) |
| `drop-after-commit` | every `every`-th (1) successful POST/PUT/DELETE is committed, then the connection is cut after half of the answer: the client cannot tell whether it worked |
| `slow-commit` | every `every`-th (1) successful POST/PUT/DELETE is committed at once, and its answer is sent only `ms` (35,000) ms later — after a client's timeout (30 s is common), so the client gives up on a write that did happen |
| `refresh-expired` | every refresh answers 400 invalid_request "The refresh token expired at … and it is now …" |
| `refresh-rotated` | every refresh answers 401 unauthorized_client "Old refresh token used." |
| `user-revoked` | the user is treated as inactive: token calls answer invalid_grant "The user is not active", REST calls 401 |
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import Runtime

PROFILES: dict[str, dict[str, int]] = {
    "latency": {"ms": 0},
    "flaky-5xx": {"period": 10, "burst": 3},
    "burst-429": {"period": 10, "burst": 2},
    "drop-after-commit": {"every": 1},
    "slow-commit": {"every": 1, "ms": 35_000},
    "refresh-expired": {},
    "refresh-rotated": {},
    "user-revoked": {},
}
_SHORT = {"latency": "ms", "flaky-5xx": "burst", "burst-429": "burst", "drop-after-commit": "every",
          "slow-commit": "ms"}


def parse_profile(text: str | None, default_latency_ms: int = 300) -> dict[str, dict[str, int]]:
    """`"latency:800,flaky-5xx"` -> {"latency": {"ms": 800}, "flaky-5xx": {"period": 10, "burst": 3}}."""
    active: dict[str, dict[str, int]] = {}
    for part in (text or "").split(","):
        part = part.strip()
        if not part or part == "none":
            continue
        name, *params = part.split(":")
        if name not in PROFILES:
            raise ValueError(f"unknown fault profile {name!r}; known: {', '.join(PROFILES)}")
        values = dict(PROFILES[name])
        if name == "latency":
            values["ms"] = default_latency_ms
        for param in params:
            key, sep, raw = param.partition("=")
            if not sep:
                key, raw = _SHORT.get(name, ""), param
            if key not in values:
                raise ValueError(f"fault profile {name} has no parameter {key!r}; it has: {', '.join(values) or 'none'}")
            try:
                values[key] = int(raw)
            except ValueError:
                raise ValueError(f"fault profile {name}: {key} must be a whole number, not {raw!r}") from None
        if values.get("period", 1) < 1 or values.get("every", 1) < 1:
            raise ValueError(f"fault profile {name}: period/every must be at least 1")
        active[name] = values
    return active


@dataclass
class Faults:
    """The active profiles and their call counters (counted from when the profile was set)."""

    profile: str | None = None
    active_: dict[str, dict[str, int]] = field(default_factory=dict)
    calls: int = 0
    writes: int = 0
    slow_writes: int = 0
    generation: int = 0  # bumped on every switch, so a request that started under the old profile
    # (e.g. still sleeping in `latency`) does not count toward the new profile's bursts

    def set(self, text: str | None, default_latency_ms: int = 300) -> None:
        self.active_ = parse_profile(text, default_latency_ms)
        self.profile = text if self.active_ else None
        self.calls = 0
        self.writes = 0
        self.slow_writes = 0
        self.generation += 1

    def active(self, name: str) -> bool:
        return name in self.active_

    def param(self, name: str, key: str) -> int:
        return self.active_[name][key]

    def in_burst(self, name: str) -> bool:
        period, burst = self.param(name, "period"), self.param(name, "burst")
        return (self.calls - 1) % period >= period - burst


class FaultMiddleware:
    """Pure ASGI, so `drop-after-commit` can send half an answer and then cut the connection."""

    def __init__(self, app: Any, runtime: "Runtime") -> None:
        self.app = app
        self.rt = runtime

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith("/api/v1/"):
            # Exact asks for one request at a time (parallel paging loses or repeats rows): count
            # overlapping calls so a test can show the client never sends them.
            stats = self.rt.stats
            stats.in_flight += 1
            if stats.in_flight > 1:
                stats.parallel += 1
            stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
            try:
                await self._call(scope, receive, send, path)
            finally:
                stats.in_flight -= 1
            return
        await self._call(scope, receive, send, path)

    async def _call(self, scope: dict, receive: Any, send: Any, path: str) -> None:
        faults = self.rt.faults
        if scope["type"] != "http" or not path.startswith("/api/") or not faults.active_:
            await self.app(scope, receive, send)
            return
        generation = faults.generation
        if faults.active("latency"):
            await asyncio.sleep(faults.param("latency", "ms") / 1000)
        if path.startswith("/api/v1/") and generation == faults.generation:
            faults.calls += 1
            for name, status in (("flaky-5xx", None), ("burst-429", 429)):
                if faults.active(name) and faults.in_burst(name):
                    self.rt.stats.faults[name] += 1
                    await self._answer(send, status or (500 if faults.calls % 2 else 503), name)
                    return
            if faults.active("drop-after-commit") and scope.get("method") in ("POST", "PUT", "DELETE"):
                await self._drop_after_commit(scope, receive, send)
                return
            if faults.active("slow-commit") and scope.get("method") in ("POST", "PUT", "DELETE"):
                await self._slow_commit(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _answer(self, send: Any, status: int, name: str) -> None:
        if status == 429:
            headers = self.rt.limiter.peek(("fault",))
            headers = {k: v for k, v in headers.items() if "Minutely" in k}
            headers["X-RateLimit-Minutely-Remaining"] = "42"  # Exact sometimes 429s with calls "left"
            text = "Too Many Requests"
        else:
            headers = {}
            text = "Service Unavailable" if status == 503 else "An unexpected error occurred (sandbox fault profile flaky-5xx)."
        body = json.dumps({"error": {"code": "", "message": {"lang": "en-US", "value": text}}}).encode()
        raw = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"x-sandbox-fault", name.encode())]
        raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    async def _drop_after_commit(self, scope: dict, receive: Any, send: Any) -> None:
        messages: list[dict] = []

        async def capture(message: dict) -> None:
            messages.append(message)

        await self.app(scope, receive, capture)  # the write is committed here
        start = next((m for m in messages if m["type"] == "http.response.start"), None)
        if start is None or start["status"] >= 300:
            for message in messages:
                await send(message)
            return
        faults = self.rt.faults
        faults.writes += 1
        if faults.writes % faults.param("drop-after-commit", "every"):
            for message in messages:
                await send(message)
            return
        self.rt.stats.faults["drop-after-commit"] += 1
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body") or b"{}" * 8
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": body[: max(1, len(body) // 2)], "more_body": True})
        raise ConnectionAbortedError("sandbox fault profile drop-after-commit: connection cut after the commit")

    async def _slow_commit(self, scope: dict, receive: Any, send: Any) -> None:
        """Commit now, answer late: the write is in the world (and visible to every other call) while
        its answer waits `ms` of wall time, past the client's timeout. The world lock is not held
        while waiting, so the client's look-up after its timeout finds the record."""
        messages: list[dict] = []

        async def capture(message: dict) -> None:
            messages.append(message)

        await self.app(scope, receive, capture)  # committed here
        start = next((m for m in messages if m["type"] == "http.response.start"), None)
        faults = self.rt.faults
        if start is not None and start["status"] < 300:
            faults.slow_writes += 1
            if faults.slow_writes % faults.param("slow-commit", "every") == 0:
                stats = self.rt.stats
                stats.faults["slow-commit"] += 1
                stats.in_flight -= 1  # handled; a client that timed out and looks it up is not "in parallel"
                try:
                    await asyncio.sleep(faults.param("slow-commit", "ms") / 1000)
                finally:
                    stats.in_flight += 1
        try:
            for message in messages:
                await send(message)
        except OSError:  # the client gave up long ago
            pass

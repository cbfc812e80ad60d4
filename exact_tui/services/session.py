"""The console's session: one profile's store, its event stream and (once connected) its Exact client.

Every screen receives the same `ConsoleSession`, so the screens never open files or HTTP clients
themselves: they call the services with `session` from a Textual worker and render the events.
The session also keeps the few things the header shows (who is connected, the API budget).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING

from .cache import SessionCache
from .events import Event, EventBus, Level, Side

if TYPE_CHECKING:  # pragma: no cover
    from ..exact import ExactClient, ExactConfig
    from ..exact.budget import RateBudget
    from ..exact.records import Me
    from ..exact.transport import ApiCall
    from ..store.profile import ProfileStore


@dataclass(slots=True)
class DemoConnection:
    """Connection values a demo (or a test) pre-fills in step 1; the user still logs in normally."""

    base_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    username: str = "demo"
    password: str = "demo"
    # Logs in and consents like a browser, returning the redirect URL (the sandbox's `approve`, handed
    # in by `exact-tui demo`: the console itself never imports the sandbox). None: no demo shortcut.
    approve: "Callable[[str, str, str], str] | None" = None


class HealthState(StrEnum):
    OFFLINE = "offline"
    CONNECTED = "connected"
    PROBLEM = "problem"
    RECONNECT = "reconnect"  # the login is gone ("Reconnect required"): step 1


@dataclass(slots=True)
class Health:
    """Connection health as the header shows it."""

    state: HealthState = HealthState.OFFLINE
    text: str = "not connected"


class ConsoleSession:
    """What every screen works with. `.store`, `.events`, `.client` (None until connected), `.profile`."""

    def __init__(self, profile: str, profile_dir: Path, store: "ProfileStore", events: EventBus | None = None, *,
                 demo: DemoConnection | None = None, keep_log: bool = True) -> None:
        self.profile = profile
        self.profile_dir = Path(profile_dir)
        self.store = store
        self.events = events or EventBus()
        self.demo = demo
        self.client: ExactClient | None = None
        self.config: ExactConfig | None = None
        self.me: Me | None = None
        self.health = Health()
        self._cache = SessionCache()  # per-connection answers the steps share, scoped to the division
        self._unsubscribe = self.events.subscribe(self._keep) if keep_log else None

    # -- opening and closing ---------------------------------------------------------------------
    @classmethod
    def open(cls, profile: str, data_dir: str | os.PathLike[str] | None = None, *,
             demo: DemoConnection | None = None) -> "ConsoleSession":
        """Open the profile's store (one writer: raises `ProfileLocked` naming the holder)."""
        from ..paths import profile_dir
        from ..store.profile import ProfileStore

        folder = profile_dir(profile, data_dir)
        store = ProfileStore.open(folder)
        return cls(profile, folder, store, demo=demo)

    async def aclose(self) -> None:
        await self.disconnect(quiet=True)
        self.close_store()

    def close_store(self) -> None:
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        close = getattr(self.store, "close", None)
        if close:
            with contextlib.suppress(Exception):
                close()

    # -- the Exact connection --------------------------------------------------------------------
    def token_store(self):
        from ..exact import TokenStore

        return TokenStore.for_profile(self.profile_dir)

    async def attach(self, config: "ExactConfig") -> "ExactClient":
        """Open an `ExactClient` on the profile's tokens (after a login, or on start when tokens exist)."""
        from ..exact import ExactClient

        await self.disconnect(quiet=True)
        client = ExactClient(config, self.token_store(), observer=self._observe)
        await client.open()
        self.client, self.config = client, config
        self._cache.clear()
        return client

    async def disconnect(self, *, quiet: bool = False) -> None:
        client, self.client = self.client, None
        self.me = None
        self._cache.clear()
        if client is not None:
            with contextlib.suppress(Exception):
                await client.aclose()
        self.health = Health()
        if not quiet and client is not None:
            self.events.info("Disconnected from Exact Online (tokens kept; reconnect any time)",
                             side=Side.CONSOLE, topic="connection")

    def login_lost(self, reason: str = "") -> None:
        """Exact refused the tokens for good ("Reconnect required"): the header and the checklist say
        so until the next login; the tokens file is left alone."""
        self.health = Health(HealthState.RECONNECT, "reconnect required" + (f": {reason}" if reason else ""))

    def require_client(self) -> "ExactClient":
        if self.client is None:
            raise NotConnected()
        return self.client

    @property
    def budget(self) -> "RateBudget | None":
        return self.client.budget if self.client is not None else None

    def budget_text(self, *, with_reset: bool = True) -> str:
        """'42/60 min · 4,810/5,000 day' — calls left this minute / today, for the header."""
        budget = self.budget
        if budget is None or not budget.known:
            return "API —"
        now = self.client.clock.time() if self.client else 0.0
        left = budget.minute_left(now)
        minute = budget.minute_limit if left is None else left
        parts = []
        if budget.minute_limit is not None:
            parts.append(f"{minute}/{budget.minute_limit} min")
        if budget.day_remaining is not None and budget.day_limit is not None:
            parts.append(f"{budget.day_remaining:,}/{budget.day_limit:,} day")
        text = "API " + " · ".join(parts)
        if with_reset and left is not None and budget.minute_reset is not None and left < 10:
            text += f" (reset {max(0.0, budget.minute_reset - now):.0f}s)"
        return text

    @property
    def cache(self) -> SessionCache:
        """The shared answers for the division in force (the chosen one, else the connection's): a
        division change, by whatever path, drops the previous division's answers before anyone reads them."""
        division = None
        with contextlib.suppress(Exception):  # no settings yet: the connection's division
            division = self.settings().division
        if division is None and self.client is not None:
            division = self.client.config.division
        return self._cache.for_division(division)

    # -- settings shortcuts ------------------------------------------------------------------------
    def settings(self):
        return self.store.settings.get()

    def save_settings(self, settings) -> None:
        self.store.settings.save(settings)

    # -- events ----------------------------------------------------------------------------------
    def _keep(self, event: Event) -> None:
        """Keep every event in the profile's integration log, so the console's log survives a restart."""
        log = getattr(self.store, "log", None)
        if log is None:
            return
        with contextlib.suppress(Exception):
            log.append(event)

    def _observe(self, call: "ApiCall") -> None:
        """Every HTTP exchange with Exact becomes one log line (no tokens, no query strings)."""
        if call.method == "SAVE":  # saving refreshed tokens failed, or landed after failing
            self.events.emit(Event(call.summary(), side=Side.LOCAL, level=Level.INFO if call.status else Level.ERROR,
                                   topic="tokens"))
            return
        if call.error and call.status is None:
            level, side = Level.ERROR, Side.NETWORK
        elif call.status is not None and call.status >= 400:
            level, side = (Level.WARNING if call.status == 429 else Level.ERROR), Side.EXACT
        else:
            level, side = Level.INFO, Side.EXACT
        status = str(call.status) if call.status is not None else "no answer"
        waited = f", waited {call.waited:.1f}s" if call.waited >= 0.5 else ""
        message = f"{call.method} {call.endpoint} → {status} in {call.duration * 1000:.0f} ms{waited}"
        if call.status is not None and call.status < 400:
            self.health = Health(HealthState.CONNECTED, self.health.text if self.health.state is HealthState.CONNECTED else "connected")
        elif level is Level.ERROR:
            self.health = Health(HealthState.PROBLEM, "network problem" if side is Side.NETWORK else f"Exact {status}")
        self.events.emit(Event(message, side=side, level=level, topic="api",
                               detail=(call.error + (f" (request {call.request_id})" if call.request_id else "")) if call.error else ""))


class NotConnected(Exception):
    """A step needs Exact and there is no connection yet."""

    def __init__(self) -> None:
        super().__init__("not connected to Exact Online: connect in step 1 first")


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)

"""Keeps a valid access token at hand, refreshing it the way Exact insists on.

Rules (exact-online-facts.md §1):
* refresh only inside the last 30 s of the access token's 600 s, or after Exact answered 401 —
  never earlier, Exact flags that as a policy violation (`TooEarlyToRefreshTokens`);
* one refresher per connection across processes: take the store's lock, re-read the file, and
  only refresh when the token on disk still needs it; persist before anyone uses the new token;
* a refused refresh that means "log in again" raises `ReconnectRequired` and leaves the file as
  it was; a network error leaves it too;
* a refresh whose SAVE fails (disk full, folder read-only for a moment) must not lose the new
  refresh token: Exact has already retired the old one, so the file now holds a dead chain. The
  new tokens stay in memory and are used; the save is retried (a few times at once, then before
  every later call and when the client closes) until it lands. `unsaved` says when one is pending.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace

import httpx

from .clock import Clock
from .config import ExactConfig
from .errors import AuthError, ExactError, ReconnectRequired
from .oauth import TooEarlyToRefresh, request_tokens
from .tokens import ConnectionOwner, TokenSet, TokenStore


class TokenManager:
    def __init__(self, config: ExactConfig, store: TokenStore, http: httpx.AsyncClient, clock: Clock) -> None:
        self.config = config
        self.store = store
        self.http = http
        self.clock = clock
        self._cached: TokenSet | None = None
        self._signature: tuple[int, int] | None = None
        self.refreshes = 0  # refreshes this manager performed (for benches and status)
        self._unsaved: TokenSet | None = None  # refreshed tokens the store has not taken yet
        self.save_error: str = ""  # why the last save failed (shown by status lines and the log)
        # told about a save that failed or that landed after failing: (message, saved)
        self.on_save_problem: Callable[[str, bool], None] | None = None
        # told about every token-endpoint call: (status or None, wall seconds, error text)
        self.on_token_call: Callable[[int | None, float, str], None] | None = None

    def _report(self, status: int | None, duration: float, error: str) -> None:
        if self.on_token_call is not None:
            try:
                self.on_token_call(status, duration, error)
            except Exception:
                pass

    @property
    def unsaved(self) -> bool:
        """True while refreshed tokens live only in memory (their save failed)."""
        return self._unsaved is not None

    def _tell(self, message: str, saved: bool) -> None:
        if self.on_save_problem is not None:
            try:
                self.on_save_problem(message, saved)
            except Exception:
                pass

    def _try_save(self, tokens: TokenSet) -> bool:
        try:
            self.store.save(tokens)
        except OSError as exc:
            self._unsaved = tokens
            self.save_error = f"{type(exc).__name__}: {exc}"
            return False
        if self._unsaved is not None:
            self._tell(f"the refreshed Exact tokens are saved to {self.store.path} now", True)
        self._unsaved, self.save_error = None, ""
        self._cached, self._signature = tokens, self.store.signature()
        return True

    async def _save_with_retries(self, tokens: TokenSet, attempts: int = 4) -> None:
        """Save at once, retrying briefly; a save that still fails keeps the tokens in memory."""
        for attempt in range(attempts):
            if self._try_save(tokens):
                return
            if attempt + 1 < attempts:
                await asyncio.sleep(0.05 * 2 ** attempt)  # real seconds: a disk, not Exact
        self._tell(f"could not save the refreshed Exact tokens to {self.store.path} ({self.save_error}); "
                   "they are kept in memory and saved as soon as the file can be written — do not close "
                   "this program before that, or the connection must be made again", False)

    async def flush(self) -> bool:
        """Try once more to save tokens whose save failed; True when nothing is pending."""
        pending = self._unsaved
        if pending is None:
            return True
        async with self.store.alocked():
            return self._try_save(pending)

    def current(self) -> TokenSet:
        """The newest tokens: pending unsaved ones, else the file's (re-read only when it changed)."""
        if self._unsaved is not None:
            return self._unsaved  # the file holds the retired chain until the save lands
        signature = self.store.signature()
        if self._cached is None or signature != self._signature:
            try:
                tokens = self.store.load()
            except ValueError as exc:
                raise ReconnectRequired(str(exc)) from None
            if tokens is None:
                raise ReconnectRequired("not connected yet: run `exact-tui connect` (or the Connection step)")
            if (tokens.client_id and tokens.client_id != self.config.client_id) or \
                    (tokens.base_url and tokens.base_url != self.config.base_url):
                # never send a token to a host or app it was not issued for
                raise ReconnectRequired(f"the stored connection belongs to {tokens.base_url} (app {tokens.client_id}), "
                                        f"not to {self.config.base_url} (app {self.config.client_id})")
            self._cached, self._signature = tokens, signature
        return self._cached

    def _usable(self, tokens: TokenSet, now: float, rejected: str | None) -> bool:
        if rejected is not None:
            return tokens.access_token != rejected and tokens.access_valid(now)
        return not tokens.may_refresh(now)

    async def access_token(self, *, rejected: str | None = None) -> str:
        """A token to send now. `rejected`: the token Exact just answered 401 to."""
        if self._unsaved is not None:
            await self.flush()
        tokens = self.current()
        if self._usable(tokens, self.clock.time(), rejected):
            return tokens.access_token
        async with self.store.alocked():
            self._cached = None
            tokens = self.current()  # another process may have refreshed while we waited
            now = self.clock.time()
            if self._usable(tokens, now, rejected):
                return tokens.access_token
            started = time.perf_counter()
            try:
                new = await request_tokens(self.http, self.config, clock=self.clock,
                                           refresh_token=tokens.refresh_token, previous=tokens)
            except ExactError as exc:
                self._report(exc.status, time.perf_counter() - started, exc.message)
                if not isinstance(exc, TooEarlyToRefresh):
                    raise
                self._cached = None
                again = self.current()
                if again.access_token != tokens.access_token and again.access_valid(self.clock.time()):
                    return again.access_token
                if rejected is None and tokens.access_valid(self.clock.time()):
                    return tokens.access_token  # our clock ran ahead of Exact's: use it a little longer
                raise AuthError("Exact refused the access token and will not issue a new one yet "
                                "(TooEarlyToRefreshTokens); try again in a few minutes or reconnect") from None
            self._report(200, time.perf_counter() - started, "")
            self.refreshes += 1
            self._cached = new
            await self._save_with_retries(new)  # under the lock: nobody reads the retired file meanwhile
            return new.access_token

    async def remember_owner(self, owner: ConnectionOwner) -> None:
        """Store who the connection belongs to next to the tokens (for `connect --status`)."""
        tokens = self.current()
        if tokens.owner == owner:
            return
        async with self.store.alocked():
            latest = self._unsaved or self.store.load() or tokens
            if not self._try_save(replace(latest, owner=owner)):
                return  # kept in memory with the owner; saved with the next attempt
            self._cached = None

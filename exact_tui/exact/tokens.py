"""The connection's tokens: one small file per profile, written atomically, one refresher at a time.

Exact rotates the refresh token on every refresh and kills the chain when an old one is reused
("Old refresh token used"), so losing or half-writing the newest token means a new login. Hence:

* the file is replaced atomically (temp file + fsync + rename + directory fsync) and is 0600;
* "read → refresh → persist" runs under a cross-process lock (`fcntl.flock` on a sibling lock
  file), and whoever takes the lock re-reads the file first, so a second process picks up the
  token the first one just bought instead of spending the rotated one;
* nothing here ever deletes the file on an error: a dead token stays for diagnosis until the
  user reconnects (which overwrites it) or disconnects explicitly.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import json
import os
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ..domain.files import atomic_write as _atomic_write
from ..domain.files import fsync_dir
from .clock import SYSTEM_CLOCK, Clock

TOKEN_FILE = "tokens.json"
ACCESS_TOKEN_LIFETIME = 600.0
REFRESH_WINDOW = 30.0  # Exact refuses a new access token earlier than 570 s after the previous one
REFRESH_TOKEN_LIFETIME = 30 * 24 * 3600.0  # unused refresh tokens expire after 30 days
REFRESH_WARNING = 7 * 24 * 3600.0  # warn this long before the refresh token's end


class TokenLockTimeout(TimeoutError):
    """Another process held the token lock for too long (it may be stuck)."""


@dataclass(slots=True)
class ConnectionOwner:
    """Who the connection belongs to (Exact's `current/Me`), shown on status screens."""

    user_id: str = ""
    user_name: str = ""
    full_name: str = ""
    email: str = ""
    language: str = ""
    division: int | None = None


@dataclass(slots=True)
class TokenSet:
    """One access + refresh token pair with the times that govern them (epoch seconds, client clock)."""

    access_token: str
    refresh_token: str
    expires_at: float  # access token end
    obtained_at: float  # when this access token (and refresh token) was issued
    connected_at: float = 0.0  # when the user logged in (first token of the chain)
    refresh_count: int = 0
    token_type: str = "bearer"
    base_url: str = ""
    client_id: str = ""
    owner: ConnectionOwner = field(default_factory=ConnectionOwner)

    def __repr__(self) -> str:  # never show the tokens themselves
        return (f"TokenSet(expires_at={self.expires_at!r}, obtained_at={self.obtained_at!r}, "
                f"refresh_count={self.refresh_count!r}, owner={self.owner!r})")

    @property
    def refresh_expires_at(self) -> float:
        """A refresh token unused for 30 days dies; every refresh starts a new 30 days."""
        return self.obtained_at + REFRESH_TOKEN_LIFETIME

    def access_valid(self, now: float) -> bool:
        return now < self.expires_at

    def may_refresh(self, now: float) -> bool:
        """True inside the last 30 s of the access token (or after it): Exact allows a refresh then."""
        return now >= self.expires_at - REFRESH_WINDOW

    def refresh_warning(self, now: float) -> str | None:
        """A warning when the refresh token nears (or passed) its 30-day end, else None."""
        left = self.refresh_expires_at - now
        if left <= 0:
            return "the refresh token has expired: reconnect to Exact Online"
        if left <= REFRESH_WARNING:
            days = left / 86400
            return (f"the refresh token expires in {days:.1f} days unless the connection is used; "
                    "run any Exact action (or `exact-tui connect --status`) before then")
        return None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["version"] = 1
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TokenSet":
        owner = ConnectionOwner(**{k: v for k, v in (data.get("owner") or {}).items()
                                   if k in {f.name for f in fields(ConnectionOwner)}})
        known = {f.name for f in fields(cls)} - {"owner"}
        values = {k: v for k, v in data.items() if k in known}
        return cls(owner=owner, **values)


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data`, 0600, making its folder: the one atomic write (domain/files.py)."""
    _atomic_write(path, data, mode=mode, parents=True)


class TokenStore:
    """`tokens.json` of one profile, with its lock file next to it.

    `load()` needs no lock (the file is only ever replaced by rename, so a reader sees the old or
    the new content, never a mix); writers hold `locked()`/`alocked()` around read-refresh-save.
    """

    def __init__(self, path: str | os.PathLike[str], *, clock: Clock = SYSTEM_CLOCK, lock_timeout: float = 60.0) -> None:
        self.path = Path(path)
        if self.path.is_dir():  # a profile folder was given
            self.path = self.path / TOKEN_FILE
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.clock = clock
        self.lock_timeout = lock_timeout  # real seconds
        self._held = 0

    @classmethod
    def for_profile(cls, profile_dir: str | os.PathLike[str], **kw: Any) -> "TokenStore":
        return cls(Path(profile_dir) / TOKEN_FILE, **kw)

    def __repr__(self) -> str:
        return f"TokenStore({str(self.path)!r})"

    # -- reading -------------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> TokenSet | None:
        """The stored tokens, or None when there is no file. A corrupt file raises ValueError."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            return TokenSet.from_json(json.loads(raw))
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"token file {self.path} is not readable ({exc}); reconnect to Exact Online") from exc

    def signature(self) -> tuple[int, int] | None:
        """(mtime_ns, size) of the file: a cheap "did someone else write it?" check."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size)

    # -- writing -------------------------------------------------------------------------------
    def save(self, tokens: TokenSet) -> None:
        """Replace the file atomically with `tokens` (mode 0600). Call with the lock held."""
        atomic_write(self.path, json.dumps(tokens.to_json(), indent=2, sort_keys=True).encode())
        self._sweep_temp_files()

    def _sweep_temp_files(self) -> None:
        """Remove temp files left by a writer that was killed mid-write (we hold the lock)."""
        if not self._held:
            return
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()

    def remove(self) -> bool:
        """Forget the connection (explicit user action only). True when there was a file."""
        with self.locked():
            try:
                self.path.unlink()
            except FileNotFoundError:
                return False
            fsync_dir(self.path.parent)
            return True

    # -- the cross-process lock ---------------------------------------------------------------
    def _open_lock(self) -> int:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)

    def _try_lock(self, fd: int, deadline: float) -> bool:
        """One non-blocking attempt; polling keeps the async variant off the event loop's back."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise TokenLockTimeout(f"another process holds {self.lock_path}") from None
            return False

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the token lock (blocking, for scripts and the CLI)."""
        fd = self._open_lock()
        deadline = time.monotonic() + self.lock_timeout
        try:
            while not self._try_lock(fd, deadline):
                time.sleep(0.005)
            self._held += 1
            try:
                yield
            finally:
                self._held -= 1
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @contextlib.asynccontextmanager
    async def alocked(self) -> AsyncIterator[None]:
        """Hold the token lock without blocking the event loop while another process has it."""
        fd = self._open_lock()
        deadline = time.monotonic() + self.lock_timeout
        try:
            while not self._try_lock(fd, deadline):
                await asyncio.sleep(0.003)
            self._held += 1
            try:
                yield
            finally:
                self._held -= 1
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def describe_age(seconds: float) -> str:
    """'3 min', '2 h', '4.5 days': token ages for status screens."""
    seconds = max(0.0, seconds)
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def epoch_to_datetime(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc)


def with_owner(tokens: TokenSet, owner: ConnectionOwner) -> TokenSet:
    return replace(tokens, owner=owner)

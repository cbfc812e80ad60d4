"""Step 1 without the console: `exact-tui connect`, `--url-only` / `--paste`, `--status`, `--disconnect`.

The same login as step 1 (`services/connection.py`), for a terminal that may be an SSH session: the
login URL is printed, the browser runs anywhere, the address it ends on is pasted back (or caught by
a one-shot listener on 127.0.0.1). A URL printed in one SSH session can be finished in another: its
`state` is remembered in the profile for half an hour and checked against the pasted address.

The command only parses and prints; the settings come from `exact.appconfig.config_from_profile` (the
one builder), the "personal user" advice from `connection.personal_user_warning` (the one rule).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.files import atomic_write
from ..exact import oauth
from ..exact.appconfig import Ask, config_from_profile, save_app_config
from ..exact.client import ExactClient
from ..exact.config import ExactConfig
from ..exact.errors import ExactError
from ..exact.tokens import TokenStore, describe_age, epoch_to_datetime
from .connection import personal_user_warning

# What a failed `connect` can meet: Exact's refusals, bad values, an address that does not fit.
ConnectFailure = (ExactError, ValueError)

PENDING_FILE = "login-state.json"
PENDING_SECONDS = 1800  # a printed login URL stays usable for half an hour (Exact's code itself: 3 minutes)


def app_config(profile_dir: Path, *, host: str | None = None, client_id: str | None = None,
               redirect_uri: str | None = None, division: int | None = None, need_secret: bool = True,
               ask: Ask | None = None) -> ExactConfig:
    """The profile's app settings with the command's values on top; what is missing asked via `ask`."""
    return config_from_profile(profile_dir, host=host, client_id=client_id, redirect_uri=redirect_uri,
                               division=division, need_secret=need_secret, ask=ask)


@dataclass(slots=True)
class LoginLink:
    url: str
    state: str
    listen_possible: bool


def login_link(profile_dir: Path, config: ExactConfig, *, state: str | None = None, pasting: bool = False,
               force_login: bool = False) -> LoginLink:
    """The login URL. A new one remembers its `state` for a later `--paste`; when pasting, the state
    is the one of the URL printed earlier (or the one given)."""
    if pasting:
        state = state or pending_state(profile_dir) or ""
    else:
        state = state or oauth.new_state()
        atomic_write(profile_dir / PENDING_FILE, json.dumps({"state": state, "created": time.time()}))
    try:
        oauth.listen_target(config.redirect_uri)
        listen = True
    except ValueError:
        listen = False
    return LoginLink(oauth.authorize_url(config, state, force_login=force_login), state, listen)


def pending_state(profile_dir: Path) -> str | None:
    """The state of the login URL printed last from this profile, if it is young enough to use."""
    try:
        data = json.loads((profile_dir / PENDING_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None  # no URL printed from this profile: a pasted URL's state cannot be checked, a code can be used
    if time.time() - float(data.get("created", 0)) > PENDING_SECONDS:
        raise ValueError("the login URL printed earlier is older than 30 minutes; run `exact-tui connect` again")
    return str(data["state"])


def save_settings(profile_dir: Path, config: ExactConfig, *, keep_secret: bool) -> Path:
    """Store host, client id, redirect URI (and the secret only if asked: `--keep-secret`)."""
    return save_app_config(profile_dir, config, keep_secret=keep_secret or None)


async def listen(config: ExactConfig, *, timeout: float) -> str:
    """Wait for the browser's redirect on the loopback redirect URI; the address it came to."""
    return await oauth.listen_for_redirect(config.redirect_uri, timeout=timeout)


def listen_address(config: ExactConfig) -> str:
    target = oauth.listen_target(config.redirect_uri)
    return f"http://{target.host}:{target.port}{target.path}"


@dataclass(slots=True)
class Connected:
    """'Connection established': who, where, and what the user should know about it."""

    user_name: str
    full_name: str
    division: int | None
    division_name: str
    tokens_path: str
    valid_for: float  # seconds the first access token lives
    warning: str | None  # the user looks personal (connection.personal_user_warning)

    @property
    def who(self) -> str:
        return f"{self.full_name or self.user_name} ({self.user_name})"

    def as_dict(self) -> dict[str, Any]:
        return {"connected": True, "user_name": self.user_name, "full_name": self.full_name,
                "division": self.division, "division_name": self.division_name, "tokens": self.tokens_path,
                "access_valid_seconds": round(self.valid_for), "warning": self.warning}


async def finish(profile_dir: Path, config: ExactConfig, link: LoginLink, pasted: str, *,
                 keep_secret: bool) -> Connected:
    """Trade the pasted redirect (or code) for tokens, save the settings, ask Exact who we are."""
    store = TokenStore.for_profile(profile_dir)
    tokens = await oauth.exchange_redirect(config, store, pasted, expected_state=link.state)
    (profile_dir / PENDING_FILE).unlink(missing_ok=True)
    save_settings(profile_dir, config, keep_secret=keep_secret)
    exact = ExactClient(config, store)
    async with exact:
        me = await exact.me()
        division = config.division or me.current_division
        name = ""
        try:
            for item in await exact.divisions():
                if item.code == division:
                    name = item.description
        except ExactError:
            pass  # the connection works; the division's name is a courtesy here
    save_settings(profile_dir, config, keep_secret=keep_secret)
    return Connected(me.user_name, me.full_name, division, name, str(store.path),
                     tokens.expires_at - tokens.obtained_at, personal_user_warning(me.user_name, me.full_name, me.email))


def disconnect(profile_dir: Path) -> bool:
    """Forget the profile's tokens (the app settings stay). True when there were tokens."""
    return TokenStore.for_profile(profile_dir).remove()


@dataclass(slots=True)
class TokenStatus:
    """`connect --status`: who the connection belongs to, token ages, and the warning that matters."""

    profile: str
    tokens_path: str
    connected: bool
    who: str = ""
    user_name: str = ""
    division: int | None = None
    host: str = ""
    client_id: str = ""
    connected_at: float = 0.0
    refresh_count: int = 0
    obtained_at: float = 0.0
    expires_at: float = 0.0
    refresh_expires_at: float = 0.0
    warning: str | None = None
    exact_says: str = ""  # with --check: Exact's answer to "who are we", and the calls left
    now: float = 0.0

    @property
    def exit_code(self) -> int:
        if not self.connected:
            return 1
        return 1 if self.warning is not None and "expired" in self.warning else 0

    def lines(self) -> list[str]:
        if not self.connected:
            return [f"Not connected (no {self.tokens_path}). Run `exact-tui --profile {self.profile} connect`."]
        left = self.expires_at - self.now
        out = [f"Connection of profile {self.profile!r}: {self.who}"
               + (f" ({self.user_name})" if self.user_name else "") + (f", division {self.division}" if self.division else ""),
               f"  host:            {self.host}   client id: {self.client_id}",
               f"  connected:       {epoch_to_datetime(self.connected_at):%Y-%m-%d %H:%M} UTC "
               f"({describe_age(self.now - self.connected_at)} ago), {self.refresh_count} refreshes since",
               f"  access token:    {describe_age(self.now - self.obtained_at)} old, "
               + (f"valid for {describe_age(left)} more" if left > 0 else "expired (renewed on the next call)"),
               f"  refresh token:   {describe_age(self.now - self.obtained_at)} old, "
               f"expires {epoch_to_datetime(self.refresh_expires_at):%Y-%m-%d %H:%M} UTC if unused"]
        if self.warning:
            out.append(f"  WARNING: {self.warning}")
        if self.exact_says:
            out.append(f"  Exact says:      {self.exact_says}")
        return out

    def as_dict(self) -> dict[str, Any]:
        if not self.connected:
            return {"profile": self.profile, "connected": False, "tokens": self.tokens_path}
        iso = lambda t: epoch_to_datetime(t).isoformat()  # noqa: E731
        return {"profile": self.profile, "connected": True, "tokens": self.tokens_path, "who": self.who,
                "user_name": self.user_name, "division": self.division, "host": self.host,
                "client_id": self.client_id, "connected_at": iso(self.connected_at),
                "refresh_count": self.refresh_count, "access_expires_at": iso(self.expires_at),
                "refresh_expires_at": iso(self.refresh_expires_at), "warning": self.warning,
                "exact_says": self.exact_says or None}


def status(profile: str, profile_dir: Path, *, now: float | None = None) -> TokenStatus:
    """What the stored tokens say, without a call to Exact."""
    store = TokenStore.for_profile(profile_dir)
    tokens = store.load()
    if tokens is None:
        return TokenStatus(profile, str(store.path), False)
    now = time.time() if now is None else now
    owner = tokens.owner
    return TokenStatus(profile, str(store.path), True, owner.full_name or owner.user_name or "unknown user",
                       owner.user_name, owner.division, tokens.base_url, tokens.client_id, tokens.connected_at,
                       tokens.refresh_count, tokens.obtained_at, tokens.expires_at, tokens.refresh_expires_at,
                       tokens.refresh_warning(now), now=now)


async def check(report: TokenStatus, profile_dir: Path, config: ExactConfig) -> TokenStatus:
    """Ask Exact who we are (one call): `report.exact_says`."""
    exact = ExactClient(config, TokenStore.for_profile(profile_dir))
    async with exact:
        me = await exact.me()
        report.exact_says = (f"{me.full_name} ({me.user_name}), current division {me.current_division}; "
                             f"{exact.budget.describe(exact.clock.time())}")
    return report


__all__ = ["ConnectFailure", "Connected", "LoginLink", "TokenStatus", "app_config", "check", "disconnect", "finish",
           "listen", "listen_address", "login_link", "pending_state", "save_settings", "status"]

"""Step 1: connect a profile to Exact Online, the SSH-friendly way.

The consultant's browser is rarely on the machine running the console, so the normal flow shows
the login URL, the user logs in anywhere and pastes back the address the browser ends on. When
the redirect URI is a loopback address, a one-shot listener can catch it instead. Either way the
tokens go to the profile's own 0600 file (never the store) and the step reports who is connected.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..exact.appconfig import load_app_config, save_app_config
from ..exact.config import COUNTRY_HOSTS, ExactConfig, make_config
from .events import Side
from .session import ConsoleSession

COUNTRIES: list[tuple[str, str]] = [
    ("nl", "Netherlands"), ("be", "Belgium"), ("de", "Germany"), ("uk", "United Kingdom"),
    ("fr", "France"), ("es", "Spain"), ("us", "United States"),
]

DEDICATED_USER_ADVICE = (
    "Use a dedicated integration user with full rights (e.g. 'koppeling@company'): the connection "
    "dies when a personal user leaves, is blocked or changes password, and Exact logs every change "
    "under this user's name."
)
_INTEGRATION_WORDS = re.compile(r"api|integrat|koppel|sync|service|system|robot|bot\b|interface|link", re.I)


@dataclass(slots=True)
class ConnectionForm:
    """What step 1 asks for. `host` is a country code or a full URL (a sandbox, a proxy)."""

    host: str = "nl"
    client_id: str = ""
    client_secret: str = ""
    redirect_uri: str = ""
    keep_secret: bool = False

    def config(self, division: int | None = None) -> ExactConfig:
        """The form's values as a config (`make_config`: the one builder, which names what is missing)."""
        return make_config(self.host, self.client_id, self.client_secret, self.redirect_uri, division)


@dataclass(slots=True)
class LoginAttempt:
    config: ExactConfig
    state: str
    url: str
    listen_possible: bool  # the redirect URI is a loopback http address


@dataclass(slots=True)
class ConnectionReport:
    """'Connection established' and what the user should know about it."""

    user_name: str
    full_name: str
    email: str
    division: int | None
    advice: str
    warning: str | None  # the user looks personal
    refresh_warning: str | None  # refresh token near its 30-day end

    @property
    def who(self) -> str:
        return f"{self.full_name} ({self.user_name})" if self.full_name else self.user_name


def load_form(session: ConsoleSession) -> ConnectionForm:
    """Step 1's fields: the demo's values, else the profile's saved app settings and the environment."""
    if session.demo is not None:
        d = session.demo
        # The sandbox's secret is no secret: keeping it lets a `demo --keep` profile reconnect when reopened.
        return ConnectionForm(d.base_url, d.client_id, d.client_secret, d.redirect_uri, keep_secret=True)
    stored = load_app_config(session.profile_dir)
    host = str(stored.get("base_url") or "nl")
    for code, url in COUNTRY_HOSTS.items():
        if url == host:
            host = code
            break
    return ConnectionForm(host, str(stored.get("client_id") or ""), str(stored.get("client_secret") or ""),
                          str(stored.get("redirect_uri") or ""), keep_secret=bool(stored.get("client_secret")))


def start_login(session: ConsoleSession, form: ConnectionForm) -> LoginAttempt:
    """Make a login URL (with a fresh `state`) and save the app settings (the secret only if asked)."""
    from ..exact import oauth  # httpx + authlib: loaded at the first login, not at every launch

    config = form.config(division=_saved_division(session))
    state = oauth.new_state()
    url = oauth.authorize_url(config, state)
    try:
        oauth.listen_target(config.redirect_uri)
        listen = True
    except ValueError:
        listen = False
    save_app_config(session.profile_dir, config, keep_secret=form.keep_secret)
    session.events.info("Login link made: open it in a browser on any machine, log in, paste back the address",
                        side=Side.CONSOLE, topic="connection", record=config.base_url)
    return LoginAttempt(config, state, url, listen)


async def finish_login(session: ConsoleSession, attempt: LoginAttempt, pasted: str) -> ConnectionReport:
    """Trade the pasted redirect (or code) for tokens, then ask Exact who we are."""
    from ..exact import oauth  # httpx + authlib: loaded at the first login, not at every launch

    await oauth.exchange_redirect(attempt.config, session.token_store(), pasted, attempt.state)
    session.events.success("Exact Online granted access; tokens stored (mode 0600)", side=Side.EXACT,
                           topic="connection")
    return await _established(session, attempt.config)


async def listen_and_finish(session: ConsoleSession, attempt: LoginAttempt, *, timeout: float = 300.0) -> ConnectionReport:
    """Catch the browser's redirect on 127.0.0.1 (when the browser runs on this machine)."""
    from ..exact import oauth  # httpx + authlib: loaded at the first login, not at every launch

    session.events.info(f"Waiting for the browser on {attempt.config.redirect_uri} (up to {timeout:.0f} s)",
                        side=Side.CONSOLE, topic="connection")
    pasted = await oauth.listen_for_redirect(attempt.config.redirect_uri, timeout=timeout)
    return await finish_login(session, attempt, pasted)


async def resume(session: ConsoleSession) -> ConnectionReport | None:
    """On start: reuse the stored tokens if there are any (no login needed), else None.

    Raises when the stored connection cannot be used (Exact unreachable, the login revoked): the console
    shows why in the log and step 1 offers a new login."""
    if session.token_store().load() is None:
        return None
    form = load_form(session)
    if not form.client_secret:  # the secret is not kept: say so, or the user wonders why the login is gone
        session.events.info("This profile has a stored Exact login, but its client secret is not kept: enter the "
                            "client secret in step 1 and make a login link (ctrl+g), or tick 'Keep the client "
                            "secret' to reconnect by itself next time", side=Side.LOCAL, topic="connection")
        return None
    return await _established(session, form.config(division=_saved_division(session)))


async def _established(session: ConsoleSession, config: ExactConfig) -> ConnectionReport:
    client = await session.attach(config)
    me = await client.me()
    session.me = me
    saved = _saved_division(session)
    client.config.division = saved or me.current_division
    warning = personal_user_warning(me.user_name, me.full_name, me.email)
    refresh = None
    try:
        refresh = client.connection().refresh_warning(client.clock.time())
    except Exception:  # noqa: BLE001 - the warning is a courtesy
        refresh = None
    from .session import Health, HealthState

    session.health = Health(HealthState.CONNECTED, "connected")
    report = ConnectionReport(me.user_name, me.full_name, me.email, client.config.division,
                              DEDICATED_USER_ADVICE, warning, refresh)
    session.events.success(f"Connection established: {report.who}", side=Side.EXACT, topic="connection")
    if warning:
        session.events.warning(warning, side=Side.CONSOLE, topic="connection")
    return report


def personal_user_warning(user_name: str, full_name: str, email: str) -> str | None:
    """A warning when the connected Exact user looks like a person rather than an integration user."""
    text = " ".join((user_name or "", full_name or "", email or ""))
    if _INTEGRATION_WORDS.search(text):
        return None
    return (f"'{full_name or user_name}' looks like a personal account. If this person leaves or changes "
            "password, invoices stop transferring. " + DEDICATED_USER_ADVICE.split(":")[0] + ".")


def _saved_division(session: ConsoleSession) -> int | None:
    try:
        return getattr(session.settings(), "division", None) or None
    except Exception:  # noqa: BLE001 - a store problem surfaces in the step that needs it
        return None

"""Step 2 of the set-up: which Exact division (administration) the integration books into.

The choice saves at once (the store and the profile's app settings, so a reconnect lands in the
same division) and locks for good once the first invoice is transferred: changing it afterwards
would link customers and invoices to the wrong administration.
"""
from __future__ import annotations

import datetime as dt
import json

from .events import Side
from .session import ConsoleSession


async def load_divisions(session: ConsoleSession, *, refresh: bool = False):
    """The divisions the connected user may use (cached per connection)."""
    cache = session.cache
    if refresh or cache.divisions is None:
        cache.divisions = await session.require_client().divisions()
        session.events.info(f"{len(cache.divisions)} divisions available to this user",
                            side=Side.EXACT, topic="division")
    return cache.divisions


def division_lock(session: ConsoleSession) -> str | None:
    """Why the division can no longer change, or None while it still can."""
    settings = session.settings()
    first = getattr(settings, "first_transfer_at", None)
    transferred = 0
    transfers = getattr(session.store, "transfers", None)
    if transfers is not None and first is None:
        try:
            transferred = len(transfers)
        except Exception:  # noqa: BLE001 - a courtesy check
            transferred = 0
    if first is None and not transferred:
        return None
    when = f" on {first:%Y-%m-%d}" if isinstance(first, dt.datetime) else ""
    return (f"Locked: the first invoice was transferred to division {getattr(settings, 'division', '?')}{when}. "
            "Changing division now would link customers and invoices to the wrong administration; "
            "start a new profile for another division.")


def choose_division(session: ConsoleSession, code: int, name: str = "") -> None:
    """Save the division (store + the profile's app settings) and point the client at it."""
    lock = division_lock(session)
    current = getattr(session.settings(), "division", None)
    if lock and current not in (None, code):
        raise ValueError(lock)
    session.store.settings.update(division=code, division_name=name)
    if session.client is not None:
        session.client.config.division = code
    _save_app_division(session, code)
    session.cache.for_division(code)  # the previous division's journals, accounts and counts are gone
    session.events.success(f"Division {code} {name} chosen", side=Side.LOCAL, topic="division")


def _save_app_division(session: ConsoleSession, code: int) -> None:
    from ..exact.appconfig import app_file, save_app_config

    if session.config is None:
        return
    session.config.division = code
    try:
        keep = "client_secret" in json.loads(app_file(session.profile_dir).read_text())
    except (FileNotFoundError, ValueError):
        keep = False
    save_app_config(session.profile_dir, session.config, keep_secret=keep)

"""Step 2 of the set-up: which Exact division (administration) the integration books into.

The choice saves at once (the store and the profile's app settings, so a reconnect lands in the
same division) and locks for good once the first invoice is booked in Exact: changing it afterwards
would link customers and invoices to the wrong administration. Before that a change is allowed but
clears the sales journal and switches an active integration off (`choose_division`).
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


async def find_division(session: ConsoleSession, code: int):
    """The division with this code among the user's, or a ValueError naming the ones there are."""
    divisions = await load_divisions(session)
    division = next((d for d in divisions if d.code == code), None)
    listed = ", ".join(f"{d.code} {d.description or ''}".strip() for d in divisions) or "none"
    if division is None:
        raise ValueError(f"division {code}: not among the divisions this Exact user may use ({listed})")
    if division.blocked:
        raise ValueError(f"division {code} ({division.description}) is blocked in Exact: choose another ({listed})")
    return division


def division_lock(session: ConsoleSession) -> str | None:
    """Why the division can no longer change, or None while it still can.

    Two things lock it, and the text says which: an invoice booked in Exact (`first_transfer_at`,
    for good: undoing that transfer does not unlock it, the store refuses the change too), and an
    attempt whose answer never came (it may be booked there; settled by a retry, which looks it up
    first). Attempts Exact refused booked nothing and lock nothing.
    """
    settings = session.settings()
    division = getattr(settings, "division", None)
    first = getattr(settings, "first_transfer_at", None)
    if first is not None:
        when = f" on {first:%Y-%m-%d at %H:%M} UTC" if isinstance(first, dt.datetime) else ""
        return (f"Locked: the first invoice was transferred to division {division}{when}. Its links, product "
                "numbers and booked invoices belong to that administration, so this profile stays with it, even "
                "after an undo. For another division start a new profile (exact-tui --profile NAME).")
    transfers = getattr(session.store, "transfers", None)
    try:
        open_attempts = transfers.open_attempts() if transfers is not None else []
    except Exception:  # noqa: BLE001 - a courtesy check; the store guards the booked case itself
        open_attempts = []
    if open_attempts:
        numbers = sorted({r.invoice_number or r.invoice_id for r in open_attempts})
        shown = ", ".join(numbers[:3]) + ("…" if len(numbers) > 3 else "")
        return (f"Locked for now: invoice {shown} was sent to division {division} and Exact's answer never came, "
                "so it may be booked there. Retry it on the Transfers screen (F7, r) or with "
                "exact-tui transfer --retry-failed: it is looked up in Exact first. Once nothing is "
                "open the division can change again (unless an invoice was booked).")
    return None


def change_warning(session: ConsoleSession) -> str | None:
    """What choosing another division undoes once the integration is active (step 2 shows it).

    Before activation a change only clears the sales journal, which the log says when it happens."""
    settings = session.settings()
    if not getattr(settings, "active", False) or division_lock(session):
        return None
    return ("The integration is active. Choosing another division switches it off and clears the sales journal: "
            "journals, items and customer accounts are per administration, so steps 3–8 need doing again. "
            "No invoice is booked yet, so the change is still allowed.")


def choose_division(session: ConsoleSession, code: int, name: str = "") -> None:
    """Save the division (store + the profile's app settings) and point the client at it.

    Another division than the current one clears the sales journal (a journal code belongs to one
    administration) and switches an active integration off (nothing may be transferred into a
    division whose set-up was not checked); the log says both.
    """
    lock = division_lock(session)
    settings = session.settings()
    current = getattr(settings, "division", None)
    if lock and current not in (None, code):
        raise ValueError(lock)
    changes: dict[str, object] = {"division": code, "division_name": name}
    moved = current not in (None, code)
    was_active = moved and bool(getattr(settings, "active", False))
    old_journal = getattr(settings, "journal", "") if moved else ""
    if old_journal:
        changes["journal"] = ""
    if was_active:
        changes["active"] = False
    session.store.settings.update(**changes)
    if session.client is not None:
        session.client.config.division = code
    _save_app_division(session, code)
    session.cache.for_division(code)  # the previous division's journals, accounts and counts are gone
    session.events.success(f"Division {code} {name} chosen", side=Side.LOCAL, topic="division")
    if old_journal:
        session.events.warning(f"Sales journal {old_journal} was division {current}'s: choose this division's "
                               "journal in step 3", side=Side.LOCAL, topic="division")
    if was_active:
        session.events.warning(f"Integration switched off: division {code} is not set up yet (check steps 3–8, "
                               "then activate again in step 8)", side=Side.LOCAL, topic="division")


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

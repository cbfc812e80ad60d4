"""Steps 2, 3, 5 and 8 of the set-up checklist: division, sales journal, customer maintenance, activation.

Each function saves at once (a step can be left and revisited at any time) and reports through
the session's event stream. Product numbers (steps 6 and 7) live in `product_numbers.py`; the
link counts of step 4 in `link_counts.py`.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from ..domain.link import MaintenanceMode
from . import _repo
from .events import Side
from .session import ConsoleSession

STEP_TITLES: list[tuple[str, str]] = [
    ("connection", "Connection"), ("division", "Division"), ("journal", "Sales journal"),
    ("link", "Link customers"), ("maintenance", "Customer maintenance"), ("products", "Product numbers"),
    ("defaults", "Default product numbers"), ("activate", "Confirm and activate"),
]

MAINTENANCE_EXPLAINED: dict[MaintenanceMode, tuple[str, str]] = {
    MaintenanceMode.MANUAL: (
        "Manual link per customer",
        "You link every customer by hand (Link customers or the customer card); unlinked customers block their invoices."),
    MaintenanceMode.AUTO_CREATE: (
        "Create and link automatically at the first invoice (recommended)",
        "A customer without a link is created in Exact with its number and linked when its first invoice is transferred."),
    MaintenanceMode.CREATED_IN_EXACT: (
        "Created in Exact, imported via Link customers",
        "Customers are made in Exact first and brought into the local side with 'Import to local' in Link customers."),
}


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    ATTENTION = "attention"
    TODO = "todo"


@dataclass(slots=True)
class StepStatus:
    key: str
    title: str
    state: StepState
    summary: str = ""
    missing: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)  # the part of `missing` that makes activation impossible


# -- step 2: division ----------------------------------------------------------------------------
async def load_divisions(session: ConsoleSession, *, refresh: bool = False):
    """The divisions the connected user may use (cached per connection)."""
    if refresh or "divisions" not in session.cache:
        session.cache["divisions"] = await session.require_client().divisions()
        session.events.info(f"{len(session.cache['divisions'])} divisions available to this user",
                            side=Side.EXACT, topic="division")
    return session.cache["divisions"]


def division_lock(session: ConsoleSession) -> str | None:
    """Why the division can no longer change, or None while it still can."""
    settings = session.settings()
    first = getattr(settings, "first_transfer_at", None)
    transferred = 0
    transfers = getattr(session.store, "transfers", None)
    if transfers is not None and first is None:
        try:
            transferred = _repo.count_of(transfers)
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
    _repo.update_settings(session.store, division=code, division_name=name)
    if session.client is not None:
        session.client.config.division = code
    _save_app_division(session, code)
    for key in ("journals", "link_counts", "items"):
        session.cache.pop(key, None)
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


# -- step 3: sales journal -----------------------------------------------------------------------
async def load_journals(session: ConsoleSession, *, refresh: bool = False):
    """Sales journals (type 20) only: invoices can be booked in no other kind."""
    if refresh or "journals" not in session.cache:
        journals = await session.require_client().journals(sales_only=True)
        session.cache["journals"] = [j for j in journals if j.is_sales]
    return session.cache["journals"]


def invoice_currencies(session: ConsoleSession) -> Counter[str]:
    """How many local invoices there are per currency."""
    return Counter((inv.currency or "EUR").upper() for inv in _repo.all_of(session.store.invoices))


def journal_warning(journal, currencies: Counter[str]) -> str | None:
    """Warn when foreign-currency invoices would be refused by a journal without variable currency."""
    home = (journal.currency or "EUR").upper()
    foreign = {cur: n for cur, n in currencies.items() if cur != home}
    if not foreign or journal.allow_variable_currency:
        return None
    listed = ", ".join(f"{n} in {cur}" for cur, n in sorted(foreign.items()))
    return (f"Journal {journal.code} does not allow variable currency, but the local side has invoices in "
            f"other currencies ({listed}). Exact will refuse them: allow variable currency on the journal in "
            "Exact, or choose a journal that does.")


def choose_journal(session: ConsoleSession, journal) -> None:
    _repo.update_settings(session.store, journal=journal.code)
    session.events.success(f"Sales journal {journal.code} {journal.description} chosen", side=Side.LOCAL,
                           topic="journal")


# -- step 5: customer maintenance ----------------------------------------------------------------
def choose_maintenance(session: ConsoleSession, mode: MaintenanceMode) -> None:
    _repo.update_settings(session.store, maintenance_mode=mode)
    session.events.success(f"Customer maintenance: {MAINTENANCE_EXPLAINED[mode][0]}", side=Side.LOCAL,
                           topic="maintenance")


def maintenance_mode(session: ConsoleSession) -> MaintenanceMode:
    value = getattr(session.settings(), "maintenance_mode", None)
    return MaintenanceMode(value) if value else MaintenanceMode.AUTO_CREATE


# -- step 8: the checklist and activation --------------------------------------------------------
def checklist(session: ConsoleSession) -> list[StepStatus]:
    """Every step with its state and what is missing, as the rail and step 8 show it."""
    from . import link_counts, product_numbers

    settings = session.settings()
    out: list[StepStatus] = []
    connected = session.client is not None and session.me is not None
    who = (session.me.full_name or session.me.user_name) if session.me else ""
    not_connected = [] if connected else ["not connected to Exact Online"]
    out.append(StepStatus("connection", "Connection", StepState.DONE if connected else StepState.ATTENTION,
                          f"connected as {who}" if connected else "", not_connected, not_connected))
    division = getattr(settings, "division", None)
    no_division = [] if division else ["no division chosen"]
    out.append(StepStatus("division", "Division", StepState.DONE if division else StepState.ATTENTION,
                          f"{division} {getattr(settings, 'division_name', '') or ''}".strip() if division else "",
                          no_division, no_division))
    journal = getattr(settings, "journal", "")
    no_journal = [] if journal else ["no sales journal chosen"]
    out.append(StepStatus("journal", "Sales journal", StepState.DONE if journal else StepState.ATTENTION,
                          f"journal {journal}" if journal else "", no_journal, no_journal))
    counts = session.cache.get("link_counts")
    mode = maintenance_mode(session)
    link_missing = []
    if counts is None:
        link_state, link_summary = StepState.TODO, "not checked yet"
    else:
        unlinked = counts.exact_unlinked
        link_summary = f"{counts.linked} linked, {unlinked} Exact customers not linked"
        if unlinked and mode is MaintenanceMode.AUTO_CREATE:
            link_missing.append(f"{unlinked} Exact customers not linked — activating now may create duplicates")
        elif unlinked:
            link_missing.append(f"{unlinked} Exact customers not linked")
        link_state = StepState.ATTENTION if link_missing else StepState.DONE
    out.append(StepStatus("link", "Link customers", link_state, link_summary, link_missing))
    explicit = getattr(settings, "maintenance_mode", None)
    out.append(StepStatus("maintenance", "Customer maintenance", StepState.DONE if explicit else StepState.TODO,
                          MAINTENANCE_EXPLAINED[mode][0] + ("" if explicit else " (default, not confirmed)"),
                          [] if explicit else ["maintenance mode not confirmed (default: automatic)"]))
    products = product_numbers.product_status(session)
    out.append(StepStatus("products", "Product numbers",
                          StepState.DONE if products.active else StepState.ATTENTION,
                          f"{products.active} of {products.imported} items active",
                          products.missing, [m for m in products.missing if not products.active and m.startswith("no ")]))
    defaults = product_numbers.defaults_status(session)
    out.append(StepStatus("defaults", "Default product numbers",
                          StepState.DONE if not defaults.missing and defaults.chosen else StepState.ATTENTION
                          if defaults.missing else StepState.TODO,
                          defaults.summary, defaults.missing))
    active = bool(getattr(settings, "active", False))
    others_missing = [m for s in out for m in s.missing]
    out.append(StepStatus("activate", "Confirm and activate",
                          StepState.DONE if active else (StepState.ATTENTION if others_missing else StepState.TODO),
                          "integration active" if active else "not active", []))
    return out


def blocking(steps: list[StepStatus]) -> list[str]:
    """What makes activation impossible (not merely unwise): no connection, division, journal or active items."""
    return [m for s in steps for m in s.blocking]


def activate(session: ConsoleSession, *, confirmed: bool) -> None:
    """Switch the integration on. Refused unless the user confirmed and nothing blocking is missing."""
    if not confirmed:
        raise ValueError("activation needs an explicit confirmation")
    steps = checklist(session)
    hard = blocking(steps)
    if hard:
        raise ValueError("cannot activate yet: " + "; ".join(hard))
    warnings = [m for s in steps for m in s.missing]
    _repo.update_settings(session.store, active=True, activated_at=dt.datetime.now(dt.timezone.utc))
    session.events.success("Integration activated" + (f" with {len(warnings)} open warnings" if warnings else ""),
                           side=Side.LOCAL, topic="activate")
    for warning in warnings:
        session.events.warning(warning, side=Side.LOCAL, topic="activate")


def deactivate(session: ConsoleSession) -> None:
    _repo.update_settings(session.store, active=False)
    session.events.warning("Integration deactivated: no invoices will be transferred", side=Side.LOCAL,
                           topic="activate")

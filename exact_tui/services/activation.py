"""Step 8 of the set-up: the whole checklist with what is missing, and activation.

The checklist is what the rail, step 8 and `exact-tui setup` show. Activation is refused unless
the user confirmed it and nothing blocking is missing (connection, division, journal, an active
item); what is merely unwise (unlinked Exact customers that may become duplicates) is a warning,
which is why the link counts are made before the checklist when step 4 was skipped (`check`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from ..domain.link import MaintenanceMode
from .events import Side
from .maintenance import MAINTENANCE_EXPLAINED, maintenance_mode
from .session import ConsoleSession

STEP_TITLES: list[tuple[str, str]] = [
    ("connection", "Connection"), ("division", "Division"), ("journal", "Sales journal"),
    ("link", "Link customers"), ("maintenance", "Customer maintenance"), ("products", "Product numbers"),
    ("defaults", "Default product numbers"), ("activate", "Confirm and activate"),
]


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


def checklist(session: ConsoleSession) -> list[StepStatus]:
    """Every step with its state and what is missing, as the rail and step 8 show it."""
    from . import defaults as default_numbers
    from . import products as product_numbers

    settings = session.settings()
    out: list[StepStatus] = []
    lost = session.health.state == "reconnect"  # HealthState.RECONNECT (a StrEnum)  # a dead login is no connection, however it looks
    connected = session.client is not None and session.me is not None and not lost
    who = (session.me.full_name or session.me.user_name) if session.me else ""
    not_connected = [] if connected else ["reconnect required: log in again in step 1" if lost
                                          else "not connected to Exact Online"]
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
    counts = session.cache.link_counts
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
    defaults = default_numbers.defaults_status(session)
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


async def check(session: ConsoleSession) -> list[StepStatus]:
    """The checklist, with the link counts made first when step 4 was skipped: the warning that
    unlinked Exact customers may become duplicates must not depend on having opened step 4."""
    from .linking.counts import link_counts
    from .problems import explain

    if (session.client is not None and session.cache.link_counts is None
            and getattr(session.settings(), "division", None)):
        try:
            await link_counts(session)
        except Exception as exc:  # noqa: BLE001 - the rest of the checklist still shows; step 4 says why
            problem = explain(exc)
            session.events.warning(f"Link counts not available: {problem.what}", side=problem.side,
                                   topic="activate", detail=problem.todo)
    return checklist(session)


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
    session.store.settings.update(active=True, activated_at=dt.datetime.now(dt.timezone.utc))
    session.events.success("Integration activated" + (f" with {len(warnings)} open warnings" if warnings else ""),
                           side=Side.LOCAL, topic="activate")
    for warning in warnings:
        session.events.warning(warning, side=Side.LOCAL, topic="activate")


def deactivate(session: ConsoleSession) -> None:
    session.store.settings.update(active=False)
    session.events.warning("Integration deactivated: no invoices will be transferred", side=Side.LOCAL,
                           topic="activate")

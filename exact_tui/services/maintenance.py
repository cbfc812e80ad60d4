"""Step 5 of the set-up: who maintains customers (by hand, created at the first invoice, or in Exact).

The mode decides what a transfer does with an unlinked customer, so it is stored explicitly;
until the user confirms it the default (create at the first invoice) applies and the checklist
says it is not confirmed.
"""
from __future__ import annotations

from ..domain.link import MaintenanceMode
from .events import Side
from .session import ConsoleSession

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


def choose_maintenance(session: ConsoleSession, mode: MaintenanceMode) -> None:
    """Save the customer maintenance mode at once."""
    session.store.settings.update(maintenance_mode=mode)
    session.events.success(f"Customer maintenance: {MAINTENANCE_EXPLAINED[mode][0]}", side=Side.LOCAL,
                           topic="maintenance")


def maintenance_mode(session: ConsoleSession) -> MaintenanceMode:
    """The mode in force: the stored one, else the default (create at the first invoice)."""
    value = getattr(session.settings(), "maintenance_mode", None)
    return MaintenanceMode(value) if value else MaintenanceMode.AUTO_CREATE

"""Step 3 of the set-up: the sales journal invoices are booked in.

Only sales journals (type 20) are offered; a journal without variable currency is flagged when
the local side has invoices in another currency, because Exact would refuse each of them.
"""
from __future__ import annotations

from collections import Counter

from .events import Side
from .session import ConsoleSession


async def load_journals(session: ConsoleSession, *, refresh: bool = False):
    """Sales journals (type 20) only: invoices can be booked in no other kind."""
    cache = session.cache
    if refresh or cache.journals is None:
        journals = await session.require_client().journals(sales_only=True)
        cache.journals = [j for j in journals if j.is_sales]
    return cache.journals


def invoice_currencies(session: ConsoleSession) -> Counter[str]:
    """How many local invoices there are per currency."""
    return Counter((inv.currency or "EUR").upper() for inv in session.store.invoices.all())


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
    """Save the sales journal (by code) at once."""
    session.store.settings.update(journal=journal.code)
    session.events.success(f"Sales journal {journal.code} {journal.description} chosen", side=Side.LOCAL,
                           topic="journal")

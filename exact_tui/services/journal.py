"""Step 3 of the set-up: the sales journal invoices are booked in.

Only sales journals (type 20) are offered; a journal without variable currency is flagged when
the local side has invoices in another currency, because Exact would refuse each of them. How
invoices are booked in it (sales entries or sales invoices, `choose_model`) is saved here too: the
console's Settings (F4) and `exact-tui setup model` both call it.
"""
from __future__ import annotations

from collections import Counter

from ..domain.wording import count, number
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


def currency_summary(currencies: Counter[str]) -> str:
    """'Local invoices by currency: 1,517 invoices in EUR, 1 invoice in USD' (a count, not an amount)."""
    listed = ", ".join(f"{count(n, 'invoice')} in {cur}" for cur, n in sorted(currencies.items()))
    return f"Local invoices by currency: {listed}"


def journal_warning(journal, currencies: Counter[str]) -> str | None:
    """Warn when foreign-currency invoices would be refused by a journal without variable currency."""
    home = (journal.currency or "EUR").upper()
    foreign = {cur: n for cur, n in currencies.items() if cur != home}
    if not foreign or journal.allow_variable_currency:
        return None
    listed = ", ".join(f"{number(n)} in {cur}" for cur, n in sorted(foreign.items()))
    return (f"Journal {journal.code} does not allow variable currency, but the local side has invoices in "
            f"other currencies ({listed}). Exact will refuse them: allow variable currency on the journal in "
            "Exact, or choose a journal that does.")


def choose_journal(session: ConsoleSession, journal) -> None:
    """Save the sales journal (by code) at once."""
    session.store.settings.update(journal=journal.code)
    session.events.success(f"Sales journal {journal.code} {journal.description} chosen", side=Side.LOCAL,
                           topic="journal")


JOURNAL_TYPES = {10: "cash journal", 12: "bank journal", 20: "sales journal", 21: "sales return journal",
                 22: "purchase journal", 23: "purchase return journal", 90: "general journal"}


async def find_journal(session: ConsoleSession, code: str):
    """The sales journal with this code, or a ValueError that says what the code is instead.

    A code that exists but is another kind (bank, purchase, general) is named with its type, which
    costs one more call only on that mistake."""
    wanted = code.strip()
    journals = await load_journals(session)
    journal = next((j for j in journals if j.code == wanted), None)
    if journal is not None:
        return journal
    listed = ", ".join(f"{j.code} {j.description}" for j in journals) or "none: create one in Exact (type Sales)"
    other = next((j for j in await session.require_client().journals() if j.code == wanted), None)
    if other is not None:
        kind = JOURNAL_TYPES.get(other.type or 0, f"type {other.type}")
        raise ValueError(f"journal {wanted} ({other.description}) is a {kind}, not a sales journal (type 20): "
                         f"invoices can only be booked in a sales journal. Sales journals here: {listed}")
    division = getattr(session.settings(), "division", None)
    raise ValueError(f"journal {wanted}: no such journal in division {division}. Sales journals here: {listed}")


def choose_model(session: ConsoleSession, model: str, *, drafts: bool = False) -> None:
    """Save how invoices are booked: sales entries, or sales invoices (processed, or left as drafts).

    The transfer reads `transfer_model` and `invoice_drafts` from the settings (`services/transfer`)."""
    from ..domain.settings import TRANSFER_MODELS

    if model not in TRANSFER_MODELS:
        raise ValueError(f"transfer model {model!r}: choose one of {', '.join(TRANSFER_MODELS)}")
    if drafts and model != "invoices":
        raise ValueError("drafts: only sales invoices can be left as drafts in Exact (model 'invoices')")
    session.store.settings.update(transfer_model=model, invoice_drafts=bool(drafts and model == "invoices"))
    what = ("sales entries (salesentry/SalesEntries)" if model == "entries" else
            "sales invoices left as drafts" if drafts else "sales invoices, processed so Exact numbers them")
    session.events.success(f"Invoices are booked as {what}", side=Side.LOCAL, topic="journal")

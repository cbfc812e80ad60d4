"""Which journals a financial period is closed for.

Exact closes a period per journal: `read/financial/JournalStatusList` reports, per Year, Period and
Journal, "Journal status for this year and period 0=open, 1=closed" (the REST reference's page; the
open-source clients' models, e.g. picqer's `JournalStatusList`, carry the same eight properties).
An accountant typically closes the bank journal of a month once it is reconciled while the sales
journal of that month still takes late invoices, so a booking is refused only when the period is
closed for the journal it is booked in.

The sandbox keeps that state on the period's row, as two fields Exact does not serve
(`EntitySpec.internal`): `Closed`, the period is closed for every journal (what the admin route
sets without a journal, and what the seed sets), and `ClosedJournals`, the codes of the journals it
is closed for besides. One rule (`journal_closed`) answers for the status list and for the booking
rules, so the two cannot disagree.
"""
from __future__ import annotations

from typing import Any

from .world import Row

CLOSED, CLOSED_JOURNALS = "Closed", "ClosedJournals"


def _code(journal: Any) -> str:
    return str(journal or "").strip()


def journal_closed(period: Row, journal: Any) -> bool:
    """Is `period` closed for `journal` (a journal code)?"""
    return bool(period.get(CLOSED)) or _code(journal) in (period.get(CLOSED_JOURNALS) or ())


def closing(period: Row, closed: bool, journal: Any, every_journal: list[str]) -> Row:
    """The changes that close (or reopen) `period` for one journal, or for every journal when
    `journal` is None. Reopening one journal of a period closed for all keeps the others closed:
    the period becomes closed for each of `every_journal` but that one."""
    if journal is None:
        return {CLOSED: closed, CLOSED_JOURNALS: []}
    code = _code(journal)
    if period.get(CLOSED):
        if closed:
            return {}
        return {CLOSED: False, CLOSED_JOURNALS: sorted(c for c in every_journal if c != code)}
    kept = set(period.get(CLOSED_JOURNALS) or ())
    if closed:
        kept.add(code)
    else:
        kept.discard(code)
    return {CLOSED: False, CLOSED_JOURNALS: sorted(kept)}

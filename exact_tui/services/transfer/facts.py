"""What Exact says about the division, read once per run: the ground the pre-flight stands on.

A pre-flight per invoice must cost no calls, so everything it compares against is read up front
(one call each, 1,000 rows a call for items): the sales journal, the G/L accounts, the VAT codes,
the financial periods and the items. In the console the answer is kept for the session, so a
second run in the same session costs nothing; `exact-tui transfer` reads it once per command.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...exact.records import FinancialPeriod, GLAccount, Item, Journal, VATCode

CACHE_KEY = "transfer_facts"


@dataclass(slots=True)
class ExactFacts:
    """The division's reference data as Exact answered it (codes stripped)."""

    journal: Journal | None
    journal_code: str
    gl: dict[str, GLAccount] = field(default_factory=dict)  # code -> account
    gl_by_id: dict[str, GLAccount] = field(default_factory=dict)  # lower-case GUID -> account
    vat: dict[str, VATCode] = field(default_factory=dict)  # code -> VAT code
    periods: list[FinancialPeriod] = field(default_factory=list)
    items: dict[str, Item] = field(default_factory=dict)  # code -> item
    read_at: dt.datetime | None = None
    calls: int = 0  # what reading them cost

    def period_for(self, day: dt.date) -> FinancialPeriod | None:
        return next((p for p in self.periods if p.contains(day)), None)

    def item_gl(self, item: Item) -> GLAccount | None:
        if item.gl_revenue:
            found = self.gl_by_id.get(item.gl_revenue.lower())
            if found is not None:
                return found
        return self.gl.get(item.gl_revenue_code) if item.gl_revenue_code else None


async def read_facts(client: Any, journal_code: str, *, cache: Any = None, refresh: bool = False) -> ExactFacts:
    """Read (or reuse from `cache`, the session's `SessionCache`) the reference data a transfer checks against."""
    if cache is not None and not refresh:
        kept = getattr(cache, CACHE_KEY, None)
        if isinstance(kept, ExactFacts) and kept.journal_code == journal_code:
            return kept
    before = client.calls
    journals = await client.journals()
    journal = next((j for j in journals if j.code == journal_code), None)
    gls = await client.gl_accounts()
    vats = await client.vat_codes()
    periods = await client.financial_periods(journal_code)  # closed or open for this journal
    items = await client.items()
    facts = ExactFacts(journal, journal_code,
                       gl={g.code: g for g in gls}, gl_by_id={g.id.lower(): g for g in gls if g.id},
                       vat={v.code: v for v in vats}, periods=periods, items={i.code: i for i in items},
                       read_at=dt.datetime.now(dt.timezone.utc))
    facts.calls = client.calls - before
    if cache is not None and hasattr(cache, CACHE_KEY):
        setattr(cache, CACHE_KEY, facts)
    return facts

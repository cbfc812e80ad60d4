"""`SessionCache`: the answers from Exact the set-up steps share within one connection, typed.

Everything except the division list belongs to one division (its journals, its customer accounts,
its link counts, its last item import), so the cache is scoped: `for_division` clears those the
moment the division differs from the one they were read for. That is what keeps the customer card
from offering the previous division's accounts after a division change — whoever changes the
division, and however (step 2, `exact-tui setup division`, a reconnect that lands elsewhere).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..exact.records import Account, Division, Journal
    from .linking.counts import LinkCounts
    from .products import ImportResult

_CONNECTION_WIDE = ("divisions",)


@dataclass(slots=True)
class SessionCache:
    """Per-connection answers; all but `divisions` are for `division` only."""

    division: int | None = None
    divisions: "list[Division] | None" = None  # the divisions the connected user may use
    journals: "list[Journal] | None" = None  # the division's sales journals
    accounts: "list[Account] | None" = None  # the division's Exact customer accounts (the card's picker)
    link_counts: "LinkCounts | None" = None  # step 4's numbers
    items_imported: "ImportResult | None" = None  # what the last item import brought
    transfer_facts: Any = None  # transfer.facts.ExactFacts: journal, G/L, VAT, periods, items read for a run

    def for_division(self, division: int | None) -> "SessionCache":
        """The cache for `division`: the division's answers are dropped when it changed."""
        if division != self.division:
            self.forget_division()
            self.division = division
        return self

    def forget_division(self) -> None:
        """Drop every answer that belongs to a division (the division list stays)."""
        for f in fields(self):
            if f.name not in _CONNECTION_WIDE and f.name != "division":
                setattr(self, f.name, None)

    def clear(self) -> None:
        """A new connection: nothing read before it holds."""
        for f in fields(self):
            setattr(self, f.name, None)

"""The API budget: what an operation costs in calls, and how much of it fits in what is left today.

Exact allows 5,000 calls a day per division and app (and 60 a minute, which the pacer waits out).
A daily limit cannot be waited out, so bulk work says its cost before it starts: every flow knows
its price (`TransferService.dry_run` / `invoice_costs`, `PaymentsService.estimate`, the item and
account pulls at 1,000 rows a call) and `run` gives the day's calls to the most important work
first — an invoice missing from Exact matters more than a payment status a few hours old.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SYNC_PAGE = 1000  # rows per sync/ and bulk/ call


def pages(rows: int) -> int:
    """Calls a sync/ or bulk/ pull of this many rows costs (the last, short page included)."""
    return max(0, rows) // SYNC_PAGE + 1


def day_left(session: Any) -> int | None:
    """Calls Exact said are left today for the division (None when it has not said yet).

    After the daily reset Exact has not answered yet, but the whole day's limit is back."""
    client = getattr(session, "client", None)
    budget = client.budget if client is not None else None
    if budget is None or budget.day_remaining is None:
        return None
    if budget.day_reset is not None and client is not None and client.clock.time() >= budget.day_reset:
        return budget.day_limit
    return budget.day_remaining


def fitting(costs: Sequence[int], left: int | None, *, extra: Any = None) -> int:
    """How many of `costs` (in order) fit in `left` calls; `extra(n)` adds what n of them cost on
    top (e.g. reading Exact's numbers of n processed invoices). Work is never reordered: the first
    ones are the most important (oldest invoices first, credit notes after what they credit)."""
    if left is None:
        return len(costs)
    total = 0
    for n, cost in enumerate(costs, start=1):
        total += cost
        if total + (extra(n) if extra is not None else 0) > left:
            return n - 1
    return len(costs)


def cost_line(calls: int, left: int | None) -> str:
    """'about 42 API calls · 4,810 left today' — the one line shown before bulk work."""
    text = f"about {calls:,} API call{'s' if calls != 1 else ''}"
    if left is None:
        return text + " · today's remaining calls not known yet (Exact says so with its first answer)"
    if calls > left:
        return text + f" · only {left:,} left today: the first ones that fit are done, the rest after the daily reset"
    return text + f" · {left:,} left today"

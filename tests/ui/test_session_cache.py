"""The session cache is typed and scoped to the division (issue 15 item 5).

The customer card used to keep the previous division's Exact accounts after a division change
(the cache cleared a key nothing set and never the accounts), so link-by-hand could link a
customer to an account of another company.
"""
from __future__ import annotations

import asyncio

from exact_tui.sandbox.testing import approve
from exact_tui.services import customers, division, journal
from exact_tui.services.cache import SessionCache
from exact_tui.services.connection import finish_login, load_form, start_login

from .world import DIV, DIV2


async def _connect(session) -> None:
    attempt = start_login(session, load_form(session))
    redirect = await asyncio.to_thread(approve, attempt.url, "demo", "demo")
    await finish_login(session, attempt, redirect)


async def test_customer_card_lists_only_the_chosen_divisions_accounts(session, sandbox):
    await _connect(session)
    try:
        division.choose_division(session, DIV, "Client Test BV")
        first = await customers.exact_accounts(session)
        await journal.load_journals(session)
        assert session.cache.accounts is first and session.cache.journals
        division.choose_division(session, DIV2, "Client Holding BV")
        assert session.cache.accounts is None and session.cache.journals is None  # scoped: gone at once
        second = await customers.exact_accounts(session)
        expected = {row["ID"] for row in sandbox.seed.tables[DIV2]["crm/Accounts"] if row.get("Status", "C") == "C"}
        assert {a.id for a in second} == expected
        assert len(second) < len(first)  # the other company's accounts are no longer offered
    finally:
        await session.disconnect(quiet=True)


def test_cache_clears_a_divisions_answers_but_keeps_the_division_list():
    cache = SessionCache(division=1, divisions=["d"], journals=["j"], accounts=["a"])
    assert cache.for_division(1).accounts == ["a"]
    cache.for_division(2)
    assert cache.division == 2 and cache.divisions == ["d"] and cache.journals is None and cache.accounts is None
    cache.clear()
    assert cache.divisions is None and cache.division is None

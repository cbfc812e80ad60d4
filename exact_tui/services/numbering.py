"""The next local customer number, continuing the highest numeric code of Exact and of the local side.

Exact's numbers come from the profile's cache of pulled Exact accounts, so this works offline;
the proposal says how old that cache is, because a customer created in Exact since could take
the proposed number (a transfer would then meet "Code already exists").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..domain.customer import MAX_CUSTOMER_NUMBER_DIGITS, CustomerNumbers, strip_account_code


@dataclass(frozen=True, slots=True)
class NumberProposal:
    number: str
    highest_exact: str  # "" when Exact has no numeric code (or none is cached)
    highest_local: str
    exact_accounts: int  # how many cached Exact accounts were considered
    pulled_at: dt.datetime | None  # when the Exact cache was refreshed; None: never pulled

    def explain(self) -> str:
        parts = [f"next customer number: {self.number}"]
        if self.pulled_at is None:
            parts.append("Exact's codes unknown: its accounts were never pulled (open Link customers or "
                         "connect and pull them for a safe proposal)")
        else:
            parts.append(f"highest Exact code {self.highest_exact or '(no numeric code)'} of {self.exact_accounts} "
                         f"accounts pulled {self.pulled_at:%Y-%m-%d %H:%M} UTC")
        parts.append(f"highest local number {self.highest_local or '(none)'}")
        return "; ".join(parts)


def _highest(codes: list[str]) -> str:
    numeric = [int(c) for c in (strip_account_code(x) for x in codes)
               if c.isdigit() and len(c) <= MAX_CUSTOMER_NUMBER_DIGITS]
    return str(max(numeric)) if numeric else ""


def propose_next_number(store: Any) -> NumberProposal:
    local = store.customers.numbers()
    exact = store.exact_accounts.codes()
    number = CustomerNumbers(local=local, exact=exact).next_number()
    return NumberProposal(number, _highest(exact), _highest(local), len(store.exact_accounts),
                          store.exact_accounts.pulled_at)

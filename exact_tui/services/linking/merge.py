"""The merge rule in both directions, for bulk linking and the customer card alike.

From Exact: Exact's fields overwrite local ones, but an empty Exact field never wipes a filled
local one (Exact is often the thinner record). To Exact: only filled local values that differ are
sent (fewer calls against the 60/minute budget), and never `Code`. "Differ" is `fields.same_value`.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from ...domain.customer import LocalCustomer, customer_number_problem
from .fields import MERGE_FIELDS, same_value


def merge_from_exact(customer: LocalCustomer, account: Any) -> tuple[LocalCustomer, dict[str, tuple[str, str]]]:
    """The local customer with Exact's fields; an empty Exact field never overwrites a filled local one.

    The Exact code becomes the local number only when it obeys the customer-number rule (a code
    like 'C-1042' would break later invoice transfers); otherwise the local number stays.
    Returns the new record and the changed local fields (field -> (old, new)).
    """
    changes: dict[str, tuple[str, str]] = {}
    values: dict[str, str] = {}
    for local_field, _ in MERGE_FIELDS:
        new = (getattr(account, local_field) or "").strip()
        old = getattr(customer, local_field) or ""
        if new and not same_value(local_field, new, old):
            values[local_field] = new
            changes[local_field] = (old, new)
    code = (account.code or "").strip()
    if code and code != customer.number and customer_number_problem(code) is None:
        values["number"] = code
        changes["number"] = (customer.number, code)
    return dataclasses.replace(customer, **values), changes


def changes_for_exact(customer: LocalCustomer, account: Any) -> dict[str, tuple[str, str]]:
    """Exact fields to PUT (field -> (old, new)): filled local values that differ. Never `Code`."""
    changes: dict[str, tuple[str, str]] = {}
    for local_field, exact_field in MERGE_FIELDS:
        new = (getattr(customer, local_field) or "").strip()
        old = str(getattr(account, local_field, "") or "")
        if new and not same_value(local_field, old, new):
            changes[exact_field] = (old, new)
    return changes


def number_fix(customer: LocalCustomer, problem: str) -> str:
    return (f"Change local customer {customer.name!r}'s number to digits only (at most 9), e.g. its Exact code, "
            f"or use 'Link and use data from Exact' ({problem})")


"""The merge rule in both directions, for bulk linking, the customer card and the customer sync alike.

From Exact: Exact's fields overwrite local ones, but an empty Exact field never wipes a filled
local one (Exact is often the thinner record). To Exact: only filled local values that differ are
sent (fewer calls against the 60/minute budget), and never `Code`. "Differ" is `fields.same_value`.
Contacts follow the same rule over their own fields (`CONTACT_FIELDS`).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...domain.customer import LocalCustomer, customer_number_problem
from .fields import FIELDS, MERGE_FIELDS, same_value


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
    return _filled_changes(customer, account, MERGE_FIELDS)


# a contact's fields: (local / Exact client record attribute, Exact API field)
CONTACT_FIELDS: tuple[tuple[str, str], ...] = (("first_name", "FirstName"), ("last_name", "LastName"),
                                               ("email", "Email"), ("phone", "Phone"))


def contact_from_exact(contact: Any, exact_contact: Any) -> tuple[Any, dict[str, tuple[str, str]]]:
    """The local contact with the Exact contact's filled fields that differ (changes: field -> (old, new))."""
    changes: dict[str, tuple[str, str]] = {}
    for local_field, _ in CONTACT_FIELDS:
        new = (getattr(exact_contact, local_field, "") or "").strip()
        old = getattr(contact, local_field) or ""
        if new and not same_value(local_field, new, old):
            changes[local_field] = (old, new)
    return dataclasses.replace(contact, **{f: new for f, (_, new) in changes.items()}), changes


def contact_changes_for_exact(contact: Any, exact_contact: Any) -> dict[str, tuple[str, str]]:
    """Exact contact fields to PUT: filled local values that differ (an empty local field is never sent)."""
    return _filled_changes(contact, exact_contact, CONTACT_FIELDS)


def _filled_changes(local: Any, exact: Any, fields: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, str]]:
    changes: dict[str, tuple[str, str]] = {}
    for local_field, exact_field in fields:
        new = (getattr(local, local_field) or "").strip()
        old = str(getattr(exact, local_field, "") or "")
        if new and not same_value(local_field, old, new):
            changes[exact_field] = (old, new)
    return changes


def number_fix(customer: LocalCustomer, problem: str) -> str:
    return (f"Change local customer {customer.name!r}'s number to digits only (at most 9), e.g. its Exact code, "
            f"or use 'Link and use data from Exact' ({problem})")



# -- what a link would change, before it runs --------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that a link overwrites: its label, the value now and the value after."""

    key: str  # the field table's key (`fields.FIELDS`)
    label: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class AccountDiff:
    """What linking one Exact account to its local customer changes, on one side."""

    exact_id: str
    exact_code: str
    exact_name: str
    local_number: str
    changes: tuple[FieldChange, ...]
    warning: str = ""  # VAT / Chamber of Commerce numbers filled on both sides and different

    @property
    def title(self) -> str:
        return f"{self.exact_code or self.exact_id} {self.exact_name} ↔ local {self.local_number}".strip()


@dataclass(frozen=True, slots=True)
class LinkDiff:
    """What a planned link changes, per field and per account, on one side ("Exact" or "local").

    The confirmation before `l` shows `by_field()` and the accounts; `e` overwrites local fields
    with the same rule the other way round. Accounts whose data already agree are only counted.
    """

    side: str
    accounts: tuple[AccountDiff, ...]
    unchanged: int

    def by_field(self) -> list[tuple[str, int]]:
        """(label, accounts changing it), in the field table's order, only fields that change."""
        seen: dict[str, int] = {}
        for account in self.accounts:
            for change in account.changes:
                seen[change.key] = seen.get(change.key, 0) + 1
        return [(f.label, seen[f.key]) for f in FIELDS if f.key in seen]

    @property
    def warnings(self) -> list[AccountDiff]:
        return [a for a in self.accounts if a.warning]


_BY_API = {f.api: f for f in FIELDS if f.api}
_BY_KEY = {f.key: f for f in FIELDS}


def identity_conflicts(customer: LocalCustomer, account: Any) -> list[str]:
    """'VAT number differs: local … · Exact …' for a VAT or Chamber of Commerce number filled on both
    sides and different (formatting aside): two different companies, most likely. The card's link by
    hand and the bulk link's confirmation both warn with this."""
    out = []
    for label, key in (("VAT number", "vat"), ("Chamber of Commerce number", "coc")):
        mine, theirs = getattr(customer, key, "") or "", getattr(account, key, "") or ""
        if _alnum(mine) and _alnum(theirs) and _alnum(mine) != _alnum(theirs):
            out.append(f"{label} differs: local {mine} · Exact {theirs}")
    return out


def _alnum(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


def link_diff(to_exact: bool, pairs: Iterable[tuple[LocalCustomer, Any]],
              exact_changes: dict[str, dict[str, tuple[str, str]]] | None = None) -> LinkDiff:
    """What linking each (local customer, Exact account) pair changes, by the merge rule above.

    `to_exact`: "link and use local data" (Exact's fields change, `changes_for_exact`; a plan's own
    `changes` can be passed so the confirmation shows exactly what will be sent); otherwise "link and
    use data from Exact" (local fields change, `merge_from_exact`)."""
    accounts: list[AccountDiff] = []
    unchanged = 0
    for customer, account in pairs:
        if to_exact:
            raw = exact_changes.get(account.id, {}) if exact_changes is not None \
                else changes_for_exact(customer, account)
            changes = tuple(FieldChange(_BY_API[f].key, _BY_API[f].label, old, new) for f, (old, new) in raw.items())
        else:
            _, local = merge_from_exact(customer, account)
            changes = tuple(FieldChange(k, _BY_KEY[k].label, old, new) for k, (old, new) in local.items())
        if not changes:
            unchanged += 1
            continue
        accounts.append(AccountDiff(account.id, account.code or "", account.name or "", customer.number or customer.id,
                                    changes, "; ".join(identity_conflicts(customer, account))))
    return LinkDiff("Exact" if to_exact else "local", tuple(accounts), unchanged)

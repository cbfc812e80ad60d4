"""The Exact accounts cache of Link customers, kept between runs in the store.

Refreshed with `sync/CRM/Accounts` from the stored Timestamp, so a re-open costs one cheap call,
not a full pull; `sync/Deleted` (read in the same pull) takes accounts deleted in Exact out.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from ...domain.customer import is_customer_account
from .records import ExactAccount

ACCOUNT_ENTITY = 2  # sync/Deleted EntityType of crm/Accounts (DeletedRecord.ACCOUNT)


def is_customer(account: ExactAccount) -> bool:
    """Customers and accounts without a status are linkable; prospects/suspects/suppliers-only are not
    (the one rule `exact-tui match` applies to an Exact file's Status column too)."""
    return is_customer_account(account.status)


class AccountCache:
    """Exact accounts kept between runs in the store (`store.exact_accounts`), refreshed with
    `sync/CRM/Accounts` from the stored Timestamp: a re-open costs one cheap call, not a full pull."""

    def __init__(self, store: Any) -> None:
        self.repo = getattr(store, "exact_accounts", None)
        self.accounts: dict[str, ExactAccount] = {}
        # Whether `accounts` is every account of the division (a pull happened), so an absent
        # linked account means deleted; a partial list (tests, benches) proves nothing.
        self.complete = False

    @property
    def deleted_timestamp(self) -> int | None:
        return getattr(self.repo, "deleted_timestamp", None) if self.repo is not None else None

    @property
    def timestamp(self) -> int | None:
        return self.repo.timestamp if self.repo is not None else None

    def load(self, division: int | None) -> None:
        if self.repo is None or (division is not None and self.repo.division not in (None, division)):
            self.accounts = {}
            self.complete = False
            return
        if self.repo.timestamp is None and not len(self.repo) and self.accounts:
            return  # never pulled: keep the accounts given directly (use_accounts) for a re-match
        self.accounts = {str(row["id"]): ExactAccount.from_record(row) for row in self.repo.all()}
        self.complete = self.repo.timestamp is not None

    def merge(self, rows: Sequence[Any], timestamp: int | None, division: int | None, *,
              deleted: Iterable[str] = (), deleted_timestamp: int | None = None) -> int:
        """Rows from a sync pull into memory and the store (another division's cache is replaced);
        `deleted` (from `sync/Deleted`) leave both."""
        accounts = [ExactAccount.from_record(r) for r in rows]
        gone = set(deleted)
        for account in accounts:
            self.accounts[account.id] = account
        for exact_id in gone:
            self.accounts.pop(exact_id, None)
        if self.repo is not None:
            if self.repo.division in (None, division):
                self.repo.merge([dataclasses.asdict(a) for a in accounts if a.id not in gone], division=division,
                                timestamp=timestamp, deleted=gone, deleted_timestamp=deleted_timestamp)
            else:
                self.repo.replace([dataclasses.asdict(a) for a in self.accounts.values()], division=division,
                                  timestamp=timestamp, deleted_timestamp=deleted_timestamp)
        self.complete = True
        return len(accounts)

    def store_rows(self, accounts: Sequence[ExactAccount]) -> None:
        """Accounts we changed in Exact (link with local data): the cache follows, Timestamp unchanged."""
        if self.repo is not None and accounts:
            self.repo.merge([dataclasses.asdict(a) for a in accounts], division=self.repo.division, timestamp=None)


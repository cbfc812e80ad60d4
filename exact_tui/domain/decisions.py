"""Decisions that are not customer links: pairs the user rejected and contacts linked by hand.

Beside `Link` and `IgnoredAccount` because they are the same kind of thing — a person's decision the
matcher and the card must respect on every re-run; both are keyed so a repeat of the same decision
is an upsert in the store.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(slots=True)
class RejectedPair:
    """"Not this pair": the matcher never proposes this local customer for this Exact account again."""

    exact_id: str
    local_id: str
    rejected_by: str = ""
    rejected_at: dt.datetime | None = None

    @property
    def key(self) -> str:
        return rejected_key(self.exact_id, self.local_id)


def rejected_key(exact_id: str, local_id: str) -> str:
    return f"{exact_id}|{local_id}"


@dataclass(slots=True)
class ContactLink:
    """A local contact and the Exact contact (crm/Contacts ID) that is the same person.

    `how` says who made the pair: "hand" (the user on the customer card), "created" (the console
    created the Exact contact from the local one) or "found" (creating it found the person in Exact). E-mail/name pairing stays a suggestion; a stored
    link wins over it, so a renamed or re-mailed person stays paired.
    """

    local_id: str  # LocalContact.id
    exact_id: str  # Exact contact GUID
    customer_id: str = ""  # the local customer the contact belongs to
    account_id: str = ""  # the Exact account the Exact contact belongs to
    how: str = "hand"
    linked_by: str = ""
    linked_at: dt.datetime | None = None

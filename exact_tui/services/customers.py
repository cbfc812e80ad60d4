"""The customer card: find a local customer, link or unlink it by hand, compare it with its Exact
account side by side, and push the local data to Exact.

Contacts are paired with the Exact contacts of the linked account: a stored contact link (made by
hand, or when the console created the Exact contact) wins; the rest are paired by e-mail, then by
full name, as a suggestion only — so a person who changes e-mail or name stays paired once linked.

Linking by hand copies no data (`DataSource.NONE`); pushing sends only non-empty local fields, so
an empty local field never wipes what Exact has. The customer-number rule (digits only, at most 9)
is checked before anything that could make the number an Exact code.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.customer import LocalCustomer, customer_number_problem, is_customer_account
from ..domain.link import DataSource, Link
from ..domain.decisions import ContactLink
from .events import Side
from .linking.fields import FIELDS, same_value
from .linking.merge import changes_for_exact, identity_conflicts
from .session import ConsoleSession



LABEL_OF_API = {f.api: f.label for f in FIELDS if f.api}


@dataclass(slots=True)
class CustomerRow:
    customer: LocalCustomer
    link: Link | None


@dataclass(slots=True)
class FieldPair:
    key: str
    label: str
    local: str
    exact: str

    @property
    def same(self) -> bool:
        """The same rule as bulk linking's (`linking.fields.same_value`)."""
        return same_value(self.key, self.exact, self.local)


def _norm(value: str) -> str:
    return " ".join((value or "").lower().split())


def search(session: ConsoleSession, text: str = "", *, limit: int = 300) -> tuple[list[CustomerRow], int]:
    """Customers whose name, number, city, e-mail or VAT contains every word typed; (shown, total found)."""
    words = _norm(text).split()
    links = {link.local_id: link for link in session.store.links.all()}
    found: list[CustomerRow] = []
    total = 0
    for customer in session.store.customers.all():
        if words:
            hay = _norm(" ".join((customer.name, customer.number, customer.city, customer.email, customer.vat)))
            if not all(w in hay for w in words):
                continue
        total += 1
        if len(found) < limit:
            found.append(CustomerRow(customer, links.get(customer.id)))
    found.sort(key=lambda r: r.customer.name.lower())
    return found, total


async def exact_accounts(session: ConsoleSession, *, refresh: bool = False):
    """The Exact customer accounts (cached per connection; shared with step 4's counts)."""
    cache = session.cache
    if refresh or cache.accounts is None:
        cache.accounts = await session.require_client().accounts(customers_only=True)
    return cache.accounts


async def counterpart(session: ConsoleSession, exact_id: str):
    """The linked Exact account, fresh from Exact."""
    return await session.require_client().account(exact_id)


@dataclass(frozen=True, slots=True)
class AccountChoice:
    """An Exact account offered for linking by hand, ranked by the matcher, with what to ask first."""

    account: Any
    score: float
    reasons: tuple[str, ...]
    conflicts: tuple[str, ...]  # "VAT number differs (...)": confirm before linking


def rank_accounts(session: ConsoleSession, customer: LocalCustomer, accounts: Sequence[Any], *,
                  limit: int = 40) -> list[AccountChoice]:
    """The not-yet-linked Exact customer accounts for `customer`, best first, ranked by the same
    engine as Link customers (every field, VAT/KvK and customer number, conflicts subtract): not
    by name alone, where "Aerts & Zonen BV" would get "Mertens & Zonen BV" first."""
    from ..matching import MatchRecord, rank

    linked = {link.exact_id for link in session.store.links.all() if link.local_id != customer.id}
    free = [a for a in accounts if a.id not in linked and is_customer_account(getattr(a, "status", ""))]
    by_id = {str(a.id): a for a in free}
    ranked = rank(MatchRecord.of(customer), [MatchRecord.of(a) for a in free], limit=limit)
    return [AccountChoice(by_id[r.id], r.candidate.score, tuple(r.candidate.reasons),
                          r.conflicts + ((BLOCKED_CONFLICT,) if getattr(by_id[r.id], "blocked", None) else ()))
            for r in ranked]


# A blocked account may be linked by hand (a person may be about to unblock it), but not unasked:
# bulk linking skips it, and here it is a conflict the card confirms first.
BLOCKED_CONFLICT = "blocked in Exact: invoices to it are refused until it is unblocked there"


def side_by_side(customer: LocalCustomer, account) -> list[FieldPair]:
    """The card's rows: every field of the shared field table, local next to Exact."""
    return [FieldPair(f.key, f.label, str(getattr(customer, f.key, "") or ""),
                      str(getattr(account, "code" if f.key == "number" else f.key, "") or "") if account else "")
            for f in FIELDS]


def account_warnings(account) -> list[str]:
    """What the card must say about an Exact account before anything is sent to it: blocked accounts
    refuse invoices, and an account that is not a customer (status other than C) is no customer yet."""
    if account is None:
        return []
    out = []
    if getattr(account, "blocked", None):
        out.append(f"Exact account {account.code} is blocked in Exact: invoices to it are refused until it is "
                   "unblocked there")
    status = (getattr(account, "status", "") or "").upper()
    if status and status != "C":
        kind = {"P": "a prospect", "S": "a suspect", "A": "not a customer"}.get(status, f"status {status}")
        out.append(f"Exact account {account.code} is {kind}, not a customer: Exact refuses invoices to it")
    return out


def link_warnings(customer: LocalCustomer, account) -> list[str]:
    """Why linking `customer` to `account` by hand may be wrong: a VAT or Chamber of Commerce number that
    is filled on both sides and differs (`merge.identity_conflicts`, the bulk link's rule too), and what
    `account_warnings` says of the account."""
    return identity_conflicts(customer, account) + account_warnings(account)


def link(session: ConsoleSession, customer: LocalCustomer, account) -> Link:
    """Link by hand (no data copied). Refused when the Exact account is already linked elsewhere."""
    for other in session.store.links.all():
        if other.exact_id == account.id and other.local_id != customer.id:
            raise ValueError(f"Exact account {account.code} {account.name} is already linked to local customer "
                             f"{other.local_id}; unlink that one first")
    new = Link(local_id=customer.id, exact_id=account.id, exact_code=account.code or "",
               linked_by=session.me.user_name if session.me else "console",
               linked_at=dt.datetime.now(dt.timezone.utc), source=DataSource.NONE)
    session.store.links.link(new)
    session.cache.link_counts = None
    session.events.success(f"Linked to Exact account {account.code} {account.name}", side=Side.LOCAL, topic="link",
                           record=f"customer {customer.number or customer.id}")
    return new


def set_number(session: ConsoleSession, customer: LocalCustomer, number: str) -> LocalCustomer:
    """Give a local customer a number Exact accepts as a code (digits only, at most 9, unique locally).

    This is the fix for a row the Link screen refused with "customer number … must contain digits
    only": the number is changed here, locally; Exact sees it with the next link or push."""
    import dataclasses

    value = (number or "").strip()
    problem = customer_number_problem(value)
    if problem:
        raise ValueError(f"customer {customer.number or customer.id} {customer.name}: {problem}")
    for other in session.store.customers.all():
        if other.id != customer.id and (other.number or "").strip() == value:
            raise ValueError(f"customer number {value} is already used by local customer {other.name}")
    changed = dataclasses.replace(customer, number=value)
    session.store.customers.put_many([changed])
    session.cache.link_counts = None
    session.events.success(f"Customer number {customer.number or '(none)'} → {value}", side=Side.LOCAL,
                           topic="customer card", record=f"customer {customer.id} {customer.name}")
    return changed


def unlink(session: ConsoleSession, customer: LocalCustomer) -> None:
    existing = session.store.links.get(customer.id)
    if existing is None:
        raise ValueError(f"customer {customer.number or customer.id} {customer.name} is not linked")
    session.store.links.unlink(customer.id)
    session.cache.link_counts = None
    session.events.warning(f"Unlinked from Exact account {existing.exact_code or existing.exact_id} "
                           "(nothing changed in Exact)", side=Side.LOCAL, topic="link",
                           record=f"customer {customer.number or customer.id}")


async def push_update(session: ConsoleSession, customer: LocalCustomer) -> list[str]:
    """Send the customer's non-empty local fields to its linked Exact account; returns the fields changed."""
    existing = session.store.links.get(customer.id)
    if existing is None:
        raise ValueError(f"customer {customer.number or customer.id} {customer.name} is not linked: link it first")
    problem = customer_number_problem(customer.number)
    if problem:
        raise ValueError(f"customer {customer.id} {customer.name}: {problem} (fix the number on the local side)")
    client = session.require_client()
    account = await client.account(existing.exact_id)
    changes = changes_for_exact(customer, account)  # the merge rule of bulk linking: one rule, not two
    record = f"customer {customer.number or customer.id}"
    if not changes:
        session.events.info("Exact already has the local data: nothing to send", side=Side.EXACT, topic="link",
                            record=record)
        return []
    await client.update_account(existing.exact_id, {api: new for api, (_, new) in changes.items()})
    names = sorted(LABEL_OF_API[api] for api in changes)
    session.events.success(f"Exact account {account.code} updated: {', '.join(names)}", side=Side.EXACT,
                           topic="link", record=record,
                           detail="; ".join(f"{api}: {old!r} → {new!r}" for api, (old, new) in changes.items()))
    return names


# -- contacts ------------------------------------------------------------------------------------
@dataclass(slots=True)
class ContactPair:
    """A local contact and the Exact contact on the linked account that is the same person (or None).

    `how`: "linked" (a stored contact link: by hand, created or found from here), "email" / "name" (a
    suggestion), "" (unpaired). `link` is the stored link; `gone` says its Exact contact is no
    longer on the account (deleted or moved in Exact): the link is kept until the user unlinks it.
    """

    local: object | None
    exact: object | None
    how: str = ""
    link: ContactLink | None = None
    gone: bool = False

    @property
    def stored(self) -> bool:
        return self.link is not None

    @property
    def name(self) -> str:
        person = self.local or self.exact
        first, last = getattr(person, "first_name", ""), getattr(person, "last_name", "")
        return " ".join(p for p in (first, last) if p)


def _person_key(contact) -> tuple[str, str]:
    name = _norm(" ".join(p for p in (contact.first_name, contact.last_name) if p))
    return _norm(contact.email), name


def contact_pairs(local_contacts, exact_contacts, links=()) -> list[ContactPair]:
    """Stored contact links first, then by e-mail, else by full name; the unpaired ones of either
    side get a row of their own."""
    stored = {link.local_id: link for link in links}
    by_id = {str(getattr(e, "id", "") or "").lower(): e for e in exact_contacts}
    free = list(exact_contacts)
    paired: dict[int, ContactPair] = {}
    locals_ = list(local_contacts)
    for i, contact in enumerate(locals_):  # stored links take their Exact contact before any suggestion
        link = stored.get(contact.id)
        if link is None:
            continue
        match = by_id.get(link.exact_id.lower())
        if match is not None and match in free:
            free.remove(match)
        paired[i] = ContactPair(contact, match, "linked", link, gone=match is None)
    pairs: list[ContactPair] = []
    for i, contact in enumerate(locals_):
        if i in paired:
            pairs.append(paired[i])
            continue
        email, name = _person_key(contact)
        match = next((e for e in free if email and _person_key(e)[0] == email), None)
        how = "email" if match is not None else ""
        if match is None:
            match = next((e for e in free if name and _person_key(e)[1] == name), None)
            how = "name" if match is not None else ""
        if match is not None:
            free.remove(match)
        pairs.append(ContactPair(contact, match, how))
    pairs.extend(ContactPair(None, e) for e in free)
    return pairs


async def contacts_side_by_side(session: ConsoleSession, customer: LocalCustomer) -> list[ContactPair]:
    local = session.store.contacts.for_customer(customer.id)
    existing = session.store.links.get(customer.id)
    exact = await session.require_client().contacts(account=existing.exact_id) if existing else []
    return contact_pairs(local, exact, _contact_links(session, customer))


def _contact_links(session: ConsoleSession, customer: LocalCustomer) -> list[ContactLink]:
    repo = getattr(session.store, "contact_links", None)
    return repo.for_customer(customer.id) if repo is not None else []


def _who(session: ConsoleSession) -> str:
    return session.me.user_name if session.me else "console"


def link_contact(session: ConsoleSession, customer: LocalCustomer, contact, exact_contact, *,
                 how: str = "hand") -> ContactLink:
    """Store that a local contact is this Exact contact (of the customer's linked account).

    Refused when the customer is not linked, or the Exact contact is another local contact's already."""
    existing = session.store.links.get(customer.id)
    if existing is None:
        raise ValueError(f"customer {customer.number or customer.id} {customer.name} is not linked: link it first")
    if contact.customer_id != customer.id:
        raise ValueError(f"contact {contact.id} {contact.full_name} belongs to another customer "
                         f"({contact.customer_id}), not to {customer.name}")
    exact_id = str(getattr(exact_contact, "id", "") or "")
    if not exact_id:
        raise ValueError(f"the Exact contact for {contact.full_name} has no ID: reload the card (ctrl+r)")
    exact_name = " ".join(p for p in (getattr(exact_contact, "first_name", ""), getattr(exact_contact, "last_name", ""))
                          if p)
    from ..store import StoreConflict

    link = ContactLink(local_id=contact.id, exact_id=exact_id, customer_id=customer.id,
                       account_id=str(getattr(exact_contact, "account", "") or existing.exact_id), how=how,
                       linked_by=_who(session))
    try:
        session.store.contact_links.link(link)
    except StoreConflict as exc:
        owner = session.store.contact_links.by_exact(exact_id)
        other = session.store.contacts.get(owner.local_id) if owner else None
        raise ValueError(f"Exact contact {exact_name or exact_id} is already linked to local contact "
                         f"{other.full_name if other else owner.local_id if owner else '?'}: unlink that one first "
                         "(ctrl+o on its row)") from exc
    verb = "created in Exact and linked" if how == "created" else "linked by hand"
    session.events.success(f"Contact {contact.full_name} {verb} to Exact contact {exact_name or exact_id}",
                           side=Side.LOCAL, topic="link", record=f"customer {customer.number or customer.id}")
    return session.store.contact_links.get(contact.id) or link


def unlink_contact(session: ConsoleSession, customer: LocalCustomer, contact) -> ContactLink:
    """Remove a stored contact link (nothing changes in Exact)."""
    link = session.store.contact_links.get(contact.id)
    if link is None:
        raise ValueError(f"contact {contact.full_name} of {customer.name} has no stored link (a pair by e-mail or "
                         "name is only a suggestion: nothing to unlink)")
    session.store.contact_links.unlink(contact.id)
    session.events.warning(f"Contact {contact.full_name} unlinked from Exact contact {link.exact_id} "
                           "(nothing changed in Exact)", side=Side.LOCAL, topic="link",
                           record=f"customer {customer.number or customer.id}")
    return link


async def create_contact(session: ConsoleSession, customer: LocalCustomer, contact) -> object:
    """Create a local contact on the linked Exact account and store the pair. When Exact already has that
    person (same account, e-mail/last name), link to it instead: nothing is created twice."""
    existing = session.store.links.get(customer.id)
    if existing is None:
        raise ValueError(f"customer {customer.number or customer.id} {customer.name} is not linked: link it first")
    if not contact.last_name:
        raise ValueError(f"contact {contact.id} of {customer.name}: last name is empty (Exact requires it)")
    client = session.require_client()
    found = await client.find_contacts(account=existing.exact_id, email=contact.email, last_name=contact.last_name)
    if found:  # the person is there already (made in Exact, or by an earlier lost answer): pair, never duplicate
        person = found[0]
        if getattr(person, "account", None) is None:
            person.account = existing.exact_id
        link_contact(session, customer, contact, person, how="found")
        session.events.info(f"Exact already has {contact.full_name} on this account: linked to it, nothing created",
                            side=Side.EXACT, topic="link", record=f"customer {customer.number or customer.id}")
        return person
    from ..exact.records import Contact

    created = await client.create_contact(Contact(account=existing.exact_id, first_name=contact.first_name,
                                                  last_name=contact.last_name, email=contact.email,
                                                  phone=contact.phone))
    session.events.success(f"Contact {contact.full_name} created in Exact", side=Side.EXACT, topic="link",
                           record=f"customer {customer.number or customer.id}")
    if getattr(created, "id", None):  # remember the pair: a later e-mail change must not lose it
        if getattr(created, "account", None) is None:
            created.account = existing.exact_id
        link_contact(session, customer, contact, created, how="created")
    return created

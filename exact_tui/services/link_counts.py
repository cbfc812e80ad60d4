"""Step 4's numbers: how the Exact customers fall into the Link customers tabs, without opening it.

Pulls the Exact customer accounts once per connection (bulk, `$select`), leaves out what is already
linked or ignored, and runs the matcher; the linking screen itself does the real work.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import _repo
from .events import Side
from .session import ConsoleSession


@dataclass(slots=True)
class LinkCounts:
    one: int
    more: int
    none: int
    ignored: int
    linked: int
    exact_total: int
    local_total: int

    @property
    def exact_unlinked(self) -> int:
        return max(0, self.exact_total - self.linked - self.ignored)

    @property
    def local_unlinked(self) -> int:
        return max(0, self.local_total - self.linked)


def _record(MatchRecord, **kw):  # noqa: N803 - the class is passed in to keep matching imported lazily
    return MatchRecord(**{k: (v or "") for k, v in kw.items()})


async def link_counts(session: ConsoleSession, *, refresh: bool = False) -> LinkCounts:
    from ..matching import MatchRecord, match

    if not refresh and "link_counts" in session.cache:
        return session.cache["link_counts"]
    client = session.require_client()
    accounts = session.cache.get("accounts") if not refresh else None
    if accounts is None:
        accounts = await client.accounts(customers_only=True)
        session.cache["accounts"] = accounts
    links = _repo.all_of(session.store.links)
    ignored_ids = {getattr(i, "exact_id", i) for i in _repo.all_of(session.store.ignored)}
    linked_exact = {link.exact_id for link in links}
    linked_local = {link.local_id for link in links}
    exact = [_record(MatchRecord, id=a.id, name=a.name, address=a.address, postcode=a.postcode, city=a.city,
                     country=a.country, email=a.email, phone=a.phone, vat=a.vat, coc=a.coc, code=a.code)
             for a in accounts if a.id not in linked_exact and a.id not in ignored_ids]
    customers = _repo.all_of(session.store.customers)
    local = [_record(MatchRecord, id=c.id, name=c.name, address=c.address, postcode=c.postcode, city=c.city,
                     country=c.country, email=c.email, phone=c.phone, vat=c.vat, coc=c.coc, code=c.number)
             for c in customers if c.id not in linked_local]
    result = match(exact, local)
    counts = LinkCounts(one=len(result.one), more=len(result.more), none=len(result.none),
                        ignored=len([a for a in accounts if a.id in ignored_ids]),
                        linked=len([a for a in accounts if a.id in linked_exact]),
                        exact_total=len(accounts), local_total=len(customers))
    session.cache["link_counts"] = counts
    session.events.info(f"Link customers: {counts.one} one match, {counts.more} more matches, {counts.none} no match, "
                        f"{counts.ignored} ignored, {counts.linked} linked", side=Side.LOCAL, topic="link")
    return counts

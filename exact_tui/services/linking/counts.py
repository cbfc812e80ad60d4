"""Step 4's numbers: how the Exact customers fall into the Link customers tabs, without opening it.

Pulls the Exact customer accounts once per connection (bulk, `$select`), leaves out what is already
linked or ignored, and runs the matcher; the linking screen itself does the real work.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..session import ConsoleSession

if TYPE_CHECKING:
    from .service import LinkingService


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


async def link_counts(session: ConsoleSession, *, refresh: bool = False) -> LinkCounts:
    """The tab counts exactly as the Link customers screen will show them (same service, same cache).

    The first call pulls the Exact accounts (`sync/`, then only what changed since), later calls
    re-run the matcher on the stored cache unless `refresh` asks Exact again.
    """

    if not refresh and session.cache.link_counts is not None:
        return session.cache.link_counts
    from .service import LinkingService  # the service and the matcher: not before step 4 needs them

    service = LinkingService.for_session(session)
    service.cache.load(service.division)
    if refresh or service.cache.timestamp is None or not service.cache.accounts:
        await service.pull()
    # The matcher is CPU work (0.4 s for 2,000 customers, seconds for tens of thousands): off the event
    # loop, so the console keeps painting and answering keys meanwhile.
    await asyncio.to_thread(service.rebuild)
    counts = counts_of(service)
    session.cache.link_counts = counts
    return counts


def counts_of(service: LinkingService) -> LinkCounts:
    """The service's tab counts as step 4 shows them."""
    tabs = service.counts()
    return LinkCounts(one=tabs.get("one", 0), more=tabs.get("more", 0), none=tabs.get("none", 0),
                      ignored=tabs.get("ignored", 0), linked=service.linked_count,
                      exact_total=sum(tabs.values()) + service.linked_count, local_total=len(service.customers))

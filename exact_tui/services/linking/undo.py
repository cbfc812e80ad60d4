"""Undo of Link customers actions, several steps back: links, overwritten fields, imports, ignores,
un-ignores, rejections and problem fixes, newest first (`UndoStack`).

An action that changed Exact (link with local data) empties the stack: Exact's side cannot be put
back from here, and an older local step undone on top of it could contradict what Exact now holds
(every change it made is in the log with old and new values). The stack keeps the last
`UndoStack.DEPTH` steps: each holds copies of the rows it changed, at 100k rows a bounded cost.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...domain.customer import LocalCustomer
from ...domain.ignored import IgnoredAccount
from ...domain.link import Link
from ...domain.decisions import RejectedPair
from ..events import Side
from .actions import Action
from .records import Row

if TYPE_CHECKING:  # pragma: no cover
    from .service import LinkingService


@dataclass(slots=True)
class Undo:
    """What one action changed, enough to put it back."""

    action: Action
    description: str
    customers_before: dict[str, LocalCustomer | None] = field(default_factory=dict)  # None: created
    links_added: list[Link] = field(default_factory=list)
    ignored_added: list[IgnoredAccount] = field(default_factory=list)
    ignored_removed: list[IgnoredAccount] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # the rows as they were (tab, candidates), to put back
    touched: list[tuple[Row, list[Any], int, str]] = field(default_factory=list)  # rows that lost a candidate
    rejected_added: list[RejectedPair] = field(default_factory=list)
    links_removed: list[Link] = field(default_factory=list)  # problem fixes: links unlinked or changed,
    links_before: list[Link] = field(default_factory=list)  # as they were

    def links_text(self) -> str:
        n = len(self.links_removed) + len(self.links_before)
        return f"{self.description} ({n:,} link{'s' if n != 1 else ''})"

    def text(self) -> str:
        if not self.rows:
            return self.links_text()
        return f"{self.description} ({len(self.rows):,} account{'s' if len(self.rows) != 1 else ''})"


class UndoStack:
    """The local-only steps that can be undone, newest last; `cut()` when Exact changed."""

    DEPTH = 20

    def __init__(self) -> None:
        self.steps: list[Undo] = []
        self.cut_by = ""  # the Exact-changing action that emptied the stack, for the "nothing to undo" text

    def push(self, undo: Undo) -> None:
        self.steps.append(undo)
        del self.steps[:-self.DEPTH]
        self.cut_by = ""

    def cut(self, why: str) -> None:
        self.steps.clear()
        self.cut_by = why

    def pop(self) -> Undo:
        if not self.steps:
            if self.cut_by:
                raise LookupError(f"nothing to undo: '{self.cut_by}' changed Exact, which cannot be undone here "
                                  "(every change is in the log with old and new values)")
            raise LookupError("nothing to undo")
        return self.steps.pop()

    @property
    def top(self) -> Undo | None:
        return self.steps[-1] if self.steps else None

    def __len__(self) -> int:
        return len(self.steps)


def undo_last(service: "LinkingService") -> str:
    """Revert the service's newest local-only step: links removed, overwritten local fields restored,
    imported customers removed, ignores and rejections reverted; the rows go back to their tabs, in
    the tabs' order, with no result left on them (they are as before the step)."""
    u = service.undo_stack.pop()
    store = service.store
    if u.links_removed or u.links_before:  # fixes of linked-account problems: links back as they were
        store.links.put_many([*u.links_removed, *u.links_before])
        restore = [c for c in u.customers_before.values() if c is not None]
        if restore:
            store.customers.put_many(restore)
        text = f"Undone: {u.links_text()}"
        service.rebuild()
        service.events.info(text, side=Side.LOCAL, topic="link")
        return text
    if u.rejected_added:
        store.rejected.unreject_many([(r.exact_id, r.local_id) for r in u.rejected_added])
        service.rejected.difference_update((r.exact_id, r.local_id) for r in u.rejected_added)
    if u.links_added:
        store.links.delete_many([link.local_id for link in u.links_added])
        for link in u.links_added:
            service.links.pop(link.exact_id, None)
            service.linked_count -= 1
    restore = [c for c in u.customers_before.values() if c is not None]
    created = [cid for cid, c in u.customers_before.items() if c is None]
    if restore:
        store.customers.put_many(restore)
        service.customers.update({c.id: c for c in restore})
    if created:
        store.customers.delete_many(created)
        for cid in created:
            service.customers.pop(cid, None)
    if u.ignored_added:
        store.ignored.delete_many([i.exact_id for i in u.ignored_added])
        for i in u.ignored_added:
            service.ignored.pop(i.exact_id, None)
    if u.ignored_removed:
        store.ignored.ignore_many(u.ignored_removed)
        service.ignored.update({i.exact_id: i for i in u.ignored_removed})
    # the step was followed by a rematch (`run`), which moved rows the step did not act on (an
    # ignored account's local customer went to its rival): match again on the decisions as they
    # were, then put the rows the step acted on, or took a candidate from, back as they were
    service.rebuild()
    tabs = set()
    for before in u.rows:
        current = service.rows.get(before.id)
        if current is not None:
            tabs.add(current.tab)
            service.drop(current)
        before.result, before.problem = "", ""  # no ✓ left from the undone step
        service.add(before)
        tabs.add(before.tab)
    # rows that lost a candidate to a link get it back (latest change undone first, so the
    # earliest state is what remains)
    for row, candidates, choice, tab in reversed(u.touched):
        target = service.rows.get(row.id)
        if target is None:
            continue
        target.candidates, target.choice = candidates, choice
        for cand in candidates:
            service.proposed.setdefault(cand.local_id, set()).add(target.id)
        if target.tab != tab:
            tabs.update((target.tab, tab))
            service.move(target, tab)
    for tab in tabs:
        service.sort_tab(tab)
    service.publish_counts()  # step 4 shows the state undone to, as the screen does
    text = f"Undone: {u.description} on {len(u.rows):,} account{'s' if len(u.rows) != 1 else ''}"
    service.events.info(text, side=Side.LOCAL, topic="link")
    return text

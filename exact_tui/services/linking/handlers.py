"""One handler per Link customers action, and the dispatch table the service runs them through.

Each handler does one row: it changes the service's tabs and maps, collects the store writes in
the run's `Pending` batch and what undo needs in its `Undo`, and says what happened in a
`RowResult`. Only "link and use local data" talks to Exact (one PUT, only when fields differ).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...domain.ignored import IgnoredAccount
from ...domain.link import DataSource, Link
from ...domain.decisions import RejectedPair
from ..events import Level, Side
from .actions import Action, Tab
from .fields import MERGE_FIELDS
from .merge import merge_from_exact
from .records import ActionReport, Pending, Plan, Row, RowResult, link_event, tab_for
from .undo import Undo

if TYPE_CHECKING:  # pragma: no cover
    from .service import LinkingService


@dataclass(slots=True)
class RowStep:
    """One row of a run, with what its handler writes into (store batch, undo, report)."""

    plan: Plan
    row: Row
    undo: Undo
    pending: Pending
    report: ActionReport
    now: dt.datetime


async def ignore(service: "LinkingService", s: RowStep) -> RowResult:
    row = s.row
    item = IgnoredAccount(row.id, row.exact.name, row.exact.code, service.user, s.now)
    s.pending.ignore.append(item)
    service.ignored[row.id] = item
    s.undo.ignored_added.append(item)
    s.undo.rows.append(dataclasses.replace(row))
    service.move(row, Tab.IGNORED)
    return RowResult(row.id, True, "ignored")

async def unignore(service: "LinkingService", s: RowStep) -> RowResult:
    row = s.row
    item = service.ignored.pop(row.id, None)
    s.pending.unignore.append(row.id)
    if item:
        s.undo.ignored_removed.append(item)
    s.undo.rows.append(dataclasses.replace(row))
    service.move(row, tab_for(row))
    return RowResult(row.id, True, "un-ignored")

async def reject(service: "LinkingService", s: RowStep) -> RowResult:
    row = s.row
    local_id = row.local_id or ""
    customer = service.customers.get(local_id)
    item = RejectedPair(row.id, local_id, service.user, s.now)
    s.pending.reject.append(item)
    service.rejected.add((row.id, local_id))
    s.undo.rejected_added.append(item)
    s.undo.rows.append(dataclasses.replace(row))  # a copy: candidates as they were
    service.proposed.get(local_id, set()).discard(row.id)
    service._without_candidate(row, local_id)
    if row.tab == Tab.ONE and row.candidates:  # the matcher's single pick is gone: a person chooses
        service.move(row, Tab.MORE)
    who = f"{customer.number or customer.id} {customer.name}" if customer else local_id
    return RowResult(row.id, True, f"not {who}: never proposed again"
                     + ("" if row.candidates else "; no other candidate"))

async def import_(service: "LinkingService", s: RowStep) -> RowResult:
    row = s.row
    customer = service._new_customer(row.exact)
    s.pending.customers[customer.id] = customer
    s.undo.customers_before[customer.id] = None
    link = Link(customer.id, row.id, row.exact.code, service.user, s.now, DataSource.IMPORTED)
    service._link(row, link, s.undo, s.pending)
    return RowResult(row.id, True, f"imported as local customer {customer.number or customer.id}")

async def link_exact(service: "LinkingService", s: RowStep) -> RowResult:
    row = s.row
    customer = service.customers[row.local_id]  # type: ignore[index]
    merged, changed = merge_from_exact(customer, row.exact)
    if changed:
        s.undo.customers_before.setdefault(customer.id, customer)
        s.pending.customers[customer.id] = merged
        service.customers[customer.id] = merged
    link = Link(customer.id, row.id, row.exact.code, service.user, s.now, DataSource.EXACT)
    service._link(row, link, s.undo, s.pending)
    text = f"linked to {customer.number or customer.id}; " + (
        f"{len(changed)} local field{'s' if len(changed) != 1 else ''} from Exact" if changed else "data already equal")
    return RowResult(row.id, True, text)

async def link_local(service: "LinkingService", s: RowStep) -> RowResult:
    row = s.row
    customer = service.customers[row.local_id]  # type: ignore[index]
    diff = s.plan.changes.get(row.id, {})
    if diff:
        s.report.calls += 1
        await service.client.update_account(row.id, {f: new for f, (_, new) in diff.items()})
        for local_field, exact_field in MERGE_FIELDS:
            if exact_field in diff:
                setattr(row.exact, local_field, diff[exact_field][1])
        service.cache.accounts[row.id] = row.exact
        s.pending.accounts.append(row.exact)
        service.events.emit(link_event(
            f"Exact account {row.exact.code or row.id} updated from local customer {customer.number}",
            Level.INFO, Side.EXACT, record=f"account {row.exact.code or row.id}",
            detail="; ".join(f"{f}: {old!r} → {new!r}" for f, (old, new) in diff.items())))
    link = Link(customer.id, row.id, row.exact.code, service.user, s.now, DataSource.LOCAL)
    service._link(row, link, s.undo, s.pending)
    text = f"linked to {customer.number}; " + (
        f"{len(diff)} Exact field{'s' if len(diff) != 1 else ''} updated" if diff else "Exact already up to date")
    if row.exact.code and row.exact.code != customer.number:
        text += f" (Exact code {row.exact.code} kept: codes are never changed through the API)"
    return RowResult(row.id, True, text, exact_changed=diff)


Handler = Callable[["LinkingService", RowStep], Awaitable[RowResult]]
HANDLERS: dict[Action, Handler] = {
    Action.IGNORE: ignore, Action.UNIGNORE: unignore, Action.REJECT: reject, Action.IMPORT: import_,
    Action.LINK_EXACT: link_exact, Action.LINK_LOCAL: link_local,
}

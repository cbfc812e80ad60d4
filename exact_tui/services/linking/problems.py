"""Links already made that need the user: their Exact account was deleted, or its code drifted.

Facts §5: deletions behind the integration's back must be noticed. A pull also reads
`sync/Deleted`, so accounts deleted in Exact leave the cache; a link whose account is gone, or
whose account's `Code` no longer is the code it was linked with, becomes a `LinkProblem`, shown
on the screen and in the log with what to do, the link kept until the user acts.
"""
from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from ...domain.customer import LocalCustomer, customer_number_problem, strip_account_code
from ...domain.link import Link
from ..events import Event, Level, Side
from .actions import Action
from .records import ExactAccount

if TYPE_CHECKING:  # pragma: no cover
    from .service import LinkingService


class ProblemKind(StrEnum):
    DELETED = "deleted"  # the linked Exact account was deleted in Exact
    CODE = "code"  # the linked Exact account's Code changed since it was linked


@dataclass(slots=True)
class LinkProblem:
    """A link that needs the user: its Exact account is gone, or its code drifted.

    `text` says what happened (record named), `fix` what to do; `fix_label` names what
    `resolve_problems` does for it (unlink / accept the new code).
    """

    kind: ProblemKind
    link: Link
    customer: LocalCustomer | None
    account: ExactAccount | None
    text: str
    fix: str

    @property
    def local_id(self) -> str:
        return self.link.local_id

    @property
    def fix_label(self) -> str:
        return "unlink" if self.kind is ProblemKind.DELETED else "accept the new code"




def find_problems(links: Mapping[str, Link], customers: Mapping[str, LocalCustomer],
                  accounts: Mapping[str, ExactAccount], *, complete: bool) -> dict[str, LinkProblem]:
    """Every link whose Exact account was deleted (only provable when `accounts` is `complete`) or
    whose code drifted, by local id."""
    problems: dict[str, LinkProblem] = {}
    for link in links.values():
        customer = customers.get(link.local_id)
        who = f"local customer {customer.number or customer.id} {customer.name}" if customer else \
            f"local customer {link.local_id}"
        account = accounts.get(link.exact_id)
        if account is None:
            if not complete:
                continue
            problems[link.local_id] = LinkProblem(
                ProblemKind.DELETED, link, customer, None,
                f"linked Exact account deleted in Exact: {who} is linked to Exact account "
                f"{link.exact_code or link.exact_id}, which no longer exists in Exact",
                "Its invoices cannot be transferred to that account. Unlink it here (the link record is kept "
                "until you do), then link the customer to the right Exact account, or let the next invoice "
                "transfer create a new one if customers are created automatically.")
            continue
        old, new = strip_account_code(link.exact_code), account.code
        if old and old != new:
            follows = customer is not None and customer.number == old and customer_number_problem(new) is None
            problems[link.local_id] = LinkProblem(
                ProblemKind.CODE, link, customer, account,
                f"customer code changed in Exact: Exact account {account.name!r} was linked to {who} with code "
                f"{old}; its code is now {new or '(empty)'}",
                "Invoices would be transferred under a code the local side does not know. Accept the new code "
                + ("(the link and the local customer number follow it)" if follows else "(the link follows it)")
                + f", or change the code back to {old} in Exact.")
    return problems


def resolve(service: "LinkingService", local_ids: Iterable[str]) -> str:
    """Do the fix of each named problem: unlink a link whose account was deleted; accept a drifted
    code (the link's code, and the local number when it was the old code and the new one obeys the
    customer-number rule). Local only, so `undo()` takes it back."""
    from .undo import Undo

    chosen = [service.link_problems[i] for i in dict.fromkeys(local_ids) if i in service.link_problems]
    if not chosen:
        raise LookupError("no linked-account problem selected")
    undo = Undo(Action.LINK_EXACT, "Fix linked-account problems")
    unlink = [p.link for p in chosen if p.kind is ProblemKind.DELETED]
    changed: list[Link] = []
    customers: list[LocalCustomer] = []
    for p in chosen:
        if p.kind is not ProblemKind.CODE or p.account is None:
            continue
        changed.append(dataclasses.replace(p.link, exact_code=p.account.code))
        old = strip_account_code(p.link.exact_code)
        c = p.customer
        if c is not None and c.number == old and customer_number_problem(p.account.code) is None:
            undo.customers_before.setdefault(c.id, c)
            customers.append(dataclasses.replace(c, number=p.account.code))
    store = service.store
    with store.batch("links.json", "customers.json") if hasattr(store, "batch") else contextlib.nullcontext():
        if customers:
            store.customers.put_many(customers)
        if unlink:
            store.links.delete_many([link.local_id for link in unlink])
        if changed:
            store.links.put_many(changed)
    undo.links_removed = unlink
    undo.links_before = [p.link for p in chosen if p.kind is ProblemKind.CODE and p.account is not None]
    parts = []
    if unlink:
        parts.append(f"{len(unlink):,} link{'s' if len(unlink) != 1 else ''} to deleted Exact accounts removed")
    if changed:
        parts.append(f"{len(changed):,} new Exact code{'s' if len(changed) != 1 else ''} accepted")
    for p in chosen:
        service.events.emit(Event(f"{p.fix_label}: {p.text}", side=Side.LOCAL, level=Level.INFO, topic="link",
                                  record=f"customer {p.customer.number if p.customer else p.local_id}"))
    service.rebuild()
    service.undo_stack.push(undo)
    return "; ".join(parts)

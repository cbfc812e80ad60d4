"""Customers ← and →: accounts created or changed in Exact, and local changes Exact should have.

One pull of `sync/CRM/Accounts` from the stored Timestamp plus `sync/Deleted` (the Link screen's
pull, `LinkingService.pull`), then per link, by who is master for it — the side whose data won when
the link was made (`Link.source`):
- Exact is master (linked with Exact's data, or imported from Exact): Exact's changed fields are
  copied to the local customer; an empty Exact field never wipes a filled local one.
- the local side is master (linked with local data): filled local fields that differ from the
  account are PUT to Exact, one call per account; empty local fields never overwrite Exact's.
Both with the merge rule of linking (`linking.merge`), so a sync and a link never disagree.
Accounts that are not linked are never merged: new Exact customers are proposed — for linking in
Link customers, or, when customers are created in Exact (step 5), for 'Import to local' there.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..domain.link import DataSource, MaintenanceMode
from .events import EventBus, Side
from .linking.fields import MERGE_FIELDS
from .linking.merge import (
    CONTACT_FIELDS,
    changes_for_exact,
    contact_changes_for_exact,
    contact_from_exact,
    merge_from_exact,
)

EXACT_MASTER = (DataSource.EXACT, DataSource.IMPORTED)


@dataclass(slots=True)
class CustomerSyncReport:
    calls: int = 0
    pulled: int = 0  # accounts changed in Exact since the last pull
    local_updated: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # number -> field -> [old, new]
    exact_updated: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # Exact code -> field -> [old, new]
    contacts_local: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # contact name -> changes
    contacts_exact: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    proposed: list[dict[str, str]] = field(default_factory=list)  # new, unlinked Exact customers
    how_proposed: str = ""
    failed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def summary(self) -> str:
        text = (f"customers: {self.pulled:,} changed in Exact; {len(self.local_updated):,} local customers updated "
                f"from Exact, {len(self.exact_updated):,} Exact accounts updated from local; contacts: "
                f"{len(self.contacts_local):,} updated from Exact, {len(self.contacts_exact):,} in Exact; "
                f"{len(self.proposed):,} new Exact customers to {self.how_proposed or 'link'}")
        if self.failed:
            text += f"; {len(self.failed):,} not updated"
        return text + f" ({self.calls} call{'s' if self.calls != 1 else ''})"


def estimate(store: Any, pending_pushes: int = 0) -> int:
    """Calls the next sync costs: the accounts pull (every account on the first), `sync/Deleted` and
    the contacts pull, plus one PUT per account or contact the local side changed."""
    from .budget import pages

    cache = store.exact_accounts
    contacts = 1 if store.customer_sync.state.get("contacts_timestamp") is not None else pages(len(store.contacts))
    return (1 if cache.timestamp is not None else pages(len(store.customers))) + 1 + contacts + pending_pushes


async def sync_customers(store: Any, exact: Any, *, events: EventBus | None = None,
                         division: int | None = None) -> CustomerSyncReport:
    """Pull the accounts changed in Exact, apply them per link's master, push local changes, propose new ones."""
    from ..exact.errors import ExactError
    from .linking import LinkingService
    from .linking.accounts import is_customer
    from .problems import explain

    events = events or EventBus()
    settings = store.settings.get()
    division = division if division is not None else settings.division
    report = CustomerSyncReport()
    before_calls = exact.calls
    linking = LinkingService(store, events, exact, division=division, user="sync")
    since = store.customer_sync.timestamp  # accounts up to here were looked at by the last customer sync
    report.pulled = await linking.pull()
    accounts = linking.cache.accounts
    customers = {c.id: c for c in store.customers.all()}
    local_changes = []
    pushed = []
    for link in store.links.all():
        account, customer = accounts.get(link.exact_id), customers.get(link.local_id)
        if account is None or customer is None:
            continue  # deleted on either side: the link problems and `reconcile` say so
        if link.source in EXACT_MASTER:
            merged, changed = merge_from_exact(customer, account)
            if changed:
                label = customer.number or customer.id
                local_changes.append((label, merged))
                report.local_updated[label] = {f: [o, n] for f, (o, n) in changed.items()}
        elif link.source is DataSource.LOCAL:
            diff = changes_for_exact(customer, account)
            if not diff:
                continue
            label = account.code or account.id
            try:
                await exact.update_account(account.id, {f: new for f, (_, new) in diff.items()})
            except ExactError as exc:
                problem = explain(exc)
                report.failed.append(f"account {label}: {problem.what}")
                events.error(f"Exact account {label} not updated from local customer {customer.number}: "
                             f"{problem.what}", side=problem.side, topic="customers", detail=problem.todo,
                             record=f"account {label}")
                continue
            for local_field, exact_field in MERGE_FIELDS:
                if exact_field in diff:
                    setattr(account, local_field, diff[exact_field][1])
            pushed.append(account)
            report.exact_updated[label] = {f: [o, n] for f, (o, n) in diff.items()}
            events.info(f"Exact account {label} updated from local customer {customer.number}: "
                        + "; ".join(f"{f} {o!r} → {n!r}" for f, (o, n) in diff.items()),
                        side=Side.EXACT, topic="customers", record=f"account {label}")
    if local_changes:
        store.customers.put_many([merged for _, merged in local_changes])
        for label, merged in local_changes:
            fields = report.local_updated[label]
            events.info(f"Local customer {label} updated from Exact: "
                        + "; ".join(f"{f} {o!r} → {n!r}" for f, (o, n) in fields.items()),
                        side=Side.LOCAL, topic="customers", record=f"customer {merged.number or merged.id}")
    if pushed:
        linking.cache.store_rows(pushed)
    await _contacts(store, exact, events, report, {link.local_id: link.source for link in store.links.all()})
    linked = store.links.exact_ids()
    ignored = {i.exact_id for i in store.ignored.all()} if hasattr(store, "ignored") else set()
    mode = settings.maintenance
    report.how_proposed = "import to local" if mode is MaintenanceMode.CREATED_IN_EXACT else "link"
    fresh = [a for i, a in accounts.items() if (since is None or (a.timestamp or 0) > since)
             and i not in linked and i not in ignored and is_customer(a)]
    report.proposed = [{"exact_id": a.id, "code": a.code or "", "name": a.name or ""}
                       for a in sorted(fresh, key=lambda a: (a.code or "", a.name or ""))]
    if report.proposed:
        where = ("'Import to local' in Link customers (F3)" if mode is MaintenanceMode.CREATED_IN_EXACT
                 else "Link customers (F3), where the matcher proposes a local customer for each")
        events.info(f"{len(report.proposed):,} Exact customers are not linked: see {where}; nothing is merged "
                    "without you", side=Side.EXACT, topic="customers")
    report.calls = exact.calls - before_calls
    # `run` starts the next one `interval_hours` later; accounts looked at now are not proposed again
    store.customer_sync.advance(dt.datetime.now(dt.timezone.utc),
                                max((a.timestamp or 0 for a in accounts.values()), default=None))
    events.info(report.summary(), side=Side.CONSOLE, topic="customers")
    return report


async def _contacts(store: Any, exact: Any, events: EventBus, report: CustomerSyncReport,
                    master: dict[str, Any]) -> None:
    """Linked contacts by the same rule: `sync/CRM/Contacts` from its own Timestamp; the last known
    values of the linked Exact contacts are kept beside the schedule, so a quiet sync sends nothing."""
    from ..exact.errors import ExactError
    from .problems import explain

    links = {link.exact_id.lower(): link for link in store.contact_links.all()}
    state = store.customer_sync.state
    known: dict[str, dict[str, str]] = dict(state.get("contacts") or {})
    pulled = await exact.sync_contacts(state.get("contacts_timestamp"))
    for row in pulled.rows:
        key = str(row.id or "").lower()
        if key in links:
            known[key] = {f: getattr(row, f) or "" for f, _ in CONTACT_FIELDS}
    local_changes = []
    for key, link in links.items():
        values, contact = known.get(key), store.contacts.get(link.local_id)
        if values is None or contact is None:
            continue
        exact_contact = _Values(values)
        name = contact.full_name or contact.id
        source = master.get(link.customer_id or contact.customer_id)
        if source in EXACT_MASTER:
            merged, changed = contact_from_exact(contact, exact_contact)
            if changed:
                local_changes.append(merged)
                report.contacts_local[name] = {f: [o, n] for f, (o, n) in changed.items()}
        elif source is DataSource.LOCAL:
            diff = contact_changes_for_exact(contact, exact_contact)
            if not diff:
                continue
            try:
                await exact.update_contact(link.exact_id, {f: new for f, (_, new) in diff.items()})
            except ExactError as exc:
                problem = explain(exc)
                report.failed.append(f"contact {name}: {problem.what}")
                events.error(f"Exact contact {name} not updated: {problem.what}", side=problem.side,
                             topic="customers", detail=problem.todo, record=f"contact {name}")
                continue
            for local_field, exact_field in CONTACT_FIELDS:
                if exact_field in diff:
                    values[local_field] = diff[exact_field][1]
            report.contacts_exact[name] = {f: [o, n] for f, (o, n) in diff.items()}
            events.info(f"Exact contact {name} updated from local: "
                        + "; ".join(f"{f} {o!r} → {n!r}" for f, (o, n) in diff.items()),
                        side=Side.EXACT, topic="customers", record=f"contact {name}")
    if local_changes:
        store.contacts.put_many(local_changes)
    state = store.customer_sync.state
    state["contacts"] = {k: v for k, v in known.items() if k in links}
    if pulled.timestamp is not None:
        state["contacts_timestamp"] = max(pulled.timestamp, state.get("contacts_timestamp") or 0)
    store.customer_sync.write_state(state)


class _Values:
    """A kept Exact contact's values read as attributes (what the merge rule reads)."""

    def __init__(self, values: dict[str, str]) -> None:
        self.__dict__.update(values)

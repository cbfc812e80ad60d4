"""Repositories: typed views of the store's tables, each record keyed by its own id.

Every bulk method is one atomic write of the table's file, so an import of 50,000 customers is
one fsync and either lands whole or not at all. Records come back as domain dataclasses; they are
shared with the repository's in-memory copy, so change them with `dataclasses.replace` and `put`,
never in place.

Why over 400 lines: fourteen short repository classes, one per table, over one shared base.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..domain.customer import LocalContact, LocalCustomer, strip_account_code
from ..domain.ignored import IgnoredAccount
from ..domain.invoice import Invoice
from ..domain.link import Link, MaintenanceMode
from ..domain.products import Dimension, DimensionKind, ProductNumber, ProductPrinciple
from ..domain.settings import IntegrationSettings
from ..domain.transfer import InvoiceTransfer, TransferStatus
from . import codec
from .atomic import AtomicJSONStorage, KeyedDB, KeyedTable
from ..domain.decisions import ContactLink, RejectedPair, rejected_key
from .cursor import SyncCursor
from .errors import DivisionLocked, StoreConflict

T = TypeVar("T")


@dataclass(slots=True)
class UpsertReport:
    """What a bulk save did, by key: the re-import policy is upsert by id."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.changed)} changed, {len(self.unchanged)} unchanged"


class Repository(Generic[T]):
    def __init__(self, db: KeyedDB, table: str, cls: type[T], key: Callable[[T], str]) -> None:
        self._db = db
        self._table: KeyedTable = db.table(table)
        self._storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
        self.name = table
        self.cls = cls
        self.key = key
        self._cache: dict[str, T] | None = None
        self._raw: Mapping[str, Any] | None = None  # the raw table the cache was built from
        # Derived lookups (value -> record key), kept up to date by small changes, dropped by others.
        self._indexes: dict[str, tuple[Callable[[T], Any], dict[Any, Any]]] = {}

    # -- reading ------------------------------------------------------------------------------
    def _records(self) -> dict[str, T]:
        raw = self._table.rows()
        if self._cache is None or self._raw is not raw:
            load = codec.codec_for(self.cls).load
            with codec.no_gc():
                self._cache = {k: load(v) for k, v in raw.items()}
            self._raw = raw
            self._indexes = {}
        return self._cache

    def _index(self, name: str, key: Callable[[T], Any]) -> dict[Any, Any]:
        """`key(record) -> record key` over all records, built once per change (O(1) lookups)."""
        records = self._records()
        built = self._indexes.get(name)
        if built is None:
            index: dict[Any, Any] = {}
            for record_key, record in records.items():
                index.setdefault(key(record), record_key)
            built = self._indexes[name] = (key, index)
        return built[1]

    def all(self) -> list[T]:
        return list(self._records().values())

    def __iter__(self) -> Iterator[T]:
        return iter(self.all())

    def get(self, key: str) -> T | None:
        return self._records().get(str(key))

    def keys(self) -> set[str]:
        return set(self._table.rows().keys())

    def __contains__(self, key: object) -> bool:
        return str(key) in self._table.rows()

    def __len__(self) -> int:
        return len(self._table.rows())

    def count(self) -> int:
        return len(self)

    # -- writing ------------------------------------------------------------------------------
    def diff(self, records: Iterable[T]) -> tuple[dict[str, dict[str, Any]], UpsertReport]:
        """The documents that would change, and the report, without writing (for --dry-run)."""
        raw = self._table.rows()
        dump = codec.codec_for(self.cls).dump
        report = UpsertReport()
        docs: dict[str, dict[str, Any]] = {}
        for record in records:
            key = str(self.key(record))
            doc = dump(record)
            old = raw.get(key)
            if old is None:
                (report.added if key not in docs else report.changed).append(key)
            elif old == doc:
                report.unchanged.append(key)
                continue
            else:
                report.changed.append(key)
            docs[key] = doc
        return docs, report

    def put_many(self, records: Iterable[T]) -> UpsertReport:
        """Add or replace records by key, in one write (nothing written when nothing changed)."""
        self._refresh_cache()
        with codec.no_gc():  # see codec.no_gc: large heaps make each collection expensive
            docs, report = self.diff(records)
            self._table.put_many(docs)
            self._after_write(docs)
        return report

    def put(self, record: T) -> None:
        self.put_many([record])

    def delete_many(self, keys: Iterable[str]) -> int:
        self._refresh_cache()
        keys = [str(k) for k in keys]
        present = [k for k in keys if k in self._table.rows()]
        if not present:
            return 0
        removed = self._table.delete_many(present)
        self._after_write({}, present)
        return removed

    def delete(self, key: str) -> bool:
        return self.delete_many([key]) == 1

    def replace_all(self, records: Iterable[T]) -> None:
        dump = codec.codec_for(self.cls).dump
        self._table.replace_all({str(self.key(r)): dump(r) for r in records})
        self._cache = None

    def _refresh_cache(self) -> None:
        if self._cache is not None:
            self._records()  # rebuilt now if the file was reloaded, so the update below is exact

    def _after_write(self, docs: Mapping[str, dict[str, Any]], deleted: Iterable[str] = ()) -> None:
        # Keep the record cache instead of rebuilding it: one saved link must not re-parse 50,000.
        if self._cache is None or self._raw is None:
            return
        load = codec.codec_for(self.cls).load
        for key, doc in docs.items():
            new = load(doc)
            self._update_indexes(key, self._cache.get(key), new)
            self._cache[key] = new
        for key in deleted:
            old = self._cache.pop(key, None)
            if old is not None:
                self._update_indexes(key, old, None)
        self._raw = self._table.rows()

    def _update_indexes(self, key: str, old: T | None, new: T | None) -> None:
        """Keep each lookup exact for one changed record; drop it where that is not cheap to know.

        An index maps a value to the FIRST record holding it: a new record only fills a free value,
        a changed value or a deletion of the value's holder drops the index (rebuilt when next used).
        """
        for name, (value_of, index) in list(self._indexes.items()):
            if old is not None and (new is None or value_of(new) != value_of(old)):
                if index.get(value_of(old)) == key or new is not None:
                    del self._indexes[name]
            elif old is None and new is not None:
                index.setdefault(value_of(new), key)


class CustomerRepository(Repository[LocalCustomer]):
    def __init__(self, db: KeyedDB) -> None:
        super().__init__(db, "customers", LocalCustomer, lambda c: c.id)

    def by_number(self, number: str) -> LocalCustomer | None:
        key = self._index("number", lambda c: c.number.strip()).get(number.strip())
        return self.get(key) if key is not None and number.strip() else None

    def numbers(self) -> list[str]:
        return [c.number for c in self._records().values() if c.number]


class ContactRepository(Repository[LocalContact]):
    def __init__(self, db: KeyedDB) -> None:
        super().__init__(db, "contacts", LocalContact, lambda c: c.id)

    def for_customer(self, customer_id: str) -> list[LocalContact]:
        return [c for c in self._records().values() if c.customer_id == customer_id]


class InvoiceRepository(Repository[Invoice]):
    """Booked invoices and credit notes with their lines."""

    def __init__(self, db: KeyedDB) -> None:
        super().__init__(db, "invoices", Invoice, lambda i: i.id)

    def by_number(self, number: str) -> Invoice | None:
        key = self._index("number", lambda i: i.number).get(number)
        return self.get(key) if key is not None else None

    def numbers(self) -> set[str]:
        return {i.number for i in self._records().values()}

    def for_customer(self, customer_id: str) -> list[Invoice]:
        return [i for i in self._records().values() if i.customer_id == customer_id]


class InvoiceTransferRepository(Repository[InvoiceTransfer]):
    """Each local invoice's transfer state (status, Exact number and id), next to the invoices.

    Kept apart from the invoice records so a re-import of invoices never wipes what Exact said.
    """

    def __init__(self, db: KeyedDB) -> None:
        super().__init__(db, "transfer_state", InvoiceTransfer, lambda t: t.invoice_id)

    def with_status(self, *statuses: TransferStatus | str) -> list[InvoiceTransfer]:
        wanted = {TransferStatus(s) for s in statuses}
        return [t for t in self._records().values() if t.status in wanted]


class DimensionRepository(Repository[Dimension]):
    """Hourly rates, project types, project categories, expense types and task types."""

    def __init__(self, db: KeyedDB) -> None:
        super().__init__(db, "dimensions", Dimension, dimension_key)

    def of_kind(self, kind: DimensionKind | str) -> list[Dimension]:
        kind = DimensionKind(kind)
        return [d for d in self._records().values() if d.kind == kind]

    def find(self, kind: DimensionKind | str, dimension_id: str) -> Dimension | None:
        return self.get(f"{DimensionKind(kind).value}:{dimension_id}")


def dimension_key(d: Dimension) -> str:
    return f"{DimensionKind(d.kind).value}:{d.id}"


class ProductRepository(Repository[ProductNumber]):
    """Product numbers (Exact items) imported into the console, with which are active."""

    def __init__(self, db: KeyedDB) -> None:
        super().__init__(db, "products", ProductNumber, lambda p: p.code)

    def active(self) -> list[ProductNumber]:
        return [p for p in self._records().values() if p.active]

    def set_active(self, codes: Iterable[str], active: bool = True) -> int:
        wanted = set(codes)
        changed = [dataclasses.replace(p, active=active) for p in self._records().values()
                   if p.code in wanted and p.active != active]
        self.put_many(changed)
        return len(changed)


class LinkRepository(Repository[Link]):
    """Local customer <-> Exact account; one link per local customer and per Exact account."""

    def __init__(self, db: KeyedDB, ignored: "IgnoredRepository") -> None:
        super().__init__(db, "links", Link, lambda link: link.local_id)
        self._ignored = ignored

    def by_exact(self, exact_id: str) -> Link | None:
        key = self._index("exact", lambda link: link.exact_id).get(exact_id)
        return self.get(key) if key is not None else None

    def exact_ids(self) -> set[str]:
        return set(self._index("exact", lambda link: link.exact_id))

    def link(self, link: Link) -> None:
        """Save one link; the account stops being ignored in the same write."""
        self.link_many([link])

    def link_many(self, links: Iterable[Link]) -> UpsertReport:
        links = [link if link.linked_at else dataclasses.replace(link, linked_at=dt.datetime.now(dt.timezone.utc))
                 for link in links]
        taken = self._index("exact", lambda link: link.exact_id)
        seen: dict[str, str] = {}
        for link in links:
            owner = seen.get(link.exact_id) or taken.get(link.exact_id)
            if owner is not None and owner != link.local_id:
                raise StoreConflict(f"Exact account {link.exact_id} is already linked to local customer {owner}; "
                                    f"unlink it first to link it to {link.local_id}")
            seen[link.exact_id] = link.local_id
        with self._storage.batch():
            report = self.put_many(links)
            self._ignored.delete_many([link.exact_id for link in links])
        return report

    def unlink(self, local_id: str) -> Link | None:
        link = self.get(local_id)
        if link is not None:
            self.delete(local_id)
        return link


class IgnoredRepository(Repository[IgnoredAccount]):
    def __init__(self, db: KeyedDB) -> None:
        super().__init__(db, "ignored", IgnoredAccount, lambda a: a.exact_id)
        self.links: LinkRepository | None = None

    def ignore(self, account: IgnoredAccount) -> None:
        self.ignore_many([account])

    def ignore_many(self, accounts: Iterable[IgnoredAccount]) -> UpsertReport:
        accounts = [a if a.ignored_at else dataclasses.replace(a, ignored_at=dt.datetime.now(dt.timezone.utc))
                    for a in accounts]
        linked = self.links.exact_ids() if self.links is not None else set()
        for account in accounts:
            if account.exact_id in linked:
                raise StoreConflict(f"Exact account {account.exact_id} ({account.name or account.code}) is linked; "
                                    f"unlink it before ignoring it")
        return self.put_many(accounts)

    def unignore(self, exact_id: str) -> bool:
        return self.delete(exact_id)


class RejectedRepository(Repository[RejectedPair]):
    """(Exact account, local customer) pairs the user said are not the same customer.

    Stored next to the links (same file) so a link and the rejections it replaces change in one write.
    """

    def __init__(self, db: KeyedDB) -> None:
        super().__init__(db, "rejected", RejectedPair, lambda r: r.key)

    def pairs(self) -> set[tuple[str, str]]:
        return {(r.exact_id, r.local_id) for r in self._records().values()}

    def reject_many(self, pairs: Iterable[RejectedPair]) -> UpsertReport:
        now = dt.datetime.now(dt.timezone.utc)
        return self.put_many([p if p.rejected_at else dataclasses.replace(p, rejected_at=now) for p in pairs])

    def unreject_many(self, pairs: Iterable[tuple[str, str]]) -> int:
        return self.delete_many([rejected_key(e, l) for e, l in pairs])

    def for_exact(self, exact_id: str) -> list[RejectedPair]:
        return [r for r in self._records().values() if r.exact_id == exact_id]


class ContactLinkRepository(Repository[ContactLink]):
    """Local contact <-> Exact contact, one link per local contact and per Exact contact."""

    def __init__(self, db: KeyedDB) -> None:
        super().__init__(db, "contact_links", ContactLink, lambda c: c.local_id)

    def by_exact(self, exact_id: str) -> ContactLink | None:
        key = self._index("exact", lambda c: c.exact_id).get(exact_id)
        return self.get(key) if key is not None else None

    def for_customer(self, customer_id: str) -> list[ContactLink]:
        return [c for c in self._records().values() if c.customer_id == customer_id]

    def link(self, link: ContactLink) -> None:
        """Save one contact link; refused when the Exact contact is already another local contact's."""
        owner = self.by_exact(link.exact_id)
        if owner is not None and owner.local_id != link.local_id:
            raise StoreConflict(f"Exact contact {link.exact_id} is already linked to local contact {owner.local_id}; "
                                f"unlink it first to link it to {link.local_id}")
        current = self.get(link.local_id)
        if current is not None and current.exact_id == link.exact_id:
            return  # already this pair: keep who made it and when
        if link.linked_at is None:
            link = dataclasses.replace(link, linked_at=dt.datetime.now(dt.timezone.utc))
        self.put(link)

    def unlink(self, local_id: str) -> ContactLink | None:
        link = self.get(local_id)
        if link is not None:
            self.delete(local_id)
        return link


class ExactAccountCache(SyncCursor):
    """The Exact accounts last pulled, with the `sync/` Timestamp to continue from.

    Lets the Link customers screen and next-number work offline, and lets a refresh ask Exact only
    for what changed since (`sync/CRM/Accounts?$filter=Timestamp gt N`). Rows are plain dicts in
    the Exact client's field names (`id`, `code`, `name`, …); the cache belongs to one division.
    """

    def __init__(self, db: KeyedDB) -> None:
        self._table = db.table("accounts")
        self._state = db.table("sync")
        self._storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]

    def all(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._table.rows().values()]

    def get(self, exact_id: str) -> dict[str, Any] | None:
        row = self._table.rows().get(exact_id)
        return dict(row) if row is not None else None

    def __len__(self) -> int:
        return len(self._table.rows())

    def count(self) -> int:
        return len(self)

    def codes(self) -> list[str]:
        return [strip_account_code(row.get("code")) for row in self._table.rows().values() if row.get("code")]

    @property
    def division(self) -> int | None:
        return self.state.get("division")

    @property
    def pulled_at(self) -> dt.datetime | None:
        return self.moment("pulled_at")

    @property
    def deleted_timestamp(self) -> int | None:
        """Where the next `sync/Deleted` pull continues (its own Timestamp, kept apart from the accounts')."""
        return self.state.get("deleted_timestamp")

    def replace(self, rows: Iterable[Any], *, division: int | None, timestamp: int | None = None,
                deleted_timestamp: int | None = None) -> int:
        """A full pull: the cache becomes exactly these rows."""
        docs = _account_docs(rows)
        with self._storage.batch():
            self._table.replace_all(docs)
            self.write_state(_state(division, timestamp, deleted_timestamp))
        return len(docs)

    def merge(self, rows: Iterable[Any], *, division: int | None, timestamp: int | None = None,
              deleted: Iterable[str] = (), deleted_timestamp: int | None = None) -> int:
        """An incremental pull: upsert changed rows, drop deleted ones, remember the new Timestamps.

        Rows of another division than the cached one replace the cache instead. A row both changed
        and deleted in the same pull is dropped (the deletion is the later fact).
        """
        if self.division is not None and division != self.division:
            return self.replace(rows, division=division, timestamp=timestamp, deleted_timestamp=deleted_timestamp)
        docs = _account_docs(rows)
        deleted = {str(d) for d in deleted}
        previous, previous_deleted = self.timestamp, self.deleted_timestamp
        with self._storage.batch():
            self._table.put_many({k: v for k, v in docs.items() if k not in deleted})
            gone = [d for d in deleted if d in self._table.rows()]
            if gone:
                self._table.delete_many(gone)
            best = max((t for t in (previous, timestamp) if t is not None), default=None)
            best_deleted = max((t for t in (previous_deleted, deleted_timestamp) if t is not None), default=None)
            self.write_state(_state(division, best, best_deleted))
        return len(docs)

    def clear(self) -> None:
        with self._storage.batch():
            self._table.replace_all({})
            self._state.replace_all({})


def _account_docs(rows: Iterable[Any]) -> dict[str, dict[str, Any]]:
    docs = {}
    for row in rows:
        doc = codec.plain(row)
        if not doc.get("id"):
            raise ValueError(f"an Exact account row without id cannot be cached: {doc.get('name')!r}")
        if doc.get("code") is not None:
            doc["code"] = strip_account_code(doc["code"])
        docs[str(doc["id"])] = doc
    return docs


def _state(division: int | None, timestamp: int | None, deleted_timestamp: int | None = None) -> dict[str, Any]:
    return {"division": division, "timestamp": timestamp, "deleted_timestamp": deleted_timestamp,
            "pulled_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


class SettingsRepository:
    """The profile's `IntegrationSettings`; `save` refuses to move a locked division."""

    def __init__(self, db: KeyedDB) -> None:
        self._table = db.table("settings")

    def get(self) -> IntegrationSettings:
        doc = self._table.rows().get("current")
        return codec.load(IntegrationSettings, doc) if doc else IntegrationSettings()

    def save(self, settings: IntegrationSettings) -> None:
        settings = normalise_settings(settings)
        problem = self.get().change_problem(settings)
        if problem:
            raise DivisionLocked(problem)
        self._table.put_many({"current": codec.dump(settings)})

    def update(self, **changes: Any) -> IntegrationSettings:
        settings = dataclasses.replace(self.get(), **changes)
        self.save(settings)
        return settings


def normalise_settings(settings: IntegrationSettings) -> IntegrationSettings:
    """Accept the shapes callers hand in (a list of principles, dicts, enum values as strings)."""
    principles: Any = settings.principles or {}
    values = principles.values() if isinstance(principles, Mapping) else principles
    out: dict[str, ProductPrinciple] = {}
    for value in values:
        p = value if isinstance(value, ProductPrinciple) else codec.load(ProductPrinciple, value)
        out[str(p.data_type)] = p
    mode = settings.maintenance_mode
    return dataclasses.replace(settings, principles=out,
                               maintenance_mode=None if mode is None else MaintenanceMode(mode))

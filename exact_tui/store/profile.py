"""`ProfileStore`: one profile's data on disk, split into files so one change rewrites one table.

Layout of `<profile dir>/store/` (schema 2):

    meta.json            schema version, who wrote it
    settings.json        integration settings (no secrets)
    customers.json       local customers                          (manifest of customers/NN.GEN.json)
    contacts.json        their contacts, and contact links (local contact <-> Exact contact)
    invoices.json        booked invoices and credit notes + lines (manifest of 32 shards in invoices/)
    transfer_state.json  each invoice's transfer status, Exact number and id (sharded; derived from
                         the journal, which is written first)
    catalogue.json       dimensions (hourly rates, …), product numbers and the items' sync Timestamp
    links.json           links, ignored Exact accounts, rejected pairs ("not this pair")
    exact_accounts.json  cache of pulled Exact accounts + the sync Timestamp (sharded)
    payments.json        Exact's payment terms of our invoices, each invoice's payment state, the
                         sync Timestamp and when payments were last checked (sharded)
    transfers.jsonl      transfer journal (append-only, fsynced)
    log.jsonl            integration log (append-only, bounded)

and `<profile dir>/writer.lock` (one writer per profile). A sharded table's `.json` is a small
manifest naming its current shard files; see `atomic.AtomicJSONStorage`.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .atomic import KeyedDB, open_db, remove_temp_files
from .errors import StoreError
from .lock import ProfileLock
from .logs import IntegrationLog, LogRetention, TransferJournal
from .repos import (
    ContactLinkRepository,
    ContactRepository,
    CustomerRepository,
    DimensionRepository,
    ExactAccountCache,
    IgnoredRepository,
    InvoiceRepository,
    InvoiceTransferRepository,
    LinkRepository,
    ProductRepository,
    RejectedRepository,
    SettingsRepository,
)
from .payments import PaymentStore
from .cursor import CustomerSchedule, ItemSync
from .schema import SCHEMA_VERSION, STORE_DIR, check_readable, upgrade

# Big tables are spread over shard files so that one change rewrites a slice, not the table.
SHARDS = {"invoices.json": 32, "transfer_state.json": 32, "payments.json": 16, "customers.json": 16,
          "contacts.json": 16, "links.json": 16, "exact_accounts.json": 16}
FILES = ("meta.json", "settings.json", "customers.json", "contacts.json", "invoices.json", "catalogue.json",
         "links.json", "exact_accounts.json", "payments.json", "transfer_state.json", "transfers.jsonl", "log.jsonl")


class ProfileStore:
    """Open with `ProfileStore.open(profile_dir)` (the one writer) or `readonly=True` (any number)."""

    def __init__(self, profile_dir: Path, *, readonly: bool, lock: ProfileLock | None, log_retention: "int | LogRetention") -> None:
        self.profile_dir = profile_dir
        self.folder = profile_dir / STORE_DIR
        self.readonly = readonly
        self._lock = lock
        self.notices: list[str] = []  # what opening did (migrations, stale lock), also in the log
        self._dbs: dict[str, KeyedDB] = {}
        self.settings = SettingsRepository(self._db("settings.json"))
        self.customers = CustomerRepository(self._db("customers.json"))
        self.contacts = ContactRepository(self._db("contacts.json"))
        self.contact_links = ContactLinkRepository(self._db("contacts.json"))
        self.invoices = InvoiceRepository(self._db("invoices.json"))
        self.payments = PaymentStore(self._db("payments.json"))
        self.invoice_transfers = InvoiceTransferRepository(self._db("transfer_state.json"))
        catalogue = self._db("catalogue.json")
        self.dimensions = DimensionRepository(catalogue)
        self.products = ProductRepository(catalogue)
        self.item_sync = ItemSync(catalogue.table("item_sync"))
        links = self._db("links.json")
        self.ignored = IgnoredRepository(links)
        self.links = LinkRepository(links, self.ignored)
        self.ignored.links = self.links
        self.rejected = RejectedRepository(links)
        self.customer_sync = CustomerSchedule(links.table("customer_sync"))
        self.exact_accounts = ExactAccountCache(self._db("exact_accounts.json"))
        self.transfers = TransferJournal(self.folder / "transfers.jsonl", readonly=readonly)
        self.log = IntegrationLog(self.folder / "log.jsonl", readonly=readonly, retention=log_retention,
                                  protect=self.transfers.unresolved_records)
        self._closed = False

    def _db(self, name: str) -> KeyedDB:
        db = self._dbs.get(name)
        if db is None:
            db = self._dbs[name] = open_db(self.folder / name, readonly=self.readonly, shards=SHARDS.get(name, 1))
        return db

    # -- opening and closing ---------------------------------------------------------------------
    @classmethod
    def open(cls, profile_dir: Path | str, *, readonly: bool = False, log_retention: "int | LogRetention" = 50_000) -> "ProfileStore":
        """Open a profile's store.

        Raises `ProfileLocked` when another process writes it (not for `readonly`), `SchemaTooNew`
        for files of a newer exact-tui, `CorruptStore` for a file something else damaged.
        """
        profile_dir = Path(profile_dir)
        if readonly:
            version = check_readable(profile_dir)
            if version is not None and version < SCHEMA_VERSION:
                raise StoreError(f"profile {profile_dir.name!r} uses store schema {version}; open it once for "
                                 f"writing (the console or an import) to upgrade it to schema {SCHEMA_VERSION}")
            return cls(profile_dir, readonly=True, lock=None, log_retention=log_retention)
        profile_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = ProfileLock(profile_dir).acquire()
        try:
            done = upgrade(profile_dir)
            remove_temp_files(profile_dir / STORE_DIR)
            store = cls(profile_dir, readonly=False, lock=lock, log_retention=log_retention)
            for db in store._dbs.values():
                db.storage.remove_garbage()  # type: ignore[attr-defined]
        except BaseException:
            lock.release()
            raise
        if lock.stale is not None:
            s = lock.stale
            done.insert(0, f"took over the writer lock left by process {s.pid} on {s.host or 'an unknown host'} "
                           f"(since {s.since or 'unknown'}), which ended without closing the profile")
        store.notices = done
        for notice in done:
            store.log.append({"message": notice, "side": "console", "level": "warning", "topic": "store",
                              "time": _now()})
        store.transfers.compact()
        return store

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for db in self._dbs.values():
            db.close()
        self.transfers.close()
        self.log.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> "ProfileStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- helpers ---------------------------------------------------------------------------------
    @contextlib.contextmanager
    def batch(self, *files: str) -> Iterator[None]:
        """Group changes to each named file (default: all) into one write per file.

        Each file's write is atomic on its own; across files the writes happen one after another.
        """
        names = files or tuple(self._dbs)
        with contextlib.ExitStack() as stack:
            for name in names:
                stack.enter_context(self._dbs[name].storage.batch())  # type: ignore[attr-defined]
            yield

    def refresh(self) -> None:
        """A read-only view: see what the writer saved since (the writer's view is always current)."""
        for db in self._dbs.values():
            db.storage.reload()  # type: ignore[attr-defined]
        self.transfers.reload()

    def files(self) -> dict[str, Path]:
        return {name: self.folder / name for name in FILES}

    def sizes(self) -> dict[str, int]:
        """Bytes on disk per table file, its shard files included."""
        out = {}
        for name, path in self.files().items():
            if path.exists():
                shards = path.with_suffix("")
                out[name] = path.stat().st_size + (sum(p.stat().st_size for p in shards.iterdir())
                                                   if shards.is_dir() else 0)
        return out


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).isoformat()

"""Crash-safe files: TinyDB's storage that writes a temp file, fsyncs, renames and fsyncs the folder.

TinyDB's own `JSONStorage` truncates and rewrites the file in place, so a kill in the middle of a
write leaves half a file and loses everything. Here a write goes to `.<name>.<pid>.tmp` in the same
folder, is flushed and fsynced, then `os.replace`d over the real file (atomic on POSIX), and the
folder is fsynced so the rename itself survives a power cut. A kill at any moment leaves either the
old or the new file; a left-over temp file is deleted by the next writer. The write itself is the
one atomic write of `domain/files.py`.

The storage also keeps the parsed data in memory: TinyDB calls `read()` for every operation, and
re-parsing 100,000 invoices each time would make the store unusable at scale.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .errors import CorruptStore, StoreReadOnly

# The one atomic write (domain/files.py), under the names the store's modules use.
from ..domain.files import FILE_MODE, fsync_dir  # noqa: E402
from ..domain.files import atomic_write as _atomic_write  # noqa: E402


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new content, never a mix (0600)."""
    _atomic_write(path, data)


def _write_new_file(path: Path, data: bytes) -> None:
    """Write and fsync a file nobody reads yet (a shard before its manifest names it)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def dumps(data: Any) -> bytes:
    """Compact JSON (no spaces): 8% smaller than TinyDB's default, as fast to parse.

    The collector is paused meanwhile: in a console holding 100,000 invoices, the allocations
    of one dump otherwise trigger full collections that cost ten times the dump itself.
    """
    from .codec import no_gc

    with no_gc():
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def read_json(path: Path) -> Any:
    """The parsed content of `path`, or None when it does not exist; CorruptStore when unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        from .codec import no_gc

        with no_gc():
            return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CorruptStore(path, f"not valid JSON: {exc}") from None


def remove_temp_files(folder: Path) -> int:
    """Delete temp files a killed writer left behind (only the writer calls this)."""
    removed = 0
    for tmp in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed += 1
    return removed


SHARDED = "exact-tui/sharded-1"
DOCS_PER_SHARD = 256  # ~100 KB of invoices: one save dumps and fsyncs about this much at any table size
_SHARD_NAME = re.compile(r"\d{2,}\.\d{8,}\.json")


def shard_of(key: str, shards: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % shards


class AtomicJSONStorage(Storage):
    """TinyDB storage: in-memory copy, atomic durable writes, optional batching, read-only mode.

    With `shards > 1` the documents are spread by key over `shards` files in a folder named after
    the file, and the file itself becomes a small manifest naming the current shard files. A
    write puts only the changed shards into NEW files, then replaces the manifest atomically (the
    commit point), then deletes the replaced shard files. So saving one invoice of 100,000
    rewrites 1/32 of them, and a kill at any moment still leaves the old or the new state: shard
    files no manifest names are removed by the next writer (`remove_garbage`).
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False, shards: int = 1) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.shards = max(1, shards)  # the count for a new file; a manifest's own count wins on load
        self._min_shards = self.shards
        # Keys changed since the last commit, per table; None = unknown (TinyDB's whole-data write),
        # so the next commit re-partitions everything. A put of one record touches one key.
        self._changed: dict[str, set[str]] | None = {}
        self.shard_dir = self.path.with_suffix("")  # customers.json -> customers/
        self._data: dict[str, dict[str, Any]] | None = None
        self._parts: dict[int, dict[str, dict[str, Any]]] = {}  # shard -> table -> key -> doc, as on disk
        self._files: dict[int, str] = {}  # shard -> file name (in shard_dir), as the manifest says
        self._generation = 0
        self._batch_depth = 0
        self._dirty = False
        self.writes = 0  # commits that reached the disk, for tests and the bench

    # -- TinyDB's interface ------------------------------------------------------------------
    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._data is None:
            self._data = self._load()
        # A shallow copy: TinyDB replaces a table in the dict it got, and the cache must not see
        # that before the write succeeded.
        return dict(self._data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.readonly:
            raise StoreReadOnly(f"write {self.path.name}")
        self._data = data
        self._changed = None  # TinyDB hands over everything: compare it all at the commit
        if self._batch_depth:
            self._dirty = True
            return
        self._commit()

    def update_docs(self, table: str, puts: Mapping[str, Any], deletes: Iterable[str] = ()) -> int:
        """Change some documents of one table in place: the cost follows the change, not the table.

        TinyDB's own update path copies the whole table twice and hands over all data, which made
        one saved invoice cost as much as re-partitioning 100,000. Returns how many were deleted.
        """
        if self.readonly:
            raise StoreReadOnly(f"write {self.path.name}")
        if self._data is None:
            self._data = self._load()
        docs = self._data.setdefault(table, {})
        keys = set(puts)
        docs.update(puts)
        removed = 0
        for key in deletes:
            if docs.pop(key, None) is not None:
                removed += 1
                keys.add(key)
        if self._changed is not None:
            self._changed.setdefault(table, set()).update(keys)
        if self._batch_depth:
            self._dirty = True
        else:
            self._commit()
        return removed

    def close(self) -> None:
        self._data = None

    # -- ours ----------------------------------------------------------------------------------
    def _load(self) -> dict[str, dict[str, Any]]:
        self._changed = {}
        for _attempt in range(10):
            head = read_json(self.path)
            self._parts, self._files, self._generation = {}, {}, 0
            if head is None:
                return {}
            if not isinstance(head, dict):
                raise CorruptStore(self.path, "expected a JSON object")
            if head.get("format") != SHARDED:
                return head  # one plain file of tables
            try:
                return self._load_shards(head)
            except FileNotFoundError:
                continue  # a writer replaced a shard between our reads: read the new manifest
        raise CorruptStore(self.path, "its shard files keep changing or are missing")

    def _load_shards(self, head: dict[str, Any]) -> dict[str, dict[str, Any]]:
        data: dict[str, dict[str, Any]] = {}
        self._generation = int(head.get("generation", 0))
        self.shards = int(head.get("shards") or self.shards)  # the keys are spread by the manifest's count
        for index, name in head.get("files", {}).items():
            path = self.shard_dir / name
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                raise
            from .codec import no_gc

            try:
                with no_gc():
                    part = json.loads(raw)
            except ValueError as exc:
                raise CorruptStore(path, f"not valid JSON: {exc}") from None
            self._parts[int(index)] = part
            self._files[int(index)] = name
            for table, docs in part.items():
                data.setdefault(table, {}).update(docs)
        return data

    def _commit(self) -> None:
        try:
            if self.shards == 1:
                atomic_write_bytes(self.path, dumps(self._data))
            else:
                self._commit_shards()
        except BaseException:
            self._data = None  # the disk is the truth: reload it next time
            self._changed = {}
            raise
        self.writes += 1
        self._dirty = False
        self._changed = {}

    def _shard_count(self) -> int:
        """Enough shards that one holds about DOCS_PER_SHARD documents: doubled when they grow past
        twice that, so a change rewrites a bounded slice at any size (the rare doubling rewrites all)."""
        assert self._data is not None
        total = sum(len(docs) for docs in self._data.values())
        n = self.shards
        if total <= n * DOCS_PER_SHARD * 2:
            return n
        while total > n * DOCS_PER_SHARD:
            n *= 2
        return n

    def _commit_shards(self) -> None:
        assert self._data is not None
        n = self._shard_count()
        if self._changed is not None and n == self.shards and len(self._files) == n:
            parts, changed = self._partition_changes(n)
        else:
            parts, changed = self._partition_all(n)
        if not changed:
            return
        self._write_shards(parts, changed, n)

    def _partition_changes(self, n: int) -> tuple[dict[int, dict[str, dict[str, Any]]], list[int]]:
        """The on-disk partition with only the changed keys moved: O(changed keys + their shards)."""
        assert self._data is not None and self._changed is not None
        parts = dict(self._parts)  # shard -> table -> docs; copied (not changed) where touched
        touched: set[int] = set()
        for table, keys in self._changed.items():
            docs = self._data.get(table, {})
            for key in keys:
                i = zlib.crc32(key.encode("utf-8")) % n
                if i not in touched:
                    parts[i] = {t: dict(d) for t, d in parts.get(i, {}).items()}
                    touched.add(i)
                part = parts[i]
                if key in docs:
                    part.setdefault(table, {})[key] = docs[key]
                else:
                    rows = part.get(table)
                    if rows is not None:
                        rows.pop(key, None)
                        if not rows:
                            del part[table]
        return parts, sorted(touched)

    def _partition_all(self, n: int) -> tuple[dict[int, dict[str, dict[str, Any]]], list[int]]:
        assert self._data is not None
        parts: dict[int, dict[str, dict[str, Any]]] = {i: {} for i in range(n)}
        for table, docs in self._data.items():
            for key, doc in docs.items():
                parts[zlib.crc32(key.encode("utf-8")) % n].setdefault(table, {})[key] = doc
        if n != self.shards:
            return parts, list(range(n))  # a new spread: every shard is new, the old ones go
        return parts, [i for i in range(n) if parts[i] != self._parts.get(i, {}) or i not in self._files]

    def _write_shards(self, parts: dict[int, dict[str, dict[str, Any]]], changed: list[int], n: int) -> None:
        self.shard_dir.mkdir(exist_ok=True, mode=0o700)
        generation = self._generation + 1
        files = dict(self._files) if n == self.shards else {}
        written: list[Path] = []
        try:
            for i in changed:
                name = f"{i:02d}.{generation:08d}.json"
                data = dumps(parts[i])  # before the file exists: a record JSON cannot hold leaves nothing
                written.append(self.shard_dir / name)
                _write_new_file(written[-1], data)
                files[i] = name
            fsync_dir(self.shard_dir)
            head = {"format": SHARDED, "generation": generation, "shards": n,
                    "files": {str(i): files[i] for i in sorted(files)}}
            atomic_write_bytes(self.path, dumps(head))  # the commit point
        except BaseException:
            for path in written:  # not named by any manifest: nobody reads them
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
        for old in set(self._files.values()) - set(files.values()):
            with contextlib.suppress(OSError):
                (self.shard_dir / old).unlink()
        self._parts, self._files, self._generation, self.shards = parts, files, generation, n

    def remove_garbage(self) -> int:
        """Delete shard files no manifest names (a writer killed before its commit); writer only."""
        if self.readonly or not self.shard_dir.is_dir():
            return 0
        try:
            head = read_json(self.path)
        except CorruptStore:
            return 0  # never delete anything next to a manifest we cannot read
        if not isinstance(head, dict) or (head and head.get("format") not in (SHARDED, None)):
            return 0
        keep = set(head.get("files", {}).values())
        removed = 0
        for path in self.shard_dir.iterdir():
            if _SHARD_NAME.fullmatch(path.name) and path.name not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        return removed

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Many changes, one write: all of them land on disk, or (on an exception) none."""
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._dirty:
                self._data, self._dirty = None, False
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._dirty:
            self._commit()

    def reload(self) -> None:
        """Forget the in-memory copy (a read-only view that wants to see a writer's changes)."""
        if not self._batch_depth:
            self._data = None


class KeyedTable(Table):
    """A TinyDB table whose documents are keyed by the record's own id (a string).

    TinyDB numbers documents itself; the integration's records have their own keys (customer id,
    product code, Exact GUID), and a key that is the document id makes upserts and deletes O(1)
    and keeps the file readable. Bulk methods change many documents in one write.
    """

    document_id_class = str  # type: ignore[assignment]  # TinyDB declares int; our keys are strings

    def rows(self) -> Mapping[str, Mapping[str, Any]]:
        """The raw documents by key (read-only view: do not change)."""
        return self._read_table()

    def put_many(self, docs: Mapping[str, Mapping[str, Any]]) -> None:
        if not docs:
            return
        self._storage.update_docs(self.name, docs)  # type: ignore[attr-defined]
        self.clear_cache()

    def delete_many(self, keys: list[str]) -> int:
        removed = self._storage.update_docs(self.name, {}, keys)  # type: ignore[attr-defined]
        self.clear_cache()
        return removed

    def replace_all(self, docs: Mapping[str, Mapping[str, Any]]) -> None:
        def updater(table: dict) -> None:
            table.clear()
            table.update(docs)

        self._update_table(updater)


class KeyedDB(TinyDB):
    table_class = KeyedTable

    def table(self, name: str, **kwargs: Any) -> KeyedTable:  # type: ignore[override]
        return super().table(name, cache_size=0, **kwargs)  # type: ignore[return-value]


def open_db(path: Path, *, readonly: bool, shards: int = 1) -> KeyedDB:
    return KeyedDB(str(path), storage=lambda p: AtomicJSONStorage(p, readonly=readonly, shards=shards))

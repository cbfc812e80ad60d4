"""Crash-safe files: TinyDB's storage that writes a temp file, fsyncs, renames and fsyncs the folder.

TinyDB's own `JSONStorage` truncates and rewrites the file in place, so a kill in the middle of a
write leaves half a file and loses everything. Here a write goes to `.<name>.<pid>.tmp` in the same
folder, is flushed and fsynced, then `os.replace`d over the real file (atomic on POSIX), and the
folder is fsynced so the rename itself survives a power cut. A kill at any moment leaves either the
old or the new file; a left-over temp file is deleted by the next writer.

The storage also keeps the parsed data in memory: TinyDB calls `read()` for every operation, and
re-parsing 100,000 invoices each time would make the store unusable at scale.
"""
from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .errors import CorruptStore, StoreReadOnly

FILE_MODE = 0o600


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new content, never a mix."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def dumps(data: Any) -> bytes:
    """Compact JSON (no spaces): 20-30% smaller and faster to write than TinyDB's default."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def read_json(path: Path) -> Any:
    """The parsed content of `path`, or None when it does not exist; CorruptStore when unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
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


class AtomicJSONStorage(Storage):
    """TinyDB storage: in-memory copy, atomic durable writes, optional batching, read-only mode."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._data: dict[str, dict[str, Any]] | None = None
        self._batch_depth = 0
        self._dirty = False
        self.writes = 0  # files actually written, for tests and the bench

    # -- TinyDB's interface ------------------------------------------------------------------
    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._data is None:
            data = read_json(self.path)
            if data is not None and not isinstance(data, dict):
                raise CorruptStore(self.path, "expected a JSON object of tables")
            self._data = data or {}
        # A shallow copy: TinyDB replaces a table in the dict it got, and the cache must not see
        # that before the write succeeded.
        return dict(self._data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.readonly:
            raise StoreReadOnly(f"write {self.path.name}")
        self._data = data
        if self._batch_depth:
            self._dirty = True
            return
        self._commit()

    def close(self) -> None:
        self._data = None

    # -- ours ----------------------------------------------------------------------------------
    def _commit(self) -> None:
        try:
            atomic_write_bytes(self.path, dumps(self._data))
        except BaseException:
            self._data = None  # the disk is the truth: reload it next time
            raise
        self.writes += 1
        self._dirty = False

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

    document_id_class = str

    def rows(self) -> Mapping[str, Mapping[str, Any]]:
        """The raw documents by key (read-only view: do not change)."""
        return self._read_table()

    def put_many(self, docs: Mapping[str, Mapping[str, Any]]) -> None:
        if not docs:
            return

        def updater(table: dict) -> None:
            table.update(docs)

        self._update_table(updater)

    def delete_many(self, keys: list[str]) -> int:
        removed = 0

        def updater(table: dict) -> None:
            nonlocal removed
            for key in keys:
                if table.pop(key, None) is not None:
                    removed += 1

        self._update_table(updater)
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


def open_db(path: Path, *, readonly: bool) -> KeyedDB:
    return KeyedDB(str(path), storage=lambda p: AtomicJSONStorage(p, readonly=readonly))

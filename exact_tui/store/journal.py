"""Append-only JSON-lines files: the integration log and the transfer journal.

Both grow one record at a time and are read mostly from the end, so rewriting them per record (as
TinyDB would) is wasted work. A record is one line; a kill half-way through an append leaves a
torn last line without its newline, which readers skip and the next writer cuts off. Compaction
(keeping only the newest records / the latest version of each) is an atomic rewrite.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .atomic import FILE_MODE, atomic_write_bytes, fsync_dir
from .errors import StoreReadOnly


class AppendFile:
    def __init__(self, path: Path, *, readonly: bool, durable: bool) -> None:
        self.path = path
        self.readonly = readonly
        self.durable = durable  # fsync every append (the transfer journal) or only flush (the log)
        self._fd: int | None = None
        self.lines = 0  # complete lines in the file, counted on the first read or repair

    # -- reading --------------------------------------------------------------------------------
    def read_all(self) -> list[dict[str, Any]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        end = raw.rfind(b"\n") + 1  # a torn last line (no newline) was never committed
        out = []
        for line in raw[:end].splitlines():
            try:
                value = json.loads(line)
            except ValueError:
                continue  # cannot happen with our writer; never let one bad line hide the rest
            if isinstance(value, dict):
                out.append(value)
        return out

    def tail(self, n: int) -> list[dict[str, Any]]:
        """The last `n` records, reading only the end of the file."""
        if n <= 0:
            return []
        try:
            with open(self.path, "rb") as handle:
                size = handle.seek(0, os.SEEK_END)
                block, data = 64 * 1024, b""
                pos = size
                while pos > 0 and data.count(b"\n") <= n + 1:
                    step = min(block, pos)
                    pos -= step
                    handle.seek(pos)
                    data = handle.read(step) + data
                    block *= 2
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n") + 1
        lines = data[:end].splitlines()
        if pos > 0:
            lines = lines[1:]  # the first line may be cut
        out = []
        for line in lines[-n:] if len(lines) > n else lines:
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                out.append(value)
        return out[-n:]

    # -- writing --------------------------------------------------------------------------------
    def _open(self) -> int:
        if self.readonly:
            raise StoreReadOnly(f"append to {self.path.name}")
        if self._fd is None:
            self._repair()
            created = not self.path.exists()
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
            if created:
                fsync_dir(self.path.parent)
        return self._fd

    def _repair(self) -> None:
        """Cut a torn last line left by a kill, so the next record starts on its own line."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            self.lines = 0
            return
        with open(self.path, "rb+") as handle:
            data = handle.read()
            keep = data.rfind(b"\n") + 1
            if keep != size:
                handle.truncate(keep)
                handle.flush()
                os.fsync(handle.fileno())
            self.lines = data[:keep].count(b"\n")

    def append(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        fd = self._open()
        data = b"".join(json.dumps(r, separators=(",", ":"), ensure_ascii=False).encode() + b"\n" for r in records)
        # One write call with O_APPEND: the records land together or (killed) as a torn tail.
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if self.durable:
            os.fsync(fd)
        self.lines += len(records)

    def rewrite(self, records: list[dict[str, Any]]) -> None:
        """Replace the whole file atomically (compaction)."""
        if self.readonly:
            raise StoreReadOnly(f"compact {self.path.name}")
        self.close()
        data = b"".join(json.dumps(r, separators=(",", ":"), ensure_ascii=False).encode() + b"\n" for r in records)
        atomic_write_bytes(self.path, data)
        self.lines = len(records)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.read_all())

"""The transfer journal and the integration log, on append-only files."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.transfer import TransferOutcome, TransferRecord
from . import codec
from .journal import AppendFile


class TransferJournal:
    """One record per transfer attempt; an update of an attempt appends its new version.

    Every append is fsynced before `record` returns: this journal is what stops an invoice being
    booked twice after a crash, so it must be on disk before the request goes to Exact.
    """

    def __init__(self, path: Path, *, readonly: bool) -> None:
        self._file = AppendFile(path, readonly=readonly, durable=True)
        self._records: dict[str, TransferRecord] | None = None
        self._versions = 0

    def _all(self) -> dict[str, TransferRecord]:
        if self._records is None:
            load = codec.codec_for(TransferRecord).load
            rows = self._file.read_all()
            self._versions = len(rows)
            self._records = {}
            for row in rows:
                record = load(row)
                self._records.pop(record.id, None)  # keep insertion order = latest version's order
                self._records[record.id] = record
        return self._records

    def record(self, record: TransferRecord) -> TransferRecord:
        """Save a new attempt or a new state of one (e.g. PENDING, then BOOKED)."""
        self._file.append([codec.dump(record)])
        records = self._all()
        records.pop(record.id, None)
        records[record.id] = record
        self._versions += 1
        return record

    def finish(self, record: TransferRecord, outcome: TransferOutcome, **fields: Any) -> TransferRecord:
        import dataclasses

        done = dataclasses.replace(record, outcome=outcome, finished_at=dt.datetime.now(dt.timezone.utc), **fields)
        return self.record(done)

    def get(self, attempt_id: str) -> TransferRecord | None:
        return self._all().get(attempt_id)

    def all(self) -> list[TransferRecord]:
        return list(self._all().values())

    def __len__(self) -> int:
        return len(self._all())

    def count(self) -> int:
        return len(self)

    def for_invoice(self, invoice_id: str) -> list[TransferRecord]:
        return sorted((r for r in self._all().values() if r.invoice_id == invoice_id), key=lambda r: r.started_at)

    def latest(self, invoice_id: str) -> TransferRecord | None:
        attempts = self.for_invoice(invoice_id)
        return attempts[-1] if attempts else None

    def open_attempts(self) -> list[TransferRecord]:
        """Attempts whose outcome is not known: check these in Exact before sending them again."""
        return [r for r in self._all().values() if r.open]

    def unresolved_records(self) -> set[str]:
        """Invoice ids and numbers whose latest attempt is not settled (pending, unknown, refused, failed)."""
        latest: dict[str, TransferRecord] = {}
        for record in self._all().values():
            seen = latest.get(record.invoice_id)
            if seen is None or record.started_at >= seen.started_at:
                latest[record.invoice_id] = record
        out: set[str] = set()
        for record in latest.values():
            if record.outcome not in (TransferOutcome.BOOKED, TransferOutcome.SKIPPED):
                out.update(v for v in (record.invoice_id, record.invoice_number) if v)
        return out

    def booked_invoice_ids(self) -> set[str]:
        return {r.invoice_id for r in self._all().values() if r.outcome is TransferOutcome.BOOKED}

    def compact(self) -> bool:
        """Rewrite the file with only the latest version of each attempt when that halves it."""
        records = self._all()
        if self._versions <= 2 * max(len(records), 1000):
            return False
        dump = codec.codec_for(TransferRecord).dump
        self._file.rewrite([dump(r) for r in records.values()])
        self._versions = len(records)
        return True

    def reload(self) -> None:
        self._records = None

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One stored event, with the attribute names of `services.events.Event` (values as strings)."""

    message: str
    side: str = "console"
    level: str = "info"
    topic: str = ""
    record: str = ""
    detail: str = ""
    progress: tuple[int, int] | None = None
    time: dt.datetime | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LogEntry":
        progress = data.get("progress")
        time = data.get("time")
        return cls(
            message=str(data.get("message", "")), side=str(data.get("side", "console")),
            level=str(data.get("level", "info")), topic=str(data.get("topic", "")),
            record=str(data.get("record", "")), detail=str(data.get("detail", "")),
            progress=tuple(progress) if isinstance(progress, list) and len(progress) == 2 else None,  # type: ignore[arg-type]
            time=dt.datetime.fromisoformat(time) if isinstance(time, str) else None,
        )

    def as_dict(self) -> dict[str, Any]:
        return {"time": self.time.isoformat() if self.time else None, "side": self.side, "level": self.level,
                "topic": self.topic, "record": self.record, "message": self.message, "detail": self.detail,
                "progress": list(self.progress) if self.progress else None}


@dataclass(frozen=True, slots=True)
class LogRetention:
    """How much integration log a profile keeps: the newest `max_entries`, none older than
    `max_age_days`, at most about `max_bytes` on disk — except lines about transfers that are still
    unresolved, which are never dropped (support needs them until the invoice is settled).

    Defaults can be changed per machine with EXACT_TUI_LOG_MAX_ENTRIES, EXACT_TUI_LOG_MAX_DAYS and
    EXACT_TUI_LOG_MAX_MB.
    """

    max_entries: int = 50_000
    max_age_days: float = 90.0
    max_bytes: int = 20 * 1024 * 1024

    @classmethod
    def from_env(cls, max_entries: int | None = None) -> "LogRetention":
        def number(name: str, default: float) -> float:
            try:
                return float(os.environ.get(name, "") or default)
            except ValueError:
                return default

        base = cls()
        return cls(int(number("EXACT_TUI_LOG_MAX_ENTRIES", max_entries or base.max_entries)),
                   number("EXACT_TUI_LOG_MAX_DAYS", base.max_age_days),
                   int(number("EXACT_TUI_LOG_MAX_MB", base.max_bytes / 1024 / 1024) * 1024 * 1024))


_WORDS = re.compile(r"[\w./-]+")


class IntegrationLog:
    """Every event the services emitted, newest last, kept within a `LogRetention`.

    Appends are flushed to the OS (a killed console loses nothing it logged) but not fsynced
    one by one: the console logs every HTTP call and an fsync each would slow transfers down.
    When the file holds 20% more than the retention allows (entries or bytes), or on the first
    append of a process (age), the log is pruned in one atomic rewrite, so it stays bounded without
    rewriting it on every event. `protect()` names the records (invoice numbers and ids of
    unresolved transfers) whose lines are always kept.
    """

    def __init__(self, path: Path, *, readonly: bool, retention: "int | LogRetention" = 50_000,
                 protect: Callable[[], set[str]] | None = None) -> None:
        self._file = AppendFile(path, readonly=readonly, durable=False)
        self.policy = retention if isinstance(retention, LogRetention) else LogRetention.from_env(retention)
        self.retention = max(1, self.policy.max_entries)
        self.protect = protect
        self._aged = False

    def append(self, event: Any) -> None:
        """Store an `Event` (anything with `as_dict()`) or a plain dict."""
        self.extend([event])

    def extend(self, events: Iterable[Any]) -> None:
        rows = [e if isinstance(e, dict) else e.as_dict() for e in events]
        self._file.append(rows)
        over_lines = self._file.lines > self.retention + max(self.retention // 5, 1)
        over_bytes = self._size() > self.policy.max_bytes * 1.2
        if over_lines or over_bytes or not self._aged:
            self._aged = True
            self.prune(only_if_needed=not (over_lines or over_bytes))

    def _size(self) -> int:
        try:
            return self._file.path.stat().st_size
        except OSError:
            return 0

    def prune(self, *, now: dt.datetime | None = None, only_if_needed: bool = False) -> int:
        """Apply the retention now; returns how many lines were dropped (protected lines never are)."""
        rows = self._file.read_all()
        now = now or dt.datetime.now(dt.timezone.utc)
        cutoff = (now - dt.timedelta(days=self.policy.max_age_days)).isoformat()
        if only_if_needed and (not rows or str(rows[0].get("time") or "9") >= cutoff):
            return 0
        protected = self.protect() if self.protect else set()

        def keep_always(row: dict[str, Any]) -> bool:
            if not protected:
                return False
            text = f"{row.get('record', '')} {row.get('message', '')}"
            return any(word in protected for word in _WORDS.findall(text))

        kept_rev: list[dict[str, Any]] = []
        size = 0
        for row in reversed(rows):
            fresh = str(row.get("time") or "9") >= cutoff
            fits = len(kept_rev) < self.retention and size < self.policy.max_bytes
            if (fresh and fits) or keep_always(row):
                kept_rev.append(row)
                size += len(json.dumps(row, ensure_ascii=False)) + 1
        if len(kept_rev) == len(rows):
            return 0
        self._file.rewrite(kept_rev[::-1])
        return len(rows) - len(kept_rev)

    def tail(self, n: int = 200) -> list[LogEntry]:
        return [LogEntry.from_dict(row) for row in self._file.tail(n)]

    def all(self) -> list[LogEntry]:
        return [LogEntry.from_dict(row) for row in self._file.read_all()]

    def __len__(self) -> int:
        return len(self._file.read_all())

    def close(self) -> None:
        self._file.close()

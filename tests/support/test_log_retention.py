"""Log retention: capped by age, entries and size; lines about unresolved transfers are never dropped."""
from __future__ import annotations

import datetime as dt

from exact_tui.domain.transfer import TransferOutcome, TransferRecord
from exact_tui.store import LogRetention
from exact_tui.store.profile import ProfileStore

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)


def _row(i: int, days_ago: float, record: str = "", size: int = 0) -> dict:
    return {"time": (NOW - dt.timedelta(days=days_ago)).isoformat(), "side": "exact", "level": "info",
            "topic": "transfer", "record": record, "message": f"line {i}" + "x" * size, "detail": ""}


def _store(tmp_path, policy):
    return ProfileStore.open(tmp_path / "p", log_retention=policy)


def test_age_cap_keeps_unresolved_transfers(tmp_path):
    store = _store(tmp_path, LogRetention(max_entries=1000, max_age_days=30, max_bytes=10**8))
    store.transfers.record(TransferRecord("INV-1", "2025-0001", outcome=TransferOutcome.UNKNOWN))
    store.transfers.record(TransferRecord("INV-2", "2025-0002", outcome=TransferOutcome.BOOKED))
    store.log.extend([_row(1, 200, "invoice 2025-0001"), _row(2, 200, "invoice 2025-0002"), _row(3, 100), _row(4, 1)])
    store.log.prune(now=NOW)  # the first append of a process already applied the age cap
    kept = [e.message for e in store.log.all()]
    assert "line 1" in kept and "line 4" in kept
    assert "line 2" not in kept and "line 3" not in kept
    store.close()


def test_entry_and_size_caps(tmp_path):
    store = _store(tmp_path, LogRetention(max_entries=50, max_age_days=3650, max_bytes=10**8))
    store.transfers.record(TransferRecord("INV-9", "2026-0009", outcome=TransferOutcome.REFUSED))
    store.log.extend([_row(0, 1, "invoice 2026-0009")] + [_row(i, 1) for i in range(1, 200)])
    messages = [e.message for e in store.log.all()]
    assert len(messages) <= 61 and "line 0" in messages and messages[-1] == "line 199"
    store.close()
    store = _store(tmp_path / "b", LogRetention(max_entries=10**6, max_age_days=3650, max_bytes=20_000))
    store.log.extend([_row(i, 1, size=900) for i in range(100)])
    assert (tmp_path / "b" / "p" / "store" / "log.jsonl").stat().st_size <= 20_000 * 1.2 + 2000
    assert store.log.all()[-1].message.startswith("line 99")
    store.close()


def test_retention_is_configurable_from_the_environment(monkeypatch):
    monkeypatch.setenv("EXACT_TUI_LOG_MAX_DAYS", "7")
    monkeypatch.setenv("EXACT_TUI_LOG_MAX_MB", "2")
    policy = LogRetention.from_env(1234)
    assert (policy.max_entries, policy.max_age_days, policy.max_bytes) == (1234, 7.0, 2 * 1024 * 1024)

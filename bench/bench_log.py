"""Opening a 1,000,000-line integration log: what the console's log costs a support engineer.

    python bench/bench_log.py [--lines 1000000]

Writes a log.jsonl of that many realistic lines into a throw-away profile (retention switched off
so the file stays whole), then times: the console's start (`tail(200)`), the F5 log screen (the newest
20,000 lines), one filter pass over them, and pruning to the default retention (90 days of one
line per 5 s would be 1.5 million lines: the 50,000-line and 20 MB caps decide). Memory is the process's peak RSS growth. Figures are noisy on a shared machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import tempfile
import time
from pathlib import Path

from exact_tui.store import LogRetention
from exact_tui.store.profile import ProfileStore
from exact_tui.ui.screens.log import LogFilter


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write(path: Path, lines: int) -> None:
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=lines * 5)  # one line per 5 s, ending now
    with path.open("w") as out:
        for i in range(lines):
            level = "error" if i % 97 == 0 else "warning" if i % 31 == 0 else "info"
            row = {"time": (start + dt.timedelta(seconds=5 * i)).isoformat(), "side": "exact", "level": level,
                   "topic": "api", "record": f"invoice 2026-{i % 9000:04d}",
                   "message": f"POST /api/v1/786431/salesentry/SalesEntries → {500 if level == 'error' else 201} in 84 ms",
                   "detail": "Verplicht: Betalingsconditie" if level == "error" else "", "progress": None}
            out.write(json.dumps(row) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "p"
        ProfileStore.open(folder).close()
        log_file = folder / "store" / "log.jsonl"
        t = time.perf_counter()
        write(log_file, args.lines)
        print(f"wrote {args.lines:,} lines, {log_file.stat().st_size / 1e6:.0f} MB, in {time.perf_counter() - t:.1f} s")
        keep_all = LogRetention(max_entries=10**9, max_age_days=10**6, max_bytes=10**12)
        base = rss_mb()
        t = time.perf_counter()
        store = ProfileStore.open(folder, readonly=True, log_retention=keep_all)
        tail = store.log.tail(200)
        print(f"console start: open + last 200 lines: {time.perf_counter() - t:.2f} s ({len(tail)} lines)")
        from exact_tui.ui.screens.log import LOADED

        t = time.perf_counter()
        entries = store.log.tail(LOADED)
        load = time.perf_counter() - t
        print(f"F5 log screen: newest {len(entries):,} lines: {load:.2f} s, peak RSS +{rss_mb() - base:.0f} MB")
        t = time.perf_counter()
        hits = [e for e in entries if LogFilter.parse("level:error betalingsconditie").matches(e)]
        print(f"filter 'level:error betalingsconditie' over them: {time.perf_counter() - t:.3f} s "
              f"({len(hits):,} matches)")
        store.close()
        del entries
        store = ProfileStore.open(folder, log_retention=LogRetention())
        t = time.perf_counter()
        dropped = store.log.prune()
        print(f"prune to the default retention (50,000 lines / 90 days / 20 MB): {time.perf_counter() - t:.2f} s, "
              f"{dropped:,} dropped, file now {log_file.stat().st_size / 1e6:.1f} MB")
        store.close()


if __name__ == "__main__":
    main()

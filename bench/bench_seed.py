"""How long the sandbox seed takes to generate and export, and what it contains.

    /work/venv/bin/python bench/bench_seed.py                 # 1k / 10k / 50k customers
    /work/venv/bin/python bench/bench_seed.py --sizes 2000 --match   # + the matcher against the truth

Prints wall-clock seconds (best of --repeat runs; the machine is shared, so read them as rough),
row counts, the measured share of every kind of local difference, and with --match how the
product's matcher does against the seed's ground truth (precision of One matches, recall).
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import tempfile
import time
from pathlib import Path

from exact_tui.sandbox import seed


def timed(fn, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def shares(data: seed.SeedData) -> dict[str, float]:
    local = data.local
    partners = [i for i in local.truth if i not in local.duplicates]
    counts = collections.Counter(k for i in partners for k in local.variations[i])
    return {k: counts[k] / len(partners) for k in sorted(counts)} if partners else {}


def match_figures(data: seed.SeedData) -> str:
    from exact_tui.matching import MatchRecord, match

    rows = [r for r in data.tables[data.main_division]["crm/Accounts"] if r["Status"] == "C"]
    start = time.perf_counter()
    result = match([MatchRecord.from_exact_row(r) for r in rows], [MatchRecord.of(c) for c in data.local.customers])
    took = time.perf_counter() - start
    partners: dict[str, set[str]] = collections.defaultdict(set)
    for local_id, exact_id in data.local.truth.items():
        partners[exact_id].add(local_id)
    right = sum(1 for e, c in result.one.items() if c.local_id in partners[e])
    with_partner = len(partners)
    return (f"matcher: {took:.2f} s; One {len(result.one)} (precision {right / max(1, len(result.one)):.3f}), "
            f"More {len(result.more)}, None {len(result.none)}; recall of One {right / max(1, with_partner):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--match", action="store_true", help="also run the matcher against the ground truth")
    args = parser.parse_args()
    today = dt.date.today()
    for size in args.sizes:
        took, data = timed(lambda: seed.generate(size, args.seed, today=today), args.repeat)
        main_tables = data.tables[data.main_division]
        local = data.local
        with tempfile.TemporaryDirectory() as tmp:
            exported, paths = timed(lambda: seed.export_local(local, main_tables["crm/Accounts"], Path(tmp)), 1)
            megabytes = sum(p.stat().st_size for p in paths) / 1e6
        print(f"{size:>7,} customers: generate {took:.2f} s, export {exported:.2f} s ({megabytes:.1f} MB CSV)")
        print(f"         Exact main division: {len(main_tables['crm/Accounts']):,} accounts, "
              f"{len(main_tables['crm/Contacts']):,} contacts, {len(main_tables['logistics/Items'])} items; "
              f"all divisions: {sum(len(t['crm/Accounts']) for t in data.tables.values()):,} accounts")
        lines = sum(len(i.lines) for i in local.invoices)
        credits = sum(1 for i in local.invoices if i.kind.value == "credit_note")
        print(f"         local: {len(local.customers):,} customers ({len(local.truth):,} with a true Exact partner, "
              f"{len(local.duplicates):,} duplicates, {len(local.local_only):,} local only), "
              f"{len(local.contacts):,} contacts, {len(local.invoices):,} invoices/credit notes "
              f"({credits:,} credit notes, {lines:,} lines)")
        if size == args.sizes[0]:
            print("         shares among partners: " + ", ".join(f"{k} {v:.3f}" for k, v in shares(data).items()))
        if args.match:
            print("         " + match_figures(data))


if __name__ == "__main__":
    main()

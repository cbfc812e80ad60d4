"""`exact-tui match LOCAL.csv EXACT.csv --out PAIRS.csv`: the matching engine without the console.

For checking accuracy on real exports before anyone presses "link all", and for scripts. Inputs are
CSV (or JSON) files read exactly as `import` reads them (any separator, BOM, Windows-1252 with a
warning) with a header row naming any of `id,name,address,postcode,city,country,email,phone,vat,
coc,code` (`id` and `name` columns required; `number` is read as `code`, so the local export's
customers.csv works as it is). A row with an empty name is matched on its other fields; a row
without an id, with a repeated id or with nothing at all is left out with a warning naming its
line (exit 1: the output is complete for every other row). An Exact file with a `status` column
(Exact's `Status`) keeps only customers (C, or no status), as the Link customers screen does. The output has one row per Exact row: its One match (bucket `one`),
its ranked candidates (`more`, rank 1..5), or one row with an empty local id (`none`).
"""
from __future__ import annotations

import argparse
import sys

from ..domain.text import printable

NAME = "match"
PROFILE = "none"  # two files in, one file out
HELP = "match local customers to Exact accounts from two CSV files (One / More / No match) and write the pairs"
ORDER = 40


def __getattr__(name: str):
    """`read_records` and `InputError` live in services/match_files.py (loaded on use: `--help` stays fast)."""
    if name in ("read_records", "InputError"):
        from ..services import match_files

        return getattr(match_files, name)
    raise AttributeError(name)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("local", metavar="LOCAL.csv", help="local customers (id,name,... ; 'number' counts as code)")
    parser.add_argument("exact", metavar="EXACT.csv", help="Exact accounts (id,name,... ; code without padding)")
    parser.add_argument("--out", required=True, metavar="PAIRS.csv",
                        help="where to write exact_id,local_id,score,bucket,rank (written whole or not at all)")
    parser.add_argument("--decisions", metavar="DECISIONS.csv",
                        help="decisions to respect: exact_id,local_id,decision with decision link|ignore|reject "
                             "(linked pairs leave the matching; ignored accounts get bucket 'ignored')")
    parser.add_argument("--threshold", type=float, help="score a One match needs (default 70)")
    parser.add_argument("--margin", type=float, help="points a One match must lead the runner-up by on both sides (default 10)")
    parser.add_argument("--reasons", action="store_true",
                        help="add a 'reasons' column (\"same VAT number; name 94%% alike ...\") to the pairs file")
    parser.add_argument("--json", action="store_true", help="print a JSON summary (counts per bucket, seconds)")


def run(args: argparse.Namespace) -> int:
    import json
    import time

    from ..services.match_files import InputError, match_files, read_inputs

    started = time.perf_counter()
    try:
        local_file, exact_file, decisions = read_inputs(args.local, args.exact, args.decisions)
    except InputError as exc:
        print(printable(f"exact-tui match: {exc}"), file=sys.stderr)
        return 2
    for warning in local_file.warnings + exact_file.warnings:
        print(f"exact-tui match: warning: {warning}", file=sys.stderr)
    try:
        done = match_files(local_file, exact_file, decisions, args.out, threshold=args.threshold, margin=args.margin,
                           reasons=args.reasons, started=started)
    except OSError as exc:
        print(f"exact-tui match: {args.out}: cannot write ({exc.strerror})", file=sys.stderr)
        return 1
    counts, left_out = done.counts, done.left_out
    if args.json:
        print(json.dumps(done.as_dict()))
    else:
        print(f"{done.exact:,} Exact accounts, {done.local:,} local customers: "
              f"{counts['one']:,} One match, {counts['more']:,} More matches, {counts['none']:,} No match"
              + (f", {counts['ignored']:,} ignored" if counts["ignored"] else "")
              + (f", {counts['linked']:,} already linked" if counts["linked"] else "")
              + (f"; {done.not_customers:,} Exact accounts that are not customers (prospects, suppliers) "
                 "left out" if done.not_customers else "")
              + f" ({done.seconds:.1f} s) -> {args.out}"
              + (f"; {left_out:,} row(s) left out, see the warnings above" if left_out else ""))
    return 1 if left_out else 0

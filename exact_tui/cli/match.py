"""`exact-tui match LOCAL.csv EXACT.csv --out PAIRS.csv`: the matching engine without the console.

For checking accuracy on real exports before anyone presses "link all", and for scripts. Inputs are
UTF-8 CSV files with a header row naming any of `id,name,address,postcode,city,country,email,phone,
vat,coc,code` (`id` and `name` required; `number` is read as `code`, so the local export's
customers.csv works as it is). The output has one row per Exact row: its One match (bucket `one`),
its ranked candidates (`more`, rank 1..5), or one row with an empty local id (`none`).
"""
from __future__ import annotations

import argparse
import sys

NAME = "match"
HELP = "match local customers to Exact accounts from two CSV files (One / More / No match) and write the pairs"
ORDER = 40

COLUMNS = ("id", "name", "address", "postcode", "city", "country", "email", "phone", "vat", "coc", "code", "website")
ALIASES = {"number": "code", "customer_number": "code", "kvk": "coc", "chamber_of_commerce": "coc",
           "vat_number": "vat", "vatnumber": "vat", "zip": "postcode", "zipcode": "postcode", "e-mail": "email",
           "addressline1": "address", "chamberofcommerce": "coc"}


class InputError(Exception):
    """Bad input, with the file, row and column in the message."""


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


def _unguard(value: str) -> str:
    """Spreadsheet exports write "'+31 20 ..." so the value is not taken for a formula: drop the guard."""
    return value[1:] if len(value) > 1 and value[0] == "'" and value[1] in "=+-@" else value


def read_records(path: str, side: str):
    """Records from a CSV file; raises InputError naming the file, row and column of any problem."""
    import csv

    from ..matching import MatchRecord

    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found ({side} customers)") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                         "save it as UTF-8 CSV") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if not text.strip():
        raise InputError(f"{path}: empty file; expected a header row with at least id,name")
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    header = next(reader)
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in ("id", "name") if c not in names]
    if missing:
        raise InputError(f"{path}: missing required column {', '.join(repr(m) for m in missing)} "
                         f"(header has: {', '.join(h for h in header) or 'nothing'})")
    seen_cols: dict[str, int] = {}
    for pos, col in enumerate(names):
        if col in COLUMNS and col in seen_cols:
            raise InputError(f"{path}: column {col!r} appears twice in the header (columns {seen_cols[col] + 1} and {pos + 1})")
        seen_cols.setdefault(col, pos)
    where = {c: seen_cols[c] for c in COLUMNS if c in seen_cols}
    records = []
    first_row: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InputError(f"{path}, row {line}: {len(row)} fields but the header has {len(header)} "
                             f"(an unquoted {delimiter!r} in a value?)")
        values = {c: _unguard(row[p].strip()) if p < len(row) else "" for c, p in where.items()}
        if not values["id"]:
            raise InputError(f"{path}, row {line}: column 'id' is empty")
        if not values["name"]:
            raise InputError(f"{path}, row {line} (id {values['id']}): column 'name' is empty")
        if values["id"] in first_row:
            raise InputError(f"{path}, row {line}: id {values['id']!r} already used on row {first_row[values['id']]}")
        first_row[values["id"]] = line
        records.append(MatchRecord(**values))
    return records


def read_decisions(path: str):
    import csv

    from ..matching import Decisions

    decisions = Decisions()
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            if "exact_id" not in fields:
                raise InputError(f"{path}: missing required column 'exact_id' (header has: {', '.join(fields)})")
            for row in reader:
                row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
                kind = (row.get("decision") or "link").lower()
                e_id, l_id = row.get("exact_id", ""), row.get("local_id", "")
                if not e_id:
                    raise InputError(f"{path}, row {reader.line_num}: column 'exact_id' is empty")
                if kind == "ignore":
                    decisions.ignored.add(e_id)
                elif kind in ("link", "reject"):
                    if not l_id:
                        raise InputError(f"{path}, row {reader.line_num}: column 'local_id' is empty for {kind!r}")
                    if kind == "link":
                        decisions.links[e_id] = l_id
                    else:
                        decisions.rejected.add((e_id, l_id))
                else:
                    raise InputError(f"{path}, row {reader.line_num}: column 'decision' is {kind!r}; "
                                     "expected link, ignore or reject")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found (decisions)") from None
    return decisions


def write_pairs(path: str, exact, result, reasons: bool = False) -> int:
    """Write the pairs file atomically (temporary file, then rename): never half a file."""
    import csv
    import os
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".pairs-", suffix=".csv", dir=directory)
    rows = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["exact_id", "local_id", "score", "bucket", "rank"] + (["reasons"] if reasons else []))

            def emit(row: list, cand=None) -> None:
                if reasons:
                    row = row + ["; ".join(cand.reasons) if cand is not None else ""]
                writer.writerow(row)
            for rec in exact:
                e_id = rec.id
                if e_id in result.one:
                    c = result.one[e_id]
                    emit([e_id, c.local_id, f"{c.score:.1f}", "one", 1], c)
                    rows += 1
                elif e_id in result.linked:
                    emit([e_id, result.linked[e_id], "", "linked", ""])
                    rows += 1
                elif e_id in result.more or e_id in result.ignored:
                    bucket = "more" if e_id in result.more else "ignored"
                    cands = result.more.get(e_id) or result.ignored.get(e_id) or []
                    for c in cands:
                        emit([e_id, c.local_id, f"{c.score:.1f}", bucket, c.rank], c)
                        rows += 1
                    if not cands:
                        emit([e_id, "", "", bucket, ""])
                        rows += 1
                else:
                    emit([e_id, "", "", "none", ""])
                    rows += 1
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return rows


def run(args: argparse.Namespace) -> int:
    import json
    import time

    from ..matching import MatchConfig, match

    started = time.perf_counter()
    try:
        local = read_records(args.local, "local")
        exact = read_records(args.exact, "Exact")
        decisions = read_decisions(args.decisions) if args.decisions else None
    except InputError as exc:
        print(f"exact-tui match: {exc}", file=sys.stderr)
        return 2
    overrides = {k: v for k, v in (("threshold", args.threshold), ("margin", args.margin)) if v is not None}
    read_s = time.perf_counter() - started
    result = match(exact, local, decisions=decisions, config=MatchConfig(**overrides))
    try:
        rows = write_pairs(args.out, exact, result, reasons=args.reasons)
    except OSError as exc:
        print(f"exact-tui match: {args.out}: cannot write ({exc.strerror})", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    counts = result.counts()
    if args.json:
        print(json.dumps({"counts": counts, "exact": len(exact), "local": len(local), "rows": rows,
                          "pairs_scored": int(result.stats.get("pairs", 0)),
                          "seconds": round(seconds, 3), "match_seconds": round(result.stats.get("seconds", 0), 3),
                          "read_seconds": round(read_s, 3), "out": args.out}))
    else:
        print(f"{len(exact):,} Exact accounts, {len(local):,} local customers: "
              f"{counts['one']:,} One match, {counts['more']:,} More matches, {counts['none']:,} No match"
              + (f", {counts['ignored']:,} ignored" if counts["ignored"] else "")
              + (f", {counts['linked']:,} already linked" if counts["linked"] else "")
              + f" ({seconds:.1f} s) -> {args.out}")
    return 0

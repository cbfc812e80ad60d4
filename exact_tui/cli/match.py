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
from dataclasses import dataclass, field

from ..domain.text import csv_guard, printable


NAME = "match"
HELP = "match local customers to Exact accounts from two CSV files (One / More / No match) and write the pairs"
ORDER = 40

COLUMNS = ("id", "name", "address", "postcode", "city", "country", "email", "phone", "vat", "coc", "code", "website")
# read but not matched on: Exact's account status (C customer, P prospect, S suspect, A none)
EXTRA = ("status",)
ALIASES = {"number": "code", "customer_number": "code", "kvk": "coc", "chamber_of_commerce": "coc",
           "vat_number": "vat", "vatnumber": "vat", "zip": "postcode", "zipcode": "postcode", "e-mail": "email",
           "addressline1": "address", "chamberofcommerce": "coc", "account_status": "status"}


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


@dataclass
class Records:
    """What a file gave: the records, and a warning naming the line of every row left out or odd."""

    records: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left_out: int = 0
    not_customers: int = 0  # Exact rows whose Status says prospect, suspect or none (suppliers)
    describe: str = ""


_EVIDENCE = ("address", "postcode", "city", "email", "phone", "vat", "coc", "code", "website")


def read_records(path: str, side: str) -> Records:
    """Records from a CSV or JSON file, read by the same reader as `import` (separators, BOM,
    Windows-1252 with a warning, Excel's `sep=` line, formula guards).

    A bad row never stops the run: a row without a name is matched on what it has (address,
    e-mail, VAT ...), and a row that has no id, a repeated id, or nothing to match on at all is left
    out with a warning naming its line. Only a file that cannot be read at all is an InputError.
    """
    from pathlib import Path

    from ..domain.customer import is_customer_account
    from ..localdata.reading import FileProblem, read_table
    from ..matching import MatchRecord

    try:
        table = read_table(Path(path))
    except FileProblem as exc:
        text = str(exc)
        if "no such file" in text:
            text = f"{path}: file not found ({side} customers)"
        raise InputError(text) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in table.headers]
    missing = [c for c in ("id", "name") if c not in names]
    if missing:
        raise InputError(f"{path}: missing required column {', '.join(repr(m) for m in missing)} "
                         f"(header has: {', '.join(table.headers) or 'nothing'})")
    where: dict[str, str] = {}
    for header, col in zip(table.headers, names):
        if col in COLUMNS or col in EXTRA:
            if col in where:
                raise InputError(f"{path}: columns {where[col]!r} and {header!r} both mean {col!r}")
            where[col] = header
    out = Records(warnings=[f"{path}: {w}" for w in table.warnings], describe=table.describe)
    first_row: dict[str, int] = {}
    for row in table.rows:
        values = {c: _cell(row.cells.get(h)) for c, h in where.items()}
        status = values.pop("status", "")
        line = row.line
        if side == "Exact" and not is_customer_account(status):
            out.not_customers += 1  # a supplier or prospect: not linkable, like on the Link screen
            continue
        if not values["id"]:
            out.warnings.append(f"{path}, line {line}: column 'id' is empty; row left out")
            out.left_out += 1
            continue
        if values["id"] in first_row:
            out.warnings.append(f"{path}, line {line}: id {values['id']!r} already used on line "
                                f"{first_row[values['id']]}; row left out")
            out.left_out += 1
            continue
        if not values["name"]:
            if not any(values.get(c) for c in _EVIDENCE):
                out.warnings.append(f"{path}, line {line} (id {values['id']}): name and every other field are "
                                    "empty; row left out")
                out.left_out += 1
                continue
            out.warnings.append(f"{path}, line {line} (id {values['id']}): column 'name' is empty; "
                                "matched on its other fields")
        first_row[values["id"]] = line
        out.records.append(MatchRecord(**values))
    return out


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


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
    """Write the pairs file atomically (store.atomic: temporary file, fsync, rename): never half a file."""
    import csv
    import io
    from pathlib import Path

    from ..store.atomic import atomic_write_bytes

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["exact_id", "local_id", "score", "bucket", "rank"] + (["reasons"] if reasons else []))
    rows = 0

    def emit(row: list, cand=None, e_id: str = "") -> None:
        nonlocal rows
        if reasons:
            parts = list(cand.reasons) if cand is not None else []
            if cand is None or cand.rank == 1:
                parts += result.notes.get(e_id, [])
            row = row + ["; ".join(parts)]
        writer.writerow([csv_guard(v) for v in row])  # ids from files may start with = + - @
        rows += 1

    for rec in exact:
        e_id = rec.id
        if e_id in result.one:
            c = result.one[e_id]
            emit([e_id, c.local_id, f"{c.score:.1f}", "one", 1], c, e_id)
        elif e_id in result.linked:
            emit([e_id, result.linked[e_id], "", "linked", ""])
        elif e_id in result.more or e_id in result.ignored:
            bucket = "more" if e_id in result.more else "ignored"
            cands = result.more.get(e_id) or result.ignored.get(e_id) or []
            for c in cands:
                emit([e_id, c.local_id, f"{c.score:.1f}", bucket, c.rank], c, e_id)
            if not cands:
                emit([e_id, "", "", bucket, ""], None, e_id)
        else:
            emit([e_id, "", "", "none", ""], None, e_id)
    atomic_write_bytes(Path(path), buffer.getvalue().encode("utf-8"))
    return rows


def run(args: argparse.Namespace) -> int:
    import json
    import time

    from ..matching import MatchConfig, match

    started = time.perf_counter()
    try:
        local_file = read_records(args.local, "local")
        exact_file = read_records(args.exact, "Exact")
        decisions = read_decisions(args.decisions) if args.decisions else None
    except InputError as exc:
        print(printable(f"exact-tui match: {exc}"), file=sys.stderr)
        return 2
    warnings = local_file.warnings + exact_file.warnings
    for warning in warnings:
        print(f"exact-tui match: warning: {warning}", file=sys.stderr)
    local, exact = local_file.records, exact_file.records
    left_out = local_file.left_out + exact_file.left_out
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
                          "left_out": left_out, "warnings": warnings,
                          "not_customers": exact_file.not_customers,
                          "pairs_scored": int(result.stats.get("pairs", 0)),
                          "seconds": round(seconds, 3), "match_seconds": round(result.stats.get("seconds", 0), 3),
                          "read_seconds": round(read_s, 3), "out": args.out}))
    else:
        print(f"{len(exact):,} Exact accounts, {len(local):,} local customers: "
              f"{counts['one']:,} One match, {counts['more']:,} More matches, {counts['none']:,} No match"
              + (f", {counts['ignored']:,} ignored" if counts["ignored"] else "")
              + (f", {counts['linked']:,} already linked" if counts["linked"] else "")
              + (f"; {exact_file.not_customers:,} Exact accounts that are not customers (prospects, suppliers) "
                 "left out" if exact_file.not_customers else "")
              + f" ({seconds:.1f} s) -> {args.out}"
              + (f"; {left_out:,} row(s) left out, see the warnings above" if left_out else ""))
    return 1 if left_out else 0

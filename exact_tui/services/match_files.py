"""`exact-tui match`'s work: read two customer files, match them, write the pairs file.

The matching engine without the console, for checking accuracy on real exports before anyone
presses "link all", and for scripts. Files are read exactly as `import` reads them (any separator,
BOM, Windows-1252 with a warning); a bad row is left out with a warning naming its line, a file that
cannot be used at all is an `InputError`. The pairs file is written whole or not at all.
"""
from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.files import atomic_write
from ..domain.text import csv_guard
from ..matching import Decisions, MatchConfig, MatchRecord, match

COLUMNS = ("id", "name", "address", "postcode", "city", "country", "email", "phone", "vat", "coc", "code", "website")
# read but not matched on: Exact's account status (C customer, P prospect, S suspect, A none)
EXTRA = ("status",)
ALIASES = {"number": "code", "customer_number": "code", "kvk": "coc", "chamber_of_commerce": "coc",
           "vat_number": "vat", "vatnumber": "vat", "zip": "postcode", "zipcode": "postcode", "e-mail": "email",
           "addressline1": "address", "chamberofcommerce": "coc", "account_status": "status"}


class InputError(Exception):
    """Bad input, with the file, row and column in the message."""


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
    from ..domain.customer import is_customer_account
    from ..localdata.reading import FileProblem, read_table

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
    """Write the pairs file atomically (the one atomic write, domain/files.py): never half a file."""
    import csv
    import io
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
    atomic_write(path, buffer.getvalue())
    return rows


@dataclass(slots=True)
class MatchRun:
    """What one `match` run did: the counts per bucket and where the time went."""

    exact: int
    local: int
    counts: dict[str, int]
    rows: int
    left_out: int
    warnings: list[str]
    not_customers: int
    pairs_scored: int
    seconds: float
    match_seconds: float
    read_seconds: float
    out: str

    def as_dict(self) -> dict[str, Any]:
        return {"counts": self.counts, "exact": self.exact, "local": self.local, "rows": self.rows,
                "left_out": self.left_out, "warnings": self.warnings, "not_customers": self.not_customers,
                "pairs_scored": self.pairs_scored, "seconds": round(self.seconds, 3),
                "match_seconds": round(self.match_seconds, 3), "read_seconds": round(self.read_seconds, 3),
                "out": self.out}


def read_inputs(local_path: str, exact_path: str, decisions_path: str | None) -> tuple[Records, Records, Decisions | None]:
    """Both files and the decisions (raises `InputError` naming the file, row and column)."""
    local = read_records(local_path, "local")
    exact = read_records(exact_path, "Exact")
    return local, exact, (read_decisions(decisions_path) if decisions_path else None)


def match_files(local_file: Records, exact_file: Records, decisions: Decisions | None, out: str, *,
                threshold: float | None = None, margin: float | None = None, reasons: bool = False,
                started: float | None = None) -> MatchRun:
    """Match what the files gave and write the pairs file (OSError when it cannot be written)."""
    started = time.perf_counter() if started is None else started
    read_s = time.perf_counter() - started
    config = MatchConfig()
    if threshold is not None:
        config = dataclasses.replace(config, threshold=threshold)
    if margin is not None:
        config = dataclasses.replace(config, margin=margin)
    exact, local = exact_file.records, local_file.records
    result = match(exact, local, decisions=decisions, config=config)
    rows = write_pairs(out, exact, result, reasons=reasons)
    return MatchRun(len(exact), len(local), result.counts(), rows, local_file.left_out + exact_file.left_out,
                    local_file.warnings + exact_file.warnings, exact_file.not_customers,
                    int(result.stats.get("pairs", 0)), time.perf_counter() - started,
                    float(result.stats.get("seconds", 0)), read_s, out)

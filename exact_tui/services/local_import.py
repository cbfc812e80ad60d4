"""Import and export of the local side (customers, contacts, invoices, products, dimensions).

Re-import policy: upsert by id. A record whose id is new is added, one whose content differs
replaces the stored one ("changed"), an identical one is "unchanged"; stored records missing from
the file are kept (an import never deletes). Invalid rows are listed and left out; the valid ones
go into the store in ONE atomic write, so an interrupted import leaves the store as it was. An
invoice already booked in Exact (per the transfer journal) is never changed by an import.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..localdata import KINDS, FileProblem, FileSource, Problem, known_from, load_batch, paused_gc
from ..localdata.export import invoice_rows, record_rows, write_csv, write_json
from ..localdata.reading import guess_format
from .events import EventBus, Side

EXPORT_KINDS = ("customers", "contacts", "invoices", "products", "dimensions", "links", "ignored",
                "exact_accounts", "transfers", "log")


@dataclass(slots=True)
class ImportResult:
    kind: str
    path: Path
    dry_run: bool
    source: str = ""  # "CSV (semicolon-separated, utf-8), 120 rows"
    rows: int = 0
    valid: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mapping: list[str] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # imported rows with something to fix later
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        bad = len({(p.line, p.record) for p in self.problems})
        verb = "would be" if self.dry_run else ("was" if bad == 1 else "were")
        notes = f"; {len(self.notices)} imported with a warning" if self.notices else ""
        return (f"{self.kind}: {len(self.added)} added, {len(self.changed)} changed, {len(self.unchanged)} unchanged"
                f"{' (dry run: nothing saved)' if self.dry_run else ''}; {bad} invalid {'rows' if bad != 1 else 'row'} "
                f"{verb} left out{notes}")

    def as_dict(self) -> dict[str, Any]:
        """`import --json`: counts, ids and each problem with its line, record and field."""
        def problem(p: Problem) -> dict[str, Any]:
            return {"line": p.line, "record": p.record, "field": p.field, "message": p.message, "where": p.where}
        return {"kind": self.kind, "file": str(self.path), "dry_run": self.dry_run, "source": self.source,
                "rows": self.rows, "valid": self.valid, "added": self.added, "changed": self.changed,
                "unchanged": self.unchanged, "problems": [problem(p) for p in self.problems],
                "notices": [problem(p) for p in self.notices], "warnings": self.warnings, "mapping": self.mapping,
                "summary": self.summary}


def _repository(store: Any, kind: str) -> Any:
    return getattr(store, kind)


class LinesWouldBeRemoved(FileProblem):
    """Re-importing would take lines away from stored invoices: refused unless asked for."""


def import_file(store: Any, kind: str, path: Path | str, *, fmt: str | None = None,
                mapping: Mapping[str, str] | None = None, dry_run: bool = False,
                events: EventBus | None = None, strict_numbers: bool = False,
                replace_lines: bool = False) -> ImportResult:
    """Read, check and store one file. Raises FileProblem / MappingProblem when it is unusable.

    `strict_numbers` refuses customers whose number Exact will not take as a linked customer's
    code; by default they are imported and listed as notices (their invoices need them).
    An invoice file that would leave stored invoices with fewer lines (a file without line
    columns, a half export) raises `LinesWouldBeRemoved` and saves nothing, unless
    `replace_lines` says that is what the user wants.
    """
    with paused_gc():  # bulk rows in a big heap: see localdata._gc
        return _import_file(store, kind, Path(path), fmt, mapping, dry_run, events or EventBus(), strict_numbers,
                            replace_lines)


def import_into_profile(profile: str, data_dir: str | None, kind: str, path: Path | str, *, fmt: str | None = None,
                        columns: list[str] | None = None, dry_run: bool = False, strict_numbers: bool = False,
                        replace_lines: bool = False) -> ImportResult:
    """`exact-tui import`: one file into the profile (made by the first import), or checked (`dry_run`,
    read-only next to a console). `columns` are `--map COLUMN=FIELD` strings.

    Everything that stops the import is a `CannotRun` whose message names the file, line and field
    (a bad `--map`, an unusable file) or says that nothing was saved (the store refused the write)."""
    from ..localdata import MappingProblem, parse_overrides
    from ..store.errors import StoreError
    from .headless import CannotRun, reading, writing

    try:
        overrides = parse_overrides(columns or [])
    except (MappingProblem, ValueError) as exc:
        raise CannotRun(str(exc)) from None
    opened = reading(profile, data_dir, create=True) if dry_run else writing(profile, data_dir, create=True)
    with opened as store:
        try:
            return import_file(store, kind, path, fmt=fmt, mapping=overrides, dry_run=dry_run,
                               strict_numbers=strict_numbers, replace_lines=replace_lines)
        except (FileProblem, MappingProblem) as exc:
            raise CannotRun(str(exc)) from None
        except StoreError as exc:
            raise CannotRun(f"nothing was saved: {exc}") from None


def _import_file(store: Any, kind: str, path: Path, fmt: str | None, mapping: Mapping[str, str] | None,
                 dry_run: bool, events: EventBus, strict_numbers: bool, replace_lines: bool) -> ImportResult:
    known = known_from(store.customers.all(), store.invoices.all(), (p.code for p in store.products.all()))
    known.strict_numbers = strict_numbers
    table, columns, batch = load_batch(FileSource(path, fmt), kind, known, mapping)
    result = ImportResult(kind, path, dry_run, table.describe, batch.rows, len(batch.records),
                          list(batch.problems), table.warnings + batch.warnings, columns.describe(),
                          notices=list(batch.notices))
    records = batch.records
    if kind == "invoices":
        records = _keep_booked(store, records, batch.record_lines, result)
        if not replace_lines:
            _refuse_removed_lines(store, records, path)
    repo = _repository(store, kind)
    if dry_run:
        _, report = repo.diff(records)
    else:
        report = repo.put_many(records)
    result.added, result.changed, result.unchanged = report.added, report.changed, report.unchanged
    result.valid = len(records)
    for notice in result.notices:
        events.warning(notice.message, side=Side.LOCAL, topic="import", record=f"{kind} {notice.record}".strip(),
                       detail=f"{path.name} {notice.where} {notice.line}, field {notice.field}")
    for problem in result.problems:
        events.error(problem.message, side=Side.LOCAL, topic="import", record=f"{kind} {problem.record}".strip(),
                       detail=f"{path.name} {problem.where} {problem.line}, field {problem.field}")
    (events.success if not result.problems else events.warning)(
        f"Import {path.name}: {result.summary}", side=Side.LOCAL, topic="import")
    return result


def _keep_booked(store: Any, invoices: list[Any], lines: dict[str, int], result: ImportResult) -> list[Any]:
    """Leave out changes to invoices already booked in Exact: the booking cannot follow them."""
    booked = store.transfers.booked_invoice_ids()
    if not booked:
        return invoices
    keep = []
    for invoice in invoices:
        stored = store.invoices.get(invoice.id) if invoice.id in booked else None
        if stored is not None and stored != invoice:
            result.problems.append(Problem(lines.get(invoice.id, 0), invoice.id, "",
                                           f"invoice {invoice.number} is already booked in Exact; "
                                           f"a change must be a credit note, not an import"))
            continue
        keep.append(invoice)
    return keep


def _refuse_removed_lines(store: Any, invoices: list[Any], path: Path) -> None:
    shrunk = []
    for invoice in invoices:
        stored = store.invoices.get(invoice.id)
        if stored is not None and len(invoice.lines) < len(stored.lines):
            shrunk.append((invoice, stored))
    if not shrunk:
        return
    before = sum(len(s.lines) for _, s in shrunk)
    after = sum(len(i.lines) for i, _ in shrunk)
    examples = ", ".join(f"{i.id} ({i.number}): {len(s.lines)} -> {len(i.lines)}" for i, s in shrunk[:3])
    raise LinesWouldBeRemoved(
        f"{path}: importing would remove invoice lines from {len(shrunk)} stored "
        f"{'invoice' if len(shrunk) == 1 else 'invoices'} ({before} lines -> {after}; {examples}); nothing was "
        f"saved. Does the file hold the lines (line_description, quantity, unit_price)? If the lines really "
        f"went away, import again with --replace-lines")


def export_file(store: Any, kind: str, path: Path | str, *, fmt: str | None = None,
                events: EventBus | None = None) -> int:
    """Write one data type to CSV or JSON in the import's columns; returns the number of rows."""
    if kind not in EXPORT_KINDS:
        raise ValueError(f"unknown data type {kind!r}: use one of {', '.join(EXPORT_KINDS)}")
    path = Path(path)
    fmt = guess_format(path, fmt)
    records = _records(store, kind)
    if fmt == "json":
        count = write_json(path, records)
    else:
        columns, rows = invoice_rows(records) if kind == "invoices" else record_rows(records)
        if not columns:
            columns = _empty_columns(kind)
        count = write_csv(path, columns, rows)
    (events or EventBus()).success(f"Exported {count} {kind} rows to {path}", side=Side.LOCAL, topic="export")
    return count


def _records(store: Any, kind: str) -> list[Any]:
    if kind == "log":
        return store.log.all()
    if kind == "exact_accounts":
        return sorted(store.exact_accounts.all(), key=lambda r: (r.get("code") or "", r.get("id")))
    records = _repository(store, kind).all()
    key = {"customers": "id", "contacts": "id", "invoices": "id", "products": "code", "links": "local_id",
           "ignored": "exact_id", "dimensions": "id", "transfers": "started_at"}.get(kind)
    return sorted(records, key=lambda r: str(getattr(r, key))) if key else records


def _empty_columns(kind: str) -> list[str]:
    from ..localdata.mapping import FIELDS

    if kind in FIELDS:
        return list(FIELDS[kind])
    import dataclasses

    from ..domain.ignored import IgnoredAccount
    from ..domain.link import Link
    from ..domain.transfer import TransferRecord

    cls = {"links": Link, "ignored": IgnoredAccount, "transfers": TransferRecord}.get(kind)
    if cls is not None:
        return [f.name for f in dataclasses.fields(cls)]
    if kind == "exact_accounts":
        return ["id", "name", "address", "postcode", "city", "country", "email", "phone", "vat", "coc", "code"]
    return ["time", "side", "level", "topic", "record", "message", "detail", "progress"]


__all__ = ["EXPORT_KINDS", "KINDS", "ImportResult", "LinesWouldBeRemoved", "export_file", "import_file"]

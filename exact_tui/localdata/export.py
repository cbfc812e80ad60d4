"""Records -> CSV or JSON in the import's own columns, so an export imports back unchanged.

CSV cells that a spreadsheet would run as a formula get a leading `'` (`domain.text.csv_guard`,
the one guard every CSV writer uses); the importer removes it again (`csv_unguard`). Files are UTF-8 with BOM, comma-separated, CRLF: what
Excel opens correctly on every platform.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..domain.files import atomic_write
from ..domain.invoice import Invoice
from ..domain.text import csv_guard
from ._gc import paused_gc


INVOICE_COLUMNS = ("invoice_id", "number", "kind", "customer_id", "date", "currency", "your_ref", "description",
                   "credits_invoice", "line_description", "quantity", "unit_price", "vat_code", "data_type",
                   "dimension_kind", "dimension_id", "product_number")


escape_cell = csv_guard  # the name callers of this module know


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(getattr(value, "value"), str):  # enums
        return value.value
    return str(value)


def record_rows(records: Iterable[Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows for dataclass records (dicts pass through), one row per record."""
    rows: list[dict[str, Any]] = []
    columns: list[str] = []
    seen: set[str] = set()
    for record in records:
        if dataclasses.is_dataclass(record):
            row = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
        elif isinstance(record, dict):
            row = dict(record)
        else:
            row = record.as_dict()
        for name in row:
            if name not in seen:  # dict rows (cached Exact accounts) may differ in their keys
                seen.add(name)
                columns.append(name)
        rows.append(row)
    return columns, rows


def invoice_rows(invoices: Iterable[Invoice]) -> tuple[list[str], list[dict[str, Any]]]:
    """One row per invoice line (an invoice without lines gets one row), as `import invoices` reads."""
    with paused_gc():
        return list(INVOICE_COLUMNS), _invoice_rows(invoices)


def _invoice_rows(invoices: Iterable[Invoice]) -> list[dict[str, Any]]:
    rows = []
    for inv in invoices:
        head = {"invoice_id": inv.id, "number": inv.number, "kind": inv.kind, "customer_id": inv.customer_id,
                "date": inv.date, "currency": inv.currency, "your_ref": inv.your_ref, "description": inv.description,
                "credits_invoice": inv.credits_invoice}
        for line in inv.lines or [None]:
            row = dict(head)
            if line is not None:
                row.update(line_description=line.description, quantity=line.quantity, unit_price=line.unit_price,
                           vat_code=line.vat_code, data_type=line.data_type, dimension_kind=line.dimension_kind,
                           dimension_id=line.dimension_id, product_number=line.product_number)
            rows.append(row)
    return rows


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> int:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    with paused_gc():
        for row in rows:
            writer.writerow([escape_cell(cell(row.get(c))) for c in columns])
            count += 1
    _write_text(path, "\ufeff" + buffer.getvalue())
    return count


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(getattr(value, "value"), str):
        return value.value
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        return {f.name: _json_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def write_json(path: Path, records: Iterable[Any]) -> int:
    items = [_json_value(r if isinstance(r, dict) else (r if dataclasses.is_dataclass(r) else r.as_dict()))
             for r in records]
    _write_text(path, json.dumps(items, ensure_ascii=False, indent=1) + "\n")
    return len(items)


EXPORT_MODE = 0o600  # exports hold customers' personal data: readable by the user only, like the profile


def _write_text(path: Path, text: str) -> None:
    """The one atomic write (domain/files.py): an interrupted export never leaves half a file, and the
    file is 0600 from the start (not chmod-ed afterwards), so no other user can open it meanwhile."""
    atomic_write(path, text, mode=EXPORT_MODE)

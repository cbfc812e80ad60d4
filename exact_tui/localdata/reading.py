"""Reading a CSV or JSON file into rows of cells, surviving what Excel and friends produce.

CSV: UTF-8 with or without BOM (UTF-16 with BOM too: Excel's "Unicode text"); `,` `;` tab or `|`
separators, found from the header line; an Excel `sep=;` first line; CRLF; quoted fields with
separators and line breaks; trailing empty columns and blank lines. A file that is not UTF-8 is
read as Windows-1252 (Excel's "CSV" on Windows), with a warning, because refusing it would only
send the user back to Excel with no better option. Binary files (an .xlsx, a PDF) are refused with
a message that says what to do.

JSON: a list of objects (or an object holding one such list); numbers are read as Decimal, never float.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..domain.text import csv_unguard
from ._gc import paused_gc

MAX_FILE_BYTES = 512 * 1024 * 1024
SEPARATORS = (",", ";", "\t", "|")
_SEP_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(slots=True)
class Row:
    line: int  # first line of the row in the file (CSV), or the record's position (JSON)
    cells: dict[str, Any]  # header -> value, headers as written in the file


@dataclass(slots=True)
class Table:
    format: str  # "csv" | "json"
    headers: list[str]
    rows: list[Row]
    separator: str = ""
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)

    @property
    def describe(self) -> str:
        if self.format == "json":
            return f"JSON, {len(self.rows)} records"
        return f"CSV ({_SEP_NAMES.get(self.separator, self.separator)}-separated, {self.encoding}), {len(self.rows)} rows"


def guess_format(path: Path, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in ("csv", "json"):
            raise FileProblem(f"unknown format {explicit!r}: use csv or json")
        return explicit
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl"):
        return "json"
    return "csv"


def read_table(path: Path, fmt: str | None = None) -> Table:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileProblem(f"{path}: no such file") from None
    if path.is_dir():
        raise FileProblem(f"{path} is a folder, not a file")
    if size > MAX_FILE_BYTES:
        raise FileProblem(f"{path} is {size / 1e6:.0f} MB; split it into files under {MAX_FILE_BYTES // 2**20} MB")
    raw = path.read_bytes()
    if not raw.strip():
        raise FileProblem(f"{path} is empty")
    _refuse_binary(path, raw)
    fmt = guess_format(path, fmt)
    text, encoding, warnings = decode(raw, path)
    _refuse_nul(path, text)
    with paused_gc():
        table = read_json_text(text, path) if fmt == "json" else read_csv_text(text, path)
    table.encoding = encoding
    table.warnings[:0] = warnings
    return table


def _refuse_binary(path: Path, raw: bytes) -> None:
    head = raw[:8192]
    if head.startswith(b"PK\x03\x04"):
        raise FileProblem(f"{path} is an Excel workbook or other zip file: in Excel use Save As > "
                          f"'CSV UTF-8 (comma delimited)' and import that file")
    if head.startswith(b"%PDF"):
        raise FileProblem(f"{path} is a PDF, not a CSV or JSON file")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 100 + 1:
        raise FileProblem(f"{path} looks like a binary file, not text: export CSV (UTF-8) or JSON")


def _refuse_nul(path: Path, text: str) -> None:
    """A NUL anywhere (not only in the first 8 KB the binary check reads) is not text."""
    at = text.find("\x00")
    if at >= 0:
        raise FileProblem(f"{path}, line {text.count(chr(10), 0, at) + 1}: holds a NUL byte, so it is not a text "
                          f"file (or it is UTF-16 without its byte-order mark); export it again as CSV UTF-8")


def decode(raw: bytes, path: Path) -> tuple[str, str, list[str]]:
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8", errors="strict"), "utf-8 with BOM", []
        except UnicodeDecodeError as exc:
            # The BOM says UTF-8, a byte says otherwise: two programs wrote this file, and guessing
            # which cells are which would silently garble names.
            line = raw[:exc.start + 3].count(b"\n") + 1
            raise FileProblem(f"{path}, line {line}: the file starts with a UTF-8 mark (BOM) but byte "
                              f"0x{raw[exc.start + 3]:02x} there is not UTF-8 (a Windows-1252 character?); "
                              f"save the file again as 'CSV UTF-8' and import that") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError as exc:
            raise FileProblem(f"{path}: broken UTF-16 text at byte {exc.start}") from None
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        where = f"line {line}"
    try:
        text, encoding = raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    return text, encoding, [
        f"the file is not UTF-8 (first non-UTF-8 byte on {where}); it was read as {encoding}, as Excel on "
        f"Windows writes it. Check names with accents, or save as 'CSV UTF-8' to be sure."
    ]


_unescape = csv_unguard  # undo the formula guard our own export adds ('=…  ->  =…, ''x -> 'x)


def read_csv_text(text: str, path: Path) -> Table:
    first_line_offset = 0
    first, _, rest = text.partition("\n")
    warnings: list[str] = []
    separator = ""
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        separator = first.strip()[4]
        text, first_line_offset = rest, 1
        first = text.partition("\n")[0]
    if not separator:
        header_line = next((line for line in text.splitlines() if line.strip()), "")
        separator = _sniff_separator(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', doublequote=True,
                        strict=False)
    rows: list[Row] = []
    headers: list[str] | None = None
    line_end = 0
    physical: list[str] | None = None  # the file's lines, split as the reader splits them
    try:
        for cells in reader:
            line = line_end + 1 + first_line_offset
            start, line_end = line_end, reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines and rows of only separators
            if headers is None:
                headers = _headers(cells, path, line)
                continue
            if line_end - start > 1 and len(headers) > 1:
                if physical is None:
                    physical = io.StringIO(text, newline="").readlines()
                _refuse_swallowed_rows(path, physical, start, line_end, separator, len(headers), first_line_offset)
            extra = cells[len(headers):]
            if any(c.strip() for c in extra):
                raise FileProblem(f"{path}, line {line}: {len(cells)} cells but the header has {len(headers)} "
                                  f"columns; is a value with a '{separator}' missing its quotes?")
            values = {h: c.strip() for h, c in zip(headers, cells)}
            for h, c in values.items():
                if c[:1] == "'":
                    values[h] = _unescape(c)
            rows.append(Row(line, values))
    except csv.Error as exc:
        where = line_end + 1 + first_line_offset
        if "field larger than field limit" in str(exc):
            raise FileProblem(f"{path}, line {where}: a cell is longer than {csv.field_size_limit() // 1024} KB; "
                              f"this is not a customer or invoice export (a missing closing quote?)") from None
        raise FileProblem(f"{path}, line {where}: {exc}") from None
    if headers is None:
        raise FileProblem(f"{path} has no header line")
    return Table("csv", headers, rows, separator=separator, warnings=warnings)


def _refuse_swallowed_rows(path: Path, physical: list[str], start: int, end: int, separator: str, columns: int,
                           offset: int) -> None:
    """A quoted cell spanning lines is fine (an address with a line break) unless a line inside it
    is a whole row of its own: then a quote was left open and later rows vanished into one cell."""
    for index in range(start + 1, min(end, len(physical))):
        inner = physical[index].rstrip("\r\n")
        if not inner.strip():
            continue
        parts = next(csv.reader([inner], delimiter=separator, strict=False), [])
        while parts and not parts[-1].strip():
            parts.pop()  # Excel's trailing empty columns
        if len(parts) >= columns:
            raise FileProblem(
                f"{path}, line {start + 1 + offset}: a quote (\") opened on this line is not closed before line "
                f"{index + 1 + offset}, so the rows from there on would be read as one cell; close the quote "
                f"(or double a \" that belongs in the text: \"\")")


def _sniff_separator(header_line: str) -> str:
    counts = {sep: _count_outside_quotes(header_line, sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            count += 1
    return count


def _headers(cells: list[str], path: Path, line: int) -> list[str]:
    headers = [c.strip().lstrip("\ufeff") for c in cells]
    while headers and not headers[-1]:
        headers.pop()  # Excel's trailing empty columns
    empty = [i + 1 for i, h in enumerate(headers) if not h]
    if empty:
        raise FileProblem(f"{path}, line {line}: column {empty[0]} of the header is empty")
    seen: set[str] = set()
    for h in headers:
        if h.lower() in seen:
            raise FileProblem(f"{path}, line {line}: column {h!r} appears twice in the header")
        seen.add(h.lower())
    return headers


def read_json_text(text: str, path: Path) -> Table:
    try:
        data = json.loads(text, parse_float=Decimal)
    except RecursionError:
        raise FileProblem(f"{path}: the JSON is nested too deep to be a list of records") from None
    except ValueError as exc:
        raise FileProblem(f"{path}: not valid JSON ({exc})") from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise FileProblem(f"{path}: expected a JSON list of objects (or an object holding one list)")
        data = lists[0]
    if not isinstance(data, list):
        raise FileProblem(f"{path}: expected a JSON list of objects, found {type(data).__name__}")
    rows: list[Row] = []
    headers: dict[str, None] = {}
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise FileProblem(f"{path}: record {index} is {type(item).__name__}, not an object")
        cells = _json_cells(path, index, item)
        nested = cells.pop("lines", None)
        if isinstance(nested, list):
            # An invoice as our export writes it: its lines nested. One row per line, as in CSV,
            # the line's own `description` read as `line_description`.
            for line in nested or [{}]:
                row = dict(cells)
                row.update({("line_description" if k == "description" else k): v for k, v in line.items()})
                headers.update(dict.fromkeys(row))
                rows.append(Row(index, row))
            continue
        headers.update(dict.fromkeys(cells))
        rows.append(Row(index, cells))
    return Table("json", list(headers), rows)


def _json_cells(path: Path, index: int, item: dict[str, Any]) -> dict[str, Any]:
    """The record's fields, stripped; refuses what no field can hold (nested objects, broken text)."""
    cells: dict[str, Any] = {}
    for key, value in item.items():
        name = _json_text(path, index, str(key), str(key)).strip()
        if isinstance(value, str):
            value = _json_text(path, index, name, value).strip()
        elif isinstance(value, list) and name == "lines":
            value = [_json_line(path, index, n, line) for n, line in enumerate(value, start=1)]
        elif isinstance(value, (dict, list)):
            raise FileProblem(f"{path}: record {index}, field {name!r}: holds a JSON "
                              f"{'object' if isinstance(value, dict) else 'list'}, not a value; "
                              f"give each field as text, a number, true/false or null")
        cells[name] = value
    return cells


def _json_line(path: Path, index: int, number: int, line: Any) -> dict[str, Any]:
    if not isinstance(line, dict):
        raise FileProblem(f"{path}: record {index}, lines[{number}]: is {type(line).__name__}, not an object")
    out: dict[str, Any] = {}
    for key, value in line.items():
        name = _json_text(path, index, f"lines[{number}]", str(key)).strip()
        if isinstance(value, (dict, list)):
            raise FileProblem(f"{path}: record {index}, lines[{number}].{name}: holds a JSON "
                              f"{'object' if isinstance(value, dict) else 'list'}, not a value")
        out[name] = _json_text(path, index, f"lines[{number}].{name}", value).strip() if isinstance(value, str) else value
    return out


def _json_text(path: Path, index: int, name: str, value: str) -> str:
    """JSON can spell a lone UTF-16 surrogate (\\ud800) that no file or terminal can hold: refuse it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise FileProblem(f"{path}: record {index}, field {name!r}: holds a broken character "
                          f"(\\u{ord(value[exc.start]):04x}, half of a UTF-16 pair), not text") from None
    return value

"""Where local data comes from and goes to: files today (CSV, JSON), a PSA's API tomorrow.

`LocalSource` is the seam: anything that can hand over rows of one data type. `FileSource` reads
CSV/JSON files; a future API adapter implements the same method and the import use case, the
validation and the store stay as they are. Imports only `exact_tui.domain`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ._gc import paused_gc
from .mapping import KINDS, ColumnMapping, MappingProblem, build_mapping, parse_overrides
from .reading import FileProblem, Table, read_table
from .records import Batch, Known, Problem, build, known_from


class LocalSource(Protocol):
    def read(self, kind: str) -> Table:
        """All rows of one data type (`customers`, `contacts`, `invoices`, `products`, `dimensions`)."""


@dataclass(slots=True)
class FileSource:
    path: Path
    format: str | None = None  # csv | json; None guesses from the file name

    def read(self, kind: str) -> Table:
        return read_table(Path(self.path), self.format)


def load_batch(source: LocalSource, kind: str, known: Known | None = None,
               overrides: Mapping[str, str] | None = None) -> tuple[Table, ColumnMapping, Batch]:
    """Read, map and validate one data type; raises FileProblem / MappingProblem for unusable input."""
    if kind not in KINDS:
        raise MappingProblem(f"unknown data type {kind!r}: use one of {', '.join(KINDS)}")
    table = source.read(kind)
    mapping = build_mapping(kind, table.headers, overrides)
    if mapping.missing and (table.rows or table.format != "json"):  # `[]` (an empty export) has no columns
        raise MappingProblem(
            f"no column for {', '.join(mapping.missing)} (columns in the file: {', '.join(table.headers)}); "
            f"name the column with --map COLUMN={mapping.missing[0]}")
    return table, mapping, build(table, mapping, known)


__all__ = ["KINDS", "Batch", "ColumnMapping", "FileProblem", "FileSource", "Known", "LocalSource", "MappingProblem",
           "Problem", "Table", "build", "build_mapping", "known_from", "load_batch", "parse_overrides", "paused_gc", "read_table"]

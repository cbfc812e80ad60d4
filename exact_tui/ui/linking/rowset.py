"""`RowSet`: one tab's rows and what filtering and sorting computed from them, kept while they are shown.

At 100,000 rows one pass of Python per row (a property, a dict look-up, an f-string) costs 50–300 ms,
and a key must cost at most 50 ms. So each value a filter word or a sort needs is computed once per
row set as a *column* (a list aligned with the rows), and a sort's full order is kept per column and
direction: sorting again, reversing (Timsort on an input already sorted the other way is one pass)
and sorting a filtered view (the kept order, less the hidden rows) are then a pass over a kept list.
The table keeps the sets of the last few tabs, so switching back to a tab computes nothing again.

No Textual here: the table decides what a column holds (`build`), this keeps and orders them.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import is_
from typing import Any

Build = Callable[[int, int], list[Any]]  # (start, end) -> the column's values for rows[start:end]


class RowSet:
    """The rows of one list (a tab), their columns (by name) and their sorted orders (by column, direction)."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows
        self.columns: dict[str, list[Any]] = {}
        self.orders: dict[tuple[str, bool], list[int]] = {}
        self.id_set: set[str] | None = None  # the rows' ids as a set (the table checks a selection against it)
        self.selection: set[str] | None = None  # a selection known to hold only these rows' ids

    def holds(self, rows: Sequence[Any]) -> bool:
        """The same row objects in the same order (identity, not equality: a row is one Exact account)."""
        return len(rows) == len(self.rows) and all(map(is_, rows, self.rows))

    def column(self, name: str, build: Build, upto: int | None = None) -> list[Any]:
        """Column `name` for the first `upto` rows (all by default), built where it was left off:
        the table warms the search text in chunks while the user reads the first page."""
        values = self.columns.setdefault(name, [])
        end = len(self.rows) if upto is None else min(upto, len(self.rows))
        if len(values) < end:
            values.extend(build(len(values), end))
        return values

    def built(self, name: str) -> int:
        """How many rows of column `name` are built."""
        return len(self.columns.get(name, ()))

    def forget(self) -> None:
        """Rows changed in place (another candidate, a result): every column and order is computed again."""
        self.columns.clear()
        self.orders.clear()
        self.id_set = None

    def order(self, key: str, reverse: bool, keys: Callable[[], list[Any]]) -> list[int]:
        """All row indices sorted by `keys()` (a column), stable: equal keys keep the rows' own order, in
        both directions (as `list.sort(reverse=True)` keeps them). Kept per column and direction."""
        found = self.orders.get((key, reverse))
        if found is None:
            other = self.orders.get((key, not reverse))
            values = keys()
            if other is not None and self._unique(key, values):
                found = other[::-1]  # no equal keys whose order a reversal would turn round
            else:
                # the other way round is already sorted: Timsort reverses its runs, compares little
                found = sorted(other if other is not None else range(len(self.rows)), key=values.__getitem__,
                               reverse=reverse)
            self.orders[(key, reverse)] = found
        return found

    def _unique(self, key: str, values: list[Any]) -> bool:
        """Whether no two rows have the same sort key (names, codes), kept per column."""
        name = "unique:" + key
        if name not in self.columns:
            self.columns[name] = [len(set(values)) == len(values)]
        return bool(self.columns[name][0])

    def sort(self, view: list[int], key: str, reverse: bool, keys: Callable[[], list[Any]]) -> list[int]:
        """`view` (indices in row order, e.g. after a filter) sorted as `order` sorts all rows."""
        n = len(self.rows)
        if len(view) == n:
            return list(self.order(key, reverse, keys))
        kept = (key, reverse) in self.orders or (key, not reverse) in self.orders
        if kept or len(view) * 4 > n:
            shown = set(view)
            return list(filter(shown.__contains__, self.order(key, reverse, keys)))
        return sorted(view, key=keys().__getitem__, reverse=reverse)  # a few rows: sort only those

"""`PairsTable`: a virtual table of Exact account / local customer pairs for 100,000 rows.

Textual's `DataTable` measures every cell when rows are added (about 2 s for 10,000 rows, UI
frozen). This widget keeps the rows as the service's `Row` objects and only an index list (the
view after filter and sort); `render_line` draws the few visible lines from the data (Textual's
line API, as Toolong does for huge logs), so opening, moving, paging and selecting cost the same
at 1,000 rows as at 100,000. Filtering and sorting read columns computed once per row set and
kept with it (`rowset.RowSet`), so a filter letter, a sort or a tab switch at 100,000 rows is a
pass over kept lists, not Python per row.

Why over 400 lines: one widget (line rendering, cursor, selection, the filtered and sorted view).
"""
from __future__ import annotations

from functools import partial
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, count, repeat
from operator import attrgetter, is_
from typing import Any

from rich.cells import cell_len
from rich.cells import set_cell_size as _set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click, Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from ...domain.text import printable
from ...services.linking import same_value
from ...services.linking.filters import (as_people, field_text, field_texts, free_text, row_candidates, row_customers,
                                         row_scores, score_predicates, words)
from .rowset import RowSet


def set_cell_size(text: str, width: int) -> str:
    """A cell of the table: names and codes come from files and from Exact, shown with their control
    characters escaped (a terminal would obey an ESC in them), then fitted to the column."""
    return _set_cell_size(printable(text), width)


LocalLookup = Callable[[str | None], Any]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int  # fixed width, or the minimum for a flexible column
    flex: int = 0  # share of the spare width
    min_total: int = 0  # shown only when the table is at least this wide


COLUMNS: tuple[Column, ...] = (
    Column("code", "Code", 7),
    Column("exact", "Exact account", 14, flex=3),
    Column("local", "Local customer", 14, flex=3),
    Column("score", "Score", 11),
    Column("postcode", "Postcode E│L", 15),
    Column("city", "City E│L", 20, flex=1, min_total=100),
    Column("vat", "VAT E│L", 24, min_total=130),
    Column("result", "Result", 18, flex=2, min_total=118),
)
SORTABLE = tuple(c.key for c in COLUMNS)
MARK_WIDTH = 2
_BAR = " ▏▎▍▌▋▊▉█"


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells, ending in … when it is cut (so two cut VAT numbers that differ
    further on do not look equal, nor equal ones different)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def code_key(code: str) -> str:
    """An account code's sort key: numeric codes first, by value ("7" before "10"; leading zeros do not
    count), then the others by their text. One string, so a sort of 100,000 compares strings only."""
    if code.isdigit():
        digits = code.lstrip("0")
        return f"0{len(digits):04d}{digits}"
    return "1" + code.casefold()


def score_bar(score: float, width: int = 5) -> str:
    """A bar of `width` cells in eighths: 87 → '████▍'."""
    eighths = round(max(0.0, min(100.0, score)) / 100 * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_BAR[part] if part else "")).ljust(width)


class PairsTable(ScrollView, can_focus=True):
    """Rows of pairs with a cursor, a multi-row selection (by Exact id), filter and sort.

    Subclasses show other rows (anything with `id`, `problem`, `result`) by overriding `COLUMNS`,
    `field_text`, `_sort_function` and `_cell` (the Transfers screen's `TransfersTable` does)."""

    COLUMNS: tuple[Column, ...] = COLUMNS

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="link.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="link.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="link.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="link.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="link.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="link.last"),
        Binding("space", "toggle", "Select", id="link.toggle"),
        Binding("shift+up", "extend(-1)", "Extend up", show=False, id="link.extend_up"),
        Binding("shift+down", "extend(1)", "Extend down", show=False, id="link.extend_down"),
        Binding("a", "select_all", "All", id="link.all"),
        Binding("n", "select_none", "None", show=False, id="link.none"),
        Binding("i", "invert", "Invert", show=False, id="link.invert"),
        Binding("s", "sort_next", "Sort", show=False, id="link.sort"),
        Binding("S", "sort_reverse", "Reverse sort", show=False, id="link.sort_reverse"),
        Binding("j", "next_problem", "Next problem", show=False, id="link.next_problem"),
    ]
    COMPONENT_CLASSES = {"pairs-table--header", "pairs-table--cursor", "pairs-table--selected",
                         "pairs-table--diff", "pairs-table--same", "pairs-table--problem", "pairs-table--ok",
                         "pairs-table--dim", "pairs-table--high", "pairs-table--mid", "pairs-table--low"}

    class CursorMoved(Message):
        def __init__(self, table: "PairsTable", row: Any | None) -> None:
            super().__init__()
            self.table, self.row = table, row

    class SelectionChanged(Message):
        def __init__(self, table: "PairsTable", count: int) -> None:
            super().__init__()
            self.table, self.count = table, count

    class Activated(Message):
        """Enter on a row (the screen opens the candidate picker)."""

        def __init__(self, table: "PairsTable", row: Any) -> None:
            super().__init__()
            self.table, self.row = table, row

    def __init__(self, *, local: LocalLookup | None = None, on_cursor: Callable[[Any | None], None] | None = None,
                 on_view: Callable[[], None] | None = None, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        """`on_cursor(row)` is called as soon as the cursor is on another row, before this frame is
        drawn: a detail panel shown with it appears in the same frame as the cursor (through the
        `CursorMoved` message it came one frame, ~35 ms, later). `on_view()` likewise when the
        selection or the rows shown changed (a status line with the counts). Both messages are
        posted as well."""
        super().__init__(name=name, id=id, classes=classes)
        self.local: LocalLookup = local or (lambda _id: None)
        self.on_cursor = on_cursor
        self.on_view = on_view
        self.cursor = 0
        self.rows: list[Any] = []
        self.view: list[int] = []
        self.selected: set[str] = set()
        self.filter_text = ""
        self.sort_key: str | None = None
        self.sort_reverse = False
        self._anchor: int | None = None
        self._styles: dict[str, Style] | None = None
        self._layout: list[tuple[Column, int]] = []
        self._set = RowSet([])
        self._sets: list[RowSet] = []  # the last few tabs' row sets, newest first
        self._warmer: Timer | None = None

    @property
    def allow_horizontal_scroll(self) -> bool:
        """Never sideways: the columns fit the width, and ←/→ must reach the screen (other candidate)."""
        return False

    # -- data ------------------------------------------------------------------------------------
    KEEP_SETS = 4  # row sets kept for switching back (one per Link tab)
    WARM_CHUNK = 2000  # rows of columns built per step while idle (~5 ms: a key waits at most that long)
    # a pair's texts depend only on the row object and its chosen candidate, which change only through
    # `refresh_rows`; a subclass whose rows change in place otherwise sets this False (no reuse)
    KEEP_SEARCH_TEXT = True

    def set_rows(self, rows: Sequence[Any], *, keep_cursor: bool = True, reuse: bool = False) -> None:
        """Show these rows (a tab). The selection keeps only ids still present; filter and sort stay.

        `reuse`: the rows have not changed in place since they were last shown (a tab switch): what
        filter and sort computed for the same rows then is used again instead of computing it anew.
        Without it every kept row set is dropped (after an action or undo rows may have changed)."""
        current = self.current_row if keep_cursor else None
        self._set = self._row_set(rows, reuse and self.KEEP_SEARCH_TEXT)
        self.rows = rows = self._set.rows
        self._stop_warm()
        if len(rows) > self.WARM_CHUNK and self.is_mounted and self._warmed() < len(rows):
            self._warmer = self.set_timer(0.2, partial(self._start_warm, self._set))
        if self.selected and self.selected is not self._set.selection:
            self.selected &= self._id_set()
        # this very set holds only ids of these rows (the table adds only shown ones): the next tab
        # switch back with it need not check its 80,000 ids again
        self._set.selection = self.selected
        # where the cursor's row is now, by identity (`list.index` would call a dataclass `__eq__` per row)
        keep = next(compress(count(), map(is_, rows, repeat(current))), None) if current is not None else None
        self._apply(keep=keep)

    def _row_set(self, rows: Sequence[Any], reuse: bool) -> RowSet:
        if reuse:
            for found in self._sets:
                if found.holds(rows):
                    self._sets.remove(found)
                    self._sets.insert(0, found)
                    return found
        else:
            self._sets.clear()  # rows given anew may have changed in place (an action, undo): keep none
        made = RowSet(list(rows))
        self._sets.insert(0, made)
        del self._sets[self.KEEP_SETS:]
        return made

    def _column(self, name: str, upto: int | None = None) -> list[Any]:
        """A column of the current row set (see `_build`), built once and kept with it."""
        return self._set.column(name, partial(self._build, self._set, name), upto)

    def _build(self, rowset: RowSet, name: str, start: int, end: int) -> list[Any]:
        """Column `name` for rows[start:end]: "id", "customer" (the chosen local customer), "score",
        "text:<field>" (a filter word's text, "text:all" the free text), "key:<column>" (sort key)."""
        rows = rowset.rows[start:end]
        if name == "id":
            return list(map(attrgetter("id"), rows))
        if name == "candidate":
            return row_candidates(rows)
        if name in ("customer", "score"):
            candidates = rowset.column("candidate", partial(self._build, rowset, "candidate"), end)[start:end]
            return row_customers(candidates, self.local) if name == "customer" else row_scores(candidates)
        if name == "exact":
            return list(map(attrgetter("exact"), rows))
        if name == "person":
            return as_people(rowset.column("customer", partial(self._build, rowset, "customer"), end)[start:end])
        kind, _, field = name.partition(":")
        pairs = self._pairs()
        if kind == "text":
            if pairs:
                def kept(column: str) -> list[Any]:
                    return rowset.column(column, partial(self._build, rowset, column), end)[start:end]

                return field_texts(rows, kept("customer"), field, exacts=kept("exact"), people=kept("person"))
            return [self.field_text(r, field) for r in rows]
        if pairs:
            keys = self._pair_sort_keys(rowset, field, start, end)
            if keys is not None:
                return keys
        key = self._sort_function(field)
        return [key(r) for r in rows]

    def _pairs(self) -> bool:
        """Whether this table shows the Link screen's pairs with their own texts and sort keys (a
        subclass with other rows and its own `field_text` / `_sort_function` gets those row by row)."""
        cls = type(self)
        return cls.field_text is PairsTable.field_text and cls._sort_function is PairsTable._sort_function

    def _pair_sort_keys(self, rowset: RowSet, key: str, start: int, end: int) -> list[Any] | None:
        """`_sort_function(key)` for rows[start:end] as a column, from the columns already kept."""
        def column(name: str) -> list[Any]:
            return rowset.column(name, partial(self._build, rowset, name), end)[start:end]

        rows = rowset.rows[start:end]
        if key == "score":
            return column("score")
        if key == "exact":
            return column("text:name")
        if key == "result":
            return [("0" + r.problem) if r.problem else ("1" + r.result) for r in rows]
        try:
            if key == "code":
                codes = list(map(attrgetter("code"), map(attrgetter("exact"), rows)))
                if all(map(str.isdigit, codes)):  # as Exact's are: numbers sort as numbers, fastest as ints
                    return list(map(int, codes))
                return list(map(code_key, codes))
            if key == "local":
                return [c.name.casefold() if c is not None else "\uffff" for c in column("customer")]
            return list(map(str.casefold, map(attrgetter(key), map(attrgetter("exact"), rows))))
        except (TypeError, AttributeError, ValueError):  # not a str, or a digit int() refuses ("²"): row by row
            return None

    def _matching(self, indices: Iterable[int], text: str) -> list[int]:
        """Indices passing the filter, each word applied to a whole column (texts and scores kept per row set)."""
        out = list(indices)
        for word in words(text):
            if not out:
                break
            if word.kind == "text":
                out = self._containing(out, self._hay_list(), word.text)
            elif word.kind == "field":
                out = self._containing(out, self._column("text:" + word.op), word.text)
            else:
                scores = self._column("score")
                for holds in score_predicates(word):
                    out = list(compress(out, map(holds, map(scores.__getitem__, out))))
        return out

    @staticmethod
    def _containing(indices: list[int], texts: list[str], word: str) -> list[int]:
        """The indices whose text contains `word` (`str.__contains__` mapped: no Python call per row)."""
        return list(compress(indices, map(str.__contains__, map(texts.__getitem__, indices), repeat(word))))

    def _hay_list(self) -> list[str]:
        """Search text per row, aligned with `rows` (built once per row set; warmed in the background)."""
        return self._column("text:all")

    def _apply(self, keep: int | None = None) -> None:
        """Recompute the view: filter, then sort. `keep`: the index of the row the cursor stays on."""
        filtered = bool(self.filter_text.strip())
        key = self.sort_key
        if key and (not filtered or (key, self.sort_reverse) in self._set.orders):
            # a kept order (or all rows to sort anyway): filtering it keeps it sorted, nothing to sort after
            order = self._set.order(key, self.sort_reverse, lambda: self._column("key:" + key))
            view = self._matching(order, self.filter_text) if filtered else list(order)
        else:
            view = list(range(len(self.rows)))
            if filtered:
                view = self._matching(view, self.filter_text)
            if key:
                view = self._set.sort(view, key, self.sort_reverse, lambda: self._column("key:" + key))
        self.view = view
        self._settle(keep)

    def _settle(self, keep: int | None) -> None:
        """After the view changed: cursor back on the same row when it is still shown, sizes, repaint."""
        view = self.view
        self._anchor = None
        position = 0
        if keep is not None:
            try:
                position = view.index(keep)
            except ValueError:
                position = min(self.cursor, len(view) - 1)
        self._set_height(len(view) + 1)
        self.set_cursor(max(0, position))
        self.refresh()
        self._selection_changed()

    def _set_height(self, lines: int) -> None:
        """The virtual height, without a layout pass of the screen (the reactive `virtual_size` asks for
        one, ~30 ms at 140×40, though the table's own size does not change); the scrollbar follows, and
        when it appears or goes, its reactive lays the table out again."""
        size = Size(self.size.width, lines)
        if size == self.virtual_size:
            return
        height = self.styles.height
        if height is None or height.is_auto:  # a table as tall as its rows: its size does change
            self.virtual_size = size
            return
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)

    def _current_index(self) -> int | None:
        return self.view[self.cursor] if 0 <= self.cursor < len(self.view) else None

    def set_filter(self, text: str) -> None:
        if text == self.filter_text:
            return
        old, self.filter_text = self.filter_text, text
        if old.strip() and text.startswith(old) and free_text(text):
            # typing on: a longer word only matches rows the shorter one matched, so narrow the
            # current view (already sorted) instead of scanning every row again
            keep = self._current_index()
            self.view = self._matching(self.view, text)
            self._settle(keep)
            return
        self._apply(keep=self._current_index())

    def sort_by(self, key: str | None, reverse: bool | None = None) -> None:
        if key == self.sort_key and reverse is None:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key = key
            self.sort_reverse = bool(reverse) if reverse is not None else key == "score"
        self._apply(keep=self._current_index())

    def _sort_function(self, key: str) -> Callable[[Any], Any]:
        """A row's sort key per column (the Link table reads the same keys as columns, `_pair_sort_keys`)."""
        local = self.local
        if key == "score":
            return lambda r: r.score
        if key == "code":
            return lambda r: code_key(r.exact.code)
        if key == "exact":
            return lambda r: r.exact.name.casefold()
        if key == "local":
            return lambda r: getattr(local(r.local_id), "name", "\uffff").casefold()
        if key == "result":
            return lambda r: ("0" + r.problem) if r.problem else ("1" + r.result)
        return lambda r: (r.exact.value(key) or "").casefold()

    def haystack(self, row: Any) -> str:
        """The row's free-text search text (the filter reads it as a column, `_hay_list`)."""
        return self.field_text(row, "all")

    def field_text(self, row: Any, name: str) -> str:
        return field_text(row, self.local(row.local_id), name)

    def _warm_columns(self) -> list[str]:
        """What is built ahead while idle: the free text (the first filter letter) and, for the pairs,
        every column's sort key (then a first sort at 100,000 rows is only the sort) and the text of
        each `field:` word."""
        if not self._pairs():
            return ["id", "text:all"]
        return (["id", "text:all"] + ["key:" + c.key for c in self.COLUMNS]
                + ["text:" + field for field in ("code", "city", "postcode", "local")])

    def _start_warm(self, rowset: RowSet) -> None:
        # one interval timer for all the steps: a timer per step cost about as much as the step
        if rowset is self._set:
            self._warmer = self.set_interval(0.01, partial(self._warm, rowset))

    def _stop_warm(self) -> None:
        if self._warmer is not None:
            self._warmer.stop()
            self._warmer = None

    def _warm(self, rowset: RowSet) -> None:
        """Build the columns a filter letter and a sort need in small chunks while the user reads the
        first page, so the first letter or sort at 100k rows does not pay for all of them at once."""
        if rowset is not self._set:
            self._stop_warm()  # another tab since
            return
        end = self._warmed() + self.WARM_CHUNK
        for name in self._warm_columns():
            self._column(name, end)
        if end >= len(rowset.rows):
            self._stop_warm()

    def _warmed(self) -> int:
        """How many rows of the current set have every column `_warm` builds."""
        return min(self._set.built(name) for name in self._warm_columns())

    @property
    def built_ahead(self) -> bool:
        """Whether the columns built ahead while idle are there for every row (the bench waits for it)."""
        return self._warmed() >= len(self.rows)

    def _id_set(self) -> set[str]:
        """The ids of all rows, as a set made once per row set (the selection is checked against it)."""
        found = self._set.id_set
        if found is None:
            found = self._set.id_set = set(self._column("id"))
        return found

    def refresh_rows(self) -> None:
        """Rows changed in place (a result, another candidate): repaint; their texts and sort keys are
        computed again when a filter or sort needs them."""
        self._set.forget()
        self._sets = [self._set]
        self.refresh()

    # -- cursor ----------------------------------------------------------------------------------
    @property
    def current_row(self) -> Any | None:
        if 0 <= self.cursor < len(self.view):
            return self.rows[self.view[self.cursor]]
        return None

    @property
    def visible_rows(self) -> list[Any]:
        return [self.rows[i] for i in self.view]

    @property
    def selected_rows(self) -> list[Any]:
        """Selected rows in view order (the selection may also hold rows a filter hides)."""
        return [r for r in self.rows if r.id in self.selected]

    def set_cursor(self, position: int) -> None:
        position = max(0, min(position, len(self.view) - 1)) if self.view else 0
        before, top = self.cursor, self.scroll_offset.y
        self.cursor = position
        self._scroll_to_cursor()
        if self.scroll_offset.y == top and before != position:
            # a move within the page: only the two lines that changed are drawn again (line 0 is the header)
            self.refresh_line(before + 1)
            self.refresh_line(position + 1)
        else:
            self.refresh()
        self._cursor_moved()

    def _selection_changed(self) -> None:
        if self.on_view is not None:
            self.on_view()
        self.post_message(self.SelectionChanged(self, len(self.selected)))

    def _cursor_moved(self) -> None:
        row = self.current_row
        if self.on_cursor is not None:
            self.on_cursor(row)
        self.post_message(self.CursorMoved(self, row))

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    @property
    def page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def action_cursor(self, delta: int) -> None:
        self._anchor = None
        self.set_cursor(self.cursor + delta)

    def action_page(self, delta: int) -> None:
        self._anchor = None
        self.set_cursor(self.cursor + delta * self.page_height)

    def action_jump(self, where: int) -> None:
        self._anchor = None
        self.set_cursor(len(self.view) - 1 if where < 0 else where)

    def action_next_problem(self) -> None:
        n = len(self.view)
        for step in range(1, n + 1):
            position = (self.cursor + step) % n
            if self.rows[self.view[position]].problem:
                self.set_cursor(position)
                return
        self.notify("No row with a problem in this list", timeout=2)

    # -- selection -------------------------------------------------------------------------------
    def _changed(self) -> None:
        self.refresh()
        self._selection_changed()

    def action_toggle(self) -> None:
        row = self.current_row
        if row is None:
            return
        self.selected.symmetric_difference_update({row.id})
        self._anchor = None
        self.set_cursor(self.cursor + 1)
        self._changed()

    def action_extend(self, delta: int) -> None:
        """Shift+↑/↓: the rows between where the extension started and the cursor are selected."""
        if not self.view:
            return
        if self._anchor is None:
            self._anchor = self.cursor
            self.selected.add(self.rows[self.view[self.cursor]].id)
        self.cursor = max(0, min(self.cursor + delta, len(self.view) - 1))
        low, high = sorted((self._anchor, self.cursor))
        self.selected.update(self.rows[i].id for i in self.view[low:high + 1])
        self._scroll_to_cursor()
        self._cursor_moved()
        self._changed()

    def _view_ids(self) -> Iterable[str]:
        """The ids of the rows shown, from a column made once per row set (100k `row.id` lookups cost
        more than the set operation itself)."""
        ids = self._column("id")
        return ids if len(self.view) == len(ids) else map(ids.__getitem__, self.view)

    def action_select_all(self) -> None:
        """All rows the filter shows (hidden rows are not added)."""
        self.selected.update(self._view_ids())
        self._changed()

    def action_select_none(self) -> None:
        self.selected.clear()
        self._changed()

    def action_invert(self) -> None:
        """Invert within the visible rows; selected rows hidden by the filter stay selected."""
        shown = self._id_set() if len(self.view) == len(self.rows) else set(self._view_ids())
        self.selected.symmetric_difference_update(shown)
        self._changed()

    def select_where(self, test: Callable[[Any], bool]) -> int:
        """Add visible rows passing `test` (e.g. score ≥ 90); returns how many were added."""
        rows = self.rows
        before = len(self.selected)
        self.selected.update(rows[i].id for i in self.view if test(rows[i]))
        self._changed()
        return len(self.selected) - before

    def select_ids(self, ids: Iterable[str]) -> None:
        self.selected = set(ids) & self._id_set()
        self._changed()

    def action_sort_next(self) -> None:
        keys = [c.key for c in self.COLUMNS]
        position = keys.index(self.sort_key) + 1 if self.sort_key in keys else 0
        self.sort_by(keys[position % len(keys)], reverse=keys[position % len(keys)] == "score")

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_key or "score")

    # -- mouse -----------------------------------------------------------------------------------
    def on_click(self, event: Click) -> None:
        y = event.y
        if y == 0:
            x = event.x - MARK_WIDTH
            for column, width in self._layout:
                if x < width + 1:
                    self.sort_by(column.key)
                    return
                x -= width + 1
            return
        position = int(self.scroll_offset.y) + y - 1
        if 0 <= position < len(self.view):
            if event.ctrl or event.meta:
                row = self.rows[self.view[position]]
                self.selected.symmetric_difference_update({row.id})
                self._changed()
            self.set_cursor(position)

    # -- drawing ---------------------------------------------------------------------------------
    def on_resize(self, event: Resize) -> None:
        self._layout = []
        self.virtual_size = Size(event.size.width, len(self.view) + 1)  # a real resize: lay out

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _style(self, name: str) -> Style:
        if self._styles is None:
            self._styles = {c.removeprefix("pairs-table--"): self.get_component_rich_style(c, partial=True)
                            for c in self.COMPONENT_CLASSES}
            self._styles["base"] = self.rich_style
        return self._styles[name]

    def layout(self, width: int) -> list[tuple[Column, int]]:
        if self._layout and sum(w + 1 for _, w in self._layout) + MARK_WIDTH <= width:
            return self._layout
        cols = [c for c in self.COLUMNS if width >= c.min_total]
        fixed = MARK_WIDTH + sum(c.width + 1 for c in cols)
        spare = max(0, width - fixed)
        flex = sum(c.flex for c in cols) or 1
        out = []
        for c in cols:
            out.append((c, c.width + (spare * c.flex // flex if c.flex else 0)))
        self._layout = out
        return out

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style("base")
        if y == 0:
            return self._header(width)
        position = int(self.scroll_offset.y) + y - 1
        if position >= len(self.view):
            return Strip.blank(width, base)
        row = self.rows[self.view[position]]
        background = base
        if row.id in self.selected:
            background = background + self._style("selected")
        if position == self.cursor:
            background = background + self._style("cursor")
        segments = [self._mark(row, background)]
        for column, cell_width in self.layout(width):
            segments.extend(self._cell(column.key, row, cell_width, background))
            segments.append(Segment(" ", background))
        return Strip(segments).adjust_cell_length(width, background)

    def _header(self, width: int) -> Strip:
        style = self._style("base") + self._style("header")
        parts = [Segment(" " * MARK_WIDTH, style)]
        for column, cell_width in self.layout(width):
            title = column.title
            if column.key == self.sort_key:
                title += " ▼" if self.sort_reverse else " ▲"
            parts.append(Segment(fit(title, cell_width) + " ", style))
        return Strip(parts).adjust_cell_length(width, style)

    def _mark(self, row: Any, background: Style) -> Segment:
        if row.problem:
            return Segment("! " if row.id not in self.selected else "!●", background + self._style("problem"))
        if row.result:
            return Segment("✓ " if row.id not in self.selected else "✓●", background + self._style("ok"))
        return Segment("● " if row.id in self.selected else "  ", background)

    def _cell(self, key: str, row: Any, width: int, bg: Style) -> list[Segment]:
        e = row.exact
        if key == "code":
            return [Segment(fit(e.code, width), bg)]
        if key == "exact":
            return [Segment(fit(e.name, width), bg)]
        c = self.local(row.local_id)
        if key == "local":
            if c is None:
                return [Segment(fit("—", width), bg + self._style("dim"))]
            more = f" {row.choice + 1}/{len(row.candidates)}" if len(row.candidates) > 1 else ""
            text = fit(f"{c.number} {c.name}".strip(), max(1, width - cell_len(more)))
            return [Segment(text, bg), Segment(more, bg + self._style("dim"))] if more else [Segment(text, bg)]
        if key == "score":
            if not row.candidates:
                return [Segment(" " * width, bg)]
            score = row.score
            level = "high" if score >= 80 else "mid" if score >= 60 else "low"
            return [Segment(score_bar(score), bg + self._style(level)),
                    Segment(fit(f"{score:5.1f}".rjust(width - 5), width - 5), bg)]
        if key == "result":
            if row.problem:
                return [Segment(fit(row.problem, width), bg + self._style("problem"))]
            return [Segment(fit(row.result, width), bg + self._style("ok"))]
        exact_value = e.value(key)
        local_value = getattr(c, key, "") if c is not None else ""
        return _side_by_side(exact_value, local_value, width, bg, self._style("same"), self._style("diff"),
                             same=same_value(key, exact_value, local_value))


def _side_by_side(a: str, b: str, width: int, bg: Style, same_style: Style, diff_style: Style, *, same: bool
                  ) -> list[Segment]:
    """'1234AB│1234 AB': Exact's value, a bar, local's; the local half stands out when they differ."""
    left = (width - 1) // 2
    right = width - 1 - left
    if not a and not b:
        return [Segment(" " * width, bg)]
    style = bg + (same_style if same else diff_style)
    return [Segment(fit(a, left), bg + (same_style if same else Style())),
            Segment("│", bg + same_style), Segment(fit(b, right), style)]

"""`PairsTable`: a virtual table of Exact account / local customer pairs for 100,000 rows.

Textual's `DataTable` measures every cell when rows are added (about 2 s for 10,000 rows, UI
frozen). This widget keeps the rows as the service's `Row` objects and only an index list (the
view after filter and sort); `render_line` draws the few visible lines from the data (Textual's
line API, as Toolong does for huge logs), so opening, moving, paging and selecting cost the same
at 1,000 rows as at 100,000. Filtering and sorting touch every row once, in plain Python.

Why over 400 lines: one widget (line rendering, cursor, selection, the filtered and sorted view).
"""
from __future__ import annotations

from functools import partial
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
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

from ...domain.text import printable
from ...services.linking import same_value
from ...services.linking.filters import field_text, free_text, parse_filter


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

    def __init__(self, *, local: LocalLookup | None = None, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.local: LocalLookup = local or (lambda _id: None)
        self.cursor = 0
        self.rows: list[Any] = []
        self.view: list[int] = []
        self.selected: set[str] = set()
        self.filter_text = ""
        self.sort_key: str | None = None
        self.sort_reverse = False
        self._anchor: int | None = None
        self._hay: dict[str, tuple[Any, int, str]] | None = None
        self._styles: dict[str, Style] | None = None
        self._layout: list[tuple[Column, int]] = []
        self._generation = 0
        self._hays: list[str] | None = None
        self._sort_keys: dict[str, list[Any]] = {}
        self._ids: list[str] | None = None

    @property
    def allow_horizontal_scroll(self) -> bool:
        """Never sideways: the columns fit the width, and ←/→ must reach the screen (other candidate)."""
        return False

    # -- data ------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any], *, keep_cursor: bool = True) -> None:
        """Show these rows (a tab). The selection keeps only ids still present; filter and sort stay.

        The search texts already built stay (by row id, checked against the row's local customer), so
        switching tabs and back does not build them again."""
        current = self.current_row if keep_cursor else None
        self.rows = list(rows)
        self._hays = None
        self._sort_keys = {}
        self._ids = None
        if not self.KEEP_SEARCH_TEXT:
            self._hay = None
        self._generation += 1
        if len(self.rows) > self.WARM_CHUNK and self.is_mounted:
            self.set_timer(0.2, partial(self._warm, self._generation, 0))
        present = {r.id for r in self.rows} if self.selected else set()
        self.selected &= present
        self._apply(keep=current)

    def _matching(self, indices: Iterable[int], text: str) -> list[int]:
        """Indices passing the filter; plain words take a fast path over the prepared search texts."""
        if free_text(text):
            hays = self._hay_list()
            out = list(indices)
            for word in text.casefold().split():
                out = [i for i in out if word in hays[i]]
            return out
        tests = parse_filter(text)
        rows = self.rows
        return [i for i in indices if all(t(rows[i], self) for t in tests)]

    def _hay_list(self) -> list[str]:
        """Search text per row, aligned with `rows` (built once per row set; warmed in the background)."""
        if self._hays is None or len(self._hays) != len(self.rows):
            get = self.haystack
            self._hays = [get(r) for r in self.rows]
        return self._hays

    def _apply(self, keep: Any | None = None) -> None:
        """Recompute the view: filter, then sort."""
        indices: Iterable[int] = range(len(self.rows))
        if self.filter_text.strip():
            indices = self._matching(indices, self.filter_text)
        view = list(indices)
        if self.sort_key:
            keys = self._sort_keys.get(self.sort_key)
            if keys is None or len(keys) != len(self.rows):  # once per row set and column: S only reverses
                key = self._sort_function(self.sort_key)
                keys = self._sort_keys[self.sort_key] = [key(r) for r in self.rows]
            view.sort(key=keys.__getitem__, reverse=self.sort_reverse)
        self.view = view
        self._settle(keep)

    def _settle(self, keep: Any | None) -> None:
        """After the view changed: cursor back on the same row when it is still shown, sizes, repaint."""
        view = self.view
        self._anchor = None
        position = 0
        if keep is not None:
            position = next((n for n, i in enumerate(view) if self.rows[i] is keep), min(self.cursor, len(view) - 1))
        self.virtual_size = Size(self.size.width, len(self.view) + 1)
        self.set_cursor(max(0, position))
        self.refresh()
        self.post_message(self.SelectionChanged(self, len(self.selected)))

    def set_filter(self, text: str) -> None:
        if text == self.filter_text:
            return
        old, self.filter_text = self.filter_text, text
        if old.strip() and text.startswith(old) and free_text(text):
            # typing on: a longer word only matches rows the shorter one matched, so narrow the
            # current view (already sorted) instead of scanning every row again
            keep = self.current_row
            self.view = self._matching(self.view, text)
            self._settle(keep)
            return
        self._apply(keep=self.current_row)

    def sort_by(self, key: str | None, reverse: bool | None = None) -> None:
        if key == self.sort_key and reverse is None:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key = key
            self.sort_reverse = bool(reverse) if reverse is not None else key == "score"
        self._apply(keep=self.current_row)

    def _sort_function(self, key: str) -> Callable[[Any], Any]:
        local = self.local
        if key == "score":
            return lambda r: r.score
        if key == "code":
            return lambda r: (0, int(r.exact.code), "") if r.exact.code.isdigit() else (1, 0, r.exact.code.casefold())
        if key == "exact":
            return lambda r: r.exact.name.casefold()
        if key == "local":
            return lambda r: getattr(local(r.local_id), "name", "\uffff").casefold()
        if key == "result":
            return lambda r: (not r.problem, r.problem or r.result)
        return lambda r: (r.exact.value(key) or "").casefold()

    def haystack(self, row: Any) -> str:
        """The row's free-text search text, kept for this row object and its chosen candidate (the
        service makes new rows when it matches again, e.g. after every action)."""
        hay = self._hay
        if hay is None:
            hay = self._hay = {}
        entry = hay.get(row.id)
        choice = getattr(row, "choice", 0)
        if entry is not None and entry[0] is row and entry[1] == choice:
            return entry[2]
        text = self.field_text(row, "all")
        hay[row.id] = (row, choice, text)
        return text

    def field_text(self, row: Any, name: str) -> str:
        return field_text(row, self.local(row.local_id), name)

    # a pair's search text depends only on the row and its chosen candidate (checked by identity);
    # a subclass whose rows change in place in other ways sets this False
    KEEP_SEARCH_TEXT = True
    WARM_CHUNK = 1000  # ~10 ms of work: a key pressed meanwhile waits at most that long

    def _warm(self, generation: int, start: int) -> None:
        """Build the filter's search text in small chunks while the user reads the first page, so
        the first letter typed into the filter at 100k rows does not pay for all of them."""
        if generation != self._generation:
            return  # another tab since
        rows = self.rows
        end = min(len(rows), start + self.WARM_CHUNK)
        for row in rows[start:end]:
            self.haystack(row)
        if end < len(rows):
            self.set_timer(0.02, partial(self._warm, generation, end))

    def refresh_rows(self) -> None:
        """Rows changed in place (a result, another candidate): repaint; the search texts are checked
        again (a row whose local customer changed gets a new one)."""
        self._hays = None
        self._sort_keys = {}
        if not self.KEEP_SEARCH_TEXT:
            self._hay = None
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
        self.post_message(self.CursorMoved(self, self.current_row))

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
        self.post_message(self.SelectionChanged(self, len(self.selected)))

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
        self.post_message(self.CursorMoved(self, self.current_row))
        self._changed()

    def _view_ids(self) -> Iterable[str]:
        """The ids of the rows shown, from a list made once per row set (100k `row.id` lookups cost
        more than the set operation itself)."""
        if self._ids is None or len(self._ids) != len(self.rows):
            self._ids = [r.id for r in self.rows]
        ids = self._ids
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
        self.selected.symmetric_difference_update(set(self._view_ids()))
        self._changed()

    def select_where(self, test: Callable[[Any], bool]) -> int:
        """Add visible rows passing `test` (e.g. score ≥ 90); returns how many were added."""
        rows = self.rows
        before = len(self.selected)
        self.selected.update(rows[i].id for i in self.view if test(rows[i]))
        self._changed()
        return len(self.selected) - before

    def select_ids(self, ids: Iterable[str]) -> None:
        self.selected = set(ids) & {r.id for r in self.rows}
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
        self.virtual_size = Size(event.size.width, len(self.view) + 1)

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

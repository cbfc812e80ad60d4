"""The live integration log: every service event with its time, side, level, record and message.

Bounded (`max_lines`), so a day-long transfer does not eat memory; the same events are also kept in
the profile's stored log by the session.

Long lines wrap (Exact's messages often run past 80 columns): the message wraps under itself, beside
a fixed time/side/level column, so the columns stay readable; a change of width wraps them again.

A scroll view of its own lines (Textual's line API), drawn as `RichLog` draws them: `RichLog` would
bring `rich.pretty` (and with it `attrs`), ~20 ms of the console's start-up, to show non-renderable
objects the log never writes.
"""
from __future__ import annotations

import re
from collections import deque

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...domain.text import printable
from ...services.events import Event, Level, Side

LEVEL_STYLE = {Level.INFO: "", Level.SUCCESS: "bold green", Level.WARNING: "bold yellow", Level.ERROR: "bold red"}
LEVEL_MARK = {Level.INFO: " ", Level.SUCCESS: "✓", Level.WARNING: "!", Level.ERROR: "✗"}
SIDE_LABEL = {Side.LOCAL: "local  ", Side.EXACT: "exact  ", Side.NETWORK: "network", Side.CONSOLE: "console"}


_DURATION = re.compile(r"\d+ ms")  # masked in deterministic mode (screenshots)
_LOOPBACK_PORT = re.compile(r"(127\.0\.0\.1|localhost):\d+")  # a sandbox's free port, masked likewise
HISTORY_FIRST_FRAME = 50  # stored lines drawn for the first frame: more than the tallest log pane (40 rows) shows


class LogLine:
    """One event as shown: a fixed head (time, side, level mark) and a body that wraps under itself.

    A hand-made renderable rather than a Rich table grid: a day's log re-wraps on every change of
    width, and this costs a fifth of a table per line.
    """

    __slots__ = ("head", "body")

    def __init__(self, head: Text, body: Text) -> None:
        self.head, self.body = head, body

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self.head.cell_len
        return Measurement(indent + 1, indent + self.body.cell_len)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.head.cell_len
        width = max(options.max_width - indent, 10)
        pad = Text(" " * indent)
        for n, part in enumerate(self.body.wrap(console, width, overflow="fold") or [Text()]):
            yield from (self.head if n == 0 else pad).render(console)
            yield from part.render(console)
            yield Segment.line()


class EventArrived(Message):
    """A service event, handed to the UI thread (posted from any thread)."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class LogPane(ScrollView, can_focus=True):
    """Integration log pane. `fixed_time` replaces the clock text (deterministic screenshots).

    `lines` are the drawn lines (of the newest `max_lines` entries), each as wide as the pane."""

    def __init__(self, *, max_lines: int = 2000, fixed_time: str | None = None, **kw) -> None:
        super().__init__(**kw)
        self.max_lines = max_lines
        self.lines: list[Strip] = []
        self._start_line = 0  # lines dropped from the top (`max_lines`): the line cache's keys stay apart
        self._widest = 0
        self._line_cache: LRUCache[tuple[int, int, int, int], Strip] = LRUCache(1024)
        self._size_known = False
        self._waiting: list[tuple[LogLine, bool | None]] = []  # written before the pane had a width
        self.fixed_time = fixed_time
        self._entries: deque[LogLine] = deque()  # what was written, to wrap again when the width changes
        self._wrapped_at = 0
        self.border_title = "Integration log"
        self.counts: dict[Level, int] = {level: 0 for level in Level}

    def _mask(self, text: str) -> str:
        """Text of an event as shown: control characters escaped (records and Exact's texts come from
        files and from Exact, and a terminal would obey their ESC sequences); in deterministic mode
        (screenshots) durations and loopback ports masked, as they vary from run to run."""
        text = printable(text)
        if not self.fixed_time:
            return text
        return _LOOPBACK_PORT.sub(r"\1:PORT", _DURATION.sub("… ms", text))

    def add_history(self, entries) -> int:
        """Show the profile's stored log (earlier sessions, events from before the console opened) dimmed,
        so a reopened profile shows what happened last time. Not counted in the error/warning tally.

        The first frame draws only the newest lines, as many as the tallest pane shows; the rest is
        drawn right after it (wrapping 200 lines was a tenth of the console's start-up)."""
        events = [event for event in map(_event_of, entries) if event is not None]
        first = len(events) - HISTORY_FIRST_FRAME
        for n, event in enumerate(events):
            self.add(event, counted=False, draw=n >= first)
        if first > 0:
            self.call_after_refresh(self._redraw)
        return len(events)

    def add(self, event: Event, *, counted: bool = True, draw: bool = True) -> None:
        if counted:
            self.counts[event.level] += 1
        clock = self.fixed_time or event.time.astimezone().strftime("%H:%M:%S")
        head = Text(no_wrap=True)
        head.append(f"{clock} ", style="dim")
        head.append(SIDE_LABEL.get(event.side, str(event.side)) + " ", style="bold" if event.side is not Side.CONSOLE else "dim")
        head.append(LEVEL_MARK[event.level] + " ", style=LEVEL_STYLE[event.level])
        line = Text()
        if event.record:
            line.append(f"[{self._mask(event.record)}] ", style="italic")
        message = self._mask(event.message)
        line.append(message, style=LEVEL_STYLE[event.level] if event.level is not Level.INFO else "")
        if event.progress:
            done, total = event.progress
            line.append(f" ({done}/{total})", style="dim")
        if event.detail:
            line.append(f" — {self._mask(event.detail)}", style="dim")
        row = LogLine(head, line)  # a long word (a URL, a GUID) is folded rather than cut
        self._entries.append(row)
        while self.max_lines is not None and len(self._entries) > self.max_lines:
            self._entries.popleft()  # each entry is at least one line: more can never be shown
        if draw:
            self._put(row)
        errors, warnings = self.counts[Level.ERROR], self.counts[Level.WARNING]
        self.border_subtitle = f"{errors} errors · {warnings} warnings" if errors or warnings else ""


    def _put(self, row: LogLine, scroll_end: bool | None = None) -> None:
        """Draw one entry below the others, wrapped at the pane's width (kept until it has one)."""
        if not self._size_known:
            self._waiting.append((row, scroll_end))
            return
        width = max(self.scrollable_content_region.width, 1)
        console = self.app.console
        lines = list(Segment.split_lines(console.render(row, console.options.update_width(width))))
        strips = Strip.from_lines(lines) if lines else [Strip.blank(width)]
        for strip in strips:
            strip.adjust_cell_length(width)
        self.lines.extend(strips)
        if len(self.lines) > self.max_lines:
            self._start_line += len(self.lines) - self.max_lines
            self.lines = self.lines[-self.max_lines:]
            self.refresh()
        # as RichLog counts it: the drawn text's own width (a blank entry: the pane's)
        self._widest = max(self._widest, *(sum(segment.cell_length for segment in line) for line in lines)) \
            if lines else max(self._widest, width)
        self.virtual_size = Size(self._widest, len(self.lines))
        if scroll_end is not False:
            self.scroll_end(animate=False, immediate=False, x_axis=False)

    def clear(self) -> None:
        self.lines.clear()
        self._line_cache.clear()
        self._start_line = self._widest = 0
        self._waiting.clear()
        self.virtual_size = Size(0, 0)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.virtual_size.width if self._size_known else container.width

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        y += scroll_y
        if y >= len(self.lines):
            return Strip.blank(width, self.rich_style).apply_style(self.rich_style)
        key = (y + self._start_line, scroll_x, width, self._widest)
        line = self._line_cache.get(key)
        if line is None:
            line = self._line_cache[key] = self.lines[y].crop_extend(scroll_x, scroll_x + width, self.rich_style)
        return line.apply_style(self.rich_style)

    def on_resize(self, event) -> None:
        """The first width draws what was written before it; a new width wraps every line again."""
        width = event.size.width
        if not width:
            return
        if not self._size_known:
            self._size_known = True
            waiting, self._waiting = self._waiting, []
            for row, scroll_end in waiting:
                self._put(row, scroll_end)
        elif self._wrapped_at and width != self._wrapped_at and self._entries:
            self._redraw()
        self._wrapped_at = width

    def _redraw(self) -> None:
        """Draw every kept line again (at the current width), staying at the end if the view was there."""
        at_end = self.is_vertical_scroll_end
        self.clear()
        for row in self._entries:
            self._put(row, scroll_end=at_end)


def _event_of(entry) -> Event | None:
    """A stored `LogEntry` (side/level as text, time maybe missing) as an `Event` for display."""
    try:
        return Event(entry.message, side=Side(entry.side), level=Level(entry.level), topic=entry.topic,
                     record=entry.record, detail=entry.detail, progress=entry.progress,
                     **({"time": entry.time} if entry.time is not None else {}))
    except (ValueError, AttributeError, TypeError):
        return None

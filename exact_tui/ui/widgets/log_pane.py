"""The live integration log: every service event with its time, side, level, record and message.

Bounded (`max_lines`), so a day-long transfer does not eat memory; the same events are also kept in
the profile's stored log by the session.

Long lines wrap (Exact's messages often run past 80 columns): the message wraps under itself, beside
a fixed time/side/level column, so the columns stay readable; a change of width wraps them again.
"""
from __future__ import annotations

import re
from collections import deque

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text
from textual.message import Message
from textual.widgets import RichLog

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


class LogPane(RichLog):
    """Integration log pane. `fixed_time` replaces the clock text (deterministic screenshots)."""


    def __init__(self, *, max_lines: int = 2000, fixed_time: str | None = None, **kw) -> None:
        # min_width 1: RichLog renders at least min_width (78 by default) wide, which at 80 columns
        # would cut the wrapped lines under the border instead of wrapping them at the pane's width
        super().__init__(max_lines=max_lines, min_width=1, wrap=True, markup=False, highlight=False,
                         auto_scroll=True, **kw)
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
        # expand: rendered at the pane's width. Without it RichLog measures the line against the app
        # console's width, which need not be the pane's, and wraps there.
        self.write(row, expand=True, scroll_end=scroll_end)

    def on_resize(self, event) -> None:
        """Wrap every line again at the new width (RichLog keeps what it rendered at the old one)."""
        width = event.size.width
        if width and self._wrapped_at and width != self._wrapped_at and self._entries:
            self._redraw()
        if width:
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

"""The live integration log: every service event with its time, side, level, record and message.

Bounded (`max_lines`), so a day-long transfer does not eat memory; the same events are also kept in
the profile's stored log by the session.
"""
from __future__ import annotations

import re

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


class EventArrived(Message):
    """A service event, handed to the UI thread (posted from any thread)."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class LogPane(RichLog):
    """Integration log pane. `fixed_time` replaces the clock text (deterministic screenshots)."""


    def __init__(self, *, max_lines: int = 2000, fixed_time: str | None = None, **kw) -> None:
        super().__init__(max_lines=max_lines, wrap=False, markup=False, highlight=False, auto_scroll=True, **kw)
        self.fixed_time = fixed_time
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
        so a reopened profile shows what happened last time. Not counted in the error/warning tally."""
        shown = 0
        for entry in entries:
            event = _event_of(entry)
            if event is not None:
                self.add(event, counted=False)
                shown += 1
        return shown

    def add(self, event: Event, *, counted: bool = True) -> None:
        if counted:
            self.counts[event.level] += 1
        clock = self.fixed_time or event.time.astimezone().strftime("%H:%M:%S")
        line = Text()
        line.append(f"{clock} ", style="dim")
        line.append(SIDE_LABEL.get(event.side, str(event.side)) + " ", style="bold" if event.side is not Side.CONSOLE else "dim")
        line.append(LEVEL_MARK[event.level] + " ", style=LEVEL_STYLE[event.level])
        if event.record:
            line.append(f"[{self._mask(event.record)}] ", style="italic")
        message = self._mask(event.message)
        line.append(message, style=LEVEL_STYLE[event.level] if event.level is not Level.INFO else "")
        if event.progress:
            done, total = event.progress
            line.append(f" ({done}/{total})", style="dim")
        if event.detail:
            line.append(f" — {self._mask(event.detail)}", style="dim")
        self.write(line)
        errors, warnings = self.counts[Level.ERROR], self.counts[Level.WARNING]
        self.border_subtitle = f"{errors} errors · {warnings} warnings" if errors or warnings else ""


def _event_of(entry) -> Event | None:
    """A stored `LogEntry` (side/level as text, time maybe missing) as an `Event` for display."""
    try:
        return Event(entry.message, side=Side(entry.side), level=Level(entry.level), topic=entry.topic,
                     record=entry.record, detail=entry.detail, progress=entry.progress,
                     **({"time": entry.time} if entry.time is not None else {}))
    except (ValueError, AttributeError, TypeError):
        return None

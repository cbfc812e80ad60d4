"""One event stream for everything the services do.

The log pane, the headless CLI and the stored integration log all read the same events, so what a
support engineer sees in the console is what a headless run printed and what was kept.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class Side(StrEnum):
    """Where something happened: the first thing a support engineer needs to know."""

    LOCAL = "local"
    EXACT = "exact"
    NETWORK = "network"
    CONSOLE = "console"


class Level(StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Event:
    message: str
    side: Side = Side.CONSOLE
    level: Level = Level.INFO
    topic: str = ""  # the use case: "connection", "link", "import", "transfer", …
    record: str = ""  # which record it is about, e.g. "customer 1042" or "invoice 2026-0012"
    detail: str = ""  # Exact's raw text, a remedy, …
    progress: tuple[int, int] | None = None  # (done, total) for long operations
    time: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def as_dict(self) -> dict[str, object]:
        return {
            "time": self.time.isoformat(),
            "side": str(self.side),
            "level": str(self.level),
            "topic": self.topic,
            "record": self.record,
            "message": self.message,
            "detail": self.detail,
            "progress": list(self.progress) if self.progress else None,
        }


Listener = Callable[[Event], None]


class EventBus:
    """Fan-out of events to listeners; safe to emit from worker threads.

    Listeners are called on the emitting thread: the UI's listener hands events to Textual with
    `call_from_thread`/`post_message`, the CLI's prints them.
    """

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: Event) -> Event:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(event)
        return event

    def info(self, message: str, **kw: object) -> Event:
        return self.emit(Event(message, level=Level.INFO, **kw))  # type: ignore[arg-type]

    def success(self, message: str, **kw: object) -> Event:
        return self.emit(Event(message, level=Level.SUCCESS, **kw))  # type: ignore[arg-type]

    def warning(self, message: str, **kw: object) -> Event:
        return self.emit(Event(message, level=Level.WARNING, **kw))  # type: ignore[arg-type]

    def error(self, message: str, **kw: object) -> Event:
        return self.emit(Event(message, level=Level.ERROR, **kw))  # type: ignore[arg-type]

"""The console's one yes/no question. No is focused, so a stray Enter never confirms.

Used for everything that changes Exact or cannot be undone (push, unlink, activate, bulk links).
The body scrolls (↑/↓, PgUp/PgDn) when it is longer than an 80×24 terminal; `y` / `n` / Esc answer
from anywhere in the dialog.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from .. import css
from ..shown import safe


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = [css.WIDGETS, css.SCREENS]
    BINDINGS = [Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
                Binding("y", "answer(True)", "Yes", id="confirm.yes"),
                Binding("n", "answer(False)", "No", id="confirm.no"),
                Binding("v", "details", "Details", id="confirm.details")]

    def __init__(self, title: str, body: Any, *, yes: str = "Yes", no: str = "No", danger: bool = True,
                 details: tuple[str, Callable[[], None]] | None = None) -> None:
        super().__init__(classes="-danger" if danger else "")
        self.title_text, self.body, self.yes, self.no = title, body, yes, no
        self.details = details

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe(self.title_text), id="dialog-title")  # may name a record: literal
            with VerticalScroll(id="dialog-scroll"):
                yield Static(self.body, id="dialog-body")
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button(f"{self.no} (n)", id="no", variant="primary")
                if self.details is not None:
                    yield Button(f"{self.details[0]} (v)", id="details")

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    def on_resize(self, event) -> None:
        """The body takes what the title and the buttons leave (max-height: 1fr does not bound an
        auto-height dialog), so Yes/No stay on screen at 80×24 however long the body is."""
        title_lines = 1 + len(str(self.title_text)) // max(1, min(event.size.width, 90) - 6)
        used = 2 + title_lines + 1 + 1 + 3  # border, title, its margin, the buttons' margin, the buttons
        self.query_one("#dialog-scroll", VerticalScroll).styles.max_height = max(3, event.size.height - used)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.details is not None if action == "details" else True

    def action_details(self) -> None:
        if self.details is not None:
            self.details[1]()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "details":
            self.action_details()
            return
        self.dismiss(event.button.id == "yes")

    def on_key(self, event) -> None:
        """↑/↓/PgUp/PgDn scroll a long body while the buttons keep the focus."""
        scroll = self.query_one("#dialog-scroll", VerticalScroll)
        moves = {"up": scroll.scroll_up, "down": scroll.scroll_down,
                 "pageup": scroll.scroll_page_up, "pagedown": scroll.scroll_page_down}
        if event.key in moves:
            moves[event.key](animate=False)
            event.stop()

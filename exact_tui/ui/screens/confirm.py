"""The console's one yes/no question. No is focused, so a stray Enter never confirms.

Used for everything that changes Exact or cannot be undone (push, unlink, activate, bulk links).
The body scrolls (↑/↓, PgUp/PgDn) when it is longer than an 80×24 terminal; `y` / `n` / Esc answer
from anywhere in the dialog.
"""
from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from .. import css


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = [css.WIDGETS, css.SCREENS]
    BINDINGS = [Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
                Binding("y", "answer(True)", "Yes", id="confirm.yes"),
                Binding("n", "answer(False)", "No", id="confirm.no")]

    def __init__(self, title: str, body: Any, *, yes: str = "Yes", no: str = "No", danger: bool = True) -> None:
        super().__init__(classes="-danger" if danger else "")
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title")
            with VerticalScroll(id="dialog-scroll"):
                yield Static(self.body, id="dialog-body")
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def on_key(self, event) -> None:
        """↑/↓/PgUp/PgDn scroll a long body while the buttons keep the focus."""
        scroll = self.query_one("#dialog-scroll", VerticalScroll)
        moves = {"up": scroll.scroll_up, "down": scroll.scroll_down,
                 "pageup": scroll.scroll_page_up, "pagedown": scroll.scroll_page_down}
        if event.key in moves:
            moves[event.key](animate=False)
            event.stop()

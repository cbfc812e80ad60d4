"""One line of input in a modal (a score threshold, a file path), with a hint and a check."""
from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from .. import css
from ..shown import safe


class AskValue(ModalScreen[str | None]):
    """Returns the typed value (after `check(value)` returned no problem), or None on Escape."""

    CSS_PATH = [css.WIDGETS, css.SCREENS]
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]

    def __init__(self, title: str, hint: str, value: str = "", *,
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.title_text, self.hint, self.value, self.check = title, hint, value, check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe(self.title_text), id="dialog-title")
            yield Input(self.value, id="ask")
            yield Static(safe(self.hint, multiline=True), id="ask-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self.check(event.value) if self.check else None
        if problem:
            self.query_one("#ask-hint", Static).update(safe(problem, "bold red", multiline=True))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)

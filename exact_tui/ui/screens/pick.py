"""A small modal that picks one value from a list, with a filter typed at the top (keyboard only)."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option


class PickScreen(ModalScreen[str | None]):
    """Returns the chosen option's id, or None on Escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]
    DEFAULT_CSS = """
    PickScreen { align: center middle; }
    PickScreen > Vertical { width: 70; max-width: 95%; height: auto; max-height: 80%; border: thick $primary;
                            background: $surface; padding: 0 1; }
    PickScreen OptionList { height: auto; max-height: 14; }
    """

    def __init__(self, title: str, choices: list[tuple[str, str]], *, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices  # (id, label)
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="step-title")
            if self.note:
                yield Static(self.note)
            yield Input(placeholder="type to filter, ↓ to the list, Enter picks", id="pick-filter")
            yield OptionList(*[Option(label, id=key) for key, label in self.choices], id="pick-list")

    @on(Input.Changed, "#pick-filter")
    def _filter(self, event: Input.Changed) -> None:
        wanted = event.value.strip().lower()
        options = self.query_one("#pick-list", OptionList)
        options.clear_options()
        options.add_options([Option(label, id=key) for key, label in self.choices
                             if not wanted or wanted in label.lower() or wanted in key.lower()])
        if options.option_count:
            options.highlighted = 0

    @on(Input.Submitted, "#pick-filter")
    def _submit(self) -> None:
        options = self.query_one("#pick-list", OptionList)
        if options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted or 0).id)

    def on_key(self, event) -> None:
        if event.key == "down" and self.focused is self.query_one("#pick-filter"):
            self.query_one("#pick-list").focus()
            event.stop()

    @on(OptionList.OptionSelected, "#pick-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

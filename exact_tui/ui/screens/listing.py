"""A screen that is one filterable list: the Integration log (F5) and the Transfers screen (F7).

Both behave the same way from the keyboard, so they share one implementation: `/` goes to the filter
box, Enter in the box goes back to the list, Esc leaves the box first and the screen second, ctrl+r
reads the rows again. A screen adds its own keys before `list_keys(area)` (binding ids stay
`area.filter`, `area.reload`, `area.back`, as `keymap.toml` names them).
"""
from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input


def list_keys(area: str, *, back: str = "Back") -> list[Binding]:
    """The keys every list screen has: filter, reload (hidden in the footer), back."""
    return [
        Binding("slash", "filter", "Filter", id=f"{area}.filter"),
        Binding("ctrl+r", "reload", "Reload", show=False, id=f"{area}.reload"),
        Binding("escape", "back", back, id=f"{area}.back"),
    ]


class ListScreen(Screen[None]):
    """A screen with a filter box (`FILTER`, a selector) above a list (`LIST`, a selector).

    The subclass defines `action_reload` (how its rows are read).
    """

    FILTER = "Input"
    LIST = ""

    @property
    def filter_box(self) -> Input:
        return self.query_one(self.FILTER, Input)

    @property
    def list_widget(self) -> Widget:
        return self.query_one(self.LIST)

    def action_filter(self) -> None:
        self.filter_box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self.filter_box:
            self.list_widget.focus()

    def action_back(self) -> None:
        if self.focused is self.filter_box:
            self.list_widget.focus()  # Esc in the box: back to the list, the filter stays
            return
        self.dismiss(None)

"""One line of status text that repaints without a layout pass (selection count, last result)."""
from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widget import Widget


class StatusText(Widget):
    """Like a one-line `Static`, but `update` only repaints: the selection count changes on every
    space/a/n key, and a layout pass of the whole screen for it would cost more than the key itself."""


    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text: Any = Text.from_markup(text)

    def update(self, text: str | Text) -> None:
        """`text`: markup of our own words, or a `Text` (what holds names or Exact's words). The same
        text again repaints nothing (a tab switch sets the selection line twice: itself and its message)."""
        new = text.copy() if isinstance(text, Text) else Text.from_markup(text)
        new.overflow = "ellipsis"
        new.no_wrap = True
        if new == self._text and new.style == self._text.style:
            return
        self._text = new
        self.refresh()

    def render(self) -> Any:
        return self._text

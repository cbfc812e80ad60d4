"""Text from Exact or from a file, as the console shows it: data, never terminal commands or markup.

One rule (`domain.text.printable`: control characters, C1 codes and bidi overrides shown as visible
escapes) plus what Textual adds: a plain `str` handed to `Static`, `update`, a `DataTable` cell, a
title or a notification is parsed as markup, so a customer named `[bold red]x` would be shown bold
and red, and `[@click=app.quit]` would make a link that runs an action. So:

- `safe(value, style)`: a Rich `Text` (never parsed as markup), for cells, labels and bodies;
- `safe_markup(value)`: for the rare string that must stay markup (a title with styled parts): the value
  escaped so every `[` is shown as typed.
"""
from __future__ import annotations

from rich.text import Text

from ..domain.text import printable


def safe(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """`value` as a Rich Text shown literally."""
    return Text(printable(value, multiline=multiline), style=style)


def safe_markup(value: object, *, multiline: bool = False) -> str:
    """`value` made safe to put inside a Textual markup string."""
    return printable(value, multiline=multiline).replace("[", "\\[")


__all__ = ["printable", "safe", "safe_markup"]

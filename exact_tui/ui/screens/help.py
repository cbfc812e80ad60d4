"""Help (F1 / ?): every key of every screen, per screen, with its binding id for `keymap.toml`.

Built from the action registry, so remapped keys show as remapped. The page scrolls (↑/↓, PgUp/PgDn,
Home/End) and fits 80 columns: below 100 columns the binding id goes under the description instead
of a third column, so it is never cut. The Link customers screen opens it with its own keys first.
"""
from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import css
from ..actions import Area, areas, key_label

GENERAL = [("1 … 8", "Go to step 1 … 8 (when not typing)", "app.step_1 … app.step_8"),
           ("ctrl+p", "Command palette: every action of every screen", ""),
           ("tab / shift+tab", "Next / previous field", ""),
           ("↑ ↓ PgUp PgDn", "Move in lists; Enter / space picks or toggles", "")]

LINK_NOTES = ("Filter (/ then type): words match name, code, city and the local customer; >=80, <50, 60..80 "
              "test the score; name: code: city: postcode: local: search one field. Enter or Esc goes back "
              "to the list.\nSelect acts on the selection, or on the row under the cursor when nothing is "
              "selected. Exact-side changes are listed in the log; local-only actions are undone with u, step by step (the last 20).")


def key_table(app, *, width: int = 120, first: str | None = None) -> Group:
    """The help page: a title line and a key table per area (the area `first` at the top)."""
    listed = [a for a in areas(app) if a.bindings]
    if first:
        listed.sort(key=lambda a: not a.key.startswith(first))
    parts: list = []
    for area in listed:
        parts.append(Text(area.title, style="bold underline"))
        if area.key == "link":
            parts.append(Text(LINK_NOTES, style="italic"))
        parts.append(_table(app, area, width))
        parts.append(Text(""))
    return Group(*parts)


def _table(app, area: Area, width: int) -> Table:
    wide = width >= 100
    table = Table(box=None, show_header=False, expand=True, pad_edge=False, padding=(0, 1))
    table.add_column("Key", style="bold", width=18 if wide else 14, overflow="fold")
    table.add_column("Does", ratio=3)
    if wide:
        table.add_column("Binding id", style="dim", no_wrap=True, ratio=2)
    rows = [(key_label(app, b), b.description or b.action, b.id or "")
            for b in area.bindings if not (b.id or "").startswith("app.step_")]
    if area.key == "app":
        rows += GENERAL
    for key, does, binding_id in rows:
        if wide:
            table.add_row(key, does, binding_id)
        else:
            cell = Text(does)
            if binding_id:
                cell.append("\n" + binding_id, style="dim")
            table.add_row(key, cell)
    return table


class HelpScreen(ModalScreen[None]):
    CSS_PATH = [css.WIDGETS, css.SCREENS]
    BINDINGS = [Binding("escape,q,f1,question_mark", "close", "Close", id="help.close")]

    def __init__(self, *, first: str | None = None, title: str = "Keys") -> None:
        super().__init__()
        self.first = first
        self.title_text = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll") as scroll:
            scroll.border_title = f"{self.title_text} · ↑/↓ PgUp/PgDn scroll · Esc closes"
            path = getattr(self.app, "keymap_path", None) or "keymap.toml"
            if getattr(self.app, "deterministic", True) and not isinstance(path, str):
                path = path.name  # screenshots do not show the test's temporary folder
            yield Static(Text(f"Remap any binding id in {path} ([keys] binding-id = \"key\").", style="italic"),
                         id="help-intro")
            yield Static(id="help-keys")

    def on_mount(self) -> None:
        self._fill(self.app.size.width)
        self.query_one("#help-scroll").focus()

    def on_resize(self, event) -> None:
        self._fill(event.size.width)

    def _fill(self, width: int) -> None:
        if width != getattr(self, "_width", None):
            self._width = width
            self.query_one("#help-keys", Static).update(key_table(self.app, width=width, first=self.first))

    def action_close(self) -> None:
        self.dismiss(None)

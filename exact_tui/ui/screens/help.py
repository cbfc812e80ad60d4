"""Help (? or F1): every key of the console, per screen, with its binding id for `keymap.toml`."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def key_table(app) -> Table:
    from ..steps import STEPS
    from .customers import CustomerCardScreen
    from .settings import SettingsScreen

    table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
    table.add_column("Where", style="dim", no_wrap=True)
    table.add_column("Key", style="bold", no_wrap=True)
    table.add_column("Does")
    table.add_column("Binding id", style="dim", no_wrap=True)
    sections: list[tuple[str, list[Binding]]] = [("Everywhere", list(app.BINDINGS))]
    sections += [(f"{s.NUMBER} {s.TITLE}", list(s.BINDINGS)) for s in STEPS if s.BINDINGS]
    sections += [("Customer card", list(CustomerCardScreen.BINDINGS)), ("Settings", list(SettingsScreen.BINDINGS))]
    from ..commands import linking_screen

    linking = linking_screen()
    if linking is not None:
        sections.append(("Link customers", list(linking.BINDINGS)))
    for where, bindings in sections:
        for i, binding in enumerate(bindings):
            table.add_row(where if i == 0 else "", app.key_for(binding), binding.description or binding.action,
                          binding.id or "")
    table.add_row("Everywhere", "ctrl+p", "Command palette: every action of every screen", "")
    table.add_row("", "tab / shift+tab", "Next / previous field", "")
    table.add_row("", "1 … 8", "Go to step (when not typing)", "app.step_N")
    table.add_row("Lists", "↑ ↓ PgUp PgDn Home End", "Move", "")
    table.add_row("", "enter / space", "Pick / toggle", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 110; max-width: 100%; height: 90%; border: thick $primary;
                                  background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys (Esc closes)"
            yield Static(Text("exact-tui — every key. Remap any binding id in "
                              f"{self.app.keymap_path.name if self.app.deterministic else self.app.keymap_path} ([keys] binding-id = \"key\").\n", style="italic"))
            yield Static(key_table(self.app))

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)

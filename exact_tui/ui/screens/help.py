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
    table.add_column("Key", style="bold", no_wrap=True, ratio=2)
    table.add_column("Does", ratio=4)
    table.add_column("Binding id", style="dim", no_wrap=True, ratio=2)
    sections: list[tuple[str, list[Binding]]] = [
        ("Everywhere", [b for b in app.BINDINGS if not (b.id or "").startswith("app.step_")])]
    sections += [(f"Step {s.NUMBER}: {s.TITLE}", list(s.BINDINGS)) for s in STEPS if s.BINDINGS]
    sections += [("Customer card (F3)", list(CustomerCardScreen.BINDINGS)), ("Settings (F4)", list(SettingsScreen.BINDINGS))]
    from .health import HealthScreen
    from .log import LogDetail, LogScreen

    sections += [("Integration log (F5)", list(LogScreen.BINDINGS) + list(LogDetail.BINDINGS)),
                 ("Health (F6)", list(HealthScreen.BINDINGS))]
    from ..commands import linking_screen

    linking = linking_screen()
    if linking is not None:
        sections.append(("Link customers (step 4, ctrl+o)", list(linking.BINDINGS)))
    for where, bindings in sections:
        table.add_row(Text(where, style="bold underline"), "", "")
        for binding in bindings:
            table.add_row(app.key_for(binding), binding.description or binding.action, binding.id or "")
        if where == "Everywhere":
            table.add_row("1 … 8", "Go to step 1 … 8 (when not typing)", "app.step_1 … app.step_8")
            table.add_row("ctrl+p", "Command palette: every action of every screen", "")
            table.add_row("tab / shift+tab", "Next / previous field", "")
            table.add_row("↑ ↓ PgUp PgDn", "Move in lists; enter / space picks or toggles", "")
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

"""Health: the doctor's checks on screen, each ok / warning / failing with its fix (F6 from anywhere)."""
from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from .. import css
from ..shown import printable

_MARK = {"ok": ("✓", "green"), "warning": ("!", "bold yellow"), "failing": ("✗", "bold red"), "skipped": ("-", "dim")}


class HealthScreen(Screen[None]):
    """Runs `services.doctor` in a worker and shows every check as it finishes."""

    BINDINGS = [Binding("escape", "back", "Back", id="health.back"),
                Binding("ctrl+r", "run", "Check again", id="health.run")]
    CSS_PATH = [css.WIDGETS, css.SCREENS]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session
        self.report = None

    def compose(self) -> ComposeResult:
        yield Static("Health — checking …", id="health-title")
        yield VerticalScroll(id="health-checks")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Health"
        self.action_run()

    def action_run(self) -> None:
        self.query_one("#health-checks").remove_children()
        self.query_one("#health-title", Static).update("Health — checking …")
        self._run()

    @work(exclusive=True, group="health", exit_on_error=False)
    async def _run(self) -> None:
        from ...services.doctor import run_doctor

        self.report = await run_doctor(self.session, on_check=self._show)
        r = self.report
        counts = {s: sum(c.status == s for c in r.checks) for s in ("failing", "warning", "ok", "skipped")}
        self.query_one("#health-title", Static).update(
            f"Health — {r.status}: {counts['failing']} failing · {counts['warning']} warnings · {counts['ok']} ok"
            + (f" · {counts['skipped']} not checked" if counts["skipped"] else "")
            + (f" · {r.calls} API calls" if r.calls else "") + "   (ctrl+r checks again)")

    def _show(self, check) -> None:
        mark, style = _MARK.get(check.status, ("?", ""))
        text = Text()
        text.append(f"{mark} {check.title}: ", style=style)
        text.append(printable(check.detail))  # names Exact's items, journals, accounts
        if check.fix and check.status in ("warning", "failing"):
            text.append("\n   fix: ", style="bold")
            text.append(printable(check.fix))
            if check.side:
                text.append(f"  (side: {check.side})", style="dim")
        self.query_one("#health-checks").mount(Static(text, classes="check"))

    def action_back(self) -> None:
        self.dismiss(None)

"""Step 4: how the Exact customers fall into the Link customers tabs; Enter opens the linking screen."""
from __future__ import annotations

from rich.table import Table
from textual import on
from textual.binding import Binding
from textual.widgets import Button, Static

from ...domain.wording import count
from ...services.linking import counts as link_counts
from .base import StepView


class LinkStep(StepView):
    KEY, NUMBER, TITLE = "link", 4, "Link customers"
    INTRO = ("Link every Exact customer to its local customer before invoices flow, so nothing is created "
             "twice. The counts below come from the matcher; the linking screen does the work.")
    BINDINGS = [
        Binding("ctrl+o", "open_linking", "Open Link customers", id="link.open"),
        Binding("ctrl+r", "recount", "Recount", id="link.recount"),
    ]

    def compose_body(self):
        yield Static("", id="counts")
        yield Button("Open Link customers (ctrl+o)", id="open", variant="primary")

    def first_focus(self):
        return self.query_one("#open")

    def on_step_shown(self) -> None:
        self.action_recount(refresh=False)

    def action_recount(self, refresh: bool = True) -> None:
        if self.session.client is None:
            self.query_one("#counts", Static).update("Connect in step 1 and choose a division in step 2 first.")
            return
        self.run_service(link_counts.link_counts, self.session, refresh=refresh, done=self._show,
                         busy="pulling Exact customers and matching")

    def _show(self, counts: link_counts.LinkCounts) -> None:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        for title in ("One match", "More matches", "No match", "Ignored", "Linked"):
            table.add_column(title, justify="right")
        table.add_row(*(f"{n:,}" for n in (counts.one, counts.more, counts.none, counts.ignored, counts.linked)))
        summary = Table.grid()
        summary.add_row(table)
        summary.add_row(f"\n{count(counts.exact_total, 'Exact customer')}, {count(counts.local_total, 'local customer')}; "
                        f"{count(counts.exact_unlinked, 'Exact customer')} not linked yet.")
        self.query_one("#counts", Static).update(summary)

    @on(Button.Pressed, "#open")
    def action_open_linking(self) -> None:
        if self.session.client is None:
            self.local_problem("Connect to Exact Online first (step 1).", "Go to step 1 and connect.")
            return
        try:
            from ..linking import LinkCustomersScreen
        except ImportError as exc:
            self.local_problem(f"The Link customers screen is not available in this build ({exc}).",
                               "Install the full exact-tui package.")
            return
        self.app.push_screen(LinkCustomersScreen(self.session), callback=lambda _: self.action_recount(refresh=True))

"""The Reconcile screen (F8): every transferred invoice compared with Exact, and the drift with its fix.

`services.reconcile` does the work (the payment terms since the last pull, `sync/Deleted`, the VAT
codes: three calls for any number of invoices); the screen runs it in a worker when it opens and on
`r`, lists each drift item (the local invoice, what kind, what is wrong) and shows the item's fix
under the list. `g` opens the invoice in the Transfers screen, where undo and retry are.
"""
from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from .. import css
from ..shown import safe, safe_markup

KINDS = {"missing": "missing in Exact", "deleted_in_exact": "deleted in Exact", "number": "Exact number",
         "currency": "currency", "customer": "customer", "amount": "amount", "edited": "edited locally",
         "booked_twice": "booked twice", "gap": "number gap"}


class ReconcileScreen(Screen[None]):
    AUTO_FOCUS = "#reconcile-items"
    BINDINGS = [
        Binding("r", "check", "Check again", id="reconcile.check"),
        Binding("g", "open_invoice", "Open in Transfers", id="reconcile.open_invoice"),
        Binding("escape", "back", "Back", id="reconcile.back"),
    ]
    CSS_PATH = [css.WIDGETS, css.SCREENS, css.RECONCILE]

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session
        self.report: Any = None
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static("[b]Reconcile[/]", id="reconcile-title")
        table: DataTable[str] = DataTable(id="reconcile-items", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="reconcile-detail")
        yield Footer()

    @property
    def table(self) -> DataTable[str]:
        return self.query_one("#reconcile-items", DataTable)

    def on_mount(self) -> None:
        self.table.add_columns("Invoice", "Drift", "What")
        self.action_check()

    def _detail(self, text: str, *, agree: bool = False) -> None:
        """`text` is markup: data in it goes through `safe_markup` (Exact's and the files' words are data)."""
        detail = self.query_one("#reconcile-detail", Static)
        detail.set_class(agree, "agree")
        detail.update(text)

    def action_check(self) -> None:
        if self.running:
            self.notify("A check is running", timeout=3)
            return
        if self.session.client is None:
            self._title("not connected")
            self._detail("Not connected to Exact Online: connect in step 1 first. Reconcile compares every "
                         "transferred invoice with Exact (about 3 API calls, whatever the count).")
            return
        self.check()

    @work(exclusive=True, group="reconcile", exit_on_error=False)
    async def check(self) -> None:
        from ...services.problems import explain
        from ...services.reconcile import reconcile

        self.running = True
        self._title("checking both sides…")
        try:
            self.show(await reconcile(self.session.store, self.session.client))
        except Exception as exc:  # noqa: BLE001 - explained on screen and in the log
            problem = explain(exc)
            self.session.events.error(problem.what, side=problem.side, topic="reconcile", detail=problem.todo)
            self._title("the check failed")
            self._detail(f"{safe_markup(problem.what)}\nWhat to do: {safe_markup(problem.todo)}")
        finally:
            self.running = False

    def _title(self, state: str) -> None:
        self.query_one("#reconcile-title", Static).update(f"[b]Reconcile[/] · {state}")

    def show(self, report: Any) -> None:
        self.report = report
        table = self.table
        table.clear()
        for n, item in enumerate(report.items):
            table.add_row(safe(item.number), KINDS.get(item.kind, item.kind), safe(item.what), key=str(n))
        calls = f"{report.calls} API call{'s' if report.calls != 1 else ''}"
        checked = f"{report.checked:,} transferred invoice{'s' if report.checked != 1 else ''}"
        if report.agree:
            self._title(f"{checked} · both sides agree · {calls}")
            every = "The transferred invoice is" if report.checked == 1 else f"All {checked} are"
            self._detail(("Nothing is transferred yet: there is nothing to compare." if not report.checked else
                          f"{every} in Exact with the same number, amount, currency and customer; nothing was "
                          "deleted or booked twice and the local series has no holes."), agree=True)
            return
        self._title(f"{checked} · {len(report.items):,} to look at · {calls}")
        table.move_cursor(row=0)
        self._show_item(0)

    @on(DataTable.RowHighlighted, "#reconcile-items")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_item(event.cursor_row)

    def _show_item(self, index: int) -> None:
        items = self.report.items if self.report is not None else []
        if 0 <= index < len(items):
            item = items[index]
            self._detail(f"{safe_markup(item.what, multiline=True)}\n[b]Fix:[/] {safe_markup(item.fix, multiline=True)}")

    def action_open_invoice(self) -> None:
        items = self.report.items if self.report is not None else []
        row = self.table.cursor_row
        if not (0 <= row < len(items)):
            return
        from ..transfers import TransfersScreen

        self.app.push_screen(TransfersScreen(self.session, invoice=items[row].number))

    def action_back(self) -> None:
        self.dismiss(None)

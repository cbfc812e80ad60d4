"""The Transfers screen: every invoice with its status; transfer, ignore, undo, retry from the keyboard.

The screen never talks HTTP and never writes the store: `TransferService` does the work in an async
worker (the Exact client lives on the app's loop) and the screen renders its per-invoice results,
a progress bar, the counts per status and the API budget. Esc stops a run cleanly: the invoice in
flight finishes or is journalled unknown, nothing after it starts.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Input, ProgressBar, Static

from ...domain.transfer import TransferStatus
from .. import css
from ...services.budget import cost_line, day_left
from ...services.problems import explain
from ...services.transfer import Cancel, TransferRow, TransferService, undo
from ..screens.confirm import ConfirmScreen
from ..screens.listing import ListScreen, list_keys
from ..shown import printable, safe, safe_markup
from .table import TransfersTable
from .timeline import TimelineScreen

ORDER = ("pending", "blocked", "transferred", "refused", "partial", "unknown", "ignored")
RETRY = (TransferStatus.REFUSED, TransferStatus.PARTIAL, TransferStatus.BLOCKED, TransferStatus.UNKNOWN)


class TransfersScreen(ListScreen):
    """`invoice`: the number of an invoice to put the cursor on once the rows are read (from the log's `g`)."""

    AUTO_FOCUS = "TransfersTable"
    BINDINGS = [
        Binding("t", "transfer", "Transfer", id="transfers.transfer"),
        Binding("T", "transfer_all", "All not yet transferred", id="transfers.transfer_all"),
        Binding("x", "ignore", "Ignore/un-ignore", id="transfers.ignore"),
        Binding("u", "undo", "Undo export", id="transfers.undo"),
        Binding("r", "retry", "Retry refused", id="transfers.retry"),
        Binding("enter", "timeline", "Timeline", id="transfers.timeline"),
        *list_keys("transfers", back="Stop / back"),
    ]
    FILTER, LIST = "#transfers-filter", "#transfers-table"
    CSS_PATH = [css.WIDGETS, css.SCREENS, css.LINKING, css.TRANSFERS]

    def __init__(self, session: Any, *, invoice: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.go_to = invoice
        self.service = TransferService.for_session(session)
        self.cancel: Cancel | None = None
        self.by_id: dict[str, TransferRow] = {}
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static("Transfers", id="transfers-title")
        yield Input(placeholder="/ filter: number, customer, status (refused, blocked …), date, message",
                    id="transfers-filter")
        yield TransfersTable(id="transfers-table")
        yield Static("", id="transfers-customer")
        yield Static("", id="transfers-detail")
        with Horizontal(id="transfers-run"):
            yield ProgressBar(total=1, show_eta=False, id="transfers-progress")
            yield Static("", id="transfers-counts")
        yield Footer()

    @property
    def table(self) -> TransfersTable:
        return self.query_one(TransfersTable)

    def on_mount(self) -> None:
        self.load()

    # -- rows --------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="transfers-load", exit_on_error=False)
    def load(self) -> None:
        rows = self.service.rows()
        self.app.call_from_thread(self._show_rows, rows)

    def _show_rows(self, rows: list[TransferRow]) -> None:
        self.by_id = {r.id: r for r in rows}
        self.table.set_rows(rows)
        self._title()
        if self.go_to is not None:
            self._go_to(self.go_to)
            self.go_to = None

    def _go_to(self, number: str) -> None:
        """Cursor on invoice `number` (an invoice before a credit note of the same number); the filter is
        cleared first when it hides it."""
        def find() -> int | None:
            hits = [n for n, i in enumerate(self.table.view) if self.table.rows[i].invoice.number == number]
            hits.sort(key=lambda n: str(self.table.rows[self.table.view[n]].invoice.kind) == "credit_note")
            return hits[0] if hits else None

        position = find()
        if position is None and self.table.filter_text:
            self.filter_box.value = ""
            self.table.set_filter("")
            position = find()
        if position is None:
            self.notify(f"Invoice {printable(number)} is not among the invoices here", severity="warning", timeout=5)
            return
        self.table.set_cursor(position)

    def _title(self) -> None:
        counts = Counter(str(r.status) for r in self.by_id.values())
        parts = [f"{counts[k]:,} {k}" for k in ORDER if counts.get(k)]
        shown = len(self.table.view)
        total = len(self.by_id)
        text = f"[b]Transfers[/] · {total:,} invoices" + (f" ({shown:,} shown)" if shown != total else "")
        if parts:
            text += " · " + " · ".join(parts)
        if self.table.selected:
            text += f" · [b]{len(self.table.selected):,} selected[/]"
        self.query_one("#transfers-title", Static).update(text)

    @on(TransfersTable.CursorMoved)
    def _cursor(self, event: TransfersTable.CursorMoved) -> None:
        row = event.row
        text = who = ""
        if row is not None:
            # the customer in full (the column cuts it at 80 columns), and what the hidden columns hold
            inv = row.invoice
            who = f"Customer {row.customer} · {inv.currency}"
            if row.exact_number:
                who += f" · Exact no. {row.exact_number}"
            text = row.message or str(row.status)
            if row.payment_text:
                text += f" · payment: {row.payment_text}"
            if row.todo and row.status is not TransferStatus.TRANSFERRED:
                text += f"\nWhat to do: {row.todo}"
        self.query_one("#transfers-customer", Static).update(safe(who))
        self.query_one("#transfers-detail", Static).update(safe(text, multiline=True))

    @on(TransfersTable.SelectionChanged)
    def _selection(self, _event: Any) -> None:
        self._title()

    @on(Input.Changed, "#transfers-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value)
        self._title()

    def action_reload(self) -> None:
        self.load()

    def _chosen(self) -> list[TransferRow]:
        rows = self.table.selected_rows
        if not rows and self.table.current_row is not None:
            rows = [self.table.current_row]
        return rows

    # -- actions -----------------------------------------------------------------------------------
    def _busy(self) -> bool:
        if self.running:
            self.notify("A run is going: Esc stops it after the invoice in flight", severity="warning")
        return self.running

    def action_transfer(self) -> None:
        rows = [r for r in self._chosen() if r.status not in (TransferStatus.TRANSFERRED, TransferStatus.IGNORED)]
        if self._busy() or not rows:
            if not rows:
                self.notify("Nothing to transfer here (transferred and ignored invoices are skipped)", timeout=3)
            return
        self._confirm_run([r.invoice for r in rows], f"Transfer {len(rows):,} invoice{'s' if len(rows) != 1 else ''}?")

    def action_transfer_all(self) -> None:
        if self._busy():
            return
        invoices = self.service.select(all=True)
        if not invoices:
            self.notify("Every invoice is transferred or ignored", timeout=3)
            return
        self._confirm_run(invoices, f"Transfer all {len(invoices):,} invoices not yet transferred?")

    def action_retry(self) -> None:
        if self._busy():
            return
        chosen = [r for r in self.table.selected_rows if r.status in RETRY]
        invoices = [r.invoice for r in chosen] if chosen else self.service.select(statuses=RETRY)
        if not invoices:
            self.notify("No refused, partial, blocked or unknown invoices to retry", timeout=3)
            return
        self._confirm_run(invoices, f"Retry {len(invoices):,} refused / blocked invoice{'s' if len(invoices) != 1 else ''}?")

    def _confirm_run(self, invoices: list[Any], title: str) -> None:
        if self.session.client is None:
            self.notify("Not connected to Exact Online: connect in step 1 first", severity="error")
            return
        model = "sales entries" if self.service.model == "entries" else "sales invoices"
        _checks, calls = self.service.dry_run(invoices)  # the pre-flight from data at hand: no call
        calls += self.service.preparation_cost()
        body = (f"{len(invoices):,} to journal {safe_markup(self.service.journal)} as {model}. The pre-flight blocks what Exact "
                "would refuse (no call). Esc stops after the invoice in flight.\n"
                f"API budget: {cost_line(calls, day_left(self.session))}")
        self.app.push_screen(ConfirmScreen(title, body, yes="Transfer", no="Not now"),
                             lambda yes: self.run_transfer(invoices) if yes else None)

    @work(exclusive=True, group="transfers-run", exit_on_error=False)
    async def run_transfer(self, invoices: list[Any]) -> None:
        self.running, self.cancel = True, Cancel()
        bar = self.query_one("#transfers-progress", ProgressBar)
        bar.update(total=max(1, len(invoices)), progress=0)
        self.query_one("#transfers-run").add_class("running")
        self._counts_text(None)
        try:
            await self.service.start()
            report = await self.service.run(invoices, cancel=self.cancel, on_result=self._on_result)
            self.notify(report.summary(), title="Transfer", severity="warning" if report.needs_attention else "information")
        except Exception as exc:  # noqa: BLE001 - explained on screen and in the log
            problem = explain(exc)
            self.session.events.error(problem.what, side=problem.side, topic="transfer", detail=problem.todo)
            self.notify(f"{problem.what}\n{problem.todo}", title="Transfer", severity="error", timeout=10)
        finally:
            self.running, self.cancel = False, None
            self.query_one("#transfers-run").remove_class("running")
            self.load()

    def _on_result(self, result: Any, report: Any) -> None:
        row = self.by_id.get(result.invoice.id)
        state = self.service.states.get(result.invoice)
        if row is not None:
            row.status, row.message, row.todo = state.status, state.message, state.todo
            row.exact_number, row.exact_id = state.exact_number, state.exact_id
            self.table.refresh_rows()
            if row is self.table.current_row:
                self._cursor(TransfersTable.CursorMoved(self.table, row))
        self.query_one("#transfers-progress", ProgressBar).update(progress=report.done)
        self._counts_text(report)
        self._title()

    def _counts_text(self, report: Any | None) -> None:
        parts = [f"{report.counts[k]:,} {k}" for k in ORDER if report is not None and report.counts.get(k)]
        text = f"{report.done:,}/{report.total:,} · " if report is not None else "starting · "
        text += (" · ".join(parts) + " · " if parts else "") + self.session.budget_text() + " · Esc stops"
        self.query_one("#transfers-counts", Static).update(text)

    def action_ignore(self) -> None:
        rows = self._chosen()
        if self._busy() or not rows:
            return
        ignored = [r.invoice for r in rows if r.status is TransferStatus.IGNORED]
        others = [r.invoice for r in rows if r.status is not TransferStatus.IGNORED]
        try:
            done = self.service.ignore(others, on=True) + self.service.ignore(ignored, on=False)
        except ValueError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.notify(f"{done:,} invoice{'s' if done != 1 else ''} ignored / un-ignored", timeout=3)
        self.load()

    def action_undo(self) -> None:
        rows = [r for r in self._chosen() if r.status in (TransferStatus.TRANSFERRED, TransferStatus.PARTIAL)]
        if self._busy() or not rows:
            if not rows:
                self.notify("Only transferred invoices can be undone", timeout=3)
            return
        if self.session.client is None:
            self.notify("Not connected to Exact Online: connect in step 1 first", severity="error")
            return
        body = (f"Delete {len(rows):,} booking{'s' if len(rows) != 1 else ''} in Exact where Exact allows it and mark "
                "them not transferred. Paid or matched entries, closed periods and processed sales invoices stay: "
                "for those a credit note is the way.")
        self.app.push_screen(ConfirmScreen(f"Undo the export of {len(rows):,} invoice{'s' if len(rows) != 1 else ''}?",
                                           body, yes="Undo", no="Keep"),
                             lambda yes: self.run_undo([r.invoice for r in rows]) if yes else None)

    @work(exclusive=True, group="transfers-run", exit_on_error=False)
    async def run_undo(self, invoices: list[Any]) -> None:
        self.running = True
        try:
            results = await undo(self.service, invoices)
            kept = [r for r in results if not r.undone]
            text = f"{len(results) - len(kept):,} undone"
            if kept:
                text += f", {len(kept):,} kept in Exact: {kept[0].message}" + (f" — {kept[0].todo}" if kept[0].todo else "")
            self.notify(text, title="Undo export", severity="warning" if kept else "information", timeout=10)
        except Exception as exc:  # noqa: BLE001
            problem = explain(exc)
            self.notify(f"{problem.what}\n{problem.todo}", title="Undo export", severity="error", timeout=10)
        finally:
            self.running = False
            self.load()

    def action_timeline(self) -> None:
        row = self.table.current_row
        if row is not None:
            self.app.push_screen(TimelineScreen(row, self.service.timeline(row.id)))

    def action_back(self) -> None:
        if self.cancel is not None:
            self.cancel.set()
            self.notify("Stopping after the invoice in flight…", timeout=3)
            return
        super().action_back()

"""Step 3: the sales journal (type 20 only), with a warning for foreign-currency invoices."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...services import journal as svc
from ..shown import printable, safe
from .base import StepView


class JournalStep(StepView):
    KEY, NUMBER, TITLE = "journal", 3, "Sales journal"
    INTRO = "Invoices are booked in a sales journal (type 20). Enter picks; the choice is saved at once."
    BINDINGS = [Binding("ctrl+r", "reload", "Reload journals", id="journal.reload")]

    def compose_body(self):
        yield Static("", id="currencies", classes="status")
        yield OptionList(id="journals")
        yield Static("", id="journal-warning", classes="warning")
        yield Static("", id="chosen", classes="good")

    def first_focus(self):
        return self.query_one("#journals")

    def on_step_shown(self) -> None:
        self.action_reload(refresh=False)

    def action_reload(self, refresh: bool = True) -> None:
        try:
            self.currencies = svc.invoice_currencies(self.session)
        except Exception as exc:  # noqa: BLE001
            from ...services.problems import explain

            self.show_problem(explain(exc))
            self.currencies = {}
        if self.currencies:
            self.query_one("#currencies", Static).update(safe(svc.currency_summary(self.currencies)))
        if self.session.client is None:
            self.query_one("#chosen", Static).update("Connect in step 1 to see the journals.")
            return
        if not getattr(self.session.settings(), "division", None):
            self.query_one("#chosen", Static).update("Choose a division in step 2 first.")
            return
        self.run_service(svc.load_journals, self.session, refresh=refresh, done=self._fill, busy="reading journals")

    def _fill(self, journals) -> None:
        chosen = getattr(self.session.settings(), "journal", "")
        options = self.query_one("#journals", OptionList)
        options.clear_options()
        from collections import Counter

        currencies = Counter(self.currencies)
        for index, journal in enumerate(journals):
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append("● " if journal.code == chosen else "  ", style="bold green")
            label.append(f"{printable(journal.code):>4}  ", style="bold")
            label.append(f"{printable(journal.description)}  ")
            label.append(printable(journal.currency or "EUR"), style="dim")
            label.append("  variable currency" if journal.allow_variable_currency else "  fixed currency", style="dim")
            if svc.journal_warning(journal, currencies):
                label.append("  ⚠ foreign invoices", style="bold yellow")
            options.add_option(Option(label, id=journal.code))
        if journals:
            options.highlighted = next((i for i, j in enumerate(journals) if j.code == chosen), 0)
        if not journals:
            self.query_one("#chosen", Static).update("This division has no sales journal: create one in Exact (type Sales).")
            return
        self._show(journals)

    def _show(self, journals) -> None:
        from collections import Counter

        chosen = getattr(self.session.settings(), "journal", "")
        journal = next((j for j in journals if j.code == chosen), None)
        warning = svc.journal_warning(journal, Counter(self.currencies)) if journal else None
        self.query_one("#journal-warning", Static).update(safe("⚠ " + warning) if warning else "")
        self.query_one("#chosen", Static).update(
            safe(f"✓ Journal {journal.code} {journal.description} is used.") if journal else "No sales journal chosen yet.")

    @on(OptionList.OptionSelected, "#journals")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        journals = (self.session.cache.journals or [])
        journal = next(j for j in journals if j.code == event.option.id)
        self.run_service(svc.choose_journal, self.session, journal, done=lambda _: self._fill(journals), group="save")

"""Step 2: pick the division (administration) from those the user may use; locked after the first transfer
(see `services/division.py` for what locks it and what a change before that undoes)."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...services import division as svc
from ..shown import printable, safe
from .base import StepView


class DivisionStep(StepView):
    KEY, NUMBER, TITLE = "division", 2, "Division"
    INTRO = "Choose the Exact administration the invoices go to. Enter picks; the choice is saved at once."
    BINDINGS = [Binding("ctrl+r", "reload", "Reload divisions", id="division.reload")]

    def compose_body(self):
        yield Static("", id="lock")
        yield OptionList(id="divisions")
        yield Static("", id="chosen", classes="good")

    def first_focus(self):
        return self.query_one("#divisions")

    def on_step_shown(self) -> None:
        self.action_reload(refresh=False)

    def action_reload(self, refresh: bool = True) -> None:
        self._show_lock()
        if self.session.client is None:
            self.query_one("#chosen", Static).update("Connect in step 1 to see the divisions.")
            return
        self.run_service(svc.load_divisions, self.session, refresh=refresh, done=self._fill, busy="reading divisions")

    def _show_lock(self) -> str | None:
        lock = svc.division_lock(self.session)
        warning = None if lock else svc.change_warning(self.session)
        self.query_one("#lock", Static).update(safe("🔒 " + lock) if lock else safe("⚠ " + warning) if warning else "")
        self.query_one("#divisions", OptionList).disabled = bool(lock)
        return lock

    def _fill(self, divisions) -> None:
        chosen = getattr(self.session.settings(), "division", None)
        options = self.query_one("#divisions", OptionList)
        options.clear_options()
        current = self.session.me.current_division if self.session.me else None
        for division in divisions:
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append("● " if division.code == chosen else "  ", style="bold green")
            label.append(f"{division.code:>7}  ", style="bold")
            label.append(printable(division.description))
            if division.code == current:
                label.append("  (user's current)", style="dim")
            if division.blocked:
                label.append("  blocked", style="bold red")
            options.add_option(Option(label, id=str(division.code), disabled=bool(division.blocked)))
        pick = chosen or current
        index = next((i for i, d in enumerate(divisions) if d.code == pick), 0)
        if divisions:
            options.highlighted = index
        self._show_chosen()

    def _show_chosen(self) -> None:
        settings = self.session.settings()
        division = getattr(settings, "division", None)
        self.query_one("#chosen", Static).update(
            safe(f"✓ Division {division} {getattr(settings, 'division_name', '') or ''} is used.") if division
            else "No division chosen yet.")

    @on(OptionList.OptionSelected, "#divisions")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        code = int(event.option.id)
        name = next((d.description for d in (self.session.cache.divisions or []) if d.code == code), "")

        def done(_):
            self._show_lock()
            self._fill((self.session.cache.divisions or []))
            self.app.refresh_header()

        self.run_service(svc.choose_division, self.session, code, name, done=done, group="save")

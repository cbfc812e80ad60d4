"""Step 8: the whole checklist with what is missing; Activate only after an explicit confirmation."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ...services import activation as svc
from ..screens.confirm import ConfirmScreen
from ..shown import printable
from .base import StepView

MARK = {svc.StepState.DONE: ("✓", "green"), svc.StepState.ATTENTION: ("✗", "red"),
        svc.StepState.TODO: ("○", "yellow"), svc.StepState.CURRENT: ("●", "bold")}


class ActivateStep(StepView):
    KEY, NUMBER, TITLE = "activate", 8, "Confirm and activate"
    INTRO = ("Check everything once more. Once active, booked invoices and credit notes are transferred from "
             "the Transfers screen (F7) or with exact-tui transfer --all.")
    BINDINGS = [
        Binding("ctrl+y", "activate", "Activate…", id="activate.activate"),
        Binding("ctrl+r", "recheck", "Check again", id="activate.recheck"),
    ]

    def compose_body(self):
        with Horizontal(id="buttons"):
            yield Button("Activate… (ctrl+y)", id="activate", variant="warning")
            yield Button("Deactivate", id="deactivate")
        yield Static("", id="summary")

    def first_focus(self):
        return self.query_one("#activate")

    def on_step_shown(self) -> None:
        self.action_recheck()

    def action_recheck(self) -> None:
        self.run_service(svc.check, self.session, busy="checking the set-up", done=self._show, group="check")

    def _show(self, steps: list[svc.StepStatus]) -> None:
        text = Text()
        for number, step in enumerate(steps, 1):
            if step.key == "activate":
                continue
            mark, style = MARK[step.state]
            text.append(f"{mark} ", style=style)
            text.append(f"{number}. {step.title}", style="bold")
            if step.summary:
                text.append(f" — {printable(step.summary)}")  # may name a division, journal, item
            text.append("\n")
            for missing in step.missing:
                text.append(f"     • {printable(missing)}\n", style="yellow")
        hard = svc.blocking(steps)
        active = bool(getattr(self.session.settings(), "active", False))
        if active:
            text.append("\nThe integration is ACTIVE.", style="bold green")
            text.append("\nTransfer booked invoices on the Transfers screen (F7) or with exact-tui transfer --all.")
        elif hard:
            text.append("\nActivation is not possible yet: " + "; ".join(map(printable, hard)), style="bold red")
        else:
            text.append("\nReady to activate." + (" Read the warnings above first." if any(s.missing for s in steps)
                                                   else ""), style="bold")
        self.query_one("#summary", Static).update(text)
        self.query_one("#activate", Button).disabled = active
        self.query_one("#deactivate", Button).display = active
        self.steps = steps

    @on(Button.Pressed, "#activate")
    def action_activate(self) -> None:
        steps = svc.checklist(self.session)
        hard = svc.blocking(steps)
        if hard:
            self.local_problem("Cannot activate yet: " + "; ".join(hard), "Complete the steps marked ✗ first.")
            return
        warnings = [m for s in steps for m in s.missing]
        body = ("Booked invoices and credit notes may then be transferred to Exact Online with "
                "the Transfers screen (F7) or exact-tui transfer --all; nothing is sent before you start it.\n\n"
                + ("Open warnings:\n" + "\n".join(f"• {w}" for w in warnings) + "\n\nActivate anyway?"
                   if warnings else "Everything is complete. Activate now?"))

        def answer(yes: bool | None) -> None:
            if yes:
                self.run_service(svc.activate, self.session, confirmed=True,
                                 done=lambda _: (self.action_recheck(), self.app.refresh_header()), group="save")

        self.app.push_screen(ConfirmScreen("Activate the integration?", body, yes="Activate", no="Not yet"), answer)

    @on(Button.Pressed, "#deactivate")
    def _deactivate(self) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.run_service(svc.deactivate, self.session,
                                 done=lambda _: (self.action_recheck(), self.app.refresh_header()), group="save")

        self.app.push_screen(ConfirmScreen("Deactivate?", "No invoices will be transferred until you activate again."),
                             answer)

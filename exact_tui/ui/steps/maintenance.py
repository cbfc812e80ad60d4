"""Step 5: how customers reach Exact — three modes, each explained in one line; saved on selection."""
from __future__ import annotations

from textual import on
from textual.widgets import RadioSet, Static

from ...domain.link import MaintenanceMode
from ...services import maintenance as svc
from ..widgets.toggles import ShapedRadioButton
from .base import StepView


class MaintenanceStep(StepView):
    KEY, NUMBER, TITLE = "maintenance", 5, "Customer maintenance"
    INTRO = "How do customers get into Exact? Pick with ↑/↓ and Enter/space; saved at once."

    def compose_body(self):
        mode = svc.maintenance_mode(self.session)
        with RadioSet(id="modes"):
            for value, (label, _) in svc.MAINTENANCE_EXPLAINED.items():
                yield ShapedRadioButton(label, value=value is mode, id=f"mode-{value.value}")
        lines = [f"• {label}: {line}" for label, line in svc.MAINTENANCE_EXPLAINED.values()]
        yield Static("\n".join(lines), id="explain", classes="status")

    def first_focus(self):
        modes = self.query_one("#modes", RadioSet)
        if modes.pressed_index >= 0:
            modes._selected = modes.pressed_index  # the keyboard highlight starts on the mode in force
        return modes

    @on(RadioSet.Changed, "#modes")
    def _changed(self, event: RadioSet.Changed) -> None:
        mode = MaintenanceMode(event.pressed.id.removeprefix("mode-"))
        if getattr(self.session.settings(), "maintenance_mode", None) == mode:
            return
        self.run_service(svc.choose_maintenance, self.session, mode, group="save")

"""The left rail: the eight set-up steps with their state (✓ done, ● current, ✗ needs attention)."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...services.activation import STEP_TITLES, StepState, StepStatus

SHORT = {"maintenance": "Maintenance", "defaults": "Default numbers", "activate": "Activate"}

MARKS = {StepState.DONE: ("✓", "green"), StepState.ATTENTION: ("✗", "red"), StepState.TODO: ("○", "dim")}


class StepRail(OptionList):

    def __init__(self, **kw) -> None:
        super().__init__(*[Option(self._label(i, SHORT.get(key, title), None, False), id=key)
                           for i, (key, title) in enumerate(STEP_TITLES, 1)], **kw)
        self.border_title = "Set-up"
        self.current = STEP_TITLES[0][0]
        self.statuses: dict[str, StepStatus] = {}

    @staticmethod
    def _label(number: int, title: str, status: StepStatus | None, current: bool) -> Text:
        """'▸✓ 1 Connection': the step's state always shows (also on the current step, so ✓ 8 appears
        once the integration is active); ▸ and bold mark the step shown."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("▸" if current else " ", style="bold")
        if status is not None:
            mark, style = MARKS.get(status.state, ("●", "bold"))
            text.append(mark + " ", style=style)
        else:
            text.append("○ ", style="dim")
        text.append(f"{number} {title}", style="bold" if current else "")
        return text

    def show(self, statuses: list[StepStatus] | None = None, current: str | None = None) -> None:
        if statuses is not None:
            self.statuses = {s.key: s for s in statuses}
        if current is not None:
            self.current = current
        for i, (key, title) in enumerate(STEP_TITLES, 1):
            self.replace_option_prompt(key, self._label(i, SHORT.get(key, title), self.statuses.get(key),
                                                       key == self.current))
        index = [key for key, _ in STEP_TITLES].index(self.current)
        if self.highlighted != index:
            self.highlighted = index

"""The problem box: the last failure of a screen with what happened, cause, side, remedy, catalogue rows."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...services.problems import Problem
from ..shown import printable


def problem_text(problem: Problem) -> Text:
    """The explanation as the console prints it everywhere (box, Link screen status, card)."""
    text = Text()
    # Exact's words and local data in every part: shown, never obeyed (control characters escaped)
    text.append("✗ " + printable(problem.what) + "\n", style="bold red")
    if problem.cause:
        text.append("Cause: ", style="bold")
        text.append(printable(problem.cause) + "\n")
    text.append("Side: ", style="bold")
    text.append(problem.side_label + "\n")
    text.append("What to do: ", style="bold")
    text.append(printable(problem.todo))
    if problem.catalogue:
        text.append(f" (error catalogue {printable(problem.catalogue_ref)})", style="dim")
    if problem.detail:
        text.append("\n" + printable(problem.detail, multiline=True), style="dim")
    return text


class ProblemBox(Static):
    """Shows the last failure of a step or screen; hidden while there is none."""

    def show_problem(self, problem: Problem | None) -> None:
        if problem is None:
            self.remove_class("-shown")
            self.update("")
            return
        self.border_title = f"Problem · {problem.side.value}"
        self.update(problem_text(problem))
        self.add_class("-shown")

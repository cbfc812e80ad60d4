"""Linked-account problems: links whose Exact account was deleted in Exact or whose code changed.

The screen lists each with what happened and what to do; Enter applies the fix of the highlighted
one, `a` the fixes of all of them (both local only and undoable on the Link screen with u). The
links stay as they are until the user chooses here: the console never unlinks behind their back.
"""
from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...services.linking import LinkProblem, ProblemKind

PROBLEMS_CSS = """
LinkProblems { align: center middle; }
LinkProblems #dialog { width: 110; max-width: 96%; height: auto; max-height: 90%; border: thick $error;
    background: $surface; padding: 0 1; }
LinkProblems #dialog-title { text-style: bold; margin-bottom: 1; }
LinkProblems #problem-list { height: auto; max-height: 24; }
LinkProblems .dialog-hint { color: $text-muted; margin-top: 1; }
"""


class LinkProblems(ModalScreen["list[str] | None"]):
    """Returns the local ids whose problems to fix, or None (Esc: nothing changes)."""

    DEFAULT_CSS = PROBLEMS_CSS
    BINDINGS = [Binding("escape,q", "close", "Close"), Binding("a", "fix_all", "Fix all")]

    def __init__(self, problems: list[LinkProblem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        deleted = sum(1 for p in self.problems if p.kind is ProblemKind.DELETED)
        drifted = len(self.problems) - deleted
        with Vertical(id="dialog"):
            yield Static(f"Linked accounts that need you: {deleted:,} deleted in Exact, {drifted:,} code changed",
                         id="dialog-title")
            yield OptionList(*[Option(_label(p), id=p.local_id) for p in self.problems], id="problem-list")
            yield Static("↑/↓ choose · Enter fix the highlighted one · a fix all · Esc close (links stay as they "
                         "are) · u on the Link screen undoes a fix", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss([event.option.id or ""])

    def action_fix_all(self) -> None:
        self.dismiss([p.local_id for p in self.problems])

    def action_close(self) -> None:
        self.dismiss(None)


def _label(problem: LinkProblem) -> str:
    mark = "[b red]✗ deleted[/]" if problem.kind is ProblemKind.DELETED else "[b yellow]≠ code[/]"
    return (f"{mark} {escape(problem.text)}\n  [dim]{escape(problem.fix)}[/]\n"
            f"  [b]Enter: {problem.fix_label}[/]")

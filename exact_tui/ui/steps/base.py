"""What every set-up step shares: title and one-line intro, a problem box, and service calls in workers.

A step never touches HTTP or files: it calls a service function with the session from a Textual
worker (`run_service`), shows progress in its status line, and on failure shows what happened, on
which side (local / Exact / network) and what to do.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...services.events import Side
from ...services.problems import Problem, explain
from ...services.session import ConsoleSession


class ProblemBox(Static):
    """Shows the last failure of a step; hidden while there is none."""

    DEFAULT_CSS = """
    ProblemBox { display: none; border: round $error; padding: 0 1; margin: 1 0 0 0; height: auto; }
    ProblemBox.-shown { display: block; }
    """

    def show_problem(self, problem: Problem | None) -> None:
        if problem is None:
            self.remove_class("-shown")
            self.update("")
            return
        text = Text()
        text.append("✗ " + problem.what + "\n", style="bold red")
        if problem.cause:
            text.append("Cause: ", style="bold")
            text.append(problem.cause + "\n")
        text.append("Side: ", style="bold")
        text.append(problem.side_label + "\n")
        text.append("What to do: ", style="bold")
        text.append(problem.todo)
        if problem.catalogue:
            text.append(f" (error catalogue {problem.catalogue_ref})", style="dim")
        if problem.detail:
            text.append("\n" + problem.detail, style="dim")
        self.border_title = f"Problem · {problem.side.value}"
        self.update(text)
        self.add_class("-shown")


class StepView(VerticalScroll, can_focus=False):
    """Base of the eight step panes (shown in the middle, one at a time)."""

    KEY: ClassVar[str] = ""
    NUMBER: ClassVar[int] = 0
    TITLE: ClassVar[str] = ""
    INTRO: ClassVar[str] = ""
    BINDINGS: ClassVar[list] = []  # each step lists only its own keys (scrolling comes from the container)

    DEFAULT_CSS = """
    StepView { padding: 0 1; height: 1fr; }
    StepView .step-title { text-style: bold; color: $primary; margin: 0 0 0 0; }
    StepView .step-intro { color: $foreground 70%; margin: 0 0 1 0; }
    StepView .status { color: $foreground 70%; height: auto; }
    StepView .warning { color: $warning; height: auto; }
    StepView .good { color: $success; height: auto; }
    """

    def __init__(self, session: ConsoleSession, **kw: Any) -> None:
        super().__init__(id=f"step-{self.KEY}", **kw)
        self.session = session
        self.problem_box = ProblemBox(classes="problem")
        self.status_line = Static("", classes="status")
        self.last_problem: Problem | None = None

    def compose(self):
        yield Static(f"{self.NUMBER}. {self.TITLE}", classes="step-title")
        yield Static(self.INTRO, classes="step-intro")
        yield from self.compose_body()
        yield self.status_line
        yield self.problem_box

    def compose_body(self):  # pragma: no cover - overridden
        return iter(())

    def on_step_shown(self) -> None:
        """Called each time the step becomes visible: (re)load what it shows."""

    def first_focus(self):
        """The widget that gets focus when the step is opened."""
        return None

    # -- services in workers ---------------------------------------------------------------------
    def run_service(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None] | None = None,
                    busy: str = "", group: str = "service", **kwargs: Any):
        """Call a service (async or not) in a worker; `done(result)` runs on success, problems are shown."""
        return self.run_worker(self._call(fn, args, kwargs, done, busy), group=f"{self.KEY}-{group}",
                               exclusive=True, exit_on_error=False, name=busy or getattr(fn, "__name__", "service"))

    async def _call(self, fn, args, kwargs, done, busy) -> Any:
        if busy:
            self.status_line.update(Text(f"… {busy}", style="italic"))
        try:
            result = fn(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
        except Exception as exc:  # noqa: BLE001 - every failure is shown, none is swallowed
            problem = explain(exc)
            self.show_problem(problem)
            self.session.events.error(problem.what, side=problem.side, topic=self.KEY,
                                      detail=(f"{problem.cause} " if problem.cause else "") + f"What to do: {problem.todo}")
            if busy:
                self.status_line.update("")
            if problem.reconnect and self.KEY != "connection":
                self.app.notify("Reconnect in step 1 (nothing else is lost)", severity="error")
            return None
        self.show_problem(None)
        if busy:
            self.status_line.update("")
        if done is not None:
            try:
                done(result)
            except Exception as exc:  # noqa: BLE001 - a display bug must show, not vanish in the worker
                self.show_problem(explain(exc))
                self.session.events.error(f"Could not show the result: {exc!r}", topic=self.KEY)
        refresh = getattr(self.app, "refresh_checklist", None)
        if refresh:
            refresh()
        return result

    def show_problem(self, problem: Problem | None) -> None:
        self.last_problem = problem
        self.problem_box.show_problem(problem)
        if problem is not None:
            self.app.notify(f"{problem.what} ({problem.side.value})", title="Problem", severity="error", timeout=6)

    def local_problem(self, message: str, todo: str = "Correct it and try again.") -> None:
        self.show_problem(Problem(message, Side.LOCAL, todo))

"""What every set-up step shares: title and one-line intro, a problem box, and service calls in workers.

A step never touches HTTP or files: it calls a service function with the session from a Textual
worker (`run_service`), shows progress in its status line, and on failure shows what happened, on
which side (local / Exact / network) and what to do.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.compose import compose
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...services.events import Side
from ...services.problems import Problem
from ...services.session import ConsoleSession
from ..calls import run_service
from ..widgets.problem import ProblemBox

__all__ = ["ProblemBox", "StepView"]


class StepView(VerticalScroll, can_focus=False):
    """Base of the eight step panes (shown in the middle, one at a time)."""

    KEY: ClassVar[str] = ""
    NUMBER: ClassVar[int] = 0
    TITLE: ClassVar[str] = ""
    INTRO: ClassVar[str] = ""
    BINDINGS: ClassVar[list] = []  # each step lists only its own keys (scrolling comes from the container)

    def __init__(self, session: ConsoleSession, **kw: Any) -> None:
        super().__init__(id=f"step-{self.KEY}", **kw)
        self.session = session
        self.problem_box = ProblemBox(classes="problem")
        self.status_line = Static("", classes="status")
        self.last_problem: Problem | None = None

    # The console composes the shown step at start and the seven hidden ones right after its first
    # frame (`ExactApp`): styling their widgets before it cost a sixth of the start-up.
    deferred = False  # True: composing waits for `compose_now`
    composed = True  # the step's widgets are mounted

    def compose(self):
        if self.deferred:
            return
        yield Static(f"{self.NUMBER}. {self.TITLE}", classes="step-title")
        yield Static(self.INTRO, classes="step-intro")
        yield from self.compose_body()
        yield self.status_line
        yield self.problem_box

    def compose_body(self):  # pragma: no cover - overridden
        return iter(())

    def defer(self) -> None:
        """Compose this step later (`compose_now`), not when it is mounted."""
        self.deferred, self.composed = True, False

    async def compose_now(self) -> None:
        """Mount the widgets of a deferred step (at once, in compose order); waits for a composing
        already under way; nothing to do for a step already composed."""
        if self.deferred:
            self.deferred = False
            self._composing = self.mount_all(compose(self))
        if not self.composed:
            await self._composing
            if not self.composed:
                self.composed = True
                self.body_mounted()

    def on_mount(self) -> None:
        if self.composed:
            self.body_mounted()

    def body_mounted(self) -> None:
        """Called once the step's widgets are mounted (at start, or when its composing was deferred)."""

    def on_step_shown(self) -> None:
        """Called each time the step becomes visible: (re)load what it shows."""

    def first_focus(self):
        """The widget that gets focus when the step is opened."""
        return None

    # -- services in workers ---------------------------------------------------------------------
    def run_service(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None] | None = None,
                    busy: str = "", group: str = "service", **kwargs: Any):
        """Call a service (async or not) in a worker; `done(result)` runs on success, problems are shown
        in the step's problem box and the log (`ui.calls.run_service`); the rail is refreshed after."""

        def finished(result: Any) -> None:
            if done is not None:
                done(result)
            refresh = getattr(self.app, "refresh_checklist", None)
            if refresh:
                refresh()

        return run_service(self, fn, *args, topic=self.KEY, done=finished, show=self.show_problem, busy=busy,
                           status=self.status_line.update, group=group, **kwargs)

    def show_problem(self, problem: Problem | None) -> None:
        self.last_problem = problem
        self.problem_box.show_problem(problem)
        if problem is not None:
            self.app.notify(f"{problem.what} ({problem.side.value})", title="Problem", severity="error", timeout=6)

    def local_problem(self, message: str, todo: str = "Correct it and try again.") -> None:
        self.show_problem(Problem(message, Side.LOCAL, todo))

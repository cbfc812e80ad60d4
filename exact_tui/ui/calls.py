"""Run a service from the UI and show its problem: the one way every screen calls `services/`.

A screen never talks HTTP or writes files itself: it hands a service function to `run_service`,
which calls it in a Textual worker (async functions on the event loop, plain ones as they are),
shows a busy text while it runs, and on failure turns the exception into a `Problem` (what
happened, cause, side — local / Exact / network —, what to do, catalogue rows) through
`services.problems.explain`. The problem goes to the screen's problem box (or a notice where a
screen has none), to the integration log with its cause and remedy, and — when the login is gone —
to a "reconnect in step 1" notice.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.worker import Worker

from ..services.problems import Problem, explain

Show = Callable[[Problem | None], None]


def report_problem(owner: Widget, problem: Problem, *, topic: str, show: Show | None = None,
                   record: str = "") -> None:
    """Show `problem` on the screen (box or notice) and write it to the log with cause and remedy."""
    if show is not None:
        show(problem)
    else:
        owner.app.notify(f"{problem.what}\n{problem.side_label}: {problem.todo}", title="Problem",
                         severity="error", timeout=8)
    events = getattr(getattr(owner.app, "session", None), "events", None) or _events_of(owner)
    if events is not None:
        events.error(problem.what, side=problem.side, topic=topic, record=record,
                     detail=(f"{problem.cause} " if problem.cause else "") + f"What to do: {problem.todo}")
    if problem.reconnect:
        session = getattr(owner.app, "session", None)
        if session is not None and hasattr(session, "login_lost"):
            session.login_lost()
        refresh = getattr(owner.app, "refresh_checklist", None)
        if refresh is not None:
            refresh()  # the rail shows ✗ 1 at once
        if topic != "connection":
            owner.app.notify("Reconnect in step 1 (nothing else is lost)", severity="error")


def _events_of(owner: Widget) -> Any:
    session = getattr(owner, "session", None) or getattr(owner.screen, "session", None)
    return getattr(session, "events", None)


def run_service(owner: Widget, fn: Callable[..., Any], *args: Any, topic: str, done: Callable[[Any], None] | None = None,
                show: Show | None = None, busy: str = "", status: Callable[[Any], None] | None = None,
                group: str = "service", exclusive: bool = True, **kwargs: Any) -> Worker:
    """Call `fn(*args, **kwargs)` in a worker of `owner`; `done(result)` runs on the UI when it worked.

    `show(problem)` puts a failure where the user looks (`show(None)` clears it on success);
    `status(text)` shows `busy` while the call runs."""

    async def call() -> Any:
        if busy and status is not None:
            status(Text(f"… {busy}", style="italic"))
        try:
            result = fn(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
        except Exception as exc:  # noqa: BLE001 - every failure is shown, none is swallowed
            if busy and status is not None:
                status("")
            report_problem(owner, explain(exc), topic=topic, show=show)
            return None
        if busy and status is not None:
            status("")
        if show is not None:
            show(None)
        if done is not None:
            try:
                done(result)
            except Exception as exc:  # noqa: BLE001 - a display bug must show, not vanish in the worker
                problem = explain(exc)
                report_problem(owner, Problem(f"Could not show the result: {problem.what}", problem.side,
                                              problem.todo, detail=repr(exc)), topic=topic, show=show)
        return result

    return owner.run_worker(call(), group=f"{topic}-{group}", exclusive=exclusive, exit_on_error=False,
                            name=busy or getattr(fn, "__name__", "service"))

"""Opening a profile and its Exact connection for a headless command (`sync`, `run`, `reconcile`).

The console and the commands share this: one writer per profile (the store's lock), the stored
tokens (no login), the division saved in step 2. Progress goes to a listener (stderr for the CLI).
"""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from .events import Event
from .session import ConsoleSession


class CannotRun(Exception):
    """The command could not start (no profile, not connected, the profile busy): exit 2."""


@contextlib.asynccontextmanager
async def connected(profile: str, data_dir: str | None, *, progress: Callable[[Event], None] | None = None,
                    need_exact: bool = True, need_division: bool = True) -> AsyncIterator[ConsoleSession]:
    """An open session with `session.client` connected (when `need_exact`), closed afterwards.

    `need_division=False` is for the commands that choose it (`exact-tui setup division`)."""
    from ..store import StoreError
    from . import connection

    try:
        session = ConsoleSession.open(profile, data_dir)
    except StoreError as exc:
        raise CannotRun(str(exc)) from None
    unsubscribe = session.events.subscribe(progress) if progress else None
    try:
        if need_exact:
            try:
                report = await connection.resume(session)
            except Exception as exc:  # noqa: BLE001 - said plainly, with the explanation
                from .problems import explain

                raise CannotRun(f"cannot use the stored Exact connection: {explain(exc).what} ({exc})") from None
            if report is None:
                raise CannotRun(f"profile '{profile}' is not connected to Exact Online (or its client secret is not "
                                "kept): run `exact-tui connect` or step 1 of the console first")
            if need_division and not session.store.settings.get().division:
                raise CannotRun("no division chosen yet: pick one in step 2 (or `exact-tui setup division NUMBER`)")
        yield session
    finally:
        if unsubscribe:
            unsubscribe()
        await session.aclose()


def print_progress(stream: Any) -> Callable[[Event], None]:
    """A listener that writes each event as one line (for stderr)."""
    def listener(event: Event) -> None:
        if event.topic == "api":
            return  # one line per HTTP call is the log's job, not the terminal's
        print(f"{event.level.value if hasattr(event.level, 'value') else event.level}: {event.message}",
              file=stream, flush=True)
    return listener

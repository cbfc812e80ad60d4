"""Opening a profile and its Exact connection for a headless command (`sync`, `run`, `doctor`, …).

The console and the commands share this: one writer per profile (the store's lock), the stored
tokens (no login), the division saved in step 2. A command that only reads opens the profile with
`reading` / `reading_session` (any number at once, next to a console) and never creates it, so a
mistyped `--profile` is an error, not a new empty profile. Everything that stops a command before it
starts is a `CannotRun` (exit 2) with the reason in its message; the fronts catch only that and the
store's `StoreError` (re-exported here so `cli/` depends on `services/` alone).

Progress goes to a listener: `progress_printer(stream, as_json)` writes each event of the stream
(`services/events.py`) as a line of text, or with `--json` as one JSON object per line, on stderr.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..store.errors import ProfileLocked, StoreError
from .events import Event
from .session import ConsoleSession

if TYPE_CHECKING:  # pragma: no cover
    from ..store.profile import ProfileStore

__all__ = ["CannotRun", "ProfileLocked", "StoreError", "connected", "open_session", "print_progress", "progress_printer",
           "reading", "reading_session", "writing"]


class CannotRun(Exception):
    """The command could not start (no such profile, not connected, the profile busy): exit 2."""


def _existing(profile: str, data_dir: str | None):
    from ..paths import UnknownProfile, existing_profile_dir

    try:
        return existing_profile_dir(profile, data_dir)
    except (UnknownProfile, ValueError) as exc:
        raise CannotRun(str(exc)) from None


def reading(profile: str, data_dir: str | None, *,
            create: bool = False) -> contextlib.AbstractContextManager["ProfileStore"]:
    """The profile's store, read-only (works while a console or a run writes it). It must exist, unless
    `create` (an import's dry run into a profile the real import will make)."""
    return _opened(profile, data_dir, create=create, readonly=True)


def writing(profile: str, data_dir: str | None, *,
            create: bool = False) -> contextlib.AbstractContextManager["ProfileStore"]:
    """The profile's store as its one writer (raises `CannotRun` naming the holder when it is busy).

    `create`: the command may make the profile (an import into a new profile); otherwise it must exist."""
    return _opened(profile, data_dir, create=create, readonly=False)


@contextlib.contextmanager
def _opened(profile: str, data_dir: str | None, *, create: bool, readonly: bool) -> Iterator["ProfileStore"]:
    from ..paths import profile_dir
    from ..store.profile import ProfileStore

    try:
        folder = profile_dir(profile, data_dir) if create else _existing(profile, data_dir)
        store = ProfileStore.open(folder, readonly=readonly)
    except (StoreError, ValueError) as exc:
        raise CannotRun(str(exc)) from None
    try:
        yield store
    finally:
        store.close()


def open_session(profile: str, data_dir: str | None) -> ConsoleSession:
    """The profile's session as its one writer (the caller closes it); `CannotRun` when it does not
    exist or another process holds it."""
    _existing(profile, data_dir)
    try:
        return ConsoleSession.open(profile, data_dir)
    except StoreError as exc:
        raise CannotRun(str(exc)) from None


@contextlib.asynccontextmanager
async def reading_session(profile: str, data_dir: str | None) -> AsyncIterator[ConsoleSession]:
    """A session on the read-only store, for the commands that look (doctor, bundle): nothing is logged."""
    with reading(profile, data_dir) as store:
        session = ConsoleSession(profile, store.profile_dir, store, keep_log=False)
        try:
            yield session
        finally:
            await session.aclose()


@contextlib.asynccontextmanager
async def connected(profile: str, data_dir: str | None, *, progress: Callable[[Event], None] | None = None,
                    need_exact: bool = True, need_division: bool = True) -> AsyncIterator[ConsoleSession]:
    """An open session with `session.client` connected (when `need_exact`), closed afterwards.

    `need_division=False` is for the commands that choose it (`exact-tui setup division`)."""
    from . import connection

    session = open_session(profile, data_dir)
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


def progress_printer(stream: Any, *, as_json: bool = False,
                     keep: Callable[[Event], bool] | None = None) -> Callable[[Event], None]:
    """A listener that writes each event as one line: text (`text_line`), or (`as_json`) one JSON object
    per line with `time, side, level, topic, record, message, detail, progress` — the log's fields.

    One line per HTTP call is the log's job, not the terminal's: `api` events are left out unless `keep`
    (the command's own filter) says otherwise."""
    def listener(event: Event) -> None:
        if not (keep(event) if keep else event.topic != "api"):
            return
        if as_json:
            line = json.dumps(event.as_dict(), ensure_ascii=False)
        else:
            line = text_line(event)
        print(line, file=stream, flush=True)
    return listener


def text_line(event: Event) -> str:
    """'[3/40] invoice 2600012 transferred', 'warning: …': the progress first, the level when it matters."""
    prefix = f"[{event.progress[0]}/{event.progress[1]}] " if event.progress else ""
    level = str(event.level)
    return prefix + (f"{level}: " if level in ("warning", "error") else "") + event.message


def print_progress(stream: Any) -> Callable[[Event], None]:
    """Each event as a line of text (for stderr); see `progress_printer`."""
    return progress_printer(stream)

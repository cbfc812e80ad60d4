"""The machine's second core for the matcher's large stages, by a forked child.

Normalising and scoring are pure functions of the two sides' columns, and most of their time is
Python work per value or per pair, which threads cannot share (the GIL). A forked child reads the
parent's columns without copying them (copy-on-write), computes its half, and sends back plain
lists and numpy arrays; the parent computes the other half meanwhile. With two free cores the
forked stages take a little over half their time (figures: README, bench/bench_match.py).

Forking is done only where it is safe and pays: Linux, at least two usable cores, enough
work, and no other thread in the process (a thread holding a lock at the moment of the fork would
leave the child's copy of that lock held forever — the console runs the matcher in a worker thread
beside its event loop, so there the stages run one after the other, as they do on one core).
`EXACT_TUI_MATCH_PROCESSES=1` turns it off. Whatever the child does, the result is the one the
serial run gives: an exception in the child is raised in the parent, and a child that dies
(killed, out of memory) has its half computed by the parent instead.
"""
from __future__ import annotations

import io
import os
import pickle
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeVar

# macOS has `fork` too, but its system frameworks (Accelerate under numpy among them) do not
# promise to work in a forked child; Python itself starts processes by spawning there
_LINUX = sys.platform.startswith("linux") and hasattr(os, "fork")

A = TypeVar("A")
B = TypeVar("B")

# below this much work a fork (~10-30 ms with the sides in memory) and sending the half back do not pay
MIN_RECORDS = 10_000  # records to normalise
MIN_PAIRS = 20_000  # pairs to score
MIN_ROWS = 1_000  # Exact accounts to search by name alone (each meets up to 150 local names)


@dataclass(slots=True)
class ChildMemory:
    """What the children of this process used, for the bench: private memory (not shared with the
    parent) at the end of the largest task, in kB."""

    private_kb: int = 0
    halves: int = 0  # stages' halves a child computed


children = ChildMemory()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork(work: int, least: int) -> bool:
    """True when a forked child would be safe, and `work` (records, pairs ...) is at least `least`."""
    if os.environ.get("EXACT_TUI_MATCH_PROCESSES", "").strip() == "1":
        return False
    return _LINUX and work >= least and _cores() >= 2 and _alone()


def _alone() -> bool:
    """No other Python thread runs in this process (a fork copies only the calling thread)."""
    return threading.active_count() == 1


def both(here: Callable[[], A], there: Callable[[], B], work: int, least: int) -> tuple[A, B]:
    """`(here(), there())`, `there` in a forked child when `can_fork(work, least)`, else one after
    the other."""
    with Helper() as helper:
        return helper.both(here, there, work, least)


class Helper:
    """One forked child for several stages in a row (`both` each time), forked at the first stage
    that forks: each fork write-protects every page of the parent, and both processes then pay a
    page fault for each page they write — about 0.1-0.2 s per stage at 50,000 records, which one
    child for blocking, scoring and the name-only pass pays once.

    A later stage's `there` reaches the child pickled; the objects in `shared` (the prepared sides)
    go by reference, as the child has them since the fork. A child that died has its task and all
    later ones done by the parent; an exception in the child is raised in the parent."""

    def __init__(self, *shared: Any) -> None:
        self._shared = shared
        self._pid = 0
        self._send: BinaryIO | None = None
        self._answers: BinaryIO | None = None
        self._gone = False

    def __enter__(self) -> "Helper":
        return self

    def __exit__(self, *exc: object) -> None:
        self._end(kill=exc[0] is not None)

    def both(self, here: Callable[[], A], there: Callable[[], B], work: int, least: int) -> tuple[A, B]:
        if self._gone or not can_fork(work, least):
            return here(), there()
        if not self._pid:
            self._fork(there)
        elif not self._sent(there):
            return here(), there()
        try:
            mine = here()
            payload = _read(self._answers)
        except BaseException:
            self._end(kill=True)
            raise
        if payload is None:  # the child died on this task: it is done here, and so are the later ones
            self._end(kill=True)
            self._gone = True
            return mine, there()
        children.halves += 1
        ok, value, private_kb = pickle.loads(payload)
        children.private_kb = max(children.private_kb, private_kb)
        if not ok:
            raise value
        return mine, value

    def _sent(self, task: Callable[[], Any]) -> bool:
        """Send `task` to the child; False if the child is gone (it is then done here)."""
        try:
            _write(self._send, _Tasks(self._shared).dumps(task))
            return True
        except BrokenPipeError:
            self._end(kill=True)
            self._gone = True
            return False

    def _fork(self, first: Callable[[], Any]) -> None:
        tasks_r, tasks_w = os.pipe()
        answers_r, answers_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: serve, then leave without running the parent's exit handlers
            os.close(tasks_w)
            os.close(answers_r)
            _serve(first, os.fdopen(tasks_r, "rb"), os.fdopen(answers_w, "wb"), self._shared)
        os.close(tasks_r)
        os.close(answers_w)
        self._pid = pid
        self._send = os.fdopen(tasks_w, "wb")
        self._answers = os.fdopen(answers_r, "rb")

    def _end(self, *, kill: bool) -> None:
        if not self._pid:
            return
        for pipe in (self._send, self._answers):
            try:
                if pipe:
                    pipe.close()
            except OSError:
                pass
        _end(self._pid, kill=kill)
        self._pid = 0


class _Tasks(pickle.Pickler):
    """Pickles a task for the child, with the shared objects as their place in `shared`."""

    def __init__(self, shared: tuple[Any, ...]) -> None:
        self._buffer = io.BytesIO()
        super().__init__(self._buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self._places = {id(obj): k for k, obj in enumerate(shared)}

    def persistent_id(self, obj: Any) -> int | None:
        return self._places.get(id(obj))

    def dumps(self, task: Callable[[], Any]) -> bytes:
        self.dump(task)
        return self._buffer.getvalue()


class _Shared(pickle.Unpickler):
    def __init__(self, data: bytes, shared: tuple[Any, ...]) -> None:
        super().__init__(io.BytesIO(data))
        self._shared = shared

    def persistent_load(self, pid: Any) -> Any:
        return self._shared[pid]


def _write(pipe: BinaryIO | None, payload: bytes) -> None:
    assert pipe is not None
    pipe.write(len(payload).to_bytes(8, "little"))
    pipe.write(payload)
    pipe.flush()


def _read(pipe: BinaryIO | None) -> bytes | None:
    """One message, or None when the other end closed before sending it whole."""
    assert pipe is not None
    head = pipe.read(8)
    if len(head) < 8:
        return None
    size = int.from_bytes(head, "little")
    payload = pipe.read(size)
    return payload if len(payload) == size else None


def _serve(first: Callable[[], Any], tasks: BinaryIO, answers: BinaryIO, shared: tuple[Any, ...]) -> None:
    code = 0
    try:
        task: Callable[[], Any] | None = first
        while task is not None:
            try:
                payload = pickle.dumps((True, task(), _private_kb()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # sent to the parent, which raises it where the serial run would
                try:
                    payload = pickle.dumps((False, exc, 0))
                except Exception:
                    payload = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}"), 0))
            _write(answers, payload)
            message = _read(tasks)
            task = _Shared(message, shared).load() if message is not None else None
    except BaseException:
        code = 1
    finally:
        os._exit(code)


_leaving: list[int] = []  # children told to finish, not waited for yet (`reap`)


def _end(pid: int, *, kill: bool) -> None:
    """A killed child is waited for at once; one that was told to finish (its pipe closed) is left to
    exit on the other core — freeing a few hundred MB takes it 0.05-0.1 s, which the parent would
    otherwise wait through — and waited for by `reap`."""
    if not kill:
        _leaving.append(pid)
        return
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    _wait(pid)


def reap() -> None:
    """Wait for the children that were told to finish (the matcher calls this when a run ends)."""
    while _leaving:
        _wait(_leaving.pop())


def _wait(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _private_kb() -> int:
    """This process's memory not shared with its parent (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/smaps_rollup") as fh:
            return sum(int(line.split()[1]) for line in fh if line.startswith(("Private_Clean", "Private_Dirty")))
    except OSError:
        return 0

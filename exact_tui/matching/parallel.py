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

import os
import pickle
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

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
    forks: int = 0


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
    if not can_fork(work, least):
        return here(), there()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's exit handlers
        os.close(read_fd)
        _child(there, write_fd)
    os.close(write_fd)
    try:
        mine = here()
        with os.fdopen(read_fd, "rb") as pipe:
            payload = pipe.read()
    except BaseException:
        _end(pid, kill=True)
        raise
    _end(pid, kill=False)
    children.forks += 1
    if not payload:  # the child died before sending anything
        return mine, there()
    ok, value, private_kb = pickle.loads(payload)
    children.private_kb = max(children.private_kb, private_kb)
    if not ok:
        raise value
    return mine, value


def _child(task: Callable[[], Any], write_fd: int) -> None:
    code = 0
    try:
        try:
            payload = pickle.dumps((True, task(), _private_kb()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # sent to the parent, which raises it where the serial run would
            try:
                payload = pickle.dumps((False, exc, 0))
            except Exception:
                payload = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}"), 0))
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _end(pid: int, *, kill: bool) -> None:
    if kill:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
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

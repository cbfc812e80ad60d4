"""The matcher's second core: a forked child gives the results one process gives, or none at all."""
import os
import pickle
import sys
import threading
from functools import partial
from pathlib import Path

import pytest

from exact_tui.matching import match, parallel
from exact_tui.matching.prepare import Column, KeyCodes, prepare, prepare_sides

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from gen_records import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forking is POSIX only")


@pytest.fixture
def forking(monkeypatch):
    """Fork for any amount of work, on any machine, whatever threads the test runner keeps."""
    monkeypatch.setattr(parallel, "_alone", lambda: True)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    monkeypatch.setattr(parallel, "_LINUX", True)
    monkeypatch.delenv("EXACT_TUI_MATCH_PROCESSES", raising=False)
    for name in ("MIN_RECORDS", "MIN_PAIRS", "MIN_ROWS"):
        monkeypatch.setattr(parallel, name, 1)


def test_the_second_task_runs_in_a_child_and_the_results_come_back_in_order(forking):
    here, there = parallel.both(os.getpid, lambda: (os.getpid(), list(range(5))), 10, 1)
    assert here == os.getpid()
    assert there[0] != os.getpid() and there[1] == [0, 1, 2, 3, 4]


def test_an_exception_in_the_child_is_raised_in_the_parent(forking):
    def fails():
        raise ValueError("local side: id 'x' occurs more than once")

    with pytest.raises(ValueError, match="occurs more than once"):
        parallel.both(lambda: 1, fails, 10, 1)


def test_a_child_that_dies_has_its_half_computed_by_the_parent(forking):
    parent = os.getpid()

    def dies_in_the_child():
        if os.getpid() != parent:
            os._exit(3)  # as a child killed by the out-of-memory killer leaves nothing behind
        return "computed here"

    assert parallel.both(lambda: 1, dies_in_the_child, 10, 1) == (1, "computed here")


class _Unpicklable:
    """Stands for a prepared side: a child that has it since the fork must not be sent it."""

    def __init__(self) -> None:
        self.values = [1, 2, 3]

    def __reduce__(self):
        raise AssertionError("a shared object was pickled")


def _sum_and_pid(obj: _Unpicklable, extra: int):
    return sum(obj.values) + extra, os.getpid()


def test_one_helper_child_does_every_stage_and_reads_the_shared_objects_it_has(forking):
    shared = _Unpicklable()
    with parallel.Helper(shared) as helper:
        answers = [helper.both(lambda: k, partial(_sum_and_pid, shared, k), 10, 1) for k in range(3)]
    assert [mine for mine, _ in answers] == [0, 1, 2]
    assert [there[0] for _, there in answers] == [6, 7, 8]
    pids = {there[1] for _, there in answers}
    assert len(pids) == 1 and os.getpid() not in pids  # one child, forked once


def _dies_on_the_second(parent: int, k: int):
    if os.getpid() != parent and k == 1:
        os._exit(3)
    return k * 10


def test_after_the_helper_child_dies_its_task_and_the_later_ones_are_done_here(forking):
    parent = os.getpid()
    with parallel.Helper() as helper:
        answers = [helper.both(lambda: k, partial(_dies_on_the_second, parent, k), 10, 1) for k in range(4)]
    assert answers == [(0, 0), (1, 10), (2, 20), (3, 30)]


def _fails_on_the_second(k: int):
    if k == 1:
        raise ValueError("local side: id 'x' occurs more than once")
    return k


def test_an_exception_in_a_later_stage_of_the_helper_child_is_raised_here(forking):
    with parallel.Helper() as helper:
        assert helper.both(lambda: 0, partial(_fails_on_the_second, 0), 10, 1) == (0, 0)
        with pytest.raises(ValueError, match="occurs more than once"):
            helper.both(lambda: 1, partial(_fails_on_the_second, 1), 10, 1)


def test_no_fork_beside_another_thread_or_when_switched_off(monkeypatch):
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    monkeypatch.setattr(parallel, "_LINUX", True)
    monkeypatch.delenv("EXACT_TUI_MATCH_PROCESSES", raising=False)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:  # the console runs the matcher in a worker thread beside its event loop
        assert not parallel.can_fork(10**6, 1)
        assert parallel.both(os.getpid, os.getpid, 10**6, 1) == (os.getpid(), os.getpid())
    finally:
        stop.set()
        worker.join()
    monkeypatch.setattr(parallel, "_alone", lambda: True)
    assert parallel.can_fork(10**6, 1)
    assert not parallel.can_fork(5, 10)
    monkeypatch.setenv("EXACT_TUI_MATCH_PROCESSES", "1")
    assert not parallel.can_fork(10**6, 1)


def _decisions(result):
    notes = {e: list(result.notes.get(e, [])) for e in [*result.one, *result.more]}
    return ({e: (c.local_id, c.score) for e, c in result.one.items()},
            {e: [(c.local_id, c.score, c.rank) for c in cs] for e, cs in result.more.items()},
            sorted(result.none), notes, result.stats["pairs"])


def test_forked_stages_give_every_decision_one_process_gives(forking, monkeypatch):
    monkeypatch.setattr(parallel, "children", parallel.ChildMemory())
    exact, local, _ = generate(1500, seed=5)
    forked = _decisions(match(exact, local))
    assert parallel.children.halves >= 3  # both sides, the blocked pairs, the name-only pass
    with pytest.raises(ChildProcessError):  # every child was waited for when the run ended
        os.waitpid(-1, os.WNOHANG)
    monkeypatch.setenv("EXACT_TUI_MATCH_PROCESSES", "1")
    assert forked == _decisions(match(exact, local))


def _columns_of(side):
    """Everything a prepared side holds, as plain values."""
    return ([r.id for r in side.records], list(side.names), list(side.name), list(side.address), list(side.city),
            {k: list(v) for k, v in side.raw.items()}, {k: v.tolist() for k, v in side.keys.items()},
            side.has_address.tolist(), side.has_city.tolist(), [sorted(t) for t in side.block_tokens()],
            list(side.name_sorted), list(side.name_words), side.in_order.tolist(), side.words_in_order.tolist(),
            side.word_codes.tolist(), side.word_start.tolist(),
            side.ids)


def test_both_sides_prepared_on_two_cores_equal_each_prepared_alone(forking):
    """The field groups (names, numbers here; addresses, places in the child) give the columns and
    the very codes that preparing the Exact side, then the local side, in one process gives."""
    exact, local, _ = generate(400, seed=11)
    E, L = prepare_sides(exact, local, KeyCodes())
    codes = KeyCodes()
    assert (_columns_of(E), _columns_of(L)) == (_columns_of(prepare(exact, codes)), _columns_of(prepare(local, codes)))


def test_a_column_crosses_the_pipe_whole_whatever_its_values_hold():
    for values in (["a", "", "b c"], [], [""], ["only"], ["x\0y", "z"], ["\0", ""]):
        back = pickle.loads(pickle.dumps(Column(values)))
        assert type(back) is Column and back == values

"""Undo goes back several local steps, rows come back in their tab's order without a stale ✓, and an
action that changed Exact ends the stack with a message that says so (#16 item 10)."""
from __future__ import annotations

import pytest

from exact_tui.services.linking import Action

from .helpers import open_store, service
from .conftest import FakeClient


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    yield s
    s.close()


async def test_three_local_steps_undo_newest_first(store):
    svc = service(store)
    await svc.run(svc.plan(Action.IGNORE, [svc.rows["e5"]]))
    await svc.run(svc.plan(Action.REJECT, [svc.rows["e1"]]))
    await svc.run(svc.plan(Action.LINK_EXACT, [svc.rows["e6"]]))
    assert "and 2 steps before it" in (svc.undo_text() or "")
    assert "Link and use data from Exact" in svc.undo()
    assert store.links.all() == [] and store.rejected.pairs() == {("e1", "l1")}
    assert "Not this pair" in svc.undo()
    assert store.rejected.pairs() == set() and {i.exact_id for i in store.ignored.all()} == {"e5"}
    assert "Ignore" in svc.undo()
    assert store.ignored.all() == [] and svc.undo_text() is None
    with pytest.raises(LookupError):
        svc.undo()


async def test_an_undone_row_has_no_result_and_keeps_the_tab_order(store):
    svc = service(store)
    order = [r.id for r in svc.tab_rows("one")]
    first = svc.tab_rows("one")[0]
    await svc.run(svc.plan(Action.REJECT, [first]))
    assert first.id not in [r.id for r in svc.tab_rows("one")]
    svc.undo()
    assert [r.id for r in svc.tab_rows("one")] == order  # back in its place, not at the end
    assert svc.rows[first.id].result == "" and svc.rows[first.id].problem == ""  # no stale ✓


async def test_linking_with_local_data_ends_the_stack_and_says_why(store):
    svc = service(store, client=FakeClient())
    await svc.run(svc.plan(Action.IGNORE, [svc.rows["e5"]]))
    await svc.run(svc.plan(Action.LINK_LOCAL, [svc.rows["e6"]]))  # one PUT: Exact changed
    with pytest.raises(LookupError, match="changed Exact"):
        svc.undo()
    await svc.run(svc.plan(Action.UNIGNORE, [svc.rows["e5"]]))  # a new local step undoes again
    svc.undo()
    assert svc.rows["e5"].tab == "ignored"


async def test_u_on_the_screen_undoes_two_steps(world):
    app, service_, store, _ = world
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.pause()
        await pilot.press("x")  # ignore the cursor row
        await app.workers.wait_for_complete()
        await pilot.press("x")  # and the next one
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(store.ignored.all()) == 2
        await pilot.press("u")
        await pilot.pause()
        assert len(store.ignored.all()) == 1
        await pilot.press("u")
        await pilot.pause()
        assert store.ignored.all() == []
        assert not any(r.result for r in app.link.table.rows)


async def test_undo_puts_back_what_the_step_changed_in_other_rows(tmp_path):
    """Ignoring e6 frees its local customer: the rematch after the step makes its rival e8 a One
    match and leaves e7 without a free candidate. Undo must give the tabs of before the step, not
    keep e8 in One match beside e6, which wants the same customer."""
    from exact_tui.services.linking import ExactAccount

    from .helpers import ACCOUNTS

    rivals = [ExactAccount("e7", "Klaassen Groente", "1007", "Vismarkt 2", "9712AB", "Groningen", "NL", status="C"),
              ExactAccount("e8", "Groenteboer Klaasen", "1008", "Marktplein 9", "9711AA", "Groningen", "NL",
                           status="C")]
    store = open_store(tmp_path)
    try:
        svc = service(store, ACCOUNTS + rivals)

        def tabs():
            return {t: sorted(r.id for r in svc.tab_rows(t)) for t in ("one", "more", "none", "ignored")}

        before = tabs()
        await svc.run(svc.plan(Action.IGNORE, [svc.rows["e6"]]))
        assert tabs() != before and "e8" in tabs()["one"]  # the step did move other rows
        svc.undo()
        assert tabs() == before
        assert svc.counts() == {t: len(ids) for t, ids in before.items()}
    finally:
        store.close()
